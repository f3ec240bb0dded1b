"""Deadlines that follow the calendar and the rules: a changed holiday file or rule moves the
open deadlines of open cases only when asked, each move on the case's record; nothing closed
ever moves, and a second run finds nothing left to move."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from cli.local.mail_sink import MailSink
from config.rulebook import load_rulebook
from config.settings import CONFIG_DIR, Settings
from models.stages import Stage
from models.tables import DeadlineStatus
from services.deps import Deps
from services.extension import extend_decision
from services.recompute import recompute_deadlines
from tests.services.helpers import PPU, at, deadlines, events, report_of, run_sample, state
from tests.support.actors import staff

PEMILU = "report-pangkalpinang-lurah"
PILKADA_DECISION = "\n      confirmed: true\n      note: >-\n        Counted from the day"
NOW = at(report_of(PPU), 40)


def _with_config(deps: Deps, tmp_path: Path, edit: str, old: str, new: str) -> Deps:
    """`deps` whose rulebook reads a copy of config/ with `old` replaced by `new` in `edit`."""
    folder = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, folder)
    path = folder / edit
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")  # every election type
    return replace(deps, rulebook=load_rulebook(Settings(config_dir=folder)))


async def test_a_new_holiday_moves_an_open_working_day_deadline_when_applied(
    deps: Deps, sink: MailSink, tmp_path: Path
) -> None:
    await run_sample(deps, PEMILU, until=Stage.CLARIFICATION)
    extend_decision(
        deps,
        "1",
        reason="keterangan tambahan",
        actor=staff("pemeriksa"),
        now=at(report_of(PEMILU), 1.5),
    )
    extension = deadlines(deps)["decision_extension"]  # 14 hari kerja from registration
    holiday = extension.start_on + timedelta(days=7)  # a working day inside the period
    while not deps.rulebook.calendar.is_working_day(holiday):
        holiday += timedelta(days=1)
    decree = (
        f"\n- date: {holiday.isoformat()}\n  name: Libur nasional tambahan (uji)\n  action: add\n"
    )
    changed = _with_config(
        deps,
        tmp_path,
        "holidays/2024.yaml",
        "\n- date: 2024-02-14",
        decree + "\n- date: 2024-02-14",
    )
    before = state(deps)

    [shown] = recompute_deadlines(changed, apply=False, actor=staff("admin"), now=NOW)
    assert (shown.rule, shown.old_due) == ("decision_extension", extension.due_on)
    assert shown.new_due > extension.due_on and shown.reason == "kalender hari libur berubah"
    assert state(deps) == before  # shown, not moved

    [moved] = recompute_deadlines(changed, apply=True, actor=staff("admin"), now=NOW)
    row = deadlines(deps)["decision_extension"]
    assert (row.due_on, row.status) == (moved.new_due, DeadlineStatus.OPEN)
    assert row.calendar_version == changed.rulebook.calendar.version
    assert events(deps)[-1] == "DeadlineRecomputed"
    assert recompute_deadlines(changed, apply=True, actor=staff("admin"), now=NOW) == []
    assert deadlines(deps)["decision"].status is DeadlineStatus.EXTENDED  # closed: not moved


async def test_a_corrected_rule_moves_the_open_deadline_and_nothing_closed(
    deps: Deps, sink: MailSink, tmp_path: Path
) -> None:
    assert (await run_sample(deps, PPU)).stage is Stage.REFERRED
    rows = deadlines(deps)
    followup = rows["ppk_followup"]
    changed = _with_config(
        deps,
        tmp_path,
        "deadlines.yaml",
        "    ppk_followup:  # [C] no confirmed rule; default 14 calendar days\n      days: 14",
        "    ppk_followup:  # [C] no confirmed rule; default 14 calendar days\n      days: 10",
    )
    changes = recompute_deadlines(changed, apply=True, actor=staff("admin"), now=NOW)
    assert [(c.rule, c.old_due, c.new_due) for c in changes] == [
        ("ppk_followup", followup.due_on, followup.due_on - timedelta(days=4))
    ]
    after = deadlines(deps)
    for rule in ("kajian_awal", "decision"):  # met: as they were
        assert after[rule].due_on == rows[rule].due_on
    assert after["ppk_followup"].due_on == date(2024, 10, 26)


async def test_a_rule_counting_from_another_event_is_anchored_on_the_case_again(
    deps: Deps, sink: MailSink, tmp_path: Path
) -> None:
    # A Pilkada case registered while the decision counted from registration (as Netra did
    # before the second legal review): recomputing anchors it on the day of receipt.
    old_rule = _with_config(
        deps,
        tmp_path / "old",
        "deadlines.yaml",
        f"start_event: received_at{PILKADA_DECISION}",
        f"start_event: registered{PILKADA_DECISION}",
    )
    await run_sample(old_rule, PPU, until=Stage.CLARIFICATION)
    stored = deadlines(deps)["decision"]
    assert stored.start_event == "registered" and stored.start_on == date(2024, 10, 15)
    [change] = recompute_deadlines(deps, apply=True, actor=staff("admin"), now=NOW)
    assert (change.old_due, change.new_due) == (date(2024, 10, 18), date(2024, 10, 17))
    assert change.reason == "titik mulai penghitungan pada aturan diubah"
    row = deadlines(deps)["decision"]
    assert (row.start_event, row.start_on, row.due_on) == (
        "received_at",
        date(2024, 10, 14),
        date(2024, 10, 17),
    )
