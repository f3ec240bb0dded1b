"""The case file to hand over (issue 12): one ZIP per case with every letter (.docx and PDF),
every evidence file, the case's audit extract, a summary, an index (HTML and CSV) and
`SHA256SUMS` over everything.

Every stored file is checked against its stored SHA-256 before anything is written, and again as
it is copied: a file that differs refuses the whole export (`CaseFileRefused`, naming the file,
recorded in the audit trail); no archive is left behind. The reporter's identity is left out
unless the reader may see it (`Action.READ_REPORTER`) and did not ask for a redacted file.

Call `export_case_file(deps, actor, ref, target, now=...)` (the CLI, the desk, an API).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from adapters.case_zip import DeterministicZip, FileChanged, file_sha256
from adapters.db.audit import audit_rows
from adapters.db.cases import case_label
from adapters.db.views import CaseView
from adapters.docx import docx_all_text
from adapters.letter_files import LetterFileAltered, read_checked
from adapters.pdf import pdf_pages
from models import case_file as cf
from models.access import Action, Actor, permits
from models.audit import AuditAction, export_record, records_csv, until_last_change
from models.enums import ReportKind
from models.rules.confidentiality import Redactor
from models.rules.evidence import stored_name
from models.tables import Evidence, Letter
from models.tables.case import PartyRole
from services.audit import Who, audit_read
from services.deps import Deps
from services.desk import reporter_guard
from services.reading import readable_case

# Evidence whose text can be read for the reporter's identity (a redacted file).
_TEXT_TYPES = frozenset(
    {
        "text/plain",
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
)
WITHHELD = "ditahan: memuat identitas pelapor"
NO_PDF = "PDF tidak dibuat saat surat diterbitkan (LibreOffice tidak tersedia atau dimatikan)"
NO_FILE = "hanya keterangan, tanpa berkas"


class CaseFileRefused(RuntimeError):
    """A stored file is missing or not the one recorded: no case file (Indonesian message)."""


@dataclass(frozen=True)
class CaseFile:
    """The ZIP written: where, the name to hand it out under, what it holds and leaves out."""

    path: Path
    filename: str
    sha256: str
    members: list[cf.Member]
    absent: list[cf.Absent]
    redacted: bool


@dataclass(frozen=True)
class _Source:
    """Where an entry's bytes come from: held in memory, or a stored file copied in chunks."""

    data: bytes | None = None
    path: Path | None = None
    sha256: str = ""


@dataclass
class _Contents:
    """What the ZIP will hold (each entry's source by name) and what it lists but leaves out."""

    members: list[cf.Member] = field(default_factory=list)
    absent: list[cf.Absent] = field(default_factory=list)
    sources: dict[str, _Source] = field(default_factory=dict)

    def add(self, member: cf.Member, source: _Source) -> None:
        self.members.append(member)
        self.sources[member.name] = source

    def add_text(self, kind: str, name: str, about: str, text: str) -> None:
        data = text.encode()
        digest = hashlib.sha256(data).hexdigest()
        self.add(cf.Member(kind, name, about, digest, len(data)), _Source(data=data))


def zip_filename(view: CaseView) -> str:
    return cf.zip_name(case_label(view.case), view.case_id)


def export_case_file(
    deps: Deps, actor: Actor, ref: str, target: Path, *, redact: bool = False, now: datetime
) -> CaseFile:
    """Write the case file of `ref` to `target` for `actor` (READ_CASE in the case's office:
    else NotPermitted; no such case: CaseNotFound). `redact`: leave the reporter out even for
    a reader allowed to see them (a file for BKN, say)."""
    view = readable_case(deps, actor, ref)
    case = view.case
    who = Who.of(actor)
    redactor = _redactor(deps, actor, view, redact=redact)
    contents = _Contents()
    members, absent, sources = contents.members, contents.absent, contents.sources

    def refuse(message: str) -> CaseFileRefused:
        audit_read(
            deps.engine,
            who,
            case_id=view.case_id,
            action=AuditAction.CASE_FILE_REFUSED,
            detail=message,
            now=now,
        )
        return CaseFileRefused(
            f"Berkas perkara {case_label(case)} tidak dibuat: {message}. Pulihkan berkas "
            "aslinya (lihat jejak audit), lalu ulangi."
        )

    for letter in sorted(view.letters, key=lambda x: x.id or 0):
        try:
            _add_letter(deps, letter, redactor, contents)
        except LetterFileAltered as error:
            raise refuse(f"surat {letter.number} ({letter.kind}): {error}") from None
    for item in view.evidence:
        try:
            _add_evidence(deps, item, redactor, contents)
        except (FileChanged, OSError) as error:
            raise refuse(_evidence_problem(item, error)) from None

    with Session(deps.engine) as session:
        rows = until_last_change(audit_rows(session, case_id=view.case_id))
    records = [export_record(row) for row in rows]
    if redactor.active:
        for record in records:
            record["detail"] = redactor.clean(str(record["detail"]))
    contents.add_text(cf.AUDIT, cf.AUDIT_NAME, "Jejak audit perkara", records_csv(records))
    office = deps.rulebook.offices.get(case.office_key)
    summary = cf.case_summary(
        case,
        view.parties,
        view.events,
        view.deadlines,
        office_name=office.short_name if office else case.office_key,
        timezone=office.timezone if office else "Asia/Jakarta",
        redactor=redactor,
    )
    contents.add_text(cf.SUMMARY, cf.SUMMARY_NAME, "Ringkasan perkara", summary.as_json())

    title = case_label(case)
    extra = {
        cf.INDEX_CSV: cf.index_csv(members),
        cf.INDEX_HTML: cf.index_html(summary, members, absent, title=title),
    }
    listed = list(members)
    for name, text in extra.items():
        data = text.encode()
        sources[name] = _Source(data=data)
        listed.append(
            cf.Member("indeks", name, "Indeks", hashlib.sha256(data).hexdigest(), len(data))
        )
    sources[cf.SUMS] = _Source(data=cf.sha256sums(listed).encode())

    try:
        with DeterministicZip(target) as archive:
            for name in sorted(sources):
                source = sources[name]
                if source.data is not None:
                    archive.add_bytes(name, source.data)
                else:
                    assert source.path is not None
                    archive.add_file(name, source.path, sha256=source.sha256)
    except (FileChanged, OSError) as error:  # changed between the check and the copy
        path = getattr(error, "path", None) or getattr(error, "filename", "?")
        raise refuse(f"berkas {Path(str(path)).name} berubah saat disalin") from None
    digest, size = file_sha256(target)
    audit_read(
        deps.engine,
        who,
        case_id=view.case_id,
        action=AuditAction.CASE_FILE_EXPORT,
        detail=(
            f"berkas perkara diekspor: {len(members)} berkas, {size} bita, SHA-256 {digest}; "
            f"identitas pelapor {'dirahasiakan' if redactor.active else 'disertakan'}"
        ),
        now=now,
    )
    return CaseFile(target, zip_filename(view), digest, members, absent, redactor.active)


