"""Notification: the outbox goes out through SMTP (per case or all), and an approved case is
referred only once every one of its emails was accepted; the PPK's period starts then."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cli.local.mail_sink import MailSink
from models.outcomes import StageOutcome, StageResult
from models.stages import Stage
from models.tables import OutboxStatus
from services.deps import Deps
from services.notification import deliver_mail, mark_referred, retry_undelivered
from tests.services.helpers import (
    DOCX,
    ON_SQLITE,
    PPU,
    at,
    deadlines,
    events,
    outbox,
    plan_of,
    report_of,
    run_sample,
    state,
    with_settings,
)
from tests.support.actors import staff
from tests.support.smtp import TestMailServer

pytestmark = ON_SQLITE
NOW = at(report_of(PPU), plan_of(PPU).times.notification)  # 16 Oct 2024, 23:39 WITA


def _refer(deps: Deps, ref: str = "1") -> StageResult:
    return mark_referred(deps, ref, actor=staff("sistem"), now=NOW)


def _pending(deps: Deps, case_id: int) -> int:
    return sum(m.status is OutboxStatus.PENDING for m in outbox(deps) if m.case_id == case_id)


def _all_sent(deps: Deps) -> bool:
    return {m.status for m in outbox(deps)} == {OutboxStatus.SENT}


async def test_an_approved_case_is_referred_once_its_mail_is_accepted(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PPU, until=Stage.APPROVED)
    before = state(deps)
    waiting = _refer(deps)
    assert (waiting.stage, waiting.outcome) == (Stage.APPROVED, StageOutcome.WAITING)
    assert state(deps) == before

    mails = len(sink.messages)
    delivered = await deliver_mail(deps, "1")
    assert len(delivered.sent) == 4 and len(sink.messages) == mails + 4
    for message in sink.messages[mails:]:
        types = [a.get_content_type() for a in message.iter_attachments()]
        # the referral travels with its kajian; every other letter alone
        referral = "Penerusan Dugaan Pelanggaran Netralitas" in message["Subject"]
        assert types == [DOCX] * (2 if referral else 1)
    result = _refer(deps)

    assert (result.stage, result.outcome) == (Stage.REFERRED, StageOutcome.MOVED)
    followup = deadlines(deps)["ppk_followup"]
    assert (followup.start_on, followup.due_on) == (date(2024, 10, 16), date(2024, 10, 30))
    assert followup.status == "open"
    assert events(deps)[-1] == "CaseReferred"


async def test_referring_again_repeats_nothing(deps: Deps, sink: MailSink) -> None:
    await run_sample(deps, PPU)
    before, mails = state(deps), len(sink.messages)
    again = _refer(deps)
    assert (again.stage, again.outcome) == (Stage.REFERRED, StageOutcome.ALREADY_DONE)
    assert (await deliver_mail(deps, "1")).sent == []
    assert state(deps) == before and len(sink.messages) == mails


async def test_referring_a_case_not_yet_approved_changes_nothing(deps: Deps) -> None:
    await run_sample(deps, PPU, until=Stage.AWAITING_APPROVAL)
    before = state(deps)
    result = _refer(deps)
    assert (result.stage, result.outcome) == (Stage.AWAITING_APPROVAL, StageOutcome.ELSEWHERE)
    assert state(deps) == before


async def test_mail_of_one_case_is_sent_without_the_others(deps: Deps, sink: MailSink) -> None:
    await run_sample(deps, PPU, until=Stage.APPROVED)
    await run_sample(deps, "temuan-balikpapan-pppk", until=Stage.APPROVED)
    assert (_pending(deps, 1), _pending(deps, 2)) == (4, 4)  # approval queues, sends nothing

    assert len((await deliver_mail(deps, "1")).sent) == 4
    assert (_pending(deps, 1), _pending(deps, 2)) == (0, 4)
    assert len((await deliver_mail(deps)).sent) == 4
    assert _all_sent(deps) and len(sink.messages) == len(outbox(deps))


async def test_a_refused_email_holds_the_referral_until_it_is_retried(
    deps: Deps, tmp_path: Path
) -> None:
    await run_sample(deps, PPU, until=Stage.APPROVED)
    with TestMailServer(tmp_path / "refusing") as server:
        mailer = with_settings(deps, smtp_port=server.port)
        server.faults.fail_with, server.faults.fail_times = (550, "Mailbox tidak dikenal"), 1
        first = await deliver_mail(mailer, "1")
        assert len(first.failed) == 1 and len(first.sent) == 3
        assert _refer(mailer).outcome is StageOutcome.WAITING

        assert retry_undelivered(mailer, "1", actor=staff("petugas"), now=NOW) == 1
        assert retry_undelivered(mailer, "1", actor=staff("petugas"), now=NOW) == 0
        second = await deliver_mail(mailer, "1")
        assert second.sent == first.failed
        result = _refer(mailer)
        received = len(server.messages)
    assert (result.stage, result.outcome) == (Stage.REFERRED, StageOutcome.MOVED)
    assert received == 4 and _all_sent(deps)


async def test_an_smtp_outage_leaves_the_mail_queued_and_the_case_approved(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PPU, until=Stage.APPROVED)
    sink.stop()
    report = await deliver_mail(with_settings(deps, mail_max_attempts=2), "1")
    assert report.sent == [] and report.connection_error is not None
    assert len(report.retry_later) == 4
    assert _pending(deps, 1) == 4
    assert _refer(deps).outcome is StageOutcome.WAITING
