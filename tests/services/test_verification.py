"""Kajian awal (`verify_case`): registration and its alternatives, each once, each refused
without the reason the law asks for."""

from __future__ import annotations

import threading

import pytest

from adapters.db.cases import ConcurrentChange
from cli.local.mail_sink import MailSink
from models.inputs import VerificationChoice, VerificationDecision
from models.outcomes import StageOutcome, StageResult
from models.stages import Stage
from services.deps import Deps
from services.notification import deliver_mail
from services.verification import DecisionIncomplete, verify_case
from tests.services.helpers import (
    ON_SQLITE,
    PPU,
    PPU_NUMBER,
    at,
    case_of,
    deadlines,
    events,
    letter_serials,
    letter_text,
    letters,
    outbox,
    plan_of,
    report_of,
    run_sample,
    state,
)
from tests.support.actors import staff

REGISTER = VerificationDecision(decision=VerificationChoice.REGISTER, reason="Memenuhi syarat.")
LATE = "report-pemilu-late-guru"


def _verify(deps: Deps, stem: str, decision: VerificationDecision) -> StageResult:
    now = at(report_of(stem), plan_of(stem).times.verification)
    return verify_case(deps, "1", decision, actor=staff("petugas"), now=now)


@ON_SQLITE
async def test_registration_numbers_the_case_and_tells_the_reporter(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PPU, until=Stage.RECEIVED)
    mails = len(sink.messages)

    result = _verify(deps, PPU, REGISTER)
    await deliver_mail(deps, "1")

    assert (result.stage, result.outcome) == (Stage.REGISTERED, StageOutcome.MOVED)
    assert result.label == case_of(deps).case_number == PPU_NUMBER
    new = [(x.kind, x.recipient_key, x.outbound) for x in letters(deps)][1:]
    assert new == [
        ("kajian_awal", "arsip", False),
        ("pemberitahuan_status", "pelapor-register", False),
    ]
    notice = next(x for x in letters(deps) if x.kind == "pemberitahuan_status")
    assert PPU_NUMBER in letter_text(deps, notice)
    assert [str(m["To"]) for m in sink.messages[mails:]] == [
        "Rahmat Hidayat <rahmat.hidayat@example.org>"
    ]
    assert events(deps) == ["CaseReceived", "CaseRegistered"]
    due = deadlines(deps)
    assert due["kajian_awal"].status == "met"  # decided on 15 Oct, due 16 Oct
    assert due["decision"].status == "open"


@ON_SQLITE
async def test_verifying_again_repeats_nothing(deps: Deps, sink: MailSink) -> None:
    await run_sample(deps, PPU, until=Stage.REGISTERED)
    before, mails = state(deps), len(sink.messages)
    again = _verify(deps, PPU, REGISTER)
    await deliver_mail(deps, "1")
    assert (again.stage, again.outcome) == (Stage.REGISTERED, StageOutcome.ALREADY_DONE)
    assert again.label == PPU_NUMBER
    assert state(deps) == before and len(sink.messages) == mails


@ON_SQLITE
async def test_a_different_decision_on_a_verified_case_changes_nothing(deps: Deps) -> None:
    await run_sample(deps, PPU, until=Stage.CLARIFICATION)
    before = state(deps)
    for decision in (
        REGISTER,
        VerificationDecision(decision=VerificationChoice.NOT_REGISTER, reason="Terlambat."),
    ):
        result = _verify(deps, PPU, decision)
        assert (result.stage, result.outcome) == (Stage.CLARIFICATION, StageOutcome.ELSEWHERE)
    assert state(deps) == before


@pytest.mark.parametrize(
    "choice",
    [VerificationChoice.NOT_REGISTER, VerificationChoice.FORWARD, VerificationChoice.DELEGATE],
)
@ON_SQLITE
async def test_a_decision_other_than_registration_needs_a_reason(
    deps: Deps, choice: VerificationChoice
) -> None:
    await run_sample(deps, PPU, until=Stage.RECEIVED)
    before = state(deps)
    with pytest.raises(DecisionIncomplete, match="alasan wajib diisi"):
        _verify(deps, PPU, VerificationDecision(decision=choice, reason="  "))
    assert state(deps) == before


@ON_SQLITE
async def test_registering_a_report_that_fails_the_checks_needs_a_reason(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, LATE, until=Stage.RECEIVED)
    before, mails = state(deps), len(sink.messages)
    bare = VerificationDecision(decision=VerificationChoice.REGISTER)
    with pytest.raises(DecisionIncomplete, match="laporan tidak memenuhi syarat"):
        _verify(deps, LATE, bare)
    await deliver_mail(deps, "1")
    assert state(deps) == before and len(sink.messages) == mails
    reasoned = bare.model_copy(update={"reason": "Pelapor baru mengetahui dari pemberitaan."})
    assert _verify(deps, LATE, reasoned).stage is Stage.REGISTERED
    assert case_of(deps).case_number == "001/LP/PL/Kota/19.71/II/2024"


@ON_SQLITE
async def test_a_forwarded_report_tells_the_reporter_where_it_went(
    deps: Deps, sink: MailSink
) -> None:
    stem = "report-pilkada-kepala-desa"
    result = await run_sample(deps, stem)
    assert (result.stage, result.outcome) == (Stage.FORWARDED, StageOutcome.MOVED)
    assert result.label == "laporan #1"  # not registered: no case number
    notice = next(x for x in letters(deps) if x.kind == "pemberitahuan_status")
    assert "Bupati Penajam Paser Utara" in letter_text(deps, notice)
    assert events(deps) == ["CaseReceived", "CaseForwarded"]
    assert "decision" not in deadlines(deps)


@ON_SQLITE
async def test_a_registered_temuan_tells_no_one(deps: Deps, sink: MailSink) -> None:
    stem = "temuan-balikpapan-pppk"
    result = await run_sample(deps, stem, until=Stage.REGISTERED)
    assert result.label == case_of(deps).case_number
    assert "/TM/PW/" in result.label
    assert [x.kind for x in letters(deps)] == ["kajian_awal"]
    assert outbox(deps) == [] and sink.messages == []


def test_racing_verifications_register_the_case_once_and_burn_no_number(deps: Deps) -> None:
    from services.intake import intake_report

    report = report_of(PPU)
    intake_report(deps, report, actor=staff("petugas"), now=at(report, 0))
    barrier = threading.Barrier(4)
    outcomes: list[StageOutcome | str] = []

    def clerk() -> None:
        barrier.wait()
        try:
            outcomes.append(_verify(deps, PPU, REGISTER).outcome)
        except ConcurrentChange:
            outcomes.append("lost the race")

    threads = [threading.Thread(target=clerk) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 4 and outcomes.count(StageOutcome.MOVED) == 1
    assert set(outcomes) <= {StageOutcome.MOVED, StageOutcome.ALREADY_DONE, "lost the race"}
    assert case_of(deps).case_number == PPU_NUMBER
    assert events(deps) == ["CaseReceived", "CaseRegistered"]
    serials = letter_serials(deps)
    assert serials == list(range(1, len(serials) + 1)) and len(serials) == 3
