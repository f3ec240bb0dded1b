"""Completion requests (Build 1 of issue 10): the reporter asked to complete a report, the
completed report carried with the previous one kept, and a report left incomplete closed by the
sweep, once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from cli.local.mail_sink import MailSink
from models.inputs import VerificationChoice, VerificationDecision
from models.outcomes import StageOutcome
from models.report.model import Report
from models.stages import Stage
from models.tables import ReportAmendment
from services.completion import AmendmentRefused, complete_report
from services.deps import Deps
from services.notification import deliver_mail
from services.sweep import sweep_deadlines
from services.verification import DecisionIncomplete, verify_case
from tests.services.helpers import (
    ON_SQLITE,
    PPU,
    PPU_NUMBER,
    at,
    case_of,
    deadlines,
    events,
    letter_text,
    letters,
    report_of,
    run_sample,
    state,
)
from tests.support.actors import staff

ASK = VerificationDecision(
    decision=VerificationChoice.COMPLETE,
    missing_items=["tangkapan layar unggahan beserta tautannya", "alamat lengkap pelapor"],
)
REGISTER = VerificationDecision(decision=VerificationChoice.REGISTER)


async def _asked(deps: Deps) -> Report:
    await run_sample(deps, PPU, until=Stage.RECEIVED)
    report = report_of(PPU)
    result = verify_case(deps, "1", ASK, actor=staff("petugas"), now=at(report, 1))
    await deliver_mail(deps, "1")
    assert (result.stage, result.outcome) == (Stage.NEEDS_COMPLETION, StageOutcome.MOVED)
    return report


def _completed(report: Report, days: float) -> Report:
    """The reporter's completed report: a new account and one more piece of evidence, sent
    `days` after the original."""
    incident = report.incident.model_copy(
        update={"account": report.incident.account + " Tautan unggahan terlampir."}
    )
    evidence = [*report.evidence, report.evidence[0].model_copy(update={"description": "Tautan"})]
    return report.model_copy(
        update={
            "incident": incident,
            "evidence": evidence,
            "received_at": at(report, days),
        }
    )


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"], indirect=True)
async def test_the_reporter_is_asked_what_to_complete_and_by_when(
    deps: Deps, sink: MailSink
) -> None:
    await _asked(deps)
    asked = next(x for x in letters(deps) if x.kind == "permintaan_kelengkapan")
    text = letter_text(deps, asked)
    assert "1. tangkapan layar unggahan beserta tautannya;" in " ".join(text.split())
    assert "2. alamat lengkap pelapor." in " ".join(text.split())
    due = deadlines(deps)["completion"]
    assert (due.status, due.due_on - due.start_on) == ("open", timedelta(days=2))
    assert due.confirmed is False and "Perbawaslu 8/2020" in due.basis
    assert f"sampai dengan tanggal {due.due_on.day} " in text
    assert deadlines(deps)["kajian_awal"].status == "met"
    assert [x.recipient_key for x in letters(deps) if x.kind == "kajian_awal"] == [
        "arsip-kelengkapan"
    ]
    assert str(sink.messages[-1]["To"]) == "Rahmat Hidayat <rahmat.hidayat@example.org>"
    assert "Permintaan Kelengkapan Laporan" in str(sink.messages[-1]["Subject"])
    assert events(deps)[-1] == "CompletionRequested"


@ON_SQLITE
async def test_a_request_names_the_items_and_a_temuan_is_never_asked(deps: Deps) -> None:
    await run_sample(deps, PPU, until=Stage.RECEIVED)
    before = state(deps)
    bare = VerificationDecision(decision=VerificationChoice.COMPLETE, missing_items=[" "])
    with pytest.raises(DecisionIncomplete, match="sebutkan kelengkapan"):
        verify_case(deps, "1", bare, actor=staff("petugas"), now=at(report_of(PPU), 1))
    assert state(deps) == before

    stem = "temuan-balikpapan-pppk"
    result = await run_sample(deps, stem, until=Stage.RECEIVED)
    before = state(deps)
    with pytest.raises(DecisionIncomplete, match="temuan tidak dimintakan kelengkapan"):
        verify_case(deps, result.case_ref, ASK, actor=staff("petugas"), now=at(report_of(stem), 1))
    assert state(deps) == before


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"], indirect=True)
async def test_a_completed_report_resumes_the_kajian_awal_and_keeps_the_old_one(
    deps: Deps,
) -> None:
    report = await _asked(deps)
    completed = _completed(report, 2)
    result = complete_report(deps, "1", completed, actor=staff("petugas"), now=at(report, 2))
    assert (result.stage, result.outcome) == (Stage.RECEIVED, StageOutcome.MOVED)

    case = case_of(deps)
    assert case.incident_account.endswith("Tautan unggahan terlampir.")
    assert case.received_at == report.received_at  # judged as received on the first day
    with Session(deps.engine) as session:
        kept = session.exec(select(ReportAmendment)).one()
    assert kept.previous["incident"]["account"] == report.incident.account
    assert kept.submitted_at == completed.received_at
    due = deadlines(deps)
    assert due["completion"].status == "met"
    assert (due["kajian_awal"].status, due["kajian_awal"].start_on) == (
        "open",
        at(report, 2).date(),
    )
    assert events(deps)[-2:] == ["CompletionRequested", "ReportCompleted"]

    again = complete_report(deps, "1", completed, actor=staff("petugas"), now=at(report, 2))
    assert again.outcome is StageOutcome.ALREADY_DONE
    registered = verify_case(deps, "1", REGISTER, actor=staff("petugas"), now=at(report, 3))
    assert registered.label == PPU_NUMBER
    late_ask = verify_case(deps, "1", ASK, actor=staff("petugas"), now=at(report, 3))
    assert (late_ask.stage, late_ask.outcome) == (Stage.REGISTERED, StageOutcome.ELSEWHERE)


@ON_SQLITE
async def test_a_completed_report_for_another_election_is_refused(deps: Deps) -> None:
    report = await _asked(deps)
    other = report.election.model_copy(update={"year": report.election.year + 5})
    before = state(deps)
    with pytest.raises(AmendmentRefused, match="pemilihan dan pelapor yang sama"):
        complete_report(
            deps,
            "1",
            _completed(report, 2).model_copy(update={"election": other}),
            actor=staff("petugas"),
            now=at(report, 2),
        )
    assert state(deps) == before


@ON_SQLITE
async def test_a_second_request_after_completion_is_refused(deps: Deps) -> None:
    report = await _asked(deps)
    complete_report(deps, "1", _completed(report, 2), actor=staff("petugas"), now=at(report, 2))
    before = state(deps)
    with pytest.raises(DecisionIncomplete, match="sudah pernah diminta"):
        verify_case(deps, "1", ASK, actor=staff("petugas"), now=at(report, 2.5))
    assert state(deps) == before


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"], indirect=True)
async def test_a_report_left_incomplete_is_not_registered_once(deps: Deps, sink: MailSink) -> None:
    report = await _asked(deps)
    mails = len(sink.messages)
    early = sweep_deadlines(deps, now=at(report, 2))
    assert early.not_completed == [] and case_of(deps).stage is Stage.NEEDS_COMPLETION
    assert early.reminded == []  # the reporter's period is not the office's to be reminded of

    late = sweep_deadlines(deps, now=at(report, 5))
    await deliver_mail(deps, "1")
    assert late.not_completed == ["#1:completion"]
    assert case_of(deps).stage is Stage.NOT_REGISTERED
    notice = next(x for x in letters(deps) if x.recipient_key == "pelapor-not_register")
    assert "tidak dilengkapi sampai batas waktu kelengkapan" in letter_text(deps, notice)
    assert len(sink.messages) == mails + 1
    assert events(deps)[-2:] == ["DeadlineMissed", "CaseNotRegistered"]

    before = state(deps)
    assert sweep_deadlines(deps, now=at(report, 6)).not_completed == []
    assert state(deps) == before


@ON_SQLITE
async def test_a_completed_report_after_delegation_keeps_its_first_office(deps: Deps) -> None:
    await run_sample(deps, PPU, until=Stage.RECEIVED)
    report = report_of(PPU)
    delegate = VerificationDecision(
        decision=VerificationChoice.DELEGATE,
        reason="kewenangan provinsi",
        forward_to="bawaslu-prov-kalimantan-timur",
    )
    verify_case(deps, "1", delegate, actor=staff("petugas"), now=at(report, 0.5))
    verify_case(deps, "1", ASK, actor=staff("petugas kaltim"), now=at(report, 1))
    # The reporter completes the report they sent: it still names the office they sent it to.
    result = complete_report(
        deps, "1", _completed(report, 2), actor=staff("petugas"), now=at(report, 2)
    )
    assert result.stage is Stage.RECEIVED
    assert case_of(deps).office_key == "bawaslu-prov-kalimantan-timur"


@ON_SQLITE
async def test_a_completed_report_from_someone_else_is_refused(deps: Deps) -> None:
    report = await _asked(deps)
    stranger = report.reporter.model_copy(update={"name": "Orang Lain"})
    before = state(deps)
    with pytest.raises(AmendmentRefused, match="pelapor yang sama"):
        complete_report(
            deps,
            "1",
            _completed(report, 2).model_copy(update={"reporter": stranger}),
            actor=staff("petugas"),
            now=at(report, 2),
        )
    assert state(deps) == before


@ON_SQLITE
async def test_a_completed_report_naming_one_file_twice_is_refused(
    deps: Deps, tmp_path: Path
) -> None:
    from models.problems import ReportRejected
    from models.report.model import EvidenceItem
    from services.deps import with_evidence_inbox

    report = await _asked(deps)
    (tmp_path / "a.txt").write_text("tangkapan layar unggahan", encoding="utf-8")
    (tmp_path / "b.txt").write_text("tangkapan layar unggahan", encoding="utf-8")
    twice = [
        EvidenceItem(description="Unggahan", file="a.txt"),
        EvidenceItem(description="Unggahan lagi", file="b.txt"),
    ]
    completed = _completed(report, 2).model_copy(update={"evidence": twice})
    inbox = with_evidence_inbox(deps, tmp_path)
    before = state(deps)
    with pytest.raises(ReportRejected) as refused:
        complete_report(inbox, "1", completed, actor=staff("petugas"), now=at(report, 2))
    assert [p.code for p in refused.value.problems] == ["bukti_ganda"]
    assert state(deps) == before and case_of(deps).stage is Stage.NEEDS_COMPLETION


@ON_SQLITE
async def test_a_report_waiting_for_completion_may_still_be_forwarded(deps: Deps) -> None:
    report = await _asked(deps)
    forward = VerificationDecision(
        decision=VerificationChoice.FORWARD, reason="bukan kewenangan", forward_to="Bupati"
    )
    result = verify_case(deps, "1", forward, actor=staff("petugas"), now=at(report, 1.5))
    assert result.stage is Stage.FORWARDED
    assert deadlines(deps)["completion"].status == "met"
