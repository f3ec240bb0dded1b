"""How each letter kind is numbered and headed, and where referrals go (config/letters.yaml)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class LetterSpec(BaseModel):
    """How one letter kind is numbered and headed (config/letters.yaml)."""

    classification: str
    sifat: Literal["Biasa", "Penting", "Segera", "Rahasia"] = "Biasa"
    lampiran: str = "-"
    hal: str
    email_intro: str = ""


class AuthorityContact(BaseModel):
    name: str
    place: str
    email: str


class LetterBook(BaseModel):
    letters: dict[str, LetterSpec]
    authorities: dict[str, AuthorityContact]

    def spec(self, kind: str) -> LetterSpec:
        try:
            return self.letters[kind]
        except KeyError:
            raise KeyError(f"letter kind {kind!r} missing from config/letters.yaml") from None
