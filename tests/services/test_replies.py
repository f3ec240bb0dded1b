"""The other side's replies after the referral: KASN/BKN's acknowledgement and recommendation,
the PPK's refusal; what each does to the PPK's clock; the MenPANRB follow-up of referrals KASN
had processed (SE MenPANRB 4/2024)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from cli.local.mail_sink import MailSink
from models.inputs import ReplyInput, ReplyKind
from models.outcomes import StageOutcome, StageResult
from models.stages import Stage
from services.deps import Deps
from services.notification import deliver_mail
from services.replies import ReplyRefused, record_reply
from services.sweep import SweepReport, sweep_deadlines
from tests.services.helpers import (
    ON_SQLITE,
    PPU,
    case_of,
    deadlines,
    events,
    letter_text,
    letters,
    run_sample,
    state,
)
from tests.support.actors import staff

WITA = timezone(timedelta(hours=8))
WIB = timezone(timedelta(hours=7))
PANGKALPINANG = "report-pangkalpinang-lurah"  # Pemilu 2024, referred to KASN in February 2024
MENPANRB = "Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi"
BKN_MAIL = "netralitas@bkn.example.go.id"

ACKNOWLEDGED = ReplyInput(
    kind=ReplyKind.ACKNOWLEDGED, authority="bkn", reference="SBT-2024-10-0099", date="2024-10-17"
)
RECOMMENDATION = ReplyInput(
    kind=ReplyKind.RECOMMENDATION,
    number="R-123/BKN/2024",
    sanction="Penurunan jabatan setingkat lebih rendah selama 12 bulan",
    date="2024-10-25",
)
REFUSAL = ReplyInput(
    kind=ReplyKind.PPK_REFUSED,
    reason="PPK menilai kehadiran terlapor bukan dukungan politik",
    date="2024-10-20",
)


def _with(reply: ReplyInput, changes: dict[str, Any]) -> ReplyInput:
    """The reply with `changes`, validated as a form or the command line would."""
    return ReplyInput.model_validate({**reply.model_dump(), **changes})


def _at(day: date, zone: timezone = WITA) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=zone)


def _reply(
    deps: Deps, reply: ReplyInput, day: date = date(2024, 10, 28), zone: timezone = WITA
) -> StageResult:
    return record_reply(deps, "1", reply, actor=staff("petugas"), now=_at(day, zone))


async def _sweep(deps: Deps, day: date, zone: timezone = WITA) -> SweepReport:
    report = sweep_deadlines(deps, now=_at(day, zone))
    await deliver_mail(deps)
    return report


def _kinds(deps: Deps, kind: str) -> list[Any]:
    return [x for x in letters(deps) if x.kind == kind]


async def test_an_acknowledgement_is_a_fact_that_holds_the_clock(deps: Deps) -> None:
    await run_sample(deps, PPU)
    before = deadlines(deps)["ppk_followup"]

    result = _reply(deps, ACKNOWLEDGED)

    assert (result.stage, result.outcome) == (Stage.REFERRED, StageOutcome.MOVED)
    assert case_of(deps).references["sbt"] == "SBT-2024-10-0099"
    after = deadlines(deps)
    assert (after["ppk_followup"].due_on, after["ppk_followup"].status) == (before.due_on, "open")
    assert "ppk_followup_recommendation" not in after
    assert events(deps)[-1] == "ReferralAcknowledged"

    kept = state(deps)
    again = _reply(deps, ACKNOWLEDGED)
    assert again.outcome is StageOutcome.ALREADY_DONE and state(deps) == kept
    other = _with(ACKNOWLEDGED, {"reference": "SBT-2024-10-0100"})
    with pytest.raises(ReplyRefused, match="sudah tercatat"):
        _reply(deps, other)
    assert state(deps) == kept


async def test_the_recommendation_re_anchors_the_ppk_deadline_to_its_date(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PPU)
    assert deadlines(deps)["ppk_followup"].due_on == date(2024, 10, 30)

    result = _reply(deps, RECOMMENDATION)

    assert (result.stage, result.outcome) == (Stage.REFERRED, StageOutcome.MOVED)
    rows = deadlines(deps)
    old, new = rows["ppk_followup"], rows["ppk_followup_recommendation"]
    assert (old.status, old.due_on) == ("superseded", date(2024, 10, 30))  # kept on record
    assert (new.status, new.start_on, new.due_on) == ("open", date(2024, 10, 25), date(2024, 11, 8))
    assert events(deps)[-1] == "AuthorityRecommendationRecorded"

    kept = state(deps)
    assert _reply(deps, RECOMMENDATION).outcome is StageOutcome.ALREADY_DONE
    assert state(deps) == kept
    other = _with(RECOMMENDATION, {"number": "R-999/BKN/2024"})
    with pytest.raises(ReplyRefused, match="rekomendasi instansi sudah tercatat"):
        _reply(deps, other)
    assert state(deps) == kept

    # The old date passes without a reminder; the new one sets off the reminder, then the
    # escalation after the reply period, each once.
    assert (await _sweep(deps, date(2024, 10, 31))).ppk_reminders == []
    late = await _sweep(deps, date(2024, 11, 9))
    assert [label.split(":")[1] for label in late.ppk_reminders] == ["ppk_followup_recommendation"]
    [reminder] = _kinds(deps, "pengingat_ppk")
    text = letter_text(deps, reminder)
    assert (
        "rekomendasi Badan Kepegawaian Negara Nomor R-123/BKN/2024 tanggal 25 Oktober 2024" in text
    )
    assert "8 November 2024" in text and MENPANRB not in text
    escalated = await _sweep(deps, date(2024, 11, 17))
    assert len(escalated.escalations) == 1
    [escalation] = _kinds(deps, "eskalasi_bkn")
    assert reminder.number in letter_text(deps, escalation)
    assert BKN_MAIL in str(sink.messages[-1]["To"])


async def test_a_ppk_refusal_escalates_to_bkn_at_once_and_only_once(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PPU)
    mails = len(sink.messages)

    result = _reply(deps, REFUSAL, date(2024, 10, 21))
    await deliver_mail(deps)

    assert (result.stage, result.outcome) == (Stage.PPK_OVERDUE, StageOutcome.MOVED)
    assert events(deps)[-2:] == ["PpkRefused", "EscalatedToBkn"]
    assert deadlines(deps)["ppk_followup"].status == "superseded"
    assert _kinds(deps, "pengingat_ppk") == []
    [escalation] = _kinds(deps, "eskalasi_bkn")
    text = letter_text(deps, escalation)
    assert "Pada tanggal 20 Oktober 2024" in text and REFUSAL.reason in text
    assert "surat pengingat" not in text
    [sent] = [m for m in sink.messages[mails:] if BKN_MAIL in str(m["To"])]
    assert "Pemblokiran" in str(sent["Subject"])

    kept = state(deps)
    assert _reply(deps, REFUSAL, date(2024, 10, 22)).outcome is StageOutcome.ALREADY_DONE
    assert state(deps) == kept
    swept = await _sweep(deps, date(2024, 11, 30))
    assert swept.ppk_reminders == [] and swept.escalations == [] and swept.missed == []
    assert events(deps).count("EscalatedToBkn") == 1
    assert len(_kinds(deps, "eskalasi_bkn")) == 1


@ON_SQLITE
async def test_a_refusal_after_the_sweep_escalated_sends_nothing_new(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PPU)
    await _sweep(deps, date(2024, 10, 31))  # reminder
    assert len((await _sweep(deps, date(2024, 11, 8))).escalations) == 1
    mails, escalations = len(sink.messages), _kinds(deps, "eskalasi_bkn")

    result = _reply(deps, _with(REFUSAL, {"date": date(2024, 11, 9)}), date(2024, 11, 9))
    await deliver_mail(deps)

    assert (result.stage, result.outcome) == (Stage.PPK_OVERDUE, StageOutcome.MOVED)
    assert events(deps)[-1] == "PpkRefused" and events(deps).count("EscalatedToBkn") == 1
    assert _kinds(deps, "eskalasi_bkn") == escalations and len(sink.messages) == mails


async def test_a_kasn_processed_referral_is_followed_up_with_menpanrb(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PANGKALPINANG)
    referred = deadlines(deps)["ppk_followup"]
    kasn = ReplyInput(
        kind=ReplyKind.RECOMMENDATION,
        authority="KASN",
        number="B-456/KASN/2/2024",
        sanction="Hukuman disiplin sedang",
        date=referred.start_on + timedelta(days=5),
    )
    day = referred.start_on + timedelta(days=6)
    assert _reply(deps, kasn, day, WIB).outcome is StageOutcome.MOVED
    due = deadlines(deps)["ppk_followup_recommendation"].due_on
    mails = len(sink.messages)

    reminded = await _sweep(deps, due + timedelta(days=1), WIB)

    assert len(reminded.ppk_reminders) == 1
    [reminder] = _kinds(deps, "pengingat_ppk")
    text = letter_text(deps, reminder)
    assert "Nomor 4 Tahun 2024" in text and f"dilaporkan kepada {MENPANRB}" in text
    assert f"Tembusan:\n1. {MENPANRB}" in text
    sent = {str(m["To"]) for m in sink.messages[mails:]}
    assert any("netralitas@menpan.example.go.id" in to for to in sent)
    assert any("walikota@example.go.id" in to for to in sent)

    escalated = await _sweep(deps, due + timedelta(days=9), WIB)
    assert len(escalated.escalations) == 1
    assert BKN_MAIL in str(sink.messages[-1]["To"])  # escalation stays with BKN


@ON_SQLITE
async def test_a_kasn_referral_not_processed_passed_to_bkn_is_reminded_as_for_bkn(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PANGKALPINANG)
    referred = deadlines(deps)["ppk_followup"]
    # BKN took over the referral KASN had not processed; KASN may no longer answer it.
    late_kasn = _with(
        ACKNOWLEDGED, {"authority": "KASN", "reference": "SIAPNET-1", "date": date(2024, 9, 10)}
    )
    with pytest.raises(ReplyRefused, match="beralih kepada BKN"):
        _reply(deps, late_kasn, date(2024, 9, 11), WIB)
    bkn = _with(RECOMMENDATION, {"authority": "BKN", "date": date(2024, 9, 20)})
    assert _reply(deps, bkn, date(2024, 9, 21), WIB).outcome is StageOutcome.MOVED
    assert deadlines(deps)["ppk_followup"].due_on == referred.due_on
    mails = len(sink.messages)

    await _sweep(deps, date(2024, 10, 5), WIB)

    [reminder] = _kinds(deps, "pengingat_ppk")
    assert MENPANRB not in letter_text(deps, reminder)
    assert not any("menpan" in str(m["To"]) for m in sink.messages[mails:])


@pytest.mark.parametrize("stage", [Stage.AWAITING_APPROVAL, Stage.APPROVED])
async def test_a_reply_before_the_referral_is_refused_and_changes_nothing(
    deps: Deps, stage: Stage
) -> None:
    await run_sample(deps, PPU, until=stage)
    before = state(deps)
    for reply in (ACKNOWLEDGED, RECOMMENDATION, REFUSAL):
        with pytest.raises(ReplyRefused, match="hanya dicatat setelah perkara diteruskan"):
            _reply(deps, reply)
    assert state(deps) == before


@ON_SQLITE
async def test_replies_with_the_wrong_date_or_authority_are_refused(deps: Deps) -> None:
    await run_sample(deps, PPU)  # referred to BKN on 16 Oct 2024
    before = state(deps)
    cases = [
        (_with(ACKNOWLEDGED, {"date": date(2024, 10, 2)}), "sebelum tanggal surat"),
        (_with(ACKNOWLEDGED, {"date": date(2024, 10, 29)}), "belum terjadi"),
        (_with(ACKNOWLEDGED, {"authority": "KASN"}), "diteruskan kepada BKN"),
    ]
    for reply, message in cases:
        with pytest.raises(ReplyRefused, match=message):
            _reply(deps, reply)
    assert state(deps) == before


def test_an_incomplete_reply_is_refused_in_indonesian() -> None:
    with pytest.raises(ValidationError, match="wajib berisi: nomor rujukan SBT/SIAPNET"):
        ReplyInput(kind=ReplyKind.ACKNOWLEDGED, authority="bkn", date="2024-10-17")
    with pytest.raises(ValidationError, match=r"nomor rekomendasi .*sanksi"):
        ReplyInput(kind=ReplyKind.RECOMMENDATION, date="2024-10-17")
    with pytest.raises(ValidationError, match=r"instansi .*tidak diisi"):
        _with(REFUSAL, {"authority": "BKN"})
    line = ReplyInput(kind=ReplyKind.PPK_REFUSED, reason="tidak\nsetuju\t", date="2024-10-17")
    assert line.reason == "tidak setuju"
