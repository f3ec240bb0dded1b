"""After the referral: reminders before deadlines, one PPK reminder, one escalation, closing."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlmodel import Session, select

from adapters.db.cases import get_case
from adapters.docx import docx_text
from cli.local.mail_sink import MailSink
from flows.scheduled import sweep_flow
from flows.stages import ppk_decision_flow
from models.inputs import PpkDecisionInput
from models.stages import Stage
from models.tables.case import CaseDeadline, StageEvent
from tests.flows.helpers import engine, letter_bytes, letters, run_sample

pytestmark = pytest.mark.prefect
WITA = timezone(timedelta(hours=8))


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=WITA)


def _events() -> list[str]:
    with Session(engine()) as session:
        return [e.event for e in session.exec(select(StageEvent).order_by(StageEvent.id))]  # type: ignore[arg-type]


async def test_missed_ppk_deadline_gives_one_reminder_and_one_escalation(
    netra_env: Path, sink: MailSink
) -> None:
    assert await run_sample("report-ppu-camat") is Stage.REFERRED
    with Session(engine()) as session:
        followup = session.exec(
            select(CaseDeadline).where(CaseDeadline.rule == "ppk_followup")
        ).one()
    due = followup.due_on  # referral on 16 Oct 2024 + 14 calendar days
    assert due == date(2024, 10, 30)
    mails = len(sink.messages)

    soon = await sweep_flow(_at(due - timedelta(days=1)))  # Tue 29 Oct: due next working day
    assert [label.split(":")[1] for label in soon.reminded] == ["ppk_followup"]
    assert (await sweep_flow(_at(due - timedelta(days=1)))).reminded == []
    assert len(sink.messages) == mails + 1
    assert "bawaslu.ppu@example.go.id" in str(sink.messages[-1]["To"])

    late = await sweep_flow(_at(due + timedelta(days=1)))
    assert len(late.ppk_reminders) == 1 and late.escalations == []
    again = await sweep_flow(_at(due + timedelta(days=2)))
    assert again.missed == [] and again.ppk_reminders == []
    with Session(engine()) as session:
        assert get_case(session, "1").stage is Stage.PPK_OVERDUE
    reminder = next(x for x in letters() if x.kind == "pengingat_ppk")
    assert "Drs. Agus Salim, M.Si." in docx_text(letter_bytes(netra_env, reminder))
    assert "bupati@example.go.id" in str(sink.messages[-1]["To"])

    escalated = await sweep_flow(_at(due + timedelta(days=9)))  # reply window of 7 days passed
    assert len(escalated.escalations) == 1
    assert (await sweep_flow(_at(due + timedelta(days=10)))).escalations == []
    escalation = next(x for x in letters() if x.kind == "eskalasi_bkn")
    text = docx_text(letter_bytes(netra_env, escalation))
    assert reminder.number in text and "SIASN" in text
    assert sum(1 for x in letters() if x.kind in {"pengingat_ppk", "eskalasi_bkn"}) == 2
    assert "netralitas@bkn.example.go.id" in str(sink.messages[-1]["To"])
    assert _events().count("EscalatedToBkn") == 1 and _events().count("PpkReminded") == 1

    closed = await ppk_decision_flow(
        "1",
        PpkDecisionInput(
            sanction="Penurunan jabatan setingkat lebih rendah selama 12 bulan",
            decree_number="800/123/BKPSDM/2024",
            decree_date=date(2024, 11, 20),
        ),
    )
    assert closed.stage is Stage.CLOSED
    assert _events()[-1] == "PpkDecisionRecorded"
    assert (await sweep_flow(_at(due + timedelta(days=30)))).missed == []


async def test_ppk_decision_in_time_closes_without_reminder(
    netra_env: Path, sink: MailSink
) -> None:
    await run_sample("report-ppu-camat")
    decision = PpkDecisionInput(
        sanction="Pembebasan dari jabatan",
        decree_number="800/9/2024",
        decree_date=date(2024, 10, 25),
    )
    assert (await ppk_decision_flow("1", decision)).stage is Stage.CLOSED
    with Session(engine()) as session:
        followup = session.exec(
            select(CaseDeadline).where(CaseDeadline.rule == "ppk_followup")
        ).one()
    assert followup.status == "met"
    assert (await sweep_flow(_at(date(2024, 11, 30)))).ppk_reminders == []
