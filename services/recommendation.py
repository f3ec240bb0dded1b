"""Recommendation: the investigator's findings → the rulebook's recommendation per reported
person and the internal *kajian dugaan pelanggaran*. Nothing leaves Bawaslu before approval,
except that a dismissal or a Gakkumdu route is told to the reporter at once."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from adapters.db.cases import CaseParties, settle_deadline
from adapters.db.evidence import case_evidence
from adapters.db.letters import find_letter
from adapters.db.proceedings import case_statements, find_decision, times_returned
from models.access import Action, Actor
from models.enums import DecisionOutcome
from models.inputs import FindingsInput
from models.letters.common import archive_addressee, party_addressee, party_key
from models.letters.contexts import DecisionReview, NoticeStatus
from models.letters.decision import dismissal_notice, kajian
from models.letters.head import Recipient
from models.letters.intake import RESULT_TEXT
from models.outcomes import (
    RECOMMENDATION,
    StageResult,
    acts_missing,
    decision_outcome,
    tells_reporter_at_decision,
)
from models.report.model import Report
from models.rules.assessment import findings_warnings
from models.rules.catalogue import (
    PersonRecommendation,
    RecommendationRecord,
    act_problems,
    is_crime,
    recommend,
)
from models.rules.deadlines import RuleId
from models.rules.routing import route
from models.rules.rulebook import Rulebook
from models.stages import Stage
from models.tables import CaseDecision, Letter
from services.deps import Deps
from services.scope import CaseScope, open_case, race_safe


class FindingsIncomplete(ValueError):
    pass


@race_safe
def recommend_sanction(
    deps: Deps, case_ref: str, findings: FindingsInput, *, actor: Actor, now: datetime
) -> StageResult:
    """Decide the case on `findings`; a violation waits for a supervisor's approval."""
    if missing := acts_missing(findings):
        raise FindingsIncomplete(missing)
    rulebook = deps.rulebook
    with open_case(deps, case_ref, now, actor, Action.RECOMMEND) as scope:
        if done := scope.settled({Stage.UNDER_REVIEW}, *RECOMMENDATION.values()):
            return done
        case = scope.case
        act_date = findings.act_date or case.occurred_on
        if unknown := act_problems(findings.acts, act_date, rulebook.catalogue):
            raise FindingsIncomplete("; ".join(p.message for p in unknown))
        crime = findings.violation and is_crime(findings.acts, rulebook.catalogue, act_date)
        outcome = decision_outcome(findings, crime=crime)
        rows = recommendations_for(
            scope.parties, findings.acts, act_date, rulebook, today=scope.today, outcome=outcome
        )
        decision = _replace_decision(
            scope.session, scope.case_id, outcome, findings, act_date, actor, now
        )
        decision.set_rows(rows)
        for rule in (RuleId.DECISION, RuleId.DECISION_EXTENSION):  # whichever still runs
            settle_deadline(scope.session, scope.case_id, rule, scope.today)
        review = kajian_of(scope, decision)
        archive = archive_addressee(scope.office, _kajian_key(scope))
        scope.desk.issue(review, archive, issued_on=scope.today)
        if tells_reporter_at_decision(outcome):
            scope.tell_reporter(NoticeStatus.RESULT, "hasil", RESULT_TEXT[outcome])
        if outcome is DecisionOutcome.NO_VIOLATION:  # the reported person is told too
            for person in scope.parties.reported:
                scope.desk.issue_and_send(
                    dismissal_notice(case, person),
                    party_addressee(person),
                    Recipient.REPORTED,
                    issued_on=scope.today,
                )
        reason = ", ".join(findings.acts) or "tidak terbukti"
        report = Report.model_validate(case.report)
        warned = findings_warnings(
            findings.acts, act_date, findings.contest, report.election, rulebook
        )
        if warned and findings.violation:  # on record for the supervisor; never a refusal
            reason += "; peringatan: " + "; ".join(p.message for p in warned)
        return scope.move(RECOMMENDATION[outcome], actor=actor, reason=reason)


def recommendations_for(
    parties: CaseParties,
    acts: list[str],
    act_date: date,
    rulebook: Rulebook,
    *,
    today: date,
    outcome: DecisionOutcome,
) -> list[PersonRecommendation]:
    """The rulebook's recommendation for each reported person (none for a dismissal)."""
    if outcome is DecisionOutcome.NO_VIOLATION:
        return []
    rows = []
    for party in parties.reported:
        assert party.employment is not None
        authority = route(
            party.employment,
            referral_date=today,
            switch_date=rulebook.elections.referral_switch_date,
            crime=outcome is DecisionOutcome.CRIME,
        )
        rec = recommend(acts, party.employment, act_date, rulebook.catalogue)
        rows.append(
            PersonRecommendation(
                party=party_key(party),
                authority=authority,
                recommendation=RecommendationRecord.of(rec),
            )
        )
    return rows


def _replace_decision(
    session: Session,
    case_id: int,
    outcome: DecisionOutcome,
    findings: FindingsInput,
    act_date: date,
    actor: Actor,
    now: datetime,
) -> CaseDecision:
    previous = find_decision(session, case_id)
    if previous is not None:  # sent back by the supervisor: this decision replaces it
        session.delete(previous)
        session.flush()
    decision = CaseDecision(
        case_id=case_id,
        outcome=outcome,
        acts=findings.acts,
        act_date=act_date,
        reasoning=findings.reasoning,
        decided_by=actor.label,
        decided_at=now,
    )
    session.add(decision)
    return decision


def kajian_of(scope: CaseScope, decision: CaseDecision) -> DecisionReview:
    """The internal kajian of the case's decision, with what the persons heard said."""
    others, own = case_statements(
        scope.session, scope.case_id, reporter_id=scope.parties.reporter.id
    )
    return kajian(
        scope.case,
        scope.parties.reporter,
        scope.parties.reported,
        decision,
        scope.deps.rulebook.catalogue,
        statements=others,
        reporter_statements=own,
        evidence=case_evidence(scope.session, scope.case_id),
    )


def _kajian_key(scope: CaseScope) -> str:
    """The archive key of the current decision's kajian: one per revision (a returned
    recommendation is decided, and its kajian issued, again)."""
    return f"arsip-r{times_returned(scope.session, scope.case_id) + 1}"


def current_kajian(scope: CaseScope) -> Letter:
    """The kajian letter of the case's current decision, issued at recommendation."""
    letter = find_letter(scope.session, scope.case_id, DecisionReview.kind, _kajian_key(scope))
    assert letter is not None, "the recommendation issues the kajian before approval"
    return letter
