"""The letter desk: the one way a stage issues a letter and queues the email that carries it.

The stage builds the letter's body (`models.letters.*`); the desk adds the head (number, date,
addressee, signer), renders, applies the body's audience rule, stores the file and its row, and
queues the email, all inside the stage's transaction. A letter is issued once per (case, kind,
addressee): asking again returns the stored letter, with its number, and sends nothing new.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from adapters.db.letters import LETTER_SERIES, find_letter, next_serial
from adapters.db.outbox import enqueue, find_by_key
from adapters.docx import docx_text, render_letter, sha256, template_version
from adapters.email import EmailContent, compose, letter_email
from models.enums import ReportKind
from models.indonesian import tanggal
from models.letters.head import Addressee, LetterBody, LetterHead, Recipient, head_from_office
from models.rules.confidentiality import (
    Audience,
    guards_reporter,
    identity_terms,
    reporter_mentions,
)
from models.rules.numbering import letter_number
from models.rules.office import Office
from models.tables import Case, Letter, Party
from services.deps import Deps


class ConfidentialityBreach(RuntimeError):
    """An outbound letter would reveal the reporter (Perbawaslu 1/2022 Pasal 18(2)(b))."""


class LetterDesk:
    """Issues and sends the letters of one case within one stage's transaction."""

    def __init__(
        self, session: Session, deps: Deps, case: Case, reporter: Party, *, now: datetime
    ) -> None:
        assert case.id is not None
        self.session, self.deps, self.case, self.reporter = session, deps, case, reporter
        self.case_id: int = case.id
        self.office: Office = deps.rulebook.offices[case.office_key]
        self.now = now

    def issue(
        self,
        body: LetterBody,
        to: Addressee,
        *,
        issued_on: date,
        tembusan: Sequence[str] = (),
    ) -> Letter:
        """The letter `body.kind` for `to`: the stored one if it exists, else a new one."""
        existing = find_letter(self.session, self.case_id, body.kind, to.key)
        if existing is not None:
            return existing
        spec = self.deps.rulebook.letters.spec(body.kind)
        serial = next_serial(
            self.session, office_key=self.office.key, year=issued_on.year, series=LETTER_SERIES
        )
        head = LetterHead(
            **head_from_office(self.office),
            date_text=tanggal(issued_on),
            number=letter_number(
                serial, classification=spec.classification, office=self.office, issued_on=issued_on
            ),
            sifat=spec.sifat,
            lampiran=spec.lampiran,
            hal=spec.hal,
            addressee=to.name,
            addressee_place=to.place,
            tembusan=tuple(tembusan),
        )
        data = render_letter(head, body)
        if guards_reporter(body.audience, is_laporan=self.case.kind is ReportKind.LAPORAN):
            self._refuse_reporter_identity(body.kind, data)
        relative = Path(f"perkara-{self.case_id:05d}") / f"{body.kind}--{to.key}.docx"
        _write_atomically(self.deps.letters_dir / relative, data)
        letter = Letter(
            case_id=self.case_id,
            kind=body.kind,
            recipient_key=to.key,
            recipient_name=to.name,
            number=head.number,
            issued_on=issued_on,
            template_version=template_version(body.kind),
            sha256=sha256(data),
            path=str(relative),
            outbound=body.audience is Audience.OUTBOUND,
        )
        self.session.add(letter)
        self.session.flush()
        return letter

    def send(self, letter: Letter, to: Addressee, role: Recipient) -> None:
        """Queue the email carrying `letter` to `to` (once; nothing when they have no email)."""
        if not to.email:
            return
        spec = self.deps.rulebook.letters.spec(letter.kind)
        content = letter_email(
            spec,
            self.office,
            to_name=to.name,
            number=letter.number,
            case_number=self.case.case_number,
        )
        self._enqueue(
            f"perkara-{self.case_id}/{letter.kind}/{to.key}",
            role,
            to.email,
            to.name,
            content,
            attachment=(letter, str(self.deps.letters_dir / letter.path)),
        )

    def issue_and_send(
        self,
        body: LetterBody,
        to: Addressee,
        role: Recipient,
        *,
        issued_on: date,
        tembusan: Sequence[str] = (),
    ) -> Letter:
        letter = self.issue(body, to, issued_on=issued_on, tembusan=tembusan)
        self.send(letter, to, role)
        return letter

    def to_reporter(self, body: LetterBody, key: str, *, issued_on: date) -> Letter:
        """A letter about the report for the reporter alone, emailed when they gave an address."""
        r = self.reporter
        to = Addressee(f"pelapor-{key}", r.name, r.address or "Tempat", r.email)
        return self.issue_and_send(body, to, Recipient.REPORTER, issued_on=issued_on)

    def notify_office(
        self, *, key: str, subject: str, template: str, values: dict[str, Any]
    ) -> bool:
        """One email to the office's own address (investigators and supervisor), once per key.
        False when the office has no address or the key was queued before."""
        if not self.office.email or find_by_key(self.session, key) is not None:
            return False
        context = {
            "to_name": self.office.short_name,
            "case_label": self.case.case_number or f"#{self.case_id}",
            "stage": self.case.stage.label,
            **values,
        }
        content = compose(template, subject, context)
        self._enqueue(
            key, Recipient.OFFICE, str(self.office.email), self.office.short_name, content
        )
        return True

    def _enqueue(
        self,
        key: str,
        role: Recipient,
        address: str,
        name: str,
        content: EmailContent,
        *,
        attachment: tuple[Letter, str] | None = None,
    ) -> None:
        letter, path = attachment if attachment else (None, None)
        enqueue(
            self.session,
            key=key,
            case_id=self.case_id,
            recipient_role=role,
            to_address=address,
            to_name=name,
            subject=content.subject,
            body_text=content.text,
            body_html=content.html,
            now=self.now,
            attachment_path=path,
            attachment_name=f"{letter.kind}.docx" if letter else None,
            letter_id=letter.id if letter else None,
        )

    def _refuse_reporter_identity(self, kind: str, data: bytes) -> None:
        r = self.reporter
        terms = identity_terms(r.name, r.phone, r.email, r.address)
        office_text = " ".join(str(v) for v in head_from_office(self.office).values() if v)
        if reporter_mentions(docx_text(data), terms, ignore=office_text):
            raise ConfidentialityBreach(
                f"surat {kind} untuk pihak luar memuat identitas pelapor; surat tidak "
                "diterbitkan. Hapus nama/kontak pelapor dari isian (fakta, pertimbangan) lalu "
                "ulangi."
            )


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
