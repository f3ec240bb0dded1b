"""Correcting a recorded text so that a refused approval can always be mended: the original is
kept, the correction is an event that never repeats the texts, and letters already sent are
never contradicted (no correction after approval)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from cli.local.mail_sink import MailSink
from models.inputs import ApprovalInput
from models.outcomes import StageOutcome, StageResult
from models.stages import Stage
from models.tables import Hearing, StageEvent, TextCorrection
from services.approval import approve_recommendation
from services.correction import CorrectionRefused, correct_text
from services.deps import Deps
from services.desk import ConfidentialityBreach
from tests.services.helpers import PPU, at, events, plan_of, report_of, run_sample, state
from tests.support.actors import staff

WHEN = at(report_of(PPU), 2.55)


def _unname_the_reporter(deps: Deps) -> StageResult:
    return correct_text(
        deps,
        "1",
        "statement:saksi-0",
        "Saksi melihat terlapor di panggung.",
        reason="menghapus identitas pelapor",
        actor=staff("pemeriksa"),
        now=WHEN,
    )


async def test_a_statement_naming_the_reporter_is_corrected_and_the_case_approved(
    deps: Deps, sink: MailSink
) -> None:
    plan = plan_of(PPU)
    named = [
        o.model_copy(update={"statement": "Saksi dan R. Hidayat melihat terlapor di panggung."})
        if o.party == "saksi-0"
        else o
        for o in plan.clarification_outcomes
    ]
    await run_sample(
        deps, PPU, plan.model_copy(update={"clarification_outcomes": named, "approval": None})
    )
    with pytest.raises(ConfidentialityBreach):
        approve_recommendation(
            deps, "1", ApprovalInput(approved=True), actor=staff("ketua"), now=WHEN
        )

    result = _unname_the_reporter(deps)
    assert result.outcome is StageOutcome.MOVED
    with Session(deps.engine) as session:
        [kept] = session.exec(select(TextCorrection)).all()
        event = session.exec(select(StageEvent).where(StageEvent.event == "TextCorrected")).one()
        statements = [h.statement for h in session.exec(select(Hearing)).all()]
    assert "R. Hidayat" in kept.original and kept.corrected == "Saksi melihat terlapor di panggung."
    assert "Hidayat" not in event.reason and "menghapus identitas pelapor" in event.reason
    assert "Saksi melihat terlapor di panggung." in statements

    again = _unname_the_reporter(deps)
    assert again.outcome is StageOutcome.ALREADY_DONE and events(deps).count("TextCorrected") == 1
    approved = approve_recommendation(
        deps, "1", ApprovalInput(approved=True), actor=staff("ketua"), now=WHEN
    )
    assert approved.stage is Stage.APPROVED


@pytest.mark.parametrize(
    ("target", "text", "reason", "refusal"),
    [
        ("nama", "x", "y", "tidak dapat dikoreksi; yang dapat"),
        ("statement", "x", "y", "per pihak"),
        ("account", " ", "y", "tidak boleh kosong"),
        ("account", "x", " ", "alasan koreksi wajib diisi"),
        ("statement:saksi-9", "x", "y", "pihak tidak dikenal"),
    ],
)
async def test_a_correction_that_cannot_be_made_is_refused_in_indonesian(
    deps: Deps, sink: MailSink, target: str, text: str, reason: str, refusal: str
) -> None:
    await run_sample(deps, PPU, until=Stage.AWAITING_APPROVAL)
    before = state(deps)
    with pytest.raises(CorrectionRefused, match=refusal):
        correct_text(deps, "1", target, text, reason=reason, actor=staff("p"), now=WHEN)
    assert state(deps) == before


async def test_after_approval_no_text_is_corrected(deps: Deps, sink: MailSink) -> None:
    await run_sample(deps, PPU, until=Stage.APPROVED)
    before = state(deps)
    with pytest.raises(CorrectionRefused, match="tidak dapat dikoreksi pada tahap"):
        correct_text(deps, "1", "account", "baru", reason="r", actor=staff("p"), now=WHEN)
    assert state(deps) == before and "TextCorrected" not in events(deps)


async def test_the_summary_and_place_outsiders_read_can_be_corrected(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PPU, until=Stage.AWAITING_APPROVAL)
    for target, text in (("summary", "Camat hadir pada deklarasi"), ("place", "Gedung Waru")):
        correct_text(
            deps,
            "1",
            target,
            text,
            reason="menghapus identitas pelapor",
            actor=staff("p"),
            now=WHEN,
        )
    with Session(deps.engine) as session:
        kept = [c.target for c in session.exec(select(TextCorrection)).all()]
    assert kept == ["summary", "place"]
    approved = approve_recommendation(
        deps, "1", ApprovalInput(approved=True), actor=staff("k"), now=WHEN
    )
    assert approved.stage is Stage.APPROVED


async def test_no_statement_is_put_in_the_mouth_of_someone_absent(
    deps: Deps, sink: MailSink
) -> None:
    plan = plan_of(PPU)
    outcomes = [o for o in plan.clarification_outcomes if o.party != "saksi-0"]  # saksi absent
    await run_sample(
        deps, PPU, plan.model_copy(update={"clarification_outcomes": outcomes, "approval": None})
    )
    with pytest.raises(CorrectionRefused, match="tidak hadir"):
        correct_text(deps, "1", "statement:saksi-0", "x", reason="y", actor=staff("p"), now=WHEN)
