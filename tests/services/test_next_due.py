"""`cases.next_due` (and its rule) is kept by every write of a deadline (issue 13): every sample
case is driven through every stage and, after each step, the column of every case is compared
with the earliest open deadline computed from the deadline table; then the sweep runs day after
day (missed deadlines, reminders, escalations) and the decision deadline is extended, checked
the same way. (tests/services/conftest.py checks it again after every service test.)"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import Session, col

from adapters.db.cases import open_deadlines
from adapters.db.next_due import refresh_next_due
from models.stages import TERMINAL, Stage
from models.tables import CaseDeadline, DeadlineStatus
from services.deps import Deps
from services.extension import extend_decision
from services.intake import intake_report
from services.notification import deliver_mail
from services.sweep import sweep_deadlines, sweep_horizon
from tests.conftest import SAMPLES
from tests.services import helpers
from tests.services.helpers import PPU, at, report_of, run_sample
from tests.support.actors import staff
from tests.support.next_due import stale_next_due, stored_next_due

pytestmark = pytest.mark.parametrize(
    "engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)

STEPS = (
    "intake_report",
    "verify_case",
    "invite_for_clarification",
    "record_clarification",
    "recommend_sanction",
    "approve_recommendation",
    "mark_referred",
)
STEMS = sorted(p.stem for p in (SAMPLES / "reports").glob("*.json"))


@pytest.fixture
def checked(deps: Deps, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every step `run_plan` takes checks the column of every case after it; the steps taken."""
    taken: list[str] = []

    def check(name: str) -> None:
        taken.append(name)
        assert stale_next_due(deps.engine) == {}, f"next_due stale after {name}"

    def wrapped(name: str, step: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(step)
        def run(*args: Any, **kwargs: Any) -> Any:
            result = step(*args, **kwargs)
            check(name)
            return result

        return run

    def wrapped_async(step: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        @functools.wraps(step)
        async def run(*args: Any, **kwargs: Any) -> Any:
            result = await step(*args, **kwargs)
            check("deliver_mail")
            return result

        return run

    for name in STEPS:
        monkeypatch.setattr(helpers, name, wrapped(name, getattr(helpers, name)))
    monkeypatch.setattr(helpers, "deliver_mail", wrapped_async(deliver_mail))
    return taken


async def test_every_stage_and_every_sweep_keeps_next_due(deps: Deps, checked: list[str]) -> None:
    for stem in STEMS:
        await run_sample(deps, stem)
    assert set(checked) == {*STEPS, "deliver_mail"}  # every step ran, and was checked
    assert any(due for due, _ in stored_next_due(deps.engine).values())

    # The sweep, week after week until every deadline has passed: missed deadlines, the PPK's
    # reminder and the escalation to BKN, the incomplete reports closed.
    received = at(report_of(PPU), 0)
    day = date(2024, 10, 15)
    while day < date(2025, 3, 1):
        sweep_deadlines(deps, now=received.replace(year=day.year, month=day.month, day=day.day))
        await deliver_mail(deps)
        assert stale_next_due(deps.engine) == {}, f"next_due stale after the sweep of {day}"
        day += timedelta(days=7)
    assert all(
        due is None or due >= day - timedelta(days=7)
        for due, _ in stored_next_due(deps.engine).values()
    )


async def test_extending_the_decision_deadline_moves_next_due(
    deps: Deps, checked: list[str]
) -> None:
    await run_sample(deps, PPU, until=Stage.REGISTERED)
    before = stored_next_due(deps.engine)[1]
    extend_decision(
        deps, "1", reason="keterangan ahli", actor=staff("pemeriksa"), now=at(report_of(PPU), 1.5)
    )
    assert stale_next_due(deps.engine) == {}
    assert stored_next_due(deps.engine)[1] != before


def test_a_write_around_the_session_is_caught_and_refreshed(deps: Deps) -> None:
    # The check can fail: a Core UPDATE of deadlines bypasses the session's hook.
    helpers_case = intake_report(
        deps, report_of(PPU), actor=staff("petugas"), now=at(report_of(PPU), 0)
    ).case.id
    assert helpers_case is not None and stored_next_due(deps.engine)[helpers_case][0]
    with Session(deps.engine) as session:
        session.execute(
            update(CaseDeadline)
            .where(col(CaseDeadline.case_id) == helpers_case)
            .values(status=DeadlineStatus.MET)
        )
        session.commit()
    assert stale_next_due(deps.engine) == {
        helpers_case: (stored_next_due(deps.engine)[helpers_case], (None, None))
    }
    with Session(deps.engine) as session:
        refresh_next_due(session, [helpers_case])
        session.commit()
    assert stale_next_due(deps.engine) == {}
    assert stored_next_due(deps.engine)[helpers_case] == (None, None)


async def test_the_sweep_reads_only_deadlines_due_by_its_horizon(deps: Deps) -> None:
    """A sweep at 16:00 UTC on Tuesday 15 October 2024 is already Wednesday the 16th at UTC+14;
    one working day of reminder lead reaches Thursday the 17th: nothing later is read."""
    now = datetime(2024, 10, 15, 16, 0, tzinfo=UTC)
    assert deps.settings.reminder_lead_working_days == 1
    assert sweep_horizon(deps, now) == date(2024, 10, 17)

    intake_report(deps, report_of(PPU), actor=staff("a"), now=at(report_of(PPU), 0))
    with Session(deps.engine) as session:
        every = open_deadlines(session, exclude=TERMINAL)
        assert every, "intake opens deadlines"
        first = min(d.due_on for d, _ in every)
        assert open_deadlines(session, exclude=TERMINAL, until=first - timedelta(days=1)) == []
        due = open_deadlines(session, exclude=TERMINAL, until=first)
        assert due and all(d.due_on == first for d, _ in due)
        assert len(open_deadlines(session, exclude=TERMINAL, until=date(2100, 1, 1))) == len(every)
