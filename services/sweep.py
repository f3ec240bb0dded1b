"""The deadline sweep: reminders before a deadline, missed deadlines on record, and the PPK
reminder and BKN escalation when the PPK's deadlines pass. Each effect happens once: a missed
deadline changes status once; reminder emails have one outbox key per (case, rule)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from adapters.db.engine import unit_of_work
from adapters.db.outbox import enqueue
from models.enums import DayUnit
from models.letters.indonesian import tanggal
from models.rules.calendar import local_date
from models.stages import TERMINAL, Stage
from models.tables import OutboxMessage
from models.tables.case import Case, CaseDeadline, DeadlineStatus, StageEvent
from services.deps import Deps
from services.desk import EMAIL_ENV
from services.ppk import escalate_to_bkn, remind_ppk

# The case events a sweep records (the PPK reminder moves the case; the others do not).
SWEEP_EVENTS = frozenset({"DeadlineMissed", "PpkReminded", "EscalatedToBkn"})


@dataclass
class SweepReport:
    reminded: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    ppk_reminders: list[str] = field(default_factory=list)
    escalations: list[str] = field(default_factory=list)


def sweep_deadlines(deps: Deps, *, now: datetime, actor: str = "sistem") -> SweepReport:
    """One pass over every open deadline of every open case."""
    report = SweepReport()
    with unit_of_work(deps.engine) as session:
        rows = session.exec(
            select(CaseDeadline, Case)
            .where(
                CaseDeadline.case_id == Case.id,
                CaseDeadline.status == DeadlineStatus.OPEN,
                col(Case.stage).not_in(TERMINAL),
            )
            .order_by(col(CaseDeadline.due_on))
        ).all()
        for deadline, case in rows:
            office = deps.rulebook.offices[case.office_key]
            today = local_date(now, office.timezone)
            label = f"{case.case_number or f'#{case.id}'}:{deadline.rule}"
            if today > deadline.due_on:
                _miss(session, deps, case, deadline, today, now, actor, report, label)
            elif _is_due_soon(deps, deadline.due_on, today) and _remind_office(
                session, deps, case, deadline, today, now
            ):
                report.reminded.append(label)
    return report


def _is_due_soon(deps: Deps, due: date, today: date) -> bool:
    lead = deps.settings.reminder_lead_working_days
    return today <= due <= deps.rulebook.calendar.add(today, lead, DayUnit.WORKING)


def _miss(
    session: Session,
    deps: Deps,
    case: Case,
    deadline: CaseDeadline,
    today: date,
    now: datetime,
    actor: str,
    report: SweepReport,
    label: str,
) -> None:
    deadline.status = DeadlineStatus.MISSED
    session.add(deadline)
    session.add(
        StageEvent(
            case_id=case.id or 0,
            event="DeadlineMissed",
            from_stage=case.stage,
            to_stage=case.stage,
            at=now,
            actor=actor,
            reason=f"tenggat {deadline.rule} ({deadline.due_on.isoformat()}) terlewati",
        )
    )
    report.missed.append(label)
    if deadline.rule == "ppk_followup" and case.stage is Stage.NOTIFIED:
        remind_ppk(session, deps, case, deadline, today, now, actor)
        report.ppk_reminders.append(label)
    elif (
        deadline.rule == "ppk_reminder_reply"
        and case.stage is Stage.PPK_OVERDUE
        and escalate_to_bkn(session, deps, case, today, now)
    ):
        report.escalations.append(label)


def _remind_office(
    session: Session, deps: Deps, case: Case, deadline: CaseDeadline, today: date, now: datetime
) -> bool:
    label = case.case_number or f"#{case.id}"
    return notify_office(
        session,
        deps,
        case,
        key=f"perkara-{case.id}/pengingat-tenggat/{deadline.rule}",
        subject=f"Pengingat tenggat {deadline.rule} — {label}",
        template="deadline_reminder",
        values={
            "rule": deadline.rule,
            "due_text": tanggal(deadline.due_on),
            "days_left": (deadline.due_on - today).days,
            "basis": deadline.basis,
        },
        now=now,
    )


def notify_office(
    session: Session,
    deps: Deps,
    case: Case,
    *,
    key: str,
    subject: str,
    template: str,
    values: dict[str, object],
    now: datetime,
) -> bool:
    """Queue one email to the office's own address (investigators and supervisor), once per key.

    Returns False when the office has no address or the key was queued before."""
    office = deps.rulebook.offices[case.office_key]
    if not office.email:
        return False
    if session.exec(select(OutboxMessage).where(OutboxMessage.key == key)).first():
        return False
    context = {
        "to_name": office.short_name,
        "case_label": case.case_number or f"#{case.id}",
        "stage": case.stage.label,
        **values,
    }
    enqueue(
        session,
        key=key,
        case_id=case.id or 0,
        recipient_role="kantor",
        to_address=str(office.email),
        to_name=office.short_name,
        subject=subject,
        body_text=EMAIL_ENV.get_template(f"{template}.txt.j2").render(context),
        body_html=EMAIL_ENV.get_template(f"{template}.html.j2").render(context),
        now=now,
    )
    return True
