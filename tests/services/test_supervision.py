"""Reminding the supervisor of a recommendation that waits for approval: once per recommendation
and occasion, only while it waits, and again for a redrafted recommendation."""

from __future__ import annotations

from datetime import timedelta

from cli.local.mail_sink import MailSink
from models.inputs import ApprovalInput
from models.stages import Stage
from services.approval import approve_recommendation
from services.deps import Deps
from services.notification import deliver_mail
from services.recommendation import recommend_sanction
from services.supervision import remind_pending_approvals, remind_supervisor
from tests.services.helpers import (
    ON_SQLITE,
    PPU,
    PPU_NUMBER,
    at,
    decision_of,
    outbox,
    plan_of,
    report_of,
    run_sample,
    state,
)
from tests.support.actors import staff

PLAN = plan_of(PPU)
REPORT = report_of(PPU)
DRAFTED = at(REPORT, PLAN.times.recommendation)


@ON_SQLITE
async def test_a_returned_and_redrafted_recommendation_is_reminded_again(deps: Deps) -> None:
    await run_sample(deps, PPU, until=Stage.AWAITING_APPROVAL)
    assert PLAN.findings is not None
    now = DRAFTED + timedelta(hours=2)
    assert remind_supervisor(deps, "1", now=now)
    assert not remind_supervisor(deps, "1", now=now)  # once per recommendation and occasion
    assert remind_supervisor(deps, "1", now=now, occasion="24-jam")
    returned = ApprovalInput(approved=False, note="Lengkapi bukti.")
    back = approve_recommendation(deps, "1", returned, actor=staff("pimpinan"), now=now)
    assert back.stage is Stage.UNDER_REVIEW
    redrafted = recommend_sanction(
        deps, "1", PLAN.findings, actor=staff("petugas"), now=now + timedelta(hours=1)
    )
    assert redrafted.stage is Stage.AWAITING_APPROVAL
    assert remind_supervisor(deps, "1", now=now + timedelta(hours=2))  # the new draft waits


@ON_SQLITE
async def test_a_case_that_does_not_wait_for_approval_is_not_reminded(deps: Deps) -> None:
    await run_sample(deps, PPU, until=Stage.APPROVED)
    before = state(deps)
    assert not remind_supervisor(deps, "1", now=DRAFTED + timedelta(days=2))
    assert state(deps) == before


async def test_recommendations_waiting_longer_than_the_automation_allows_are_reminded_once(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PPU, until=Stage.AWAITING_APPROVAL)
    decided = decision_of(deps).decided_at
    assert decided == DRAFTED
    mails = len(sink.messages)
    day = timedelta(hours=24)

    assert remind_pending_approvals(deps, waited=day, now=decided + timedelta(hours=23)) == []
    assert remind_pending_approvals(deps, waited=day, now=decided + timedelta(hours=25)) == ["1"]
    assert remind_pending_approvals(deps, waited=day, now=decided + timedelta(hours=26)) == []
    await deliver_mail(deps)

    reminders = [m for m in sink.messages[mails:] if "Menunggu persetujuan" in str(m["Subject"])]
    assert len(reminders) == 1 and "bawaslu.ppu@example.go.id" in str(reminders[0]["To"])
    assert f"netra approve {PPU_NUMBER}" in str(reminders[0])
    assert [m.key.rsplit("/", 1)[-1] for m in outbox(deps) if "persetujuan" in m.key] == ["24-jam"]
