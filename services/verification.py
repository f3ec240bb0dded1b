"""Kajian awal: the investigator's decision on a received report.

Registering issues the Bawaslu case number and the kajian awal record; the reporter is told the
outcome. Everything of one decision happens in one transaction; a re-run changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from adapters.db.cases import add_deadline, case_event_names, settle_deadline
from adapters.db.evidence import case_evidence
from adapters.db.letters import next_serial
from models.access import Action, Actor
from models.enums import ReportKind
from models.indonesian import tanggal
from models.inputs import VerificationChoice, VerificationDecision
from models.letters.common import archive_addressee
from models.letters.intake import completion_request, preliminary_review
from models.outcomes import (
    VERIFICATION,
    VERIFICATION_NOTICE,
    StageResult,
    Transition,
    completion_refusal,
    notice_text,
    reason_missing,
    registration_needs_reason,
)
from models.report.model import Report
from models.rules.admissibility import CheckResult
from models.rules.assessment import build_timeline, check_report
from models.rules.deadlines import RuleId, compute_deadline
from models.rules.numbering import case_number, case_series
from models.stages import CaseEvent, Stage
from services.deps import Deps
from services.handover import delegate, delegated_already, forward
from services.scope import CaseScope, open_case, race_safe


class DecisionIncomplete(ValueError):
    pass


@race_safe
def verify_case(
    deps: Deps, case_ref: str, decision: VerificationDecision, *, actor: Actor, now: datetime
) -> StageResult:
    """Apply the kajian awal decision to a received report."""
    if missing := reason_missing(decision):
        raise DecisionIncomplete(missing)
    transition = VERIFICATION[decision.decision]
    asking = decision.decision is VerificationChoice.COMPLETE
    # A report waiting for completion may still be decided (the reporter came in person).
    entering = {Stage.RECEIVED} if asking else {Stage.RECEIVED, Stage.NEEDS_COMPLETION}
    with open_case(deps, case_ref, now, actor, Action.VERIFY) as scope:
        if done := scope.settled(entering, transition):
            return done
        delegating = decision.decision is VerificationChoice.DELEGATE
        if delegating and (done := delegated_already(scope, decision)):
            return done
        case, today = scope.case, scope.today
        report = Report.model_validate(case.report)
        timeline = build_timeline(report, deps.rulebook, registered_on=today)
        checks = check_report(report, timeline)
        if asking:
            return _request_completion(scope, decision, checks, transition, actor=actor)
        if missing := registration_needs_reason(decision, checks):
            raise DecisionIncomplete(missing)
        if transition.target is Stage.REGISTERED:
            _register(scope)
            add_deadline(scope.session, scope.case_id, timeline.decision)
        settle_deadline(scope.session, scope.case_id, RuleId.KAJIAN_AWAL, today)
        outcome = _outcome_label(scope, decision, transition)
        review = preliminary_review(
            case,
            scope.parties.reporter,
            scope.parties.reported,
            checks,
            reason=decision.reason,
            outcome_label=outcome,
            evidence=case_evidence(scope.session, scope.case_id),
        )
        if delegating:
            return delegate(scope, decision, review, transition, actor=actor)
        scope.desk.issue(review, archive_addressee(scope.office, "arsip"), issued_on=today)
        settle_deadline(scope.session, scope.case_id, RuleId.COMPLETION, today)
        if decision.decision is VerificationChoice.FORWARD:
            forward(scope, decision)
        status = VERIFICATION_NOTICE[decision.decision]
        scope.tell_reporter(status, decision.decision.value, notice_text(decision))
        return scope.move(transition, actor=actor, reason=decision.reason or outcome)


def _outcome_label(scope: CaseScope, decision: VerificationDecision, transition: Transition) -> str:
    """What the kajian awal record says became of the report."""
    if decision.decision is VerificationChoice.DELEGATE:
        target = scope.deps.rulebook.offices.get(decision.target)
        return f"Dilimpahkan kepada {target.short_name if target else decision.forward_to}"
    if decision.decision is VerificationChoice.FORWARD:
        return f"Diteruskan kepada {decision.forward_to}"
    return transition.target.label


def _request_completion(
    scope: CaseScope,
    decision: VerificationDecision,
    checks: list[CheckResult],
    transition: Transition,
    *,
    actor: Actor,
) -> StageResult:
    """Ask the reporter to complete the report by the completion period's end; the kajian awal
    is done for now and starts again when the completed report comes in."""
    case, today, deps = scope.case, scope.today, scope.deps
    requested = CaseEvent.COMPLETION_REQUESTED in case_event_names(scope.session, scope.case_id)
    is_laporan = case.kind is ReportKind.LAPORAN
    if why := completion_refusal(is_laporan=is_laporan, requested_before=requested):
        raise DecisionIncomplete(why)
    rule = deps.rulebook.deadlines.rule(case.election_type, RuleId.COMPLETION)
    deadline = compute_deadline(rule, today, deps.rulebook.calendar)
    add_deadline(scope.session, scope.case_id, deadline)
    settle_deadline(scope.session, scope.case_id, RuleId.KAJIAN_AWAL, today)
    items = [i.strip() for i in decision.missing_items if i.strip()]
    review = preliminary_review(
        case,
        scope.parties.reporter,
        scope.parties.reported,
        checks,
        reason=decision.reason or "Laporan perlu dilengkapi: " + "; ".join(items) + ".",
        outcome_label=transition.target.label,
        evidence=case_evidence(scope.session, scope.case_id),
    )
    archive = archive_addressee(scope.office, "arsip-kelengkapan")
    scope.desk.issue(review, archive, issued_on=today)
    letter = completion_request(case, scope.parties.reporter, items, deadline)
    scope.desk.to_reporter(letter, "kelengkapan", issued_on=today)
    reason = f"kelengkapan diminta sampai {tanggal(deadline.due)}: {'; '.join(items)}"
    return scope.move(transition, actor=actor, reason=reason)


def _register(scope: CaseScope) -> None:
    """The Bawaslu case number, from the office's own sequence for the year and kind."""
    case, office, today = scope.case, scope.office, scope.today
    serial = next_serial(
        scope.session, office_key=office.key, year=today.year, series=case_series(case.kind)
    )
    case.case_number = case_number(
        serial, kind=case.kind, election=case.election_type, office=office, registered_on=today
    )
    scope.session.add(case)
    scope.session.flush()
