"""The recommendation (`recommend_sanction`): a violation waits for the supervisor with nothing
sent; a dismissal or an election crime ends the case here and the reporter is told at once."""

from __future__ import annotations

import pytest

from cli.local.mail_sink import MailSink
from models.enums import Authority, DecisionOutcome
from models.inputs import FindingsInput
from models.outcomes import StageOutcome, StageResult
from models.stages import Stage
from services.deps import Deps
from services.notification import deliver_mail
from services.recommendation import FindingsIncomplete, recommend_sanction
from tests.services.helpers import (
    ON_SQLITE,
    PPU,
    at,
    deadlines,
    decision_of,
    events,
    letter_text,
    letters,
    plan_of,
    report_of,
    run_sample,
    state,
)
from tests.support.actors import staff

pytestmark = ON_SQLITE
PLAN = plan_of(PPU)
REPORT = report_of(PPU)
assert PLAN.findings is not None
FINDINGS: FindingsInput = PLAN.findings


def _recommend(deps: Deps, findings: FindingsInput) -> StageResult:
    now = at(REPORT, PLAN.times.recommendation)
    return recommend_sanction(deps, "1", findings, actor=staff("petugas"), now=now)


async def test_a_violation_waits_for_approval_with_nothing_sent(deps: Deps, sink: MailSink) -> None:
    await run_sample(deps, PPU, until=Stage.UNDER_REVIEW)
    outbox_before, mails = state(deps)["outbox"], len(sink.messages)

    result = _recommend(deps, FINDINGS)
    await deliver_mail(deps, "1")

    assert (result.stage, result.outcome) == (Stage.AWAITING_APPROVAL, StageOutcome.MOVED)
    review = letters(deps)[-1]
    assert (review.kind, review.recipient_key, review.outbound) == (
        "kajian_dugaan_pelanggaran",
        "arsip-r1",
        False,
    )
    assert "Rahmat Hidayat" in letter_text(deps, review)  # the internal kajian names the reporter
    assert state(deps)["outbox"] == outbox_before and len(sink.messages) == mails
    decision = decision_of(deps)
    assert decision.outcome is DecisionOutcome.VIOLATION
    assert decision.acts == ["SKB-B4", "SKB-B7"]
    assert [(r.party, r.authority) for r in decision.rows] == [("terlapor-0", Authority.BKN)]
    assert deadlines(deps)["decision"].status == "met"
    assert events(deps)[-1] == "RecommendationDrafted"


async def test_recommending_again_repeats_nothing(deps: Deps, sink: MailSink) -> None:
    await run_sample(deps, PPU, until=Stage.AWAITING_APPROVAL)
    before, mails = state(deps), len(sink.messages)
    again = _recommend(deps, FINDINGS.model_copy(update={"acts": ["SKB-B6"]}))
    assert (again.stage, again.outcome) == (Stage.AWAITING_APPROVAL, StageOutcome.ALREADY_DONE)
    assert state(deps) == before and len(sink.messages) == mails
    assert decision_of(deps).acts == ["SKB-B4", "SKB-B7"]


@pytest.mark.parametrize("stage", [Stage.CLARIFICATION, Stage.REFERRED])
async def test_recommending_for_a_case_at_another_stage_changes_nothing(
    deps: Deps, stage: Stage
) -> None:
    await run_sample(deps, PPU, until=stage)
    before = state(deps)
    result = _recommend(deps, FINDINGS)
    assert (result.stage, result.outcome) == (stage, StageOutcome.ELSEWHERE)
    assert state(deps) == before


async def test_a_proven_violation_without_acts_is_refused(deps: Deps) -> None:
    await run_sample(deps, PPU, until=Stage.UNDER_REVIEW)
    before = state(deps)
    with pytest.raises(FindingsIncomplete, match=r"kode pelanggaran \(acts\) wajib diisi"):
        _recommend(deps, FindingsInput(violation=True, acts=[]))
    assert state(deps) == before


async def test_an_unknown_violation_code_is_refused_naming_the_valid_ones(deps: Deps) -> None:
    await run_sample(deps, PPU, until=Stage.UNDER_REVIEW)
    before = state(deps)
    with pytest.raises(FindingsIncomplete, match=r"tidak dikenal: SKB-X99; kode yang berlaku: "):
        _recommend(deps, FindingsInput(acts=["SKB-B4", "SKB-X99"]))
    assert state(deps) == before


