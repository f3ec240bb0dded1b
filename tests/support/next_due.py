"""The invariant `cases.next_due` keeps: for every case, the due date and rule of its earliest
open deadline (ties: the first recorded), or None, computed here in Python from the deadline
table, independently of the SQL that keeps the column."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.tables import Case, CaseDeadline, DeadlineStatus

NextDue = tuple[date | None, str | None]


def expected_next_due(engine: Engine) -> dict[int, NextDue]:
    with Session(engine) as session:
        cases = session.exec(select(Case.id)).all()
        deadlines = session.exec(select(CaseDeadline).order_by(col(CaseDeadline.id))).all()
    first: dict[int, CaseDeadline] = {}
    for row in deadlines:
        if row.status is not DeadlineStatus.OPEN:
            continue
        seen = first.get(row.case_id)
        if seen is None or row.due_on < seen.due_on:
            first[row.case_id] = row
    return {
        case_id: (first[case_id].due_on, first[case_id].rule) if case_id in first else (None, None)
        for case_id in cases
        if case_id is not None
    }


def stored_next_due(engine: Engine) -> dict[int, NextDue]:
    with Session(engine) as session:
        rows = session.exec(select(col(Case.id), col(Case.next_due), col(Case.next_due_rule))).all()
    return {case_id: (due, rule) for case_id, due, rule in rows if case_id is not None}


def stale_next_due(engine: Engine) -> dict[int, tuple[NextDue | None, NextDue]]:
    """The cases whose column differs from their deadlines: {id: (stored, expected)}."""
    stored, expected = stored_next_due(engine), expected_next_due(engine)
    return {k: (stored.get(k), v) for k, v in expected.items() if stored.get(k) != v}
