"""Each case's next due date, kept on the case row (`cases.next_due`, `cases.next_due_rule`):
the earliest open deadline, so that the register and `netra list` page through an index instead
of ranking every open deadline at every read.

It is kept by the session itself: after any flush that added, changed or deleted a deadline row,
`refresh_next_due` recomputes those cases in the same transaction. No service writes the column
and none can forget it; a write that bypasses the ORM (a Core `update(CaseDeadline)`) must call
`refresh_next_due` itself."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col

from models.tables.case import Case, CaseDeadline, DeadlineStatus


def _first_open(column: Any) -> Any:
    """`column` of the case's earliest open deadline (ties: the first recorded), as a
    correlated subquery on `cases`."""
    return (
        select(column)
        .where(
            col(CaseDeadline.case_id) == col(Case.id),
            col(CaseDeadline.status) == DeadlineStatus.OPEN,
        )
        .order_by(col(CaseDeadline.due_on), col(CaseDeadline.id))
        .limit(1)
        .scalar_subquery()
    )


def refresh_next_due(session: Session, case_ids: Collection[int]) -> None:
    """Recompute `next_due` and `next_due_rule` of `case_ids` from their deadline rows, in the
    session's transaction. The case rows are locked first (PostgreSQL), so that two
    transactions changing deadlines of one case compute in turn, each from the other's result."""
    ids = sorted(set(case_ids))
    if not ids:
        return
    connection = session.connection()
    locked = select(col(Case.id)).where(col(Case.id).in_(ids)).order_by(col(Case.id))
    connection.execute(locked.with_for_update())
    changed = connection.execute(
        update(Case)
        .where(col(Case.id).in_(ids))
        .values(
            next_due=_first_open(col(CaseDeadline.due_on)),
            next_due_rule=_first_open(col(CaseDeadline.rule)),
        )
        .returning(col(Case.id), col(Case.next_due), col(Case.next_due_rule))
    ).all()
    # Cases this session holds see the new values without another read (and without becoming
    # dirty: the database already has them).
    for case_id, next_due, rule in changed:
        case = session.identity_map.get(session.identity_key(Case, case_id))
        if case is not None:
            set_committed_value(case, "next_due", next_due)
            set_committed_value(case, "next_due_rule", rule)


def _touched_cases(session: Session) -> set[int]:
    touched: set[int] = set()
    for row in (*session.new, *session.dirty, *session.deleted):
        if isinstance(row, CaseDeadline) and row.case_id is not None:
            touched.add(row.case_id)
    return touched


@event.listens_for(Session, "after_flush")
def _keep_next_due(session: Session, _context: UOWTransaction) -> None:
    refresh_next_due(session, _touched_cases(session))
