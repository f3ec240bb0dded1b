"""The reporter in the process (Build 4 of issue 10): invited to clarification like the others,
their own statement kept inside Bawaslu, and their consent to disclosure recorded and followed
by the letters issued after it."""

from __future__ import annotations

from datetime import date

import pytest

from cli.local.mail_sink import MailSink
from models.enums import ConsentScope
from models.inputs import ApprovalInput, CasePlan, ConsentInput, HearingOutcome
from models.outcomes import StageOutcome
from models.stages import Stage
from services.approval import approve_recommendation
from services.consent import ConsentRefused, record_consent, withdraw_consent
from services.deps import Deps
from services.desk import ConfidentialityBreach
from tests.services.helpers import (
    ON_SQLITE,
    PPU,
    at,
    case_of,
    events,
    letter_text,
    letters,
    plan_of,
    report_of,
    run_sample,
    state,
)
from tests.support.actors import staff

REPORTER = "Rahmat Hidayat"
OWN_WORDS = "Saya, Rahmat Hidayat, melihat sendiri terlapor berorasi di panggung."
APPROVAL_TIME = at(report_of(PPU), plan_of(PPU).times.approval)
NAME_ONLY = ConsentInput(
    scope=ConsentScope.NAME, given_on=date(2024, 10, 16), means="surat pernyataan bermeterai"
)


def _plan_hearing_the_reporter(**changes: object) -> CasePlan:
    plan = plan_of(PPU)
    heard = HearingOutcome(party="pelapor-0", attended=True, statement=OWN_WORDS)
    return plan.model_copy(
        update={"clarification_outcomes": [*plan.clarification_outcomes, heard], **changes}
    )


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"], indirect=True)
async def test_the_reporter_is_invited_heard_and_kept_out_of_the_referral(
    deps: Deps, sink: MailSink
) -> None:
    result = await run_sample(deps, PPU, _plan_hearing_the_reporter())
    assert result.stage is Stage.REFERRED
    invited = next(x for x in letters(deps) if x.kind == "undangan_klarifikasi_pelapor")
    assert (invited.recipient_key, invited.outbound) == ("pelapor-0", False)
    text = " ".join(letter_text(deps, invited).split())
    assert f"Yth. Sdr. {REPORTER}" in text and "Kedudukan : Pelapor" in text
    assert any(
        "Undangan Klarifikasi" in str(m["Subject"]) and REPORTER in str(m["To"])
        for m in sink.messages
    )
    record = next(
        x
        for x in letters(deps)
        if x.kind == "berita_acara_klarifikasi" and x.recipient_key == "pelapor-0"
    )
    assert OWN_WORDS in letter_text(deps, record)
    internal = next(x for x in letters(deps) if x.kind == "kajian_dugaan_pelanggaran")
    assert f"Keterangan pelapor: {OWN_WORDS}" in letter_text(deps, internal)
    for outbound in (x for x in letters(deps) if x.outbound):
        assert REPORTER not in letter_text(deps, outbound), outbound.kind


@ON_SQLITE
async def test_the_reporter_may_be_left_uninvited(deps: Deps) -> None:
    plan = plan_of(PPU)
    assert plan.clarification is not None
    schedule = plan.clarification.model_copy(update={"invite_reporter": False})
    await run_sample(
        deps, PPU, plan.model_copy(update={"clarification": schedule}), until=Stage.CLARIFICATION
    )
    assert not [x for x in letters(deps) if x.kind == "undangan_klarifikasi_pelapor"]


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"], indirect=True)
async def test_consent_to_the_name_lets_it_out_and_nothing_more(deps: Deps) -> None:
    naming = plan_of(PPU).findings
    assert naming is not None
    naming = naming.model_copy(update={"reasoning": f"Menurut pelapor, {REPORTER}, ..."})
    plan = _plan_hearing_the_reporter(findings=naming, approval=None)
    await run_sample(deps, PPU, plan)
    approval = ApprovalInput(approved=True)
    with pytest.raises(ConfidentialityBreach):
        approve_recommendation(deps, "1", approval, actor=staff("pimpinan"), now=APPROVAL_TIME)

    given = record_consent(deps, "1", NAME_ONLY, actor=staff("petugas"), now=APPROVAL_TIME)
    assert given.outcome is StageOutcome.MOVED
    again = record_consent(deps, "1", NAME_ONLY, actor=staff("petugas"), now=APPROVAL_TIME)
    assert again.outcome is StageOutcome.ALREADY_DONE
    assert events(deps).count("ReporterConsented") == 1

    approve_recommendation(deps, "1", approval, actor=staff("pimpinan"), now=APPROVAL_TIME)
    assert case_of(deps).stage is Stage.APPROVED
    attached = next(x for x in letters(deps) if x.kind == "kajian_dugaan_pelanggaran_disamarkan")
    text = " ".join(letter_text(deps, attached).split())
    assert f"Pelapor : {REPORTER}" in text and "(dirahasiakan)" not in text
    assert OWN_WORDS not in text  # the reporter's own statement still stays inside


