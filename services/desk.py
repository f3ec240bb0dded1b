"""The letter desk: the one way a stage issues a letter and queues the email that carries it.

The stage builds the letter's body (`models.letters.*`); the desk adds the head (number, date,
addressee, signer), renders, applies the body's audience rule, stores the file and its row, and
queues the email, all inside the stage's transaction. A letter is issued once per (case, kind,
addressee): asking again returns the stored letter, with its number, and sends nothing new.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlmodel import Session

from adapters.db.cases import CaseParties
from adapters.db.consent import consent_scope
from adapters.db.letters import (
    LETTER_SERIES,
    case_letters,
    find_letter,
    new_verification_code,
    next_serial,
)
from adapters.db.locks import lock_case_letters, try_lock_case_letters
from adapters.db.outbox import Attachment, enqueue, find_by_key
from adapters.docx import render_docx, sha256, template_version
from adapters.email import (
    DOCX_TYPE,
    INFO_COPY,
    PDF_TYPE,
    EmailContent,
    attachment_name,
    compose,
    letter_email,
)
from adapters.letter_files import remove_strays, write_once
from adapters.pdf import PdfUnavailable
from adapters.pdf import converter as pdf_converter
from models.enums import ReportKind
from models.indonesian import tanggal
from models.letters.common import case_ref_text
from models.letters.head import (
    Addressee,
    LetterBody,
    LetterHead,
    Recipient,
    copies_for,
    head_from_office,
)
from models.letters.verification import is_verifiable, verification_url
from models.rules.confidentiality import (
    Audience,
    Redactor,
    disclosed_name,
    guarded_identity,
    guards_reporter,
)
from models.rules.numbering import letter_number
from models.rules.office import Office
from models.tables import Case, Letter, Party
from services.deps import Deps
from services.letter_checks import RenderedLetter, lint_letter

ATTACHMENT_PREFIX = "Lampiran "


ABANDONED_LOOKBACK = 50  # case ids below a new case whose never-committed folders it removes


def case_folder(case_id: int) -> Path:
    """A case's folder under the letters folder."""
    return Path(f"perkara-{case_id:05d}")


log = logging.getLogger("netra.letters")


class ConfidentialityBreach(RuntimeError):
    """An outbound letter would reveal the reporter (Perbawaslu 1/2022 Pasal 18(2)(b))."""


