"""What the desk reads beyond one case: the register searched and filtered (and limited to the
offices a user may read), the open deadlines falling due, one letter or evidence row of a case.
Conditions are built here; `adapters.db.views.case_rows` runs them with each case's next
deadline."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from adapters.db.views import case_rows, count_cases
from models.stages import Stage
from models.tables import Evidence, Letter
from models.tables.case import Case, CaseDeadline, DeadlineStatus, Party

_DIGITS = re.compile(r"\D")
MAX_CASE_ID = 2**31 - 1  # the id column's largest value (PostgreSQL INTEGER)


@dataclass(frozen=True)
class CaseSearch:
    """The register's search form. `text` is matched against the case number (or `#id`), a
    party's name and a party's NIP; every other field narrows further."""

    text: str = ""
    stage: Stage | None = None
    office: str | None = None
    received_from: date | None = None
    received_to: date | None = None
    open_only: bool = False


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def search_conditions(search: CaseSearch, offices: Collection[str] | None) -> list[Any]:
    """The search as conditions on `Case`; `offices` None: every office."""
    conditions: list[Any] = []
    if offices is not None:
        conditions.append(col(Case.office_key).in_(sorted(offices)))
    if search.office:
        conditions.append(Case.office_key == search.office)
    if search.received_from:
        conditions.append(col(Case.received_on) >= search.received_from)
    if search.received_to:
        conditions.append(col(Case.received_on) <= search.received_to)
    text = search.text.strip()
    if text:
        pattern = _like(text)
        matches: list[Any] = [func.lower(col(Case.case_number)).like(pattern, escape="\\")]
        number = text.lstrip("#")
        if number.isdigit() and int(number) <= MAX_CASE_ID:  # an 18-digit NIP is no case id
            matches.append(col(Case.id) == int(number))
        parties = select(Party.case_id).where(
            func.lower(col(Party.name)).like(pattern, escape="\\")
        )
        digits = _DIGITS.sub("", text)
        if len(digits) >= 4:  # a NIP, or part of one, however it was spaced
            nip = func.replace(col(Party.nip), " ", "")
            parties = select(Party.case_id).where(
                or_(
                    func.lower(col(Party.name)).like(pattern, escape="\\"),
                    nip.like(f"%{digits}%"),
                )
            )
        matches.append(col(Case.id).in_(parties))
        conditions.append(or_(*matches))
    return conditions


def search_rows(
    engine: Engine,
    search: CaseSearch,
    offices: Collection[str] | None,
    *,
    limit: int,
    offset: int,
) -> tuple[list[tuple[Case, CaseDeadline | None]], int]:
    """One page of the register (newest first) and how many cases match in all."""
    where = search_conditions(search, offices)
    rows = case_rows(
        engine,
        stage=search.stage,
        open_only=search.open_only,
        limit=limit,
        offset=offset,
        where=where,
        newest_first=True,
    )
    total = count_cases(engine, stage=search.stage, open_only=search.open_only, where=where)
    return rows, total


def cases_at_stage(
    engine: Engine, stage: Stage, offices: Collection[str] | None, *, limit: int = 200
) -> list[tuple[Case, CaseDeadline | None]]:
    """The cases of `offices` (None: every office) at `stage`, oldest first."""
    where = [] if offices is None else [col(Case.office_key).in_(sorted(offices))]
    return case_rows(engine, stage=stage, where=where, limit=limit)


def deadlines_due(
    engine: Engine, offices: Collection[str] | None, until: date, *, limit: int = 500
) -> list[tuple[CaseDeadline, Case]]:
    """Open deadlines due on or before `until` (those already past included), soonest first.
    A case has one only if its next due date is on or before `until`: the cases are found by
    the partial index on `cases.next_due`, not by every deadline ever due."""
    query = (
        select(CaseDeadline, Case)
        .join(Case, col(Case.id) == col(CaseDeadline.case_id))
        .where(
            col(Case.next_due) <= until,
            CaseDeadline.status == DeadlineStatus.OPEN,
            col(CaseDeadline.due_on) <= until,
        )
    )
    if offices is not None:
        query = query.where(col(Case.office_key).in_(sorted(offices)))
    query = query.order_by(col(CaseDeadline.due_on), col(CaseDeadline.id)).limit(limit)
    with Session(engine) as session:
        return [(d, c) for d, c in session.exec(query).all()]


def letter_of_case(engine: Engine, case_id: int, letter_id: int) -> Letter | None:
    with Session(engine) as session:
        letter = session.get(Letter, letter_id)
        return letter if letter is not None and letter.case_id == case_id else None


def evidence_of_case(engine: Engine, case_id: int, evidence_id: int) -> Evidence | None:
    with Session(engine) as session:
        item = session.get(Evidence, evidence_id)
        return item if item is not None and item.case_id == case_id else None