def _redactor(deps: Deps, actor: Actor, view: CaseView, *, redact: bool) -> Redactor:
    """Nothing to hide for a temuan (its finder is an officer) or a reader who may see the
    reporter; else what the reporter did not consent to disclose."""
    case = view.case
    allowed = permits(actor, Action.READ_REPORTER, case.office_key)
    if case.kind is not ReportKind.LAPORAN or (allowed and not redact):
        return Redactor()
    reporter = next((p for p in view.parties if p.role is PartyRole.REPORTER), None)
    if reporter is None:
        return Redactor()
    office = deps.rulebook.offices[case.office_key]
    others = [p for p in view.parties if p.role is not PartyRole.REPORTER]
    with Session(deps.engine) as session:
        return reporter_guard(session, view.case_id, office, reporter, others)


def _add_letter(deps: Deps, letter: Letter, redactor: Redactor, contents: _Contents) -> None:
    """The letter's .docx and PDF, each checked against its stored SHA-256 (LetterFileAltered);
    withheld whole when a redacted file would carry the reporter."""
    path = deps.letters_dir / letter.path
    docx = read_checked(path, letter.sha256)
    pdf = read_checked(path.with_suffix(".pdf"), letter.pdf_sha256) if letter.pdf_sha256 else None
    about = cf.letter_about(letter, redactor)
    if redactor.active:
        text = "\n".join([docx_all_text(docx), *(pdf_pages(pdf) if pdf else [])])
        if redactor.names(text):
            contents.absent.append(cf.Absent(cf.LETTER_DOCX, about, WITHHELD))
            return
    files = [(cf.LETTER_DOCX, docx, letter.sha256, False)]
    if pdf is not None and letter.pdf_sha256:
        files.append((cf.LETTER_PDF, pdf, letter.pdf_sha256, True))
    else:
        contents.absent.append(cf.Absent(cf.LETTER_PDF, about, NO_PDF))
    for kind, data, digest, is_pdf in files:
        name = cf.letter_name(letter, pdf=is_pdf)
        contents.add(cf.Member(kind, name, about, digest, len(data)), _Source(data=data))


def _add_evidence(deps: Deps, item: Evidence, redactor: Redactor, contents: _Contents) -> None:
    """An evidence file, hashed in chunks against its stored SHA-256 (FileChanged); withheld
    when a redacted file would carry the reporter in its readable text."""
    about = cf.evidence_about(item, redactor)
    if item.sha256 is None:
        contents.absent.append(cf.Absent(cf.EVIDENCE, about, NO_FILE))
        return
    path = deps.settings.evidence_dir / stored_name(item.sha256)
    found, size = file_sha256(path)  # FileNotFoundError (an OSError) when it is gone
    if found != item.sha256:
        raise FileChanged(path, found)
    if redactor.active and item.media_type in _TEXT_TYPES and redactor.names(_text_of(path, item)):
        contents.absent.append(cf.Absent(cf.EVIDENCE, about, WITHHELD))
        return
    name = cf.evidence_name(item, redactor)
    member = cf.Member(cf.EVIDENCE, name, about, item.sha256, size)
    contents.add(member, _Source(path=path, sha256=item.sha256))


def _text_of(path: Path, item: Evidence) -> str:
    """What can be read of a text, PDF or .docx evidence file ("" when it cannot be parsed)."""
    data = path.read_bytes()
    try:
        if item.media_type == "application/pdf":
            return "\n".join(pdf_pages(data))
        if item.media_type == "text/plain":
            return data.decode("utf-8", "replace")
        return docx_all_text(data)
    except Exception:  # an unreadable file: nothing found in it (it is still checked by hash)
        return ""


def _evidence_problem(item: Evidence, error: Exception) -> str:
    name = item.original_name or item.file or f"#{item.id}"
    if isinstance(error, FileChanged):
        return (
            f"isi berkas bukti {item.position + 1} ({name}) tidak sama dengan yang dicatat "
            f"(SHA-256 tersimpan {(item.sha256 or '')[:12]}…, berkas sekarang "
            f"{(error.found or '')[:12]}…)"
        )
    return f"berkas bukti {item.position + 1} ({name}) tidak ada di penyimpanan bukti"