class LetterDesk:
    """Issues and sends the letters of one case within one stage's transaction."""

    def __init__(
        self, session: Session, deps: Deps, case: Case, parties: CaseParties, *, now: datetime
    ) -> None:
        assert case.id is not None
        self.session, self.deps, self.case = session, deps, case
        self.reporter: Party = parties.reporter
        self.others: list[Party] = [*parties.reported, *parties.witnesses]
        self.case_id: int = case.id
        self.office: Office = deps.rulebook.offices[case.office_key]
        self.now = now
        self._locked = False  # the case's letter lock, taken before the first file is written
        self._written: list[Path] = []  # files of this transaction, removed if it rolls back

    def issue(
        self,
        body: LetterBody,
        to: Addressee,
        *,
        issued_on: date,
        tembusan: Sequence[str] = (),
        attached_to: Letter | None = None,
    ) -> Letter:
        """The letter `body.kind` for `to`: the stored one if it exists, else a new one.
        An attachment (`attached_to`) carries that letter's number and date and takes no number
        of its own; it is filed as "Lampiran <number>"."""
        existing = find_letter(self.session, self.case_id, body.kind, to.key)
        if existing is not None:
            return existing
        spec = self.deps.rulebook.letters.spec(body.kind)
        if attached_to is not None:
            number, issued_on = attached_to.number, attached_to.issued_on
        else:
            serial = next_serial(
                self.session, office_key=self.office.key, year=issued_on.year, series=LETTER_SERIES
            )
            number = letter_number(
                serial, classification=spec.classification, office=self.office, issued_on=issued_on
            )
        head = LetterHead(
            **head_from_office(self.office),
            date_text=tanggal(issued_on),
            number=number,
            sifat=spec.sifat,
            lampiran=spec.lampiran,
            hal=spec.hal,
            addressee=to.yth,
            addressee_place=to.place,
            tembusan=copies_for(to.name, tembusan),
            **self._verification(body.kind),
        )
        templates = self.deps.settings.templates_dir
        docx = render_docx(head, body, templates_dir=templates)
        data = docx.data
        folder = case_folder(self.case_id)
        pdf = self._pdf_of(data, body.kind)
        rendered = RenderedLetter(data, pdf, docx.text)
        if guards_reporter(body.audience, is_laporan=self.case.kind is ReportKind.LAPORAN):
            self._refuse_reporter_identity(body.kind, rendered)
        lint_letter(self.deps.settings.letter_lint, body.kind, rendered, head.signer_name)
        files = {".docx": data} if pdf is None else {".docx": data, ".pdf": pdf}
        relative = folder / f"{self._write(folder, f'{body.kind}--{to.key}', files)}.docx"
        letter = Letter(
            case_id=self.case_id,
            kind=body.kind,
            recipient_key=to.key,
            recipient_name=to.name,
            number=number if attached_to is None else f"{ATTACHMENT_PREFIX}{number}",
            issued_on=issued_on,
            template_version=template_version(body.kind, templates_dir=templates),
            sha256=sha256(data),
            path=str(relative),
            pdf_sha256=sha256(pdf) if pdf is not None else None,
            outbound=body.audience is Audience.OUTBOUND,
            verification_code=head.verification_code,
        )
        self.session.add(letter)
        self.session.flush()
        return letter

    def _verification(self, kind: str) -> dict[str, str]:
        """The verification code and public address a letter leaving the office prints (drawn
        once, here, when it is issued); nothing for a record kept inside."""
        if not is_verifiable(kind):
            return {}
        code = new_verification_code(self.session)
        return {
            "verification_code": code,
            "verification_url": verification_url(self.deps.settings.public_url, code),
        }

    def send(
        self,
        letter: Letter,
        to: Addressee,
        role: Recipient,
        *,
        attachments: Sequence[Letter] = (),
        details: Sequence[tuple[str, str]] = (),
        copy_of: str | None = None,
        copy_note: str = INFO_COPY,
    ) -> None:
        """Queue the email carrying `letter` and its `attachments` to `to`, once; nothing when
        they have no email. `copy_of` names the addressee when `to` receives a tembusan copy;
        `copy_note` says what it asks of them."""
        if not to.email:
            return
        letters = [letter, *attachments]
        files = [self._attachment(item) for item in letters]
        content = letter_email(
            self.deps.rulebook.letters.spec(letter.kind),
            self.office,
            to_name=to.yth,
            number=letter.number,
            date_text=tanggal(letter.issued_on),
            case_ref=case_ref_text(self.case),
            files=[f["name"] for f in files],
            details=details,
            copy_of=copy_of,
            copy_note=copy_note,
        )
        self._enqueue(
            f"perkara-{self.case_id}/{letter.kind}/{to.key}",
            role,
            to.email,
            to.name,
            content,
            letter_id=letter.id,
            attachments=files,
        )

    def _write(self, folder: Path, base: str, files: dict[str, bytes]) -> str:
        """Write a new letter's files (`letter_files.write_once`), their stem. The first time in
        this transaction, the case's letter lock is taken and what killed writers left in the
        case's folder is removed (no other writer can be midway then). Files written by a
        transaction that rolls back are removed with it."""
        directory = self.deps.letters_dir / folder
        if not self._locked:
            lock_case_letters(self.session, self.case_id)
            self._locked = True
            keep = set()
            for stored in case_letters(self.session, self.case_id):
                keep.add(Path(stored.path).name)
                if stored.pdf_sha256:
                    keep.add(Path(stored.path).with_suffix(".pdf").name)
            if removed := remove_strays(directory, keep):
                log.info("perkara %s: berkas tanpa surat dihapus: %s", self.case_id, removed)
            if not keep:  # the case's first letter: a new case
                self._remove_abandoned_cases()
        stem = write_once(directory, base, files)
        written = [directory / f"{stem}{suffix}" for suffix in files]
        if not self._written:
            event.listen(self.session, "after_commit", self._keep_written, once=True)
            event.listen(self.session, "after_rollback", self._remove_written, once=True)
        self._written += written
        return stem

    def _remove_abandoned_cases(self) -> None:
        """The folders of the case ids just below this one whose case was never committed (an
        intake killed between writing its tanda terima and committing: PostgreSQL does not
        give a rolled-back id again, so no later letter of that case would clean it). A folder
        is removed only while no transaction holds its case's letter lock and no case row has
        its id: a writer takes the lock before its first file and keeps it until its row is
        committed."""
        for case_id in range(self.case_id - 1, max(0, self.case_id - ABANDONED_LOOKBACK), -1):
            folder = self.deps.letters_dir / case_folder(case_id)
            if not folder.is_dir() or self.session.get(Case, case_id) is not None:
                continue
            if try_lock_case_letters(self.session, case_id):
                removed = remove_strays(folder, set())
                with contextlib.suppress(OSError):  # not empty: something else put there
                    folder.rmdir()
                log.info(
                    "perkara #%s tidak pernah tercatat: berkasnya dihapus: %s", case_id, removed
                )

    def _keep_written(self, _session: Session) -> None:
        self._written = []

    def _remove_written(self, _session: Session) -> None:
        for path in self._written:
            path.unlink(missing_ok=True)
        self._written = []

    def _attachment(self, letter: Letter) -> Attachment:
        """The file a recipient gets: the PDF where there is one, else the .docx."""
        spec = self.deps.rulebook.letters.spec(letter.kind)
        label = spec.file_label or letter.kind.replace("_", "-")
        number = letter.number.removeprefix(ATTACHMENT_PREFIX)
        path = self.deps.letters_dir / letter.path
        if letter.pdf_sha256:
            path, suffix, kind = path.with_suffix(".pdf"), "pdf", PDF_TYPE
            digest = letter.pdf_sha256
        else:
            suffix, kind, digest = "docx", DOCX_TYPE, letter.sha256
        name = attachment_name(number, label, suffix)
        return Attachment(path=str(path), name=name, type=kind, sha256=digest)

    def _pdf_of(self, data: bytes, kind: str) -> bytes | None:
        """The letter as PDF, or None (PDF off, LibreOffice missing or failing: .docx only)."""
        settings = self.deps.settings
        converter = pdf_converter(settings.uno_python) if settings.pdf == "auto" else None
        if converter is None:
            return None
        try:
            return converter.to_pdf(data)
        except PdfUnavailable as exc:
            log.warning("surat %s diterbitkan tanpa PDF: %s", kind, exc)
            return None

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
        self.send(letter, to, role, details=body.email_details())
        return letter

    def to_reporter(self, body: LetterBody, key: str, *, issued_on: date) -> Letter:
        """A letter about the report for the reporter alone, emailed when they gave an address."""
        r = self.reporter
        to = Addressee(f"pelapor-{key}", r.name, r.address or "Tempat", r.email, personal=True)
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
        letter_id: int | None = None,
        attachments: Sequence[Attachment] = (),
    ) -> None:
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
            attachments=attachments,
            letter_id=letter_id,
            zone=self.office.timezone,
        )

    def disclosed_reporter(self) -> str | None:
        """The reporter's name where outbound letters would say "(dirahasiakan)", when the
        reporter consented to disclose it."""
        return disclosed_name(self.reporter.name, consent_scope(self.session, self.case_id))

    def _refuse_reporter_identity(self, kind: str, letter: RenderedLetter) -> None:
        """Refuse an outbound letter that names the reporter, in its body or (read from the
        PDF) anywhere on its pages, beyond what the reporter consented to disclose. Names the
        letter rightly carries (the office, the parties other than the reporter) are not the
        reporter's."""
        guard = reporter_guard(self.session, self.case_id, self.office, self.reporter, self.others)
        if guard.identity is None:  # the reporter consented to disclose their whole identity
            return
        if found := guard.identity.mentions(letter.everything, ignore=guard.ignore):
            raise ConfidentialityBreach(
                f"surat {kind} untuk pihak luar memuat identitas pelapor ({', '.join(found)}); "
                "surat tidak diterbitkan. Hapus nama/kontak pelapor dari isian (fakta, "
                "pertimbangan, keterangan) lalu ulangi."
            )


def reporter_guard(
    session: Session, case_id: int, office: Office, reporter: Party, others: Sequence[Party]
) -> Redactor:
    """What of the reporter a document leaving Bawaslu must not carry, by their consent; the
    office's letterhead and the other parties' names are not theirs."""
    consent = consent_scope(session, case_id)
    r = reporter
    identity = guarded_identity(r.name, r.phone, r.email, r.address, consent=consent)
    office_text = " ".join(str(v) for v in head_from_office(office).values() if v)
    return Redactor(identity, f"{office_text} {' '.join(p.name for p in others)}")
