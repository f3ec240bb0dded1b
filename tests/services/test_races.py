"""Clerks doing the same step at the same moment (issue 13): one does it, the others find it
done; no unique-constraint error reaches anyone, nothing is recorded twice."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from models.outcomes import StageOutcome, StageResult
from models.stages import Stage
from services.clarification import invite_for_clarification
from services.deps import Deps
from services.recommendation import recommend_sanction
from tests.services.helpers import PPU, at, events, letter_serials, plan_of, report_of, run_sample
from tests.support.actors import staff

PLAN = plan_of(PPU)
REPORT = report_of(PPU)


def _invite(deps: Deps) -> StageResult:
    assert PLAN.clarification is not None
    return invite_for_clarification(
        deps, "1", PLAN.clarification, actor=staff("x"), now=at(REPORT, 1.2)
    )


def _recommend(deps: Deps) -> StageResult:
    assert PLAN.findings is not None
    return recommend_sanction(deps, "1", PLAN.findings, actor=staff("x"), now=at(REPORT, 2.5))


@pytest.mark.parametrize(
    "engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
@pytest.mark.parametrize(
    ("step", "from_stage", "event"),
    [
        (_invite, Stage.REGISTERED, "ClarificationScheduled"),
        (_recommend, Stage.UNDER_REVIEW, "RecommendationDrafted"),
    ],
)
async def test_one_clerk_does_the_step_and_the_others_find_it_done(
    deps: Deps, step: Callable[[Deps], StageResult], from_stage: Stage, event: str
) -> None:
    await run_sample(deps, PPU, until=from_stage)
    barrier = threading.Barrier(5)
    outcomes: list[StageOutcome] = []
    failures: list[BaseException] = []

    def clerk() -> None:
        barrier.wait()
        try:
            outcomes.append(step(deps).outcome)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=clerk) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(outcomes) == sorted([StageOutcome.MOVED] + [StageOutcome.ALREADY_DONE] * 4)
    assert events(deps).count(event) == 1
    serials = letter_serials(deps)
    assert serials == list(range(1, len(serials) + 1))  # no number burnt, none twice