@ON_SQLITE
async def test_consent_to_the_name_still_guards_the_contacts(deps: Deps) -> None:
    naming = plan_of(PPU).findings
    assert naming is not None
    naming = naming.model_copy(update={"reasoning": "Pelapor dapat dihubungi di 081250001111."})
    await run_sample(
        deps, PPU, plan_of(PPU).model_copy(update={"findings": naming, "approval": None})
    )
    record_consent(deps, "1", NAME_ONLY, actor=staff("petugas"), now=APPROVAL_TIME)
    with pytest.raises(ConfidentialityBreach, match="telepon"):
        approve_recommendation(
            deps, "1", ApprovalInput(approved=True), actor=staff("pimpinan"), now=APPROVAL_TIME
        )
    whole = NAME_ONLY.model_copy(update={"scope": ConsentScope.IDENTITY})
    record_consent(deps, "1", whole, actor=staff("petugas"), now=APPROVAL_TIME)
    approve_recommendation(
        deps, "1", ApprovalInput(approved=True), actor=staff("pimpinan"), now=APPROVAL_TIME
    )
    assert case_of(deps).stage is Stage.APPROVED


@ON_SQLITE
async def test_withdrawn_consent_is_kept_and_guards_again(deps: Deps) -> None:
    naming = plan_of(PPU).findings
    assert naming is not None
    naming = naming.model_copy(update={"reasoning": f"Menurut pelapor, {REPORTER}, ..."})
    await run_sample(
        deps, PPU, plan_of(PPU).model_copy(update={"findings": naming, "approval": None})
    )
    with pytest.raises(ConsentRefused, match="tidak ada persetujuan"):
        withdraw_consent(deps, "1", reason="x", actor=staff("petugas"), now=APPROVAL_TIME)
    record_consent(deps, "1", NAME_ONLY, actor=staff("petugas"), now=APPROVAL_TIME)
    withdraw_consent(
        deps, "1", reason="pelapor berubah pikiran", actor=staff("petugas"), now=APPROVAL_TIME
    )
    assert events(deps)[-2:] == ["ReporterConsented", "ReporterConsentWithdrawn"]
    with pytest.raises(ConfidentialityBreach):
        approve_recommendation(
            deps, "1", ApprovalInput(approved=True), actor=staff("pimpinan"), now=APPROVAL_TIME
        )


@ON_SQLITE
async def test_a_consent_that_cannot_be_recorded_records_nothing(deps: Deps) -> None:
    await run_sample(deps, PPU, until=Stage.REGISTERED)
    before = state(deps)
    future = NAME_ONLY.model_copy(update={"given_on": date(2030, 1, 1)})
    with pytest.raises(ConsentRefused, match="belum tiba"):
        record_consent(deps, "1", future, actor=staff("petugas"), now=APPROVAL_TIME)
    stem = "temuan-balikpapan-pppk"
    result = await run_sample(deps, stem, until=Stage.RECEIVED)
    with pytest.raises(ConsentRefused, match="temuan"):
        record_consent(deps, result.case_ref, NAME_ONLY, actor=staff("petugas"), now=APPROVAL_TIME)
    assert state(deps)["stage_event"] == before["stage_event"] + 1  # the temuan's intake only


@ON_SQLITE
async def test_the_reporter_is_not_told_their_identity_is_kept_once_they_consented(
    deps: Deps,
) -> None:
    from models.inputs import VerificationChoice, VerificationDecision
    from services.verification import verify_case

    await run_sample(deps, PPU, until=Stage.RECEIVED)
    record_consent(deps, "1", NAME_ONLY, actor=staff("petugas"), now=APPROVAL_TIME)
    register = VerificationDecision(decision=VerificationChoice.REGISTER)
    verify_case(deps, "1", register, actor=staff("petugas"), now=APPROVAL_TIME)
    notice = next(x for x in letters(deps) if x.kind == "pemberitahuan_status")
    text = letter_text(deps, notice)
    assert "Sesuai dengan persetujuan Saudara" in text and "dirahasiakan" not in text
