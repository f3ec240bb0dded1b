"""Deadlines that follow the calendar: when a holiday decree changes (a cuti bersama moved, an
ad-hoc holiday) or a rule in config/deadlines.yaml is corrected, the open deadlines of open cases
are computed again from their own start dates. Without `apply` it only says what would move; with
it each moved deadline takes its new due date, unit, basis and calendar version, and the case's
history records the change with its reason. Closed deadlines (met, missed, extended) never move.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from adapters.db.cases import (
    case_deadline_or_none,
    case_label,
    event_time,
    open_deadlines,
    record_event,
    set_deadline,
)
from adapters.db.engine import unit_of_work
from models import labels
from models.access import Action, Actor, require_everywhere
from models.indonesian import tanggal
from models.rules.calendar import local_date
from models.rules.deadlines import Deadline, RuleId, compute_deadline
from models.stages import TERMINAL, CaseEvent
from models.tables import Case, CaseDeadline
from services.deps import Deps


@dataclass(frozen=True)
class DeadlineChange:
    case_id: int
    case_label: str
    rule: str
    old_due: date
    new_due: date
    reason: str  # in Indonesian: what changed (the calendar, the rule)


def recompute_deadlines(
    deps: Deps, *, apply: bool, actor: Actor, now: datetime
) -> list[DeadlineChange]:
    """The open deadlines whose due date the current calendar and rules move (and, with
    `apply`, move them, once: a second run finds nothing left to move)."""
    require_everywhere(actor, Action.RECOMPUTE)
    rulebook = deps.rulebook
    changes: list[DeadlineChange] = []
    with unit_of_work(deps.engine) as session:
        for row, case in open_deadlines(session, exclude=TERMINAL):
            try:
                rule = rulebook.deadlines.rule(case.election_type, row.rule)
            except KeyError:
                continue  # a rule no longer configured: left as it was recorded
            start = row.start_on
            if rule.start_event != row.start_event:  # the rule now counts from another event
                start = _anchor(session, case, rule.start_event, _zone(deps, case)) or start
            new = compute_deadline(rule, start, rulebook.calendar)
            if (new.due, new.unit) == (row.due_on, row.unit):
                continue
            why = _why(row, new)
            assert case.id is not None
            change = DeadlineChange(case.id, case_label(case), row.rule, row.due_on, new.due, why)
            changes.append(change)
            if not apply:
                continue
            session.add(set_deadline(row, new))
            record_event(
                session,
                case,
                CaseEvent.DEADLINE_RECOMPUTED,
                actor=actor,
                reason=f"{labels.label(labels.RULES, row.rule)}: {tanggal(change.old_due)} → "
                f"{tanggal(change.new_due)} ({why})",
                now=now,
            )
    return changes


def _why(row: CaseDeadline, new: Deadline) -> str:
    if row.start_event != new.start_event:
        return "titik mulai penghitungan pada aturan diubah"
    if row.unit != new.unit:
        return "satuan hari pada aturan diubah"
    if row.calendar_version != new.calendar_version:
        return "kalender hari libur berubah"
    return "aturan tenggat diubah"


# The case events that start a deadline, by the start event a rule names.
_STARTED_BY = {
    "registered": CaseEvent.REGISTERED,
    "referred": CaseEvent.REFERRED,
    "ppk_reminded": CaseEvent.PPK_REMINDED,
}


def _zone(deps: Deps, case: Case) -> str:
    return deps.rulebook.offices[case.office_key].timezone


def _anchor(session: Session, case: Case, start_event: str, zone: str) -> date | None:
    """The case's own date for `start_event`, when the case has it on record."""
    assert case.id is not None
    if start_event == "received_at":
        return case.received_on
    if start_event == "known_on":
        return case.known_on or case.occurred_on
    if start_event == "decision_due":
        decision = case_deadline_or_none(session, case.id, RuleId.DECISION)
        return decision.due_on if decision else None
    if event := _STARTED_BY.get(start_event):
        at = event_time(session, case.id, event)
        return local_date(at, zone) if at else None
    return None
