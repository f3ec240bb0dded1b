"""The public site's tables and reads: counted requests (throttling), lookup codes, the public
events of one case and an office's kajian awal results. Nothing here reads a party."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from models.tables import Case, PublicReceipt, StageEvent, ThrottleHit


def count_hits(session: Session, scope: str, key: str, *, since: datetime) -> int:
    query = select(func.count()).select_from(ThrottleHit)
    return session.exec(
        query.where(
            ThrottleHit.scope == scope, ThrottleHit.key == key, col(ThrottleHit.at) >= since
        )
    ).one()


def add_hit(
    session: Session, scope: str, key: str, *, at: datetime, forget_before: datetime
) -> None:
    """Count one request; the scope's rows older than `forget_before` go."""
    session.execute(
        delete(ThrottleHit).where(
            col(ThrottleHit.scope) == scope, col(ThrottleHit.at) < forget_before
        )
    )
    session.add(ThrottleHit(scope=scope, key=key[:100], at=at))


def receipt_of(session: Session, case_id: int) -> PublicReceipt | None:
    return session.get(PublicReceipt, case_id)


def public_events(session: Session, case_id: int, events: Collection[str]) -> list[StageEvent]:
    return list(
        session.exec(
            select(StageEvent)
            .where(StageEvent.case_id == case_id, col(StageEvent.event).in_(list(events)))
            .order_by(col(StageEvent.at), col(StageEvent.id))
        ).all()
    )


def office_results(
    session: Session, office_key: str, events: Collection[str], *, offset: int, limit: int
) -> tuple[list[tuple[Case, StageEvent]], int]:
    """The office's cases with the event that ended their kajian awal (`events`), newest first,
    one page; and how many there are in all."""
    where: list[Any] = [Case.office_key == office_key, col(StageEvent.event).in_(list(events))]
    joined = select(Case, StageEvent).join(StageEvent, col(StageEvent.case_id) == col(Case.id))
    rows = session.exec(
        joined.where(*where)
        .order_by(col(StageEvent.at).desc(), col(StageEvent.id).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    total = session.exec(
        select(func.count())
        .select_from(StageEvent)
        .join(Case, col(StageEvent.case_id) == col(Case.id))
        .where(*where)
    ).one()
    return [(case, event) for case, event in rows], total
