"""Notification: send what the outbox holds for a case; once everything of an approved case has
gone, the case is referred and the PPK follow-up deadline starts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from adapters.db.cases import add_deadline, get_case, move_case
from adapters.db.engine import unit_of_work
from adapters.smtp import DeliveryReport, deliver_pending
from models.rules.calendar import local_date
from models.rules.deadlines import compute_deadline
from models.stages import Stage
from models.tables import OutboxMessage, OutboxStatus
from services.deps import Deps


@dataclass(frozen=True)
class NotificationResult:
    stage: Stage
    delivery: DeliveryReport
    waiting: int  # messages of the case not yet accepted by the server


def case_id_of(deps: Deps, case_ref: str) -> int:
    with Session(deps.engine) as session:
        case_id = get_case(session, case_ref).id
        assert case_id is not None
        return case_id


async def deliver_case_mail(deps: Deps, case_ref: str) -> DeliveryReport:
    return await deliver_pending(deps.engine, deps.settings, case_id=case_id_of(deps, case_ref))


def retry_undelivered(deps: Deps, case_ref: str) -> int:
    """A person fixed what made the server refuse (an address, a server setting): the case's
    refused messages go back to the queue. Returns how many."""
    with unit_of_work(deps.engine) as session:
        case_id = get_case(session, case_ref).id
        rows = session.exec(
            select(OutboxMessage).where(
                OutboxMessage.case_id == case_id, OutboxMessage.status == OutboxStatus.FAILED
            )
        ).all()
        for row in rows:
            row.status, row.next_attempt_at = OutboxStatus.PENDING, None
            session.add(row)
        return len(rows)


def unsent_count(session: Session, case_id: int) -> int:
    rows = session.exec(
        select(OutboxMessage).where(
            OutboxMessage.case_id == case_id,
            col(OutboxMessage.status).in_(
                [OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.FAILED]
            ),
        )
    ).all()
    return len(rows)


def mark_referred(deps: Deps, case_ref: str, *, actor: str, now: datetime) -> tuple[Stage, int]:
    """Move an approved case whose letters have all gone to NOTIFIED; else leave it waiting."""
    with unit_of_work(deps.engine) as session:
        case = get_case(session, case_ref)
        assert case.id is not None
        waiting = unsent_count(session, case.id)
        if case.stage is not Stage.APPROVED or waiting:
            return case.stage, waiting
        office = deps.rulebook.offices[case.office_key]
        today = local_date(now, office.timezone)
        rule = deps.rulebook.deadlines.rule(case.election_type, "ppk_followup")
        add_deadline(session, case.id, compute_deadline(rule, today, deps.rulebook.calendar))
        move_case(
            session,
            case,
            Stage.NOTIFIED,
            event="CaseReferred",
            actor=actor,
            reason="semua surat terkirim; menunggu tindak lanjut PPK",
            now=now,
        )
        return Stage.NOTIFIED, 0


async def notify_parties(
    deps: Deps, case_ref: str, *, actor: str, now: datetime
) -> NotificationResult:
    delivery = await deliver_case_mail(deps, case_ref)
    stage, waiting = mark_referred(deps, case_ref, actor=actor, now=now)
    return NotificationResult(stage, delivery, waiting)
