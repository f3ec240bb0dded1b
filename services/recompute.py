"""Deadlines that follow the calendar: when a holiday decree changes (a cuti bersama moved, an
ad-hoc holiday) or a rule in config/deadlines.yaml is corrected, the open deadlines of open cases
are computed again from their own start dates. Without `apply` it only says what would move; with
it each moved deadline takes its new due date, unit, basis and calendar version, and the case's
history records the change with its reason. Closed deadlines (met, missed, extended) never move.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from adapters.db.cases import case_label, open_deadlines, record_event
from adapters.db.engine import unit_of_work
from models import labels
from models.indonesian import tanggal
from models.rules.deadlines import compute_deadline
from models.stages import TERMINAL, CaseEvent
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
    deps: Deps, *, apply: bool, actor: str, now: datetime
) -> list[DeadlineChange]:
    """The open deadlines whose due date the current calendar and rules move (and, with
    `apply`, move them, once: a second run finds nothing left to move)."""
    rulebook = deps.rulebook
    changes: list[DeadlineChange] = []
    with unit_of_work(deps.engine) as session:
        for row, case in open_deadlines(session, exclude=TERMINAL):
            try:
                rule = rulebook.deadlines.rule(case.election_type, row.rule)
            except KeyError:
                continue  # a rule no longer configured: left as it was recorded
            new = compute_deadline(rule, row.start_on, rulebook.calendar)
            if (new.due, new.unit) == (row.due_on, row.unit):
                continue
            why = _why(row.unit, new.unit, row.calendar_version, new.calendar_version)
            assert case.id is not None
            change = DeadlineChange(case.id, case_label(case), row.rule, row.due_on, new.due, why)
            changes.append(change)
            if not apply:
                continue
            row.due_on, row.unit, row.basis = new.due, new.unit, new.basis
            row.calendar_version, row.confirmed = new.calendar_version, new.confirmed
            session.add(row)
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


def _why(old_unit: str, new_unit: str, old_version: str, new_version: str) -> str:
    if old_unit != new_unit:
        return "satuan hari pada aturan diubah"
    if old_version != new_version:
        return "kalender hari libur berubah"
    return "aturan tenggat diubah"
