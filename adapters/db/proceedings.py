"""Reading a case's hearings and its decision. The caller owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.stages import CaseEvent, Stage
from models.tables import Case, CaseDecision, Hearing, Party, StageEvent


def hearing_for(session: Session, case_id: int, party_id: int | None) -> Hearing:
    return session.exec(
        select(Hearing).where(Hearing.case_id == case_id, Hearing.party_id == party_id)
    ).one()


def case_hearings(session: Session, case_id: int) -> list[Hearing]:
    query = select(Hearing).where(Hearing.case_id == case_id).order_by(col(Hearing.id))
    return list(session.exec(query).all())


def invited(session: Session, case_id: int, parties: Sequence[Party]) -> list[Party]:
    """The `parties` invited to the case's clarification (a hearing row each), in order."""
    ids = {h.party_id for h in case_hearings(session, case_id)}
    return [p for p in parties if p.id in ids]


def case_statements(
    session: Session, case_id: int, *, reporter_id: int | None
) -> tuple[list[str], list[str]]:
    """What the persons heard said, in the order they were heard: the others', then the
    reporter's (which never leaves Bawaslu)."""
    said = [h for h in case_hearings(session, case_id) if h.statement]
    others = [h.statement for h in said if h.party_id != reporter_id and h.statement]
    own = [h.statement for h in said if h.party_id == reporter_id and h.statement]
    return others, own


def awaiting_since(session: Session) -> list[tuple[int, datetime]]:
    """The cases awaiting approval, with the time their recommendation was drafted."""
    query = (
        select(Case.id, CaseDecision.decided_at)
        .where(CaseDecision.case_id == Case.id, Case.stage == Stage.AWAITING_APPROVAL)
        .order_by(col(Case.id))
    )
    return [(case_id or 0, decided_at) for case_id, decided_at in session.exec(query).all()]


def find_decision(session: Session, case_id: int) -> CaseDecision | None:
    return session.exec(select(CaseDecision).where(CaseDecision.case_id == case_id)).first()


def decision_of(session: Session, case_id: int) -> CaseDecision:
    return session.exec(select(CaseDecision).where(CaseDecision.case_id == case_id)).one()


def times_returned(session: Session, case_id: int) -> int:
    """How often the supervisor sent the recommendation back (each redraft is a revision)."""
    query = select(func.count()).where(
        col(StageEvent.case_id) == case_id,
        col(StageEvent.event) == CaseEvent.RECOMMENDATION_RETURNED,
    )
    return int(session.exec(query).one())
