"""The supervisor's approval (`approve_recommendation`): approval issues every outbound letter
and queues its email, once; a return sends the case back for review; a return needs a note."""

from __future__ import annotations

from unittest.mock import ANY

import pytest
from pydantic import ValidationError

from cli.local.mail_sink import MailSink
from models.inputs import ApprovalInput
from models.outcomes import StageOutcome, StageResult
from models.stages import Stage
from models.tables import OutboxStatus
from services.approval import approve_recommendation
from services.deps import Deps
from services.notification import deliver_mail
from tests.services.helpers import (
    ON_SQLITE,
    PPU,
    at,
    decision_of,
    events,
    letter_text,
    letters,
    outbox,
    plan_of,
    report_of,
    run_sample,
    state,
)
from tests.support.actors import staff

pytestmark = ON_SQLITE
PLAN = plan_of(PPU)
REPORT = report_of(PPU)
APPROVED = ApprovalInput(approved=True, note="Disetujui.")
NOW = at(REPORT, PLAN.times.approval)


def _approve(deps: Deps, approval: ApprovalInput) -> StageResult:
    return approve_recommendation(deps, "1", approval, actor=staff("Ketua"), now=NOW)


async def test_approval_issues_the_referral_and_every_notice_and_queues_their_mail(
    deps: Deps, sink: MailSink
) -> None:
    await run_sample(deps, PPU, until=Stage.AWAITING_APPROVAL)
    issued, queued = len(letters(deps)), len(outbox(deps))

    result = _approve(deps, APPROVED)

    assert (result.stage, result.outcome) == (Stage.APPROVED, StageOutcome.MOVED)
    new = [(x.kind, x.recipient_key, x.outbound) for x in letters(deps)[issued:]]
    assert new == [
        ("surat_penerusan", "otoritas-bkn", True),
        ("kajian_dugaan_pelanggaran_disamarkan", "lampiran-otoritas-bkn", True),
        ("pemberitahuan_terlapor", "terlapor-0", True),
        ("pemberitahuan_status", "pelapor-hasil", False),
    ]
    referral = next(x for x in letters(deps) if x.kind == "surat_penerusan")
    lampiran = next(x for x in letters(deps) if x.kind.endswith("_disamarkan"))
    # The attachment takes no number of its own: it is filed as the referral's lampiran.
    assert lampiran.number == f"Lampiran {referral.number}"
    assert "Badan Kepegawaian Negara" in letter_text(deps, referral)
    assert f"Nomor\t: {referral.number}" in letter_text(deps, lampiran)
    mail = [
        (m.recipient_role, m.to_address, m.status, [a["name"] for a in m.attachments])
        for m in outbox(deps)[queued:]
    ]
    slug = referral.number.replace("/", "-")
    package = [f"{slug}-surat-penerusan.docx", f"{slug}-lampiran-kajian.docx"]
    assert sorted(mail) == [
        # the referral and its kajian in one email, to BKN and (a copy) to the PPK
        ("otoritas", "netralitas@bkn.example.go.id", OutboxStatus.PENDING, package),
        ("pelapor", "rahmat.hidayat@example.org", OutboxStatus.PENDING, [ANY]),
        ("ppk", "bupati@example.go.id", OutboxStatus.PENDING, package),
        ("terlapor", "agus.salim@example.go.id", OutboxStatus.PENDING, [ANY]),
    ]
    copy = next(m for m in outbox(deps) if m.recipient_role == "ppk")
    assert copy.subject.startswith("Tembusan: ") and "salinan surat kami" in copy.body_text
    decision = decision_of(deps)
    assert (decision.approved_by, decision.approved_at) == ("Ketua", NOW)
    assert events(deps)[-1] == "RecommendationApproved"


async def test_approving_again_repeats_nothing(deps: Deps, sink: MailSink) -> None:
    await run_sample(deps, PPU, until=Stage.APPROVED)
    before, mails = state(deps), len(sink.messages)
    again = _approve(deps, APPROVED)
    assert (again.stage, again.outcome) == (Stage.APPROVED, StageOutcome.ALREADY_DONE)
    assert state(deps) == before and len(sink.messages) == mails


@pytest.mark.parametrize("stage", [Stage.UNDER_REVIEW, Stage.REFERRED])
async def test_approving_a_case_at_another_stage_changes_nothing(
    deps: Deps, sink: MailSink, stage: Stage
) -> None:
    await run_sample(deps, PPU, until=stage)
    before, mails = state(deps), len(sink.messages)
    result = _approve(deps, APPROVED)
    await deliver_mail(deps, "1")
    assert (result.stage, result.outcome) == (stage, StageOutcome.ELSEWHERE)
    assert state(deps) == before and len(sink.messages) == mails


async def test_a_returned_recommendation_goes_back_to_review_with_its_note(
    deps: Deps,
) -> None:
    await run_sample(deps, PPU, until=Stage.AWAITING_APPROVAL)
    before = state(deps)
    returned = ApprovalInput(approved=False, note="Lengkapi pertimbangan.")

    result = _approve(deps, returned)

    assert (result.stage, result.outcome) == (Stage.UNDER_REVIEW, StageOutcome.MOVED)
    assert decision_of(deps).return_note == "Lengkapi pertimbangan."
    assert decision_of(deps).approved_by is None
    assert state(deps)["letter"] == before["letter"]
    assert state(deps)["outbox"] == before["outbox"]
    assert events(deps)[-1] == "RecommendationReturned"
    again = _approve(deps, returned)
    assert (again.stage, again.outcome) == (Stage.UNDER_REVIEW, StageOutcome.ALREADY_DONE)
    assert events(deps).count("RecommendationReturned") == 1


@pytest.mark.parametrize("note", ["", "   "])
async def test_a_return_without_a_note_is_refused(deps: Deps, note: str) -> None:
    await run_sample(deps, PPU, until=Stage.AWAITING_APPROVAL)
    before = state(deps)
    with pytest.raises(ValidationError, match="catatan wajib diisi"):
        _approve(deps, ApprovalInput(approved=False, note=note))
    assert state(deps) == before


async def test_returning_a_recommendation_that_was_never_drafted_changes_nothing(
    deps: Deps,
) -> None:
    await run_sample(deps, PPU, until=Stage.UNDER_REVIEW)
    before = state(deps)
    returned = ApprovalInput(approved=False, note="Lengkapi pertimbangan.")
    result = _approve(deps, returned)
    assert (result.stage, result.outcome) == (Stage.UNDER_REVIEW, StageOutcome.ELSEWHERE)
    assert state(deps) == before
