"""Reports as they arrive: stored in the case database (`report_submission`) before any flow
runs, so that a flow takes the submission's number and Prefect's store (run parameters, logs,
state messages) never holds the report, its reporter's contacts or a NIP.

A submission is settled once: recorded (its case noted) or refused. Either way the report it
carried is erased from it: a recorded report lives on as its case, a refused one must leave
nothing behind. A run stopped before it settled (killed, server gone) leaves it waiting, and
running the same submission again finishes the job (intake recognises a report already recorded).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlmodel import Session

from adapters.db.cases import get_case
from adapters.db.engine import unit_of_work
from models.access import Actor
from models.outcomes import StageOutcome, StageResult
from models.problems import ReportRejected
from models.report.model import Report
from models.report.validation import nul_problems
from models.tables import ReportSubmission, SubmissionStatus
from services.completion import complete_report
from services.deps import Deps
from services.intake import IntakeOutcome, intake_report


class SubmissionRefused(ValueError):
    """The submission was refused before (its report erased), or does not exist."""


def submit_report(deps: Deps, report: Report, *, now: datetime) -> int:
    """Store `report` as it arrived; returns the submission's number. A NUL character (which no
    database stores) is refused here, before anything is written."""
    if problems := nul_problems(report):
        raise ReportRejected(problems)
    with unit_of_work(deps.engine) as session:
        row = ReportSubmission(
            received_at=report.received_at,
            submitted_at=now,
            report=report.model_dump(mode="json"),
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def submission_received_at(deps: Deps, submission: int) -> datetime:
    """When the submitted report reached the office (a replayed case's clock starts there)."""
    with Session(deps.engine) as session:
        return _row(session, submission).received_at


def intake_submission(deps: Deps, submission: int, *, actor: Actor, now: datetime) -> IntakeOutcome:
    """Record the submitted report as a case (`services.intake`), once."""
    with Session(deps.engine) as session:
        row = _row(session, submission)
        if row.status is SubmissionStatus.RECORDED and row.case_id is not None:
            return IntakeOutcome(get_case(session, str(row.case_id)), created=False)
        report = _pending_report(row)
    with _refusal_erases(deps, submission, now):
        outcome = intake_report(deps, report, actor=actor, now=now)
    _settle(deps, submission, SubmissionStatus.RECORDED, now, case_id=outcome.case.id)
    return outcome


def complete_submission(
    deps: Deps, case_ref: str, submission: int, *, actor: Actor, now: datetime
) -> StageResult:
    """The submitted report completes the case (`services.completion`), once."""
    with Session(deps.engine) as session:
        row = _row(session, submission)
        if row.status is SubmissionStatus.RECORDED and row.case_id is not None:
            return _already_completed(deps, case_ref, row.case_id, submission, actor, now)
        report = _pending_report(row)
    with _refusal_erases(deps, submission, now):
        result = complete_report(deps, case_ref, report, actor=actor, now=now)
    if result.outcome is StageOutcome.ELSEWHERE:  # the case asks for no completion: unused
        _settle(deps, submission, SubmissionStatus.REFUSED, now)
    else:
        _settle(deps, submission, SubmissionStatus.RECORDED, now, case_id=result.case_id)
    return result


def _already_completed(
    deps: Deps, case_ref: str, case_id: int, submission: int, actor: Actor, now: datetime
) -> StageResult:
    """A recorded submission run again: the completion service says where the case stands
    (it repeats nothing once the report is completed); another case is refused."""
    with Session(deps.engine) as session:
        if get_case(session, case_ref).id != case_id:
            raise SubmissionRefused(f"kiriman {submission} sudah dicatat pada perkara lain")
        report = Report.model_validate(get_case(session, case_ref).report)
    return complete_report(deps, case_ref, report, actor=actor, now=now)


def _row(session: Session, submission: int) -> ReportSubmission:
    row = session.get(ReportSubmission, submission)
    if row is None:
        raise SubmissionRefused(f"kiriman laporan nomor {submission} tidak ada")
    return row


def _pending_report(row: ReportSubmission) -> Report:
    if row.status is not SubmissionStatus.PENDING or row.report is None:
        raise SubmissionRefused(
            f"kiriman {row.id} sudah {row.status.value} dan isinya dihapus; "
            "kirim ulang laporan (netra submit) sebagai kiriman baru"
        )
    return Report.model_validate(row.report)


@contextmanager
def _refusal_erases(deps: Deps, submission: int, now: datetime) -> Iterator[None]:
    """A refusal (a rule of the report, an unknown case, a completion that is not the same
    report) settles the submission as refused and erases its report before it is said."""
    try:
        yield
    except (ValueError, LookupError):
        _settle(deps, submission, SubmissionStatus.REFUSED, now)
        raise


def _settle(
    deps: Deps,
    submission: int,
    status: SubmissionStatus,
    now: datetime,
    *,
    case_id: int | None = None,
) -> None:
    with unit_of_work(deps.engine) as session:
        row = _row(session, submission)
        row.status, row.case_id, row.report, row.settled_at = status, case_id, None, now
        session.add(row)
