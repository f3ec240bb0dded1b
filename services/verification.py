"""Kajian awal: the investigator's decision on a received report.

Registering issues the Bawaslu case number and the kajian awal record; the reporter is told the
outcome. Everything of one decision happens in one transaction; a re-run changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from adapters.db.cases import add_deadline, settle_deadline
from adapters.db.evidence import case_evidence
from adapters.db.letters import next_serial
from models.enums import ReportKind
from models.inputs import VerificationDecision
from models.letters.common import archive_addressee
from models.letters.intake import preliminary_review, status_notice
from models.outcomes import (
    VERIFICATION,
    VERIFICATION_NOTICE,
    StageResult,
    notice_text,
    reason_missing,
    registration_needs_reason,
)
from models.report.model import Report
from models.rules.assessment import build_timeline, check_report
from models.rules.deadlines import RuleId
from models.rules.numbering import case_number, case_series
from models.stages import Stage
from services.deps import Deps
from services.scope import CaseScope, open_case


class DecisionIncomplete(ValueError):
    pass


def verify_case(
    deps: Deps, case_ref: str, decision: VerificationDecision, *, actor: str, now: datetime
) -> StageResult:
    """Apply the kajian awal decision to a received report."""
    if missing := reason_missing(decision):
        raise DecisionIncomplete(missing)
    transition = VERIFICATION[decision.decision]
    with open_case(deps, case_ref, now) as scope:
        if done := scope.settled({Stage.RECEIVED}, transition):
            return done
        case, today = scope.case, scope.today
        report = Report.model_validate(case.report)
        timeline = build_timeline(report, deps.rulebook, registered_on=today)
        checks = check_report(report, timeline)
        if missing := registration_needs_reason(decision, checks):
            raise DecisionIncomplete(missing)
        if transition.target is Stage.REGISTERED:
            _register(scope)
            add_deadline(scope.session, scope.case_id, timeline.decision)
        settle_deadline(scope.session, scope.case_id, RuleId.KAJIAN_AWAL, today)
        outcome = transition.target.label
        review = preliminary_review(
            case,
            scope.parties.reporter,
            scope.parties.reported,
            checks,
            reason=decision.reason,
            outcome_label=outcome,
            evidence=case_evidence(scope.session, scope.case_id),
        )
        scope.desk.issue(review, archive_addressee(scope.office, "arsip"), issued_on=today)
        if case.kind is ReportKind.LAPORAN:
            status = VERIFICATION_NOTICE[decision.decision]
            notice = status_notice(case, scope.parties.reporter, status, text=notice_text(decision))
            scope.desk.to_reporter(notice, decision.decision.value, issued_on=today)
        return scope.move(transition, actor=actor, reason=decision.reason or outcome)


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
