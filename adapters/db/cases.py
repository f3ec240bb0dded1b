"""Reading cases and moving them. The caller owns the transaction (`unit_of_work`)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from adapters.db.audit import append_audit
from models.access import Actor
from models.stages import CaseEvent, Stage, check_move
from models.tables import (
    Case,
    CaseDeadline,
    DeadlineStatus,
    Party,
    PartyRole,
    StageEvent,
)

if TYPE_CHECKING:  # the deadline rules import the holiday calendar: not for reading a case
    from models.outcomes import Transition
    from models.rules.deadlines import Deadline


class CaseNotFound(LookupError):
    def __init__(self, ref: str) -> None:
        super().__init__(f"perkara '{ref}' tidak ditemukan")


class ConcurrentChange(RuntimeError):
    """Another process moved the case first; the caller should re-read and decide again."""

    def __init__(self, case_id: int) -> None:
        super().__init__(f"perkara #{case_id} baru saja diubah oleh proses lain; ulangi perintah")


def move_case(
    session: Session,
    case: Case,
    transition: Transition,
    *,
    actor: Actor,
    reason: str,
    now: datetime,
) -> Case:
    """Move `case` with a compare-and-set on its version and an event row."""
    target, event = transition.target, transition.event
    check_move(case.stage, target)
    assert case.id is not None
    source = case.stage  # the ORM update below synchronises `case` in the session
    result = session.execute(
        update(Case)
        .where(col(Case.id) == case.id, col(Case.version) == case.version)
        .values(stage=target, version=case.version + 1, updated_at=now)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConcurrentChange(case.id)
    session.add(
        StageEvent(
            case_id=case.id,
            event=event,
            from_stage=source,
            to_stage=target,
            at=now,
            actor=actor.label,
            actor_id=actor.user_id,
            reason=reason,
        )
    )
    _audit_event(session, case.id, event, f"{source} → {target}", actor, reason, now)
    session.flush()
    session.refresh(case)
    return case


def record_event(
    session: Session, case: Case, event: CaseEvent, *, actor: Actor, reason: str, now: datetime
) -> None:
    """A fact on the case that does not move it (a missed deadline, an escalation); or, for a
    case just recorded, the first line of its history (from no stage to its first)."""
    assert case.id is not None
    source = None if event is CaseEvent.RECEIVED else case.stage
    session.add(
        StageEvent(
            case_id=case.id,
            event=event,
            from_stage=source,
            to_stage=case.stage,
            at=now,
            actor=actor.label,
            actor_id=actor.user_id,
            reason=reason,
        )
    )
    _audit_event(session, case.id, event, f"{source or '-'} → {case.stage}", actor, reason, now)


def _audit_event(
    session: Session,
    case_id: int,
    event: CaseEvent,
    move: str,
    actor: Actor,
    reason: str,
    now: datetime,
) -> None:
    """The event's row in the audit trail, in the same transaction."""
    detail = f"{move}; {reason}" if reason else move
    append_audit(
        session,
        actor_id=actor.user_id,
        actor=actor.label,
        action=event,
        case_id=case_id,
        detail=detail,
        now=now,
    )


@dataclass(frozen=True)
class CaseParties:
    reporter: Party
    reported: list[Party]
    witnesses: list[Party]

    @property
    def heard(self) -> list[Party]:
        """Who is invited to clarification: the reported persons, then the witnesses."""
        return [*self.reported, *self.witnesses]

    @property
    def everyone(self) -> list[Party]:
        """Everyone the report names: those heard, then the reporter."""
        return [*self.heard, self.reporter]


def load_case(session: Session, ref: str) -> tuple[Case, CaseParties]:
    case = get_case(session, ref)
    assert case.id is not None
    parties = case_parties(session, case.id)
    return case, CaseParties(
        reporter=next(p for p in parties if p.role is PartyRole.REPORTER),
        reported=[p for p in parties if p.role is PartyRole.REPORTED],
        witnesses=[p for p in parties if p.role is PartyRole.WITNESS],
    )


def case_label(case: Case) -> str:
    """`001/LP/PW/Kab/64.09/X/2024` once registered, else `laporan #7` / `temuan #7`."""
    return case.case_number or f"{case.kind.value} #{case.id}"


def find_by_fingerprint(session: Session, fingerprint: str) -> Case | None:
    return session.exec(select(Case).where(Case.source_hash == fingerprint)).first()


def deadline_row(case_id: int, deadline: Deadline) -> CaseDeadline:
    return CaseDeadline(case_id=case_id, rule=deadline.rule, **_computed(deadline))


