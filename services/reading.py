"""Reading cases for a person: the register searched within the offices they may read, one case
with everything, its letters and evidence files, and what waits for them. Every read of a case
and every file handed out passes `_audited_read` (the audit trail's call point).

A case of an office the reader has no READ_CASE role in is `NotPermitted`; the desk answers it
exactly as a case that does not exist (404), so a user of one office learns nothing of another's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from adapters.db.search import (
    CaseSearch,
    cases_at_stage,
    deadlines_due,
    evidence_of_case,
    letter_of_case,
    search_rows,
)
from adapters.db.views import CaseView, case_view
from models.access import ALL_OFFICES, Action, Actor, NotPermitted, permits
from models.audit import AuditAction
from models.enums import DayUnit
from models.rules.calendar import WorkCalendar, local_date
from models.rules.evidence import stored_name
from models.stages import Stage
from models.tables import Evidence
from models.tables.case import Case, CaseDeadline
from models.tables.columns import utcnow
from services.audit import Who, audit_read, read_letter
from services.deps import Deps

__all__ = ["CaseSearch"]

PAGE_SIZE = 25
DUE_WITHIN_WORKING_DAYS = 2

# Evidence is handed out as an attachment always; its type only when it is one of these (an
# uploaded file claiming to be HTML or SVG is sent as plain bytes).
_SAFE_TYPES = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "video/mp4",
        "text/plain",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
)


class FileMissing(LookupError):
    """The row exists but its file is not in the store (an Indonesian message)."""


@dataclass(frozen=True)
class CasePage:
    rows: list[tuple[Case, CaseDeadline | None]]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


@dataclass(frozen=True)
class Download:
    path: Path
    filename: str
    media_type: str
    data: bytes | None = None  # the bytes already read and checked (a letter), else read `path`


@dataclass(frozen=True)
class DueDeadline:
    deadline: CaseDeadline
    case: Case
    days_left: int  # calendar days; negative: already past


@dataclass(frozen=True)
class Waiting:
    """What waits for a person ("Menunggu saya")."""

    approvals: list[tuple[Case, CaseDeadline | None]]  # pimpinan: recommendations to decide
    deadlines: list[DueDeadline]  # pemeriksa: open deadlines due within two working days


def readable_offices(actor: Actor, action: Action = Action.READ_CASE) -> frozenset[str] | None:
    """The offices where `actor` may take `action`; None: every office."""
    offices = actor.offices_for(action)
    return None if ALL_OFFICES in offices else offices


def _audited_read(deps: Deps, actor: Actor, case: Case, what: str) -> None:
    """Every case read and every evidence file handed out is a row of the audit trail, after
    the permission check and before anything is returned (letters: `read_letter`, which also
    checks the file against its stored SHA-256)."""
    assert case.id is not None
    action = AuditAction.CASE_READ if what == "case" else AuditAction.EVIDENCE_READ
    audit_read(
        deps.engine, Who.of(actor), case_id=case.id, action=action, detail=what, now=utcnow()
    )


def readable_case(deps: Deps, actor: Actor, ref: str) -> CaseView:
    """The case `ref` if `actor` may read it (CaseNotFound, NotPermitted otherwise); not
    audited: the caller records what it hands out."""
    view = case_view(deps.engine, ref)  # CaseNotFound (a LookupError) when there is none
    if not permits(actor, Action.READ_CASE, view.case.office_key):
        raise NotPermitted(actor, Action.READ_CASE, view.case.office_key)
    return view


def read_case(deps: Deps, actor: Actor, ref: str) -> CaseView:
    """The case `ref` with everything the case page shows."""
    view = readable_case(deps, actor, ref)
    _audited_read(deps, actor, view.case, "case")
    return view


def search_cases(
    deps: Deps, actor: Actor, search: CaseSearch, page: int = 1, size: int = PAGE_SIZE
) -> CasePage:
    """One page (of `size` cases) of the register, only of the offices where `actor` may read
    cases."""
    offices = readable_offices(actor)
    page, size = max(1, page), max(1, size)
    if offices is not None and not offices:
        return CasePage([], 0, 1, size)
    rows, total = search_rows(deps.engine, search, offices, limit=size, offset=(page - 1) * size)
    return CasePage(rows, total, page, size)


def letter_download(deps: Deps, actor: Actor, ref: str, letter_id: int, *, pdf: bool) -> Download:
    view = readable_case(deps, actor, ref)
    letter = letter_of_case(deps.engine, view.case_id, letter_id)
    if letter is None or (pdf and not letter.pdf_sha256):
        raise FileMissing("Surat tidak ditemukan pada perkara ini.")
    path = deps.letters_dir / letter.path
    if pdf:
        path = path.with_suffix(".pdf")
    if not path.is_file():
        raise FileMissing(f"Berkas surat {letter.number} tidak ada di folder surat.")
    # checked against its stored SHA-256 and recorded; an altered file raises LetterTampered.
    # The bytes checked are the bytes served (the file is not read a second time).
    checked = read_letter(
        deps.engine, deps.letters_dir, Who.of(actor), letter_id, pdf=pdf, now=utcnow()
    )
    return Download(path, checked.name, checked.media_type, checked.data)


def evidence_download(deps: Deps, actor: Actor, ref: str, evidence_id: int) -> Download:
    view = readable_case(deps, actor, ref)
    item = evidence_of_case(deps.engine, view.case_id, evidence_id)
    if item is None or item.sha256 is None:
        raise FileMissing("Bukti ini tidak memiliki berkas.")
    path = deps.settings.evidence_dir / stored_name(item.sha256)
    if not path.is_file():
        raise FileMissing("Berkas bukti tidak ada di penyimpanan bukti.")
    _audited_read(deps, actor, view.case, f"evidence:{evidence_id}")
    media = item.media_type if item.media_type in _SAFE_TYPES else "application/octet-stream"
    return Download(path, _evidence_name(item), media or "application/octet-stream")


def _evidence_name(item: Evidence) -> str:
    return Path(item.original_name or item.file or f"bukti-{item.id}").name


def working_days_ahead(calendar: WorkCalendar, today: date, days: int) -> date:
    """The last day of the window "within `days` working days" from `today`."""
    try:
        return calendar.add(today, days, DayUnit.WORKING)
    except ValueError:  # a day outside the holiday data: count weekdays only
        current, counted = today, 0
        while counted < days:
            current += timedelta(days=1)
            counted += current.weekday() < 5
        return current


def waiting_for(deps: Deps, actor: Actor, now: datetime) -> Waiting:
    """For a pimpinan: the cases awaiting approval in their offices; for a pemeriksa (and a
    pimpinan): open deadlines of their offices due within two working days, or already past."""
    approvals: list[tuple[Case, CaseDeadline | None]] = []
    approve_in = readable_offices(actor, Action.APPROVE)
    if approve_in is None or approve_in:
        approvals = cases_at_stage(deps.engine, Stage.AWAITING_APPROVAL, approve_in)
    due: list[DueDeadline] = []
    work_in = readable_offices(actor, Action.RECORD)
    if work_in is None or work_in:
        offices = deps.rulebook.offices
        todays = {key: local_date(now, o.timezone) for key, o in offices.items()}
        until = {
            key: working_days_ahead(deps.rulebook.calendar, today, DUE_WITHIN_WORKING_DAYS)
            for key, today in todays.items()
        }
        latest = max(until.values(), default=local_date(now, "Asia/Jakarta"))
        for deadline, case in deadlines_due(deps.engine, work_in, latest):
            limit = until.get(case.office_key, latest)
            if deadline.due_on <= limit:
                today = todays.get(case.office_key, latest)
                due.append(DueDeadline(deadline, case, (deadline.due_on - today).days))
    return Waiting(approvals, due)
