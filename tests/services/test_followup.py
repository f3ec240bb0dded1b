"""After the referral: reminders before deadlines, one PPK reminder, one escalation, closing; and
the sweep's own bookkeeping of the office's deadlines."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from cli.local.mail_sink import MailSink
from models.inputs import PpkDecisionInput
from models.outcomes import StageOutcome, StageResult
from models.stages import Stage
from services.deps import Deps
from services.notification import deliver_mail
from services.ppk import record_ppk_decision
from services.sweep import SweepReport, sweep_deadlines
from tests.services.helpers import (
    ON_SQLITE,
    PPU,
    PPU_NUMBER,
    case_of,
    deadlines,
    decision_of,
    events,
    letter_text,
    letters,
    plan_of,
    report_of,
    run_plan,
    run_sample,
    state,
)
from tests.support.actors import staff

WITA = timezone(timedelta(hours=8))
DECREE = PpkDecisionInput(
    sanction="Penurunan jabatan setingkat lebih rendah selama 12 bulan",
    decree_number="800/123/BKPSDM/2024",
    decree_date=date(2024, 11, 20),
)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=WITA)


async def _sweep(deps: Deps, day: date) -> SweepReport:
    """The scheduled sweep: one pass over the deadlines, then the mail it queued goes out."""
    report = sweep_deadlines(deps, now=_at(day))
    await deliver_mail(deps)
    return report


def _decide(deps: Deps, decision: PpkDecisionInput = DECREE) -> StageResult:
    return record_ppk_decision(
        deps, "1", decision, actor=staff("petugas"), now=_at(date(2024, 11, 21))
    )


async def test_missed_ppk_deadline_gives_one_reminder_and_one_escalation(
    deps: Deps, sink: MailSink
) -> None:
    assert (await run_sample(deps, PPU)).stage is Stage.REFERRED
    due = deadlines(deps)["ppk_followup"].due_on  # referral on 16 Oct 2024 + 14 calendar days
    assert due == date(2024, 10, 30)
    mails = len(sink.messages)

    soon = await _sweep(deps, due - timedelta(days=1))  # Tue 29 Oct: due next working day
    assert [label.split(":")[1] for label in soon.reminded] == ["ppk_followup"]
    assert (await _sweep(deps, due - timedelta(days=1))).reminded == []
    assert len(sink.messages) == mails + 1
    assert "bawaslu.ppu@example.go.id" in str(sink.messages[-1]["To"])

    late = await _sweep(deps, due + timedelta(days=1))
    assert len(late.ppk_reminders) == 1 and late.escalations == []
    again = await _sweep(deps, due + timedelta(days=2))
    assert again.missed == [] and again.ppk_reminders == []
    assert case_of(deps).stage is Stage.PPK_OVERDUE
    reminder = next(x for x in letters(deps) if x.kind == "pengingat_ppk")
    assert "Drs. Agus Salim, M.Si." in letter_text(deps, reminder)
    assert "bupati@example.go.id" in str(sink.messages[-1]["To"])

    escalated = await _sweep(deps, due + timedelta(days=9))  # reply window of 7 days passed
    assert len(escalated.escalations) == 1
    assert (await _sweep(deps, due + timedelta(days=10))).escalations == []
    escalation = next(x for x in letters(deps) if x.kind == "eskalasi_bkn")
    text = letter_text(deps, escalation)
    assert reminder.number in text and "SIASN" in text
    assert sum(1 for x in letters(deps) if x.kind in {"pengingat_ppk", "eskalasi_bkn"}) == 2
    assert "netralitas@bkn.example.go.id" in str(sink.messages[-1]["To"])
    assert events(deps).count("EscalatedToBkn") == 1 and events(deps).count("PpkReminded") == 1

    closed = _decide(deps)
    assert closed.stage is Stage.CLOSED
    assert events(deps)[-1] == "PpkDecisionRecorded"
    assert (await _sweep(deps, due + timedelta(days=30))).missed == []


@ON_SQLITE
async def test_ppk_decision_in_time_closes_without_reminder(deps: Deps, sink: MailSink) -> None:
    await run_sample(deps, PPU)
    decision = PpkDecisionInput(
        sanction="Pembebasan dari jabatan",
        decree_number="800/9/2024",
        decree_date=date(2024, 10, 25),
    )
    assert _decide(deps, decision).stage is Stage.CLOSED
    assert deadlines(deps)["ppk_followup"].status == "met"
    assert (await _sweep(deps, date(2024, 11, 30))).ppk_reminders == []


@ON_SQLITE
async def test_the_ppk_decision_is_kept_on_the_case_and_closes_it(deps: Deps) -> None:
    await run_sample(deps, PPU)

    result = _decide(deps)

    assert (result.stage, result.outcome, result.label) == (
        Stage.CLOSED,
        StageOutcome.MOVED,
        PPU_NUMBER,
    )
    decision = decision_of(deps)
    assert (decision.ppk_sanction, decision.ppk_decree_number, decision.ppk_decree_date) == (
        DECREE.sanction,
        DECREE.decree_number,
        DECREE.decree_date,
    )
    # decided after the 30 Oct deadline: on record as late
    assert deadlines(deps)["ppk_followup"].status == "missed"
    assert events(deps)[-1] == "PpkDecisionRecorded"


@ON_SQLITE
async def test_recording_the_ppk_decision_again_repeats_nothing(deps: Deps) -> None:
    await run_sample(deps, PPU)
    _decide(deps)
    before = state(deps)
    other = DECREE.model_copy(update={"decree_number": "800/999/2024"})
    again = _decide(deps, other)
    assert (again.stage, again.outcome) == (Stage.CLOSED, StageOutcome.ALREADY_DONE)
    assert state(deps) == before
    assert decision_of(deps).ppk_decree_number == DECREE.decree_number


@pytest.mark.parametrize("stage", [Stage.AWAITING_APPROVAL, Stage.APPROVED])
@ON_SQLITE
async def test_a_ppk_decision_before_the_referral_changes_nothing(deps: Deps, stage: Stage) -> None:
    await run_sample(deps, PPU, until=stage)
    before = state(deps)
    result = _decide(deps)
    assert (result.stage, result.outcome) == (stage, StageOutcome.ELSEWHERE)
    assert state(deps) == before


async def test_the_office_is_reminded_before_its_own_deadline_and_the_miss_is_recorded_once(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PPU, until=Stage.RECEIVED)  # kajian awal due Wed 16 Oct 2024
    mails = len(sink.messages)

    ahead = await _sweep(deps, date(2024, 10, 15))
    assert ahead.reminded == ["#1:kajian_awal"] and ahead.missed == []
    assert (await _sweep(deps, date(2024, 10, 15))).reminded == []
    assert [str(m["To"]) for m in sink.messages[mails:]] == [
        "Bawaslu Kabupaten Penajam Paser Utara <bawaslu.ppu@example.go.id>"
    ]
    assert str(sink.messages[-1]["Subject"]) == "Pengingat tenggat Kajian awal — #1"

    missed = await _sweep(deps, date(2024, 10, 17))
    assert missed.missed == ["#1:kajian_awal"] and missed.ppk_reminders == []
    assert (await _sweep(deps, date(2024, 10, 18))).missed == []
    assert deadlines(deps)["kajian_awal"].status == "missed"
    assert events(deps) == ["CaseReceived", "DeadlineMissed"]
    assert case_of(deps).stage is Stage.RECEIVED  # a missed deadline does not move the case


async def test_without_a_ppk_on_record_the_office_is_asked_not_a_phantom_reminder(
    deps: Deps, sink: MailSink
) -> None:
    # The reported camat's PPK was not in the report: when the follow-up deadline passes there
    # is no one to send the reminder to. The case stays referred, the miss is recorded, and the
    # office is asked once to find the PPK; no "PPK reminded" event claims otherwise.
    report = report_of(PPU)
    reported = report.reported[0].model_copy(update={"ppk": None})
    report = report.model_copy(update={"reported": [reported]})
    assert (await run_plan(deps, report, plan_of(PPU))).stage is Stage.REFERRED
    due = deadlines(deps)["ppk_followup"].due_on
    mails = len(sink.messages)
    late = await _sweep(deps, due + timedelta(days=1))
    assert late.ppk_reminders == [] and len(late.without_ppk) == 1
    assert case_of(deps).stage is Stage.REFERRED
    assert "PpkReminded" not in events(deps) and events(deps)[-1] == "DeadlineMissed"
    assert not [x for x in letters(deps) if x.kind == "pengingat_ppk"]
    [asked] = sink.messages[mails:]
    assert "bawaslu.ppu@example.go.id" in str(asked["To"])
    assert str(asked["Subject"]).startswith("PPK tidak tercatat")
    again = await _sweep(deps, due + timedelta(days=2))
    assert again.without_ppk == [] and len(sink.messages) == mails + 1


async def test_a_reported_person_without_a_ppk_is_named_to_the_office_beside_the_reminder(
    deps: Deps, sink: MailSink
) -> None:
    # Two reported persons, one PPK on record: the one PPK is reminded and the office is asked
    # to find the other's, once.
    report = report_of(PPU)
    known = report.reported[0]
    unknown = known.model_copy(update={"name": "Siti Rahayu", "ppk": None})
    report = report.model_copy(update={"reported": [known, unknown]})
    assert (await run_plan(deps, report, plan_of(PPU))).stage is Stage.REFERRED
    due = deadlines(deps)["ppk_followup"].due_on
    mails = len(sink.messages)
    late = await _sweep(deps, due + timedelta(days=1))
    assert len(late.ppk_reminders) == 1 and len(late.without_ppk) == 1
    assert case_of(deps).stage is Stage.PPK_OVERDUE
    asked = [m for m in sink.messages[mails:] if str(m["Subject"]).startswith("PPK tidak")]
    body = asked[0].get_body(("plain",))
    assert len(asked) == 1 and body is not None
    assert "Siti Rahayu" in body.get_content() and known.name not in body.get_content()
    again = await _sweep(deps, due + timedelta(days=2))
    assert again.without_ppk == []


@pytest.mark.parametrize(
    "engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
async def test_one_sweep_at_a_time(deps: Deps, sink: MailSink) -> None:
    # A sweep started while another runs (cron and the Prefect schedule at once) does nothing;
    # once the first is done the next one sweeps.
    from adapters.db.locks import held_alone

    await run_plan(deps, report_of(PPU), plan_of(PPU))
    due = deadlines(deps)["ppk_followup"].due_on
    with held_alone(deps.engine, "sweep") as first:
        assert first
        before = state(deps)
        waiting = await _sweep(deps, due + timedelta(days=1))
        assert waiting.skipped and waiting.missed == [] and state(deps) == before
    after = await _sweep(deps, due + timedelta(days=1))
    assert not after.skipped and after.missed