def set_deadline(row: CaseDeadline, deadline: Deadline) -> CaseDeadline:
    """`row` computed again as `deadline` says (its rule and case stay)."""
    for name, value in _computed(deadline).items():
        setattr(row, name, value)
    return row


def _computed(deadline: Deadline) -> dict[str, Any]:
    """The columns of a deadline row that its computation decides."""
    return {
        "basis": deadline.basis,
        "unit": deadline.unit,
        "start_event": deadline.start_event,
        "start_on": deadline.start,
        "due_on": deadline.due,
        "calendar_version": deadline.calendar_version,
        "confirmed": deadline.confirmed,
    }


def get_case(session: Session, ref: str) -> Case:
    """Find a case by its id (`12` or `#12`) or its Bawaslu case number."""
    key = ref.strip().lstrip("#")
    case = (
        session.get(Case, int(key))
        if key.isdigit()
        else session.exec(select(Case).where(Case.case_number == key)).first()
    )
    if case is None:
        raise CaseNotFound(ref)
    return case


def case_parties(session: Session, case_id: int) -> list[Party]:
    return list(
        session.exec(
            select(Party)
            .where(Party.case_id == case_id)
            .order_by(col(Party.role), col(Party.position))
        ).all()
    )


def remove_parties(session: Session, case_id: int) -> None:
    """Delete the case's parties (a completed report replaces them before anyone was heard)."""
    for party in case_parties(session, case_id):
        session.delete(party)
    session.flush()


def case_deadlines(session: Session, case_id: int) -> list[CaseDeadline]:
    return list(
        session.exec(
            select(CaseDeadline)
            .where(CaseDeadline.case_id == case_id)
            .order_by(col(CaseDeadline.due_on))
        ).all()
    )


def case_events(session: Session, case_id: int) -> list[StageEvent]:
    return list(
        session.exec(
            select(StageEvent).where(StageEvent.case_id == case_id).order_by(col(StageEvent.id))
        ).all()
    )


def case_deadline(session: Session, case_id: int, rule: str) -> CaseDeadline:
    row = case_deadline_or_none(session, case_id, rule)
    if row is None:
        raise LookupError(f"perkara #{case_id} tidak mempunyai tenggat {rule}")
    return row


def open_deadlines(
    session: Session, *, exclude: Collection[Stage], until: date | None = None
) -> list[tuple[CaseDeadline, Case]]:
    """Every open deadline of the cases not at a stage in `exclude`, soonest first; with
    `until`, only those due on or before it, found through the partial index on
    `cases.next_due` (a case's earliest open deadline) instead of every open deadline."""
    query = (
        select(CaseDeadline, Case)
        .where(
            CaseDeadline.case_id == Case.id,
            CaseDeadline.status == DeadlineStatus.OPEN,
            col(Case.stage).not_in(exclude),
        )
        .order_by(col(CaseDeadline.due_on))
    )
    if until is not None:
        query = query.where(col(Case.next_due) <= until, col(CaseDeadline.due_on) <= until)
    return [(deadline, case) for deadline, case in session.exec(query).all()]


def case_event_names(session: Session, case_id: int) -> set[str]:
    """The kinds of event the case's history holds."""
    query = select(StageEvent.event).where(StageEvent.case_id == case_id).distinct()
    return set(session.exec(query).all())


def settle_deadline(session: Session, case_id: int, rule: str, on: date) -> None:
    """Mark an open deadline met (the step happened on or before its due date) or missed."""
    row = session.exec(
        select(CaseDeadline).where(CaseDeadline.case_id == case_id, CaseDeadline.rule == rule)
    ).first()
    if row is not None and row.status is DeadlineStatus.OPEN:
        row.status = DeadlineStatus.MET if on <= row.due_on else DeadlineStatus.MISSED
        session.add(row)


def add_deadline(session: Session, case_id: int, deadline: Deadline) -> None:
    """Record a deadline once (a re-run finds it already there)."""
    exists = session.exec(
        select(CaseDeadline).where(
            CaseDeadline.case_id == case_id, CaseDeadline.rule == deadline.rule
        )
    ).first()
    if exists is None:
        session.add(deadline_row(case_id, deadline))


def event_time(session: Session, case_id: int, event: CaseEvent) -> datetime | None:
    """When the case first recorded `event` (e.g. its registration), if it did."""
    query = select(StageEvent.at).where(StageEvent.case_id == case_id, StageEvent.event == event)
    return session.exec(query.order_by(col(StageEvent.id))).first()


def case_deadline_or_none(session: Session, case_id: int, rule: str) -> CaseDeadline | None:
    query = select(CaseDeadline).where(CaseDeadline.case_id == case_id, CaseDeadline.rule == rule)
    return session.exec(query).first()
