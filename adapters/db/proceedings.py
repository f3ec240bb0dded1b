"""Reading a case's hearings and its decision. The caller owns the transaction."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.stages import CaseEvent
from models.tables import CaseDecision, Hearing, StageEvent


def hearing_for(session: Session, case_id: int, party_id: int | None) -> Hearing:
    return session.exec(
        select(Hearing).where(Hearing.case_id == case_id, Hearing.party_id == party_id)
    ).one()


def case_hearings(session: Session, case_id: int) -> list[Hearing]:
    query = select(Hearing).where(Hearing.case_id == case_id).order_by(col(Hearing.id))
    return list(session.exec(query).all())


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
