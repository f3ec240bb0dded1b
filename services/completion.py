"""Completing an incomplete report (DOMAIN.md §2.2): the reporter sends the report again with
what the kajian awal asked for; the case carries the completed report (the previous one kept in
`report_amendment`) and goes back to the kajian awal. A report not completed by the completion
deadline is not registered, and the reporter is told, once (`close_incomplete`, by the sweep).
"""

from __future__ import annotations

from datetime import datetime

from adapters.db.cases import case_deadline_or_none, remove_parties, set_deadline, settle_deadline
from adapters.db.evidence import case_evidence, next_position
from models.access import Action, Actor
from models.inputs import VerificationChoice
from models.letters.contexts import NoticeStatus
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
    CaseDeadline,
    DeadlineStatus,
    ReportAmendment,
)
from services.deps import Deps
from services.evidence import (
    Stored,
    check_files,
    evidence_row,
    evidence_writes,
    named_files,
    store_files,
)
from services.intake import add_parties, validate_for_intake
from services.scope import CaseScope, open_case, race_safe


class AmendmentRefused(ValueError):
    """The completed report is not the same report (another office, kind or election)."""


def _identity(report: Report) -> tuple[str, ...]:
    """What makes a completed report the same report: its office, kind, election and reporter
    (the name compared without case or spacing)."""
    e = report.election
    reporter = " ".join((report.reporter.name or "").casefold().split())
    return (report.office, report.kind, e.type, str(e.year), e.region, reporter)


@race_safe
def complete_report(
    deps: Deps, case_ref: str, report: Report, *, actor: Actor, now: datetime
) -> StageResult:
    """Replace the case's report by its completed version and resume the kajian awal. The
    evidence files it names are checked and stored as at intake."""
    with open_case(
        deps, case_ref, now, actor, Action.RECORD
    ) as scope:  # done before, or not the same report?
        if done := scope.settled({Stage.NEEDS_COMPLETION}, REPORT_COMPLETED):
            return done
        original = Report.model_validate(scope.case.report)
        if why := amendment_mismatch(_identity(original), _identity(report)):
            raise AmendmentRefused(why)
        received_at = scope.case.received_at
    # Judged as received on the original day: the reporter's window is not lost by completing
    # the report when asked to, and its dates are checked against that day.
    completed = report.model_copy(update={"received_at": received_at})
    files, problems = check_files(deps, named_files(report))
    validate_for_intake(completed, deps.rulebook, problems)
    with (
        evidence_writes(deps) as writer,
        open_case(deps, case_ref, now, actor, Action.RECORD) as scope,
    ):
        if done := scope.settled({Stage.NEEDS_COMPLETION}, REPORT_COMPLETED):
            return done
        scope.session.add(
            ReportAmendment(
                case_id=scope.case_id,
                previous=scope.case.report,
                submitted_at=report.received_at,
                actor=actor.label,
                at=now,
            )
        )
        _carry(scope, completed)
        _add_new_evidence(scope, completed, store_files(writer, files), actor=actor)
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
    stored: dict[str, Stored],
    *,
    actor: Actor,
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
        hashes.add(row.sha256 or "")
        described.add(item.description)
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


def close_incomplete(scope: CaseScope, deadline: CaseDeadline, *, actor: Actor) -> bool:
    """The completion deadline passed: not registered, and the reporter told, once. False when
    the case is no longer waiting for completion."""
    if scope.case.stage is not Stage.NEEDS_COMPLETION:
        return False
    reason = not_completed_reason(deadline.due_on)
    scope.tell_reporter(NoticeStatus.NOT_REGISTERED, VerificationChoice.NOT_REGISTER.value, reason)
    scope.move(NOT_COMPLETED, actor=actor, reason=reason)
    return True
