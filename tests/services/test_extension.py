"""Extending the decision deadline when more information is needed: once, before it passes,
by the election's own rule; the old deadline kept as superseded, the stage unchanged."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cli.local.mail_sink import MailSink
from models.enums import DayUnit
from models.outcomes import StageOutcome
from models.stages import Stage
from models.tables import DeadlineStatus
from services.deps import Deps
from services.extension import ExtensionRefused, extend_decision
from tests.services.helpers import (
    PPU,
    at,
    case_of,
    deadlines,
    events,
    report_of,
    run_sample,
    state,
)
from tests.support.actors import staff

PEMILU = "report-pangkalpinang-lurah"
NEED = "keterangan tambahan dari Dinas Pendidikan diperlukan"


async def test_pemilu_gets_fourteen_working_days_from_registration(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PEMILU, until=Stage.CLARIFICATION)
    before = deadlines(deps)["decision"]
    result = extend_decision(
        deps, "1", reason=NEED, actor=staff("pemeriksa"), now=at(report_of(PEMILU), 1.5)
    )
    assert (result.stage, result.outcome) == (Stage.CLARIFICATION, StageOutcome.MOVED)
    rows = deadlines(deps)
    assert rows["decision"].status is DeadlineStatus.EXTENDED  # kept, superseded
    extension = rows["decision_extension"]
    registered = before.start_on  # Pemilu: the 7 days also count from registration
    expected = deps.rulebook.calendar.add(registered, 14, DayUnit.WORKING)
    assert (extension.start_on, extension.due_on, extension.unit) == (
        registered,
        expected,
        "working",
    )
    assert "Pasal 454 ayat (8)" in extension.basis and extension.status is DeadlineStatus.OPEN
    assert events(deps)[-1] == "DecisionDeadlineExtended"
    assert case_of(deps).stage is Stage.CLARIFICATION


async def test_pilkada_gets_two_days_after_the_decision_deadline(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PPU, until=Stage.CLARIFICATION)
    decision_due = deadlines(deps)["decision"].due_on
    extend_decision(deps, "1", reason=NEED, actor=staff("pemeriksa"), now=at(report_of(PPU), 1.5))
    extension = deadlines(deps)["decision_extension"]
    assert extension.due_on == decision_due + timedelta(days=2)
    assert "Pasal 134 ayat (6)" in extension.basis


async def test_a_second_extension_is_refused_and_changes_nothing(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PPU, until=Stage.CLARIFICATION)
    now = at(report_of(PPU), 1.5)
    extend_decision(deps, "1", reason=NEED, actor=staff("pemeriksa"), now=now)
    before = state(deps)
    # The same request run again (a retried flow) was already done; another one is refused.
    again = extend_decision(deps, "1", reason=NEED, actor=staff("pemeriksa"), now=now)
    assert again.outcome is StageOutcome.ALREADY_DONE
    with pytest.raises(ExtensionRefused, match="tidak memberi perpanjangan kedua"):
        extend_decision(deps, "1", reason="keterangan ahli", actor=staff("pemeriksa"), now=now)
    assert state(deps) == before


@pytest.mark.parametrize(
    ("reason", "days", "refusal"),
    [
        (" ", 1.5, "alasan perpanjangan wajib diisi"),
        (NEED, 10, "sudah lewat"),  # decided after the deadline passed
    ],
)
async def test_an_extension_needs_a_reason_and_a_running_deadline(
    deps: Deps, sink: MailSink, reason: str, days: float, refusal: str
) -> None:
    await run_sample(deps, PPU, until=Stage.CLARIFICATION)
    before = state(deps)
    with pytest.raises(ExtensionRefused, match=refusal):
        extend_decision(
            deps, "1", reason=reason, actor=staff("pemeriksa"), now=at(report_of(PPU), days)
        )
    assert state(deps) == before


async def test_after_the_decision_an_extension_changes_nothing(deps: Deps, sink: MailSink) -> None:
    await run_sample(deps, PPU, until=Stage.AWAITING_APPROVAL)
    before = state(deps)
    result = extend_decision(
        deps, "1", reason=NEED, actor=staff("pemeriksa"), now=at(report_of(PPU), 3)
    )
    assert result.outcome is StageOutcome.ELSEWHERE and state(deps) == before


async def test_the_decision_settles_the_extended_deadline(deps: Deps, sink: MailSink) -> None:
    await run_sample(deps, PPU, until=Stage.CLARIFICATION)
    extend_decision(deps, "1", reason=NEED, actor=staff("pemeriksa"), now=at(report_of(PPU), 1.5))
    await run_sample(deps, PPU, until=Stage.AWAITING_APPROVAL)
    rows = deadlines(deps)
    assert rows["decision"].status is DeadlineStatus.EXTENDED
    assert rows["decision_extension"].status is DeadlineStatus.MET
    assert rows["decision_extension"].due_on >= date(2024, 10, 19)
