"""The case list reads one page in one query, whatever the number of cases (issue 13): the next
open deadline of each case, ties broken the same way every time, filters and the open-only view
of the register."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session

from adapters.db.views import case_rows, count_cases
from models.enums import DayUnit
from models.stages import Stage
from models.tables import Case, CaseDeadline, DeadlineStatus
from services.deps import Deps
from services.intake import intake_report
from tests.services.helpers import PPU, at, report_of
from tests.support.actors import staff

pytestmark = pytest.mark.parametrize(
    "engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


def _cases(deps: Deps, n: int) -> list[int]:
    base = report_of(PPU)
    ids = []
    for i in range(n):
        incident = base.incident.model_copy(update={"summary": f"Peristiwa {i}"})
        report = base.model_copy(update={"incident": incident})
        ids.append(intake_report(deps, report, actor=staff("t"), now=at(base, 0)).case.id or 0)
    return ids


def _deadline(case_id: int, rule: str, due: date, status: DeadlineStatus) -> CaseDeadline:
    return CaseDeadline(
        case_id=case_id,
        rule=rule,
        basis="dasar",
        unit=DayUnit.CALENDAR,
        start_event="received_at",
        start_on=due - timedelta(days=3),
        due_on=due,
        calendar_version="t",
        confirmed=False,
        status=status,
    )


def test_a_page_holds_each_case_once_with_its_next_open_deadline(deps: Deps) -> None:
    ids = _cases(deps, 5)
    with Session(deps.engine) as session:
        # Case 2: an earlier deadline already met, and two open ones due the same day.
        session.add(_deadline(ids[1], "x_met", date(2024, 10, 1), DeadlineStatus.MET))
        session.add(_deadline(ids[1], "y_tie", date(2024, 10, 2), DeadlineStatus.OPEN))
        session.add(_deadline(ids[1], "z_tie", date(2024, 10, 2), DeadlineStatus.OPEN))
        closed = session.get(Case, ids[4])
        assert closed is not None
        closed.stage = Stage.CLOSED
        session.add(closed)
        session.commit()

    everything = case_rows(deps.engine)
    assert [c.id for c, _ in everything] == ids
    second = {c.id: d for c, d in everything}[ids[1]]
    assert second is not None and (second.rule, second.due_on) == ("y_tie", date(2024, 10, 2))

    page = case_rows(deps.engine, limit=2, offset=2)
    assert [c.id for c, _ in page] == ids[2:4]
    assert count_cases(deps.engine) == 5
    assert [c.id for c, _ in case_rows(deps.engine, open_only=True)] == ids[:4]
    assert count_cases(deps.engine, open_only=True) == 4
    assert count_cases(deps.engine, stage=Stage.CLOSED) == 1
    assert case_rows(deps.engine, office="kantor-lain") == []
