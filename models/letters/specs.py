"""How each letter kind is numbered and headed, and where referrals go (config/letters.yaml)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from models.enums import ElectionType


class LetterSpec(BaseModel):
    """How one letter kind is numbered and headed (config/letters.yaml)."""

    classification: str
    sifat: Literal["Biasa", "Penting", "Segera", "Rahasia"] = "Biasa"
    lampiran: str = "-"
    hal: str
    email_intro: str = ""
    file_label: str | None = None  # the attachment's name after its number; default: the kind


class AuthorityContact(BaseModel):
    name: str
    place: str
    email: str


class KasnFollowUp(BaseModel):
    """Where the PPK reports its follow-up of a recommendation KASN processed before the switch
    (SE MenPANRB 4/2024): MenPANRB. The reminder names it in its body (`note`) and, with
    `copy`, in its Tembusan with a copy by email (config/letters.yaml `kasn_followup`)."""

    name: str
    place: str
    email: str | None = None
    copy_reminder: bool = True
    note: str  # the sentence the PPK reminder adds: report the follow-up to MenPANRB
    basis: str
    confirmed: bool


class LegalBasis(BaseModel):
    """What letters cite for one election type (config/letters.yaml `legal_basis`)."""

    handling: str  # the law and Perbawaslu a clarification rests on
    referral: str  # the referral's first point: why Bawaslu forwards the violation
    confirmed: bool  # false: the article is the best reading, not yet confirmed [C]


class LetterBook(BaseModel):
    letters: dict[str, LetterSpec]
    authorities: dict[str, AuthorityContact]
    legal_basis: dict[ElectionType, LegalBasis]
    kasn_followup: KasnFollowUp

    def spec(self, kind: str) -> LetterSpec:
        try:
            return self.letters[kind]
        except KeyError:
            raise KeyError(f"letter kind {kind!r} missing from config/letters.yaml") from None
