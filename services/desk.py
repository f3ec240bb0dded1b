"""Issuing letters (numbered once, stored with their SHA-256, never regenerated) and queueing the
emails that carry them. Both run inside the caller's transaction."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlmodel import Session, select

from adapters.db.letters import LETTER_SERIES, find_letter, next_serial
from adapters.db.outbox import enqueue
from adapters.docx import docx_text, render_letter, sha256, template_version
from models.enums import ReportKind
from models.letters.head import LetterContext, LetterHead, head_from_office
from models.letters.indonesian import tanggal
from models.rules.numbering import letter_number
from models.rules.rulebook import Rulebook
from models.tables import Letter, OutboxMessage
from models.tables.case import Case, Party, PartyRole

EMAIL_DIR = Path(__file__).resolve().parent.parent / "templates" / "email"
EMAIL_ENV = Environment(
    loader=FileSystemLoader(EMAIL_DIR),
    undefined=StrictUndefined,
    autoescape=select_autoescape(["html"]),
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Addressee:
    key: str  # stable within the case: terlapor-0, saksi-1, otoritas-bkn, pelapor-diregistrasi
    name: str  # "Yth." line
    place: str = "Tempat"
    email: str | None = None


def issue_letter(
    session: Session,
    *,
    rulebook: Rulebook,
    letters_dir: Path,
    case: Case,
    kind: str,
    to: Addressee,
    issued_on: date,
    outbound: bool,
    build: Callable[[LetterHead], LetterContext],
    tembusan: Sequence[str] = (),
) -> Letter:
    """The letter `kind` for `to` in `case`: the stored one if it exists, else a new one."""
    assert case.id is not None
    existing = find_letter(session, case.id, kind, to.key)
    if existing is not None:
        return existing
    office = rulebook.offices[case.office_key]
    spec = rulebook.letters.spec(kind)
    serial = next_serial(session, office_key=office.key, year=issued_on.year, series=LETTER_SERIES)
    number = letter_number(
        serial, classification=spec.classification, office=office, issued_on=issued_on
    )
    head = LetterHead(
        **head_from_office(office),
        date_text=tanggal(issued_on),
        number=number,
        sifat=spec.sifat,
        lampiran=spec.lampiran,
        hal=spec.hal,
        addressee=to.name,
        addressee_place=to.place,
        tembusan=tuple(tembusan),
    )
    data = render_letter(kind, build(head))
    if outbound:
        office_text = " ".join(str(v) for v in head_from_office(office).values() if v)
        _refuse_reporter_identity(session, case, kind, data, office_text)
    relative = Path(f"perkara-{case.id:05d}") / f"{kind}--{to.key}.docx"
    _write_atomically(letters_dir / relative, data)
    letter = Letter(
        case_id=case.id,
        kind=kind,
        recipient_key=to.key,
        recipient_name=to.name,
        number=number,
        issued_on=issued_on,
        template_version=template_version(kind),
        sha256=sha256(data),
        path=str(relative),
        outbound=outbound,
    )
    session.add(letter)
    session.flush()
    return letter


class ConfidentialityBreach(RuntimeError):
    """An outbound letter would reveal the reporter (Perbawaslu 1/2022 Pasal 18(2)(b))."""


def _refuse_reporter_identity(
    session: Session, case: Case, kind: str, data: bytes, office_text: str
) -> None:
    if case.kind is not ReportKind.LAPORAN:
        return  # a temuan's "reporter" is the supervising unit itself
    reporter = session.exec(
        select(Party).where(Party.case_id == case.id, Party.role == PartyRole.REPORTER)
    ).one()
    terms = [t for t in (reporter.name, reporter.phone, reporter.email, reporter.address) if t]
    found = reporter_mentions(docx_text(data), terms, ignore=office_text)
    if found:
        raise ConfidentialityBreach(
            f"surat {kind} untuk pihak luar memuat identitas pelapor; surat tidak diterbitkan. "
            "Hapus nama/kontak pelapor dari isian (fakta, pertimbangan) lalu ulangi."
        )


def reporter_mentions(text: str, terms: Sequence[str], *, ignore: str = "") -> list[str]:
    """Terms found in `text` as whole words (case-insensitive), leaving out terms that the
    office's own letterhead contains (a reporter named after a street or a city)."""
    haystack, ignored = " ".join(text.casefold().split()), ignore.casefold()
    found = []
    for term in terms:
        needle = " ".join(term.casefold().split())
        if not needle or needle in ignored:
            continue
        if re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack):
            found.append(term)
    return found


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


def queue_letter_email(
    session: Session,
    *,
    rulebook: Rulebook,
    letters_dir: Path,
    case: Case,
    letter: Letter,
    to: Addressee,
    role: str,
    now: datetime,
) -> OutboxMessage | None:
    """An outbox row carrying `letter` to `to`; None when the addressee has no email."""
    if not to.email:
        return None
    assert case.id is not None and letter.id is not None
    office = rulebook.offices[case.office_key]
    spec = rulebook.letters.spec(letter.kind)
    values = {
        "to_name": to.name,
        "intro": spec.email_intro,
        "hal": spec.hal,
        "number": letter.number,
        "case_number": case.case_number,
        "office_name": office.short_name,
        "office_address": office.address,
    }
    return enqueue(
        session,
        key=f"perkara-{case.id}/{letter.kind}/{to.key}",
        case_id=case.id,
        recipient_role=role,
        to_address=to.email,
        to_name=to.name,
        subject=f"{spec.hal} — {office.short_name}",
        body_text=EMAIL_ENV.get_template("letter.txt.j2").render(values),
        body_html=EMAIL_ENV.get_template("letter.html.j2").render(values),
        now=now,
        attachment_path=str(letters_dir / letter.path),
        attachment_name=f"{letter.kind}.docx",
        letter_id=letter.id,
    )


def issue_and_send(
    session: Session,
    *,
    rulebook: Rulebook,
    letters_dir: Path,
    case: Case,
    kind: str,
    to: Addressee,
    role: str,
    issued_on: date,
    outbound: bool,
    build: Callable[[LetterHead], LetterContext],
    now: datetime,
    tembusan: Sequence[str] = (),
) -> Letter:
    """Issue the letter (once) and queue its email to the addressee (once, if they have one)."""
    letter = issue_letter(
        session,
        rulebook=rulebook,
        letters_dir=letters_dir,
        case=case,
        kind=kind,
        to=to,
        issued_on=issued_on,
        outbound=outbound,
        build=build,
        tembusan=tembusan,
    )
    queue_letter_email(
        session,
        rulebook=rulebook,
        letters_dir=letters_dir,
        case=case,
        letter=letter,
        to=to,
        role=role,
        now=now,
    )
    return letter


def send_to_reporter(
    session: Session,
    *,
    rulebook: Rulebook,
    letters_dir: Path,
    case: Case,
    reporter: Party,
    kind: str,
    key: str,
    issued_on: date,
    build: Callable[[LetterHead], LetterContext],
    now: datetime,
) -> Letter:
    """A letter about the report for the reporter alone, emailed when they gave an address."""
    to = Addressee(f"pelapor-{key}", reporter.name, reporter.address or "Tempat", reporter.email)
    return issue_and_send(
        session,
        rulebook=rulebook,
        letters_dir=letters_dir,
        case=case,
        kind=kind,
        to=to,
        role="pelapor",
        issued_on=issued_on,
        outbound=False,
        build=build,
        now=now,
    )
