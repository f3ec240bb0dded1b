"""Verifying a letter by its code, for anyone: what the public page may show of it, and whether a
file someone holds is the one the office sent.

Only what the letter itself prints about its issue is shown: number, date, kind, issuing office,
and the SHA-256 of the file sent (the PDF; the .docx when the letter was issued without one).
Never the addressee, the case or its parties. An unknown code and a code that cannot be one
give the same answer (None). Nothing a visitor sends is stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlmodel import Session

from adapters.db.letters import letter_by_code
from models import labels
from models.letters.verification import normalize_code
from models.tables import Letter
from models.tables.case import Case
from services.deps import Deps

PDF_MAGIC = b"%PDF-"
DOCX_MAGIC = b"PK\x03\x04"  # a .docx is a zip archive

FileKind = Literal["pdf", "docx"]


@dataclass(frozen=True)
class VerifiedLetter:
    code: str
    number: str
    issued_on: date
    kind_label: str
    office_name: str
    sha256: str  # of the file sent: the PDF, else the .docx
    file_kind: FileKind

    @property
    def has_pdf(self) -> bool:
        return self.file_kind == "pdf"


def find_verified(deps: Deps, text: str) -> VerifiedLetter | None:
    """The public facts of the letter printed with code `text` (as typed), or None."""
    code = normalize_code(text)
    if code is None:
        return None
    with Session(deps.engine) as session:
        letter = letter_by_code(session, code)
        if letter is None:
            return None
        case = session.get(Case, letter.case_id)
        assert case is not None  # a letter's case is never deleted
        office = deps.rulebook.offices.get(case.office_key)
        return _public_facts(letter, code, office.name if office else case.office_key)


def _public_facts(letter: Letter, code: str, office_name: str) -> VerifiedLetter:
    if letter.pdf_sha256:
        digest, kind = letter.pdf_sha256, "pdf"
    else:
        digest, kind = letter.sha256, "docx"
    return VerifiedLetter(
        code=code,
        number=letter.number,
        issued_on=letter.issued_on,
        kind_label=labels.label(labels.LETTER_KINDS, letter.kind),
        office_name=office_name,
        sha256=digest,
        file_kind=kind,  # type: ignore[arg-type]
    )


def file_kind_of(head: bytes) -> FileKind | None:
    """What the first bytes of an uploaded file say it is (its name and type are not trusted)."""
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if head.startswith(DOCX_MAGIC):
        return "docx"
    return None


class UploadDigest:
    """The SHA-256, size and kind of a file read in chunks (nothing of it is kept)."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self.size = 0
        self.kind: FileKind | None = None

    def update(self, chunk: bytes) -> None:
        if self.size == 0:
            self.kind = file_kind_of(chunk)
        self._hash.update(chunk)
        self.size += len(chunk)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def matches(self, letter: VerifiedLetter) -> bool:
        return self.sha256 == letter.sha256