async def test_a_dismissal_closes_the_case_and_tells_the_reporter_and_the_reported(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PPU, until=Stage.UNDER_REVIEW)
    mails = len(sink.messages)

    result = _recommend(deps, FindingsInput(violation=False, reasoning="Tidak terbukti."))
    await deliver_mail(deps, "1")

    assert (result.stage, result.outcome) == (Stage.NOT_A_VIOLATION, StageOutcome.MOVED)
    notice = next(x for x in letters(deps) if x.recipient_key == "pelapor-hasil")
    assert "tidak terbukti" in letter_text(deps, notice)
    assert sorted(str(m["To"]) for m in sink.messages[mails:]) == [
        '"Drs. Agus Salim, M.Si." <agus.salim@example.go.id>',
        "Rahmat Hidayat <rahmat.hidayat@example.org>",
    ]
    assert decision_of(deps).outcome is DecisionOutcome.NO_VIOLATION
    assert decision_of(deps).rows == []
    outbound = {x.kind for x in letters(deps) if x.outbound}
    assert outbound == {"undangan_klarifikasi", "pemberitahuan_penghentian"}  # no referral
    stopped = next(x for x in letters(deps) if x.kind == "pemberitahuan_penghentian")
    text = letter_text(deps, stopped)
    assert "Yth. Sdr. Drs. Agus Salim, M.Si." in text and "tidak terbukti" in text
    assert events(deps)[-1] == "CaseDismissed"


async def test_an_election_crime_goes_to_gakkumdu_and_the_reporter_is_told(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PPU, until=Stage.UNDER_REVIEW)
    crime = FINDINGS.model_copy(update={"acts": ["UU10-71-1"]})

    result = _recommend(deps, crime)
    await deliver_mail(deps, "1")

    assert (result.stage, result.outcome) == (Stage.TO_GAKKUMDU, StageOutcome.MOVED)
    decision = decision_of(deps)
    assert decision.outcome is DecisionOutcome.CRIME
    assert [r.authority for r in decision.rows] == [Authority.GAKKUMDU]
    notice = next(x for x in letters(deps) if x.recipient_key == "pelapor-hasil")
    assert "Gakkumdu" in letter_text(deps, notice)
    assert "rahmat.hidayat@example.org" in str(sink.messages[-1]["To"])
    assert events(deps)[-1] == "CaseSentToGakkumdu"


@pytest.mark.parametrize(
    ("contest", "warned"), [("presiden", False), ("Legislatif", True), (None, True)]
)
async def test_the_findings_contest_decides_the_phase_warning_on_record(
    deps: Deps, contest: str | None, warned: bool
) -> None:
    """Pemilu 2024: legislative lists set on 3 Nov 2023, presidential pairs on 13 Nov. An act
    on 8 Nov about a 'bakal calon' (Huruf A) fits the presidential contest only; the warning is
    on record with the recommendation and never stops it."""
    from datetime import date

    from models.inputs import HearingSchedule, VerificationChoice, VerificationDecision
    from services.clarification import invite_for_clarification, record_clarification

    stem = "report-pemilu-late-guru"
    report = report_of(stem)
    plan = plan_of(stem).model_copy(
        update={
            "verification": VerificationDecision(
                decision=VerificationChoice.REGISTER, reason="Diregistrasi untuk uji."
            )
        }
    )
    await run_sample(deps, stem, plan, until=Stage.REGISTERED)
    hearing = HearingSchedule(date=date(2024, 2, 22), time="10:00", place="Kantor")
    invite_for_clarification(deps, "1", hearing, actor=staff("p"), now=at(report, 1))
    record_clarification(deps, "1", [], actor=staff("p"), now=at(report, 2))
    findings = FindingsInput(acts=["SKB-A1"], act_date=date(2023, 11, 8), contest=contest)
    result = recommend_sanction(deps, "1", findings, actor=staff("p"), now=at(report, 3))
    assert result.stage is Stage.AWAITING_APPROVAL
    with_reason = [e for e in _events_with_reasons(deps) if e[0] == "RecommendationDrafted"]
    assert ("peringatan" in with_reason[0][1]) is warned
    if contest == "Legislatif":
        assert "3 November 2023" in with_reason[0][1]


def _events_with_reasons(deps: Deps) -> list[tuple[str, str]]:
    from sqlmodel import Session, col, select

    from models.tables import StageEvent

    with Session(deps.engine) as session:
        rows = session.exec(select(StageEvent).order_by(col(StageEvent.id))).all()
        return [(e.event, e.reason) for e in rows]
