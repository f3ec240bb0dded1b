"""The deadline sweep: reminders before a deadline, missed deadlines on record, and what a
missed PPK deadline sets off (`models.outcomes.ON_MISSED`: the PPK reminder, then the escalation
to BKN). Each effect happens once: a missed deadline changes status once; reminder emails have
one outbox key per (case, rule)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from adapters.db.cases import open_deadlines, record_event
from adapters.db.engine import unit_of_work
from adapters.db.locks import held_alone
from models import labels
from models.access import SYSTEM, Action, Actor, require_everywhere
from models.enums import DayUnit
from models.indonesian import tanggal
from models.outcomes import FollowUp, followup_for
from models.rules.deadlines import REPORTER_WINDOWS
from models.stages import TERMINAL, CaseEvent
from models.tables import CaseDeadline, DeadlineStatus
from services.completion import close_incomplete
from services.deps import Deps
from services.ppk import escalate_to_bkn, remind_ppk
from services.scope import CaseScope, scope_in

LATEST_UTC_OFFSET = timedelta(hours=14)  # the earliest time zone to reach a new day (Kiribati)

# The case events a sweep records (the PPK reminder moves the case; the others do not).
SWEEP_EVENTS = frozenset(
    {
        CaseEvent.DEADLINE_MISSED,
        CaseEvent.PPK_REMINDED,
        CaseEvent.ESCALATED_TO_BKN,
        CaseEvent.NOT_REGISTERED,
    }
)


@dataclass
class SweepReport:
    reminded: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    ppk_reminders: list[str] = field(default_factory=list)
    escalations: list[str] = field(default_factory=list)
    without_ppk: list[str] = field(default_factory=list)  # no PPK on record to remind
    not_completed: list[str] = field(default_factory=list)  # not completed: not registered
    skipped: bool = False  # another sweep was running: this one did nothing


def sweep_deadlines(deps: Deps, *, now: datetime, actor: Actor = SYSTEM) -> SweepReport:
    """One pass over every open deadline of every open case."""
    require_everywhere(actor, Action.SWEEP)
    report = SweepReport()
    with held_alone(deps.engine, "sweep") as alone:
        if not alone:  # one sweep at a time: the one running does this work
            report.skipped = True
            return report
        _sweep(deps, report, now=now, actor=actor)
    return report


def sweep_horizon(deps: Deps, now: datetime) -> date:
    """The last due date a sweep at `now` can act on in any office: reminders reach `lead`
    working days past the office's local today, and no office's today is later than the date
    at UTC+14. Deadlines due after it are not read."""
    latest_today = (now.astimezone(UTC) + LATEST_UTC_OFFSET).date()
    lead = deps.settings.reminder_lead_working_days
    return deps.rulebook.calendar.add(latest_today, lead, DayUnit.WORKING)


def _sweep(deps: Deps, report: SweepReport, *, now: datetime, actor: Actor) -> None:
    lead = deps.settings.reminder_lead_working_days
    until = sweep_horizon(deps, now)
    with unit_of_work(deps.engine) as session:
        scopes: dict[int, CaseScope] = {}  # one per case, however many deadlines it has
        for deadline, case in open_deadlines(session, exclude=TERMINAL, until=until):
            scope = scopes.get(deadline.case_id) or scope_in(session, deps, str(case.id), now)
            scopes[deadline.case_id] = scope
            label = f"{case.case_number or f'#{case.id}'}:{deadline.rule}"
            due_soon_until = deps.rulebook.calendar.add(scope.today, lead, DayUnit.WORKING)
            if scope.today > deadline.due_on:
                _miss(scope, deadline, actor, report, label)
            elif deadline.rule in REPORTER_WINDOWS:
                continue  # the reporter's period: nothing for the office to be reminded of
            elif deadline.due_on <= due_soon_until and _remind_office(scope, deadline):
                report.reminded.append(label)


def _miss(
    scope: CaseScope, deadline: CaseDeadline, actor: Actor, report: SweepReport, label: str
) -> None:
    deadline.status = DeadlineStatus.MISSED
    scope.session.add(deadline)
    rule = labels.label(labels.RULES, deadline.rule)
    reason = f"tenggat {rule} ({tanggal(deadline.due_on)}) terlewati"
    record_event(
        scope.session,
        scope.case,
        CaseEvent.DEADLINE_MISSED,
        actor=actor,
        reason=reason,
        now=scope.now,
    )
    report.missed.append(label)
    followup = followup_for(deadline.rule, scope.case.stage)
    if followup is FollowUp.REMIND_PPK:
        reminded = remind_ppk(scope, deadline, actor=actor)
        if reminded:
            report.ppk_reminders.append(label)
        # Whoever has no PPK on record got no reminder: the office is asked to find theirs
        # (everyone, when no one could be reminded; the case then stays referred).
        if _tell_office_no_ppk(scope):
            report.without_ppk.append(label)
    elif followup is FollowUp.ESCALATE_TO_BKN and escalate_to_bkn(scope):
        report.escalations.append(label)
    elif followup is FollowUp.CLOSE_INCOMPLETE and close_incomplete(scope, deadline, actor=actor):
        report.not_completed.append(label)


def _tell_office_no_ppk(scope: CaseScope) -> bool:
    """The PPK's follow-up deadline passed and some reported persons have no PPK on record:
    the office is asked, once, to find theirs. False when every one has a PPK."""
    case = scope.case
    unknown = [p.name for p in scope.parties.reported if not p.ppk_title]
    if not unknown:
        return False
    return scope.desk.notify_office(
        key=f"perkara-{case.id}/ppk-tidak-tercatat",
        subject=f"PPK tidak tercatat — {case.case_number or f'#{case.id}'}",
        template="ppk_unknown",
        values={"names": ", ".join(unknown)},
    )


def _remind_office(scope: CaseScope, deadline: CaseDeadline) -> bool:
    case = scope.case
    rule = labels.label(labels.RULES, deadline.rule)
    return scope.desk.notify_office(
        # Per due date: a deadline restarted (completion, delegation, recompute) is reminded again.
        key=f"perkara-{case.id}/pengingat-tenggat/{deadline.rule}/{deadline.due_on.isoformat()}",
        subject=f"Pengingat tenggat {rule} — {case.case_number or f'#{case.id}'}",
        template="deadline_reminder",
        values={
            "rule": rule,
            "due_text": tanggal(deadline.due_on),
            "days_left": (deadline.due_on - scope.today).days,
            "basis": deadline.basis,
        },
    )
