"""Completing an incomplete report (DOMAIN.md §2.2): the reporter sends the report again with
what the kajian awal asked for; the case carries the completed report (the previous one kept in
`report_amendment`) and goes back to the kajian awal. A report not completed by the completion
deadline is not registered, and the reporter is told, once (`close_incomplete`, by the sweep).
"""

from __future__ import annotations

from datetime import datetime

from adapters.db.cases import case_deadline_or_none, remove_parties, set_deadline, settle_deadline
from adapters.db.evidence import case_evidence, next_position
from adapters.evidence_store import StoredFile
from models.enums import ReportKind
from models.inputs import VerificationChoice
from models.letters.contexts import NoticeStatus
from models.letters.intake import status_notice
from models.outcomes import (
    NOT_COMPLETED,
    REPORT_COMPLETED,
    StageResult,
    amendment_mismatch,
    not_completed_reason,
)
from models.report.model import Report
from models.rules.admissibility import is_admissible
from models.rules.assessment import build_timeline, check_report
from models.rules.deadlines import RuleId, compute_deadline
from models.stages import Stage
from models.tables import (
    Case,
    CaseDeadline,
    DeadlineStatus,
    ReportAmendment,
)
from services.deps import Deps
from services.evidence import CheckedFile, check_files, evidence_row, evidence_writes
from services.intake import add_parties, validate_for_intake
from services.scope import CaseScope, open_case


class AmendmentRefused(ValueError):
    """The completed report is not the same report (another office, kind or election)."""


def _identity(case: Case | Report) -> tuple[str, str, str, int, str]:
    if isinstance(case, Case):
        return (
            case.office_key,
            case.kind,
            case.election_type,
            case.election_year,
            case.election_region,
        )
    e = case.election
    return (case.office, case.kind, e.type, e.year, e.region)


def complete_report(
    deps: Deps, case_ref: str, report: Report, *, actor: str, now: datetime
) -> StageResult:
    """Replace the case's report by its completed version and resume the kajian awal. The
    evidence files it names are checked and stored as at intake."""
    named = [(f"evidence[{i}].file", e.file) for i, e in enumerate(report.evidence) if e.file]
    files, problems = check_files(deps, named)
    validate_for_intake(report, deps.rulebook, problems)
    with evidence_writes(deps) as writer, open_case(deps, case_ref, now) as scope:
        if done := scope.settled({Stage.NEEDS_COMPLETION}, REPORT_COMPLETED):
            return done
        case = scope.case
        if why := amendment_mismatch(_identity(case), _identity(report)):
            raise AmendmentRefused(why)
        scope.session.add(
            ReportAmendment(
                case_id=scope.case_id,
                previous=case.report,
                submitted_at=report.received_at,
                actor=actor,
                at=now,
            )
        )
        # Judged as received on the original day: the reporter's window is not lost by
        # completing the report when asked to.
        completed = report.model_copy(update={"received_at": case.received_at})
        _carry(scope, completed)
        stored = {checked.field: (checked, writer.put(checked)) for checked in files}
        _add_new_evidence(scope, completed, stored, actor=actor)
        settle_deadline(scope.session, scope.case_id, RuleId.COMPLETION, scope.today)
        restart_kajian_awal(scope)
        return scope.move(
            REPORT_COMPLETED, actor=actor, reason="laporan dilengkapi; kajian awal diulang"
        )


def _carry(scope: CaseScope, report: Report) -> None:
    """The case's report, incident and parties from the completed report."""
    case, session, rulebook = scope.case, scope.session, scope.deps.rulebook
    timeline = build_timeline(report, rulebook)
    incident = report.incident
    case.incident_summary, case.incident_place = incident.summary, incident.place
    case.occurred_on, case.known_on = incident.occurred_on, incident.known_on
    case.incident_account = incident.account
    case.references = dict(report.references)
    case.report = report.model_dump(mode="json")
    case.admissible = is_admissible(check_report(report, timeline))
    session.add(case)
    # Nobody has been invited or heard yet: the parties are the completed report's.
    remove_parties(session, scope.case_id)
    add_parties(session, scope.case_id, report, rulebook, case.received_on)


def _add_new_evidence(
    scope: CaseScope,
    report: Report,
    stored: dict[str, tuple[CheckedFile, StoredFile]],
    *,
    actor: str,
) -> None:
    """Evidence the completed report adds: a file not yet on the case, or a description
    without a file not yet listed. Nothing recorded is removed."""
    known = case_evidence(scope.session, scope.case_id)
    hashes = {e.sha256 for e in known if e.sha256}
    described = {e.description for e in known if not e.sha256}
    position = next_position(scope.session, scope.case_id)
    for index, item in enumerate(report.evidence):
        checked, put = stored.get(f"evidence[{index}].file", (None, None))
        if put is not None and put.sha256 in hashes:
            continue
        if put is None and item.description in described:
            continue
        row = evidence_row(
            scope.case_id, position, item.description, checked, put, actor=actor, now=scope.now
        )
        scope.session.add(row)
        position += 1
    scope.session.flush()


def restart_kajian_awal(scope: CaseScope) -> None:
    """The kajian awal counts again from the day the completed report came in."""
    row: CaseDeadline | None = case_deadline_or_none(
        scope.session, scope.case_id, RuleId.KAJIAN_AWAL
    )
    if row is None:
        return
    rule = scope.deps.rulebook.deadlines.rule(scope.case.election_type, RuleId.KAJIAN_AWAL)
    set_deadline(row, compute_deadline(rule, scope.today, scope.deps.rulebook.calendar))
    row.status = DeadlineStatus.OPEN
    scope.session.add(row)


def close_incomplete(scope: CaseScope, deadline: CaseDeadline, *, actor: str) -> bool:
    """The completion deadline passed: not registered, and the reporter told, once. False when
    the case is no longer waiting for completion."""
    if scope.case.stage is not Stage.NEEDS_COMPLETION:
        return False
    reason = not_completed_reason(deadline.due_on)
    if scope.case.kind is ReportKind.LAPORAN:
        notice = status_notice(
            scope.case, scope.parties.reporter, NoticeStatus.NOT_REGISTERED, text=reason
        )
        scope.desk.to_reporter(notice, VerificationChoice.NOT_REGISTER.value, issued_on=scope.today)
    scope.move(NOT_COMPLETED, actor=actor, reason=reason)
    return True
