"""Extension of the decision deadline when more information is needed: UU 7/2017 Pasal 454(8)
(Pemilu: up to 14 hari kerja from registration, replacing the 7 days) and UU 1/2015 jo. 10/2016
Pasal 134(6) (Pilkada: 2 more days after the decision deadline). The rule, its unit and its
basis are `decision_extension` in config/deadlines.yaml.

The old decision deadline is kept, marked superseded (`extended`); the new one carries its own
basis. Once per case, decided before the deadline passes; the case does not change stage.
"""

from __future__ import annotations

from datetime import datetime

from adapters.db.cases import (
    add_deadline,
    case_deadlines,
    case_events,
    event_time,
)
from models.access import Action, Actor
from models.indonesian import tanggal
from models.outcomes import (
    BEFORE_DECISION,
    StageOutcome,
    StageResult,
    extension_refusal,
    extension_start,
)
from models.rules.calendar import local_date
from models.rules.deadlines import RuleId, compute_deadline
from models.stages import CaseEvent
from models.tables import DeadlineStatus
from services.deps import Deps
from services.scope import CaseScope, open_case, race_safe


class ExtensionRefused(ValueError):
    """The decision deadline cannot be extended (already extended, passed, or not yet set)."""


@race_safe
def extend_decision(
    deps: Deps, case_ref: str, *, reason: str, actor: Actor, now: datetime
) -> StageResult:
    """Apply the election's extension rule to the case's decision deadline."""
    if not reason.strip():
        raise ExtensionRefused("alasan perpanjangan wajib diisi (keterangan apa yang diperlukan)")
    with open_case(deps, case_ref, now, actor, Action.EXTEND) as scope:
        case = scope.case
        if case.stage not in BEFORE_DECISION:
            return scope.result(StageOutcome.ELSEWHERE)
        rows = {d.rule: d for d in case_deadlines(scope.session, scope.case_id)}
        decision, extended = rows.get(RuleId.DECISION), rows.get(RuleId.DECISION_EXTENSION)
        if extended is not None and _asked_before(scope, reason):
            return scope.result(StageOutcome.ALREADY_DONE)  # the same request run again
        if why := extension_refusal(
            decision.status if decision else None,
            extended.due_on if extended else None,
            today=scope.today,
            due=decision.due_on if decision else None,
        ):
            raise ExtensionRefused(why)
        assert decision is not None
        rule = deps.rulebook.deadlines.rule(case.election_type, RuleId.DECISION_EXTENSION)
        registered = event_time(scope.session, scope.case_id, CaseEvent.REGISTERED)
        start = extension_start(
            rule.start_event,
            received_on=case.received_on,
            registered_on=local_date(registered, scope.office.timezone)
            if registered
            else case.received_on,
            decision_due=decision.due_on,
        )
        deadline = compute_deadline(rule, start, deps.rulebook.calendar)
        decision.status = DeadlineStatus.EXTENDED
        scope.session.add(decision)
        add_deadline(scope.session, scope.case_id, deadline)
        return scope.record(
            CaseEvent.DECISION_EXTENDED,
            actor=actor,
            reason=f"diperpanjang sampai {tanggal(deadline.due)}: {reason.strip()}",
        )


def _asked_before(scope: CaseScope, reason: str) -> bool:
    """The extension on record was granted for this same reason (a re-run, not a second
    extension)."""
    said = [
        e.reason
        for e in case_events(scope.session, scope.case_id)
        if e.event == CaseEvent.DECISION_EXTENDED
    ]
    return any(r.endswith(f": {reason.strip()}") for r in said)
