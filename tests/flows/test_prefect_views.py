"""What the Prefect UI shows: a versioned artifact per case, the register, case events, the
supervisor's approval in a paused run, and refused input explained in the run's log."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from uuid import UUID

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import StateType
from prefect.flow_runs import aresume_flow_run
from sqlmodel import Session, select

from adapters.db.cases import get_case
from cli.local.mail_sink import MailSink
from cli.reading import read_report
from flows.publishing import event_name
from flows.scheduled import sweep_flow
from flows.stages import (
    intake_flow,
    recommendation_flow,
    verification_flow,
)
from models.access import Membership, Role
from models.inputs import (
    FindingsInput,
    VerificationChoice,
    VerificationDecision,
)
from models.stages import Stage
from models.tables.case import CaseDeadline, StageEvent
from models.tables.proceedings import CaseDecision
from models.tables.reporting import ReportSubmission, SubmissionStatus
from services.deps import get_deps
from services.users import add_user
from tests.conftest import SAMPLES
from tests.flows.helpers import (
    configure,
    counts,
    decisions_for,
    engine,
    run_sample,
    submit_sample,
)
from tests.flows.prefect_api import artifacts, events, run_logs
from tests.support.actors import staff

PPU_OFFICE = "bawaslu-kab-penajam-paser-utara"

pytestmark = pytest.mark.prefect
WITA = timezone(timedelta(hours=8))
SAMPLE = "report-ppu-camat"


def _case_stage() -> Stage:
    with Session(engine()) as session:
        return get_case(session, "1").stage


async def _awaiting_approval() -> FindingsInput:
    decisions = decisions_for(SAMPLE)
    decisions.approval = None
    assert await run_sample(SAMPLE, decisions) is Stage.AWAITING_APPROVAL
    assert decisions.findings is not None
    return decisions.findings


async def _paused_run_id(wait: float = 60) -> UUID:
    paused = FlowRunFilter(
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.PAUSED]))
    )
    async with get_client() as client:
        for _ in range(int(wait * 2)):
            runs = await client.read_flow_runs(flow_run_filter=paused)
            if runs:
                return runs[0].id
            await asyncio.sleep(0.5)
    raise AssertionError("no paused run appeared")


async def test_every_stage_publishes_the_case_without_reporter_contacts(netra_env: Path) -> None:
    start = datetime.now(UTC)
    assert await run_sample(SAMPLE) is Stage.REFERRED
    with Session(engine()) as session:
        case = get_case(session, "1")
        recorded = list(session.exec(select(StageEvent).order_by(StageEvent.id)))  # type: ignore[arg-type]

    versions = await artifacts("perkara-1", start)
    assert len(versions) == 7  # intake, kajian awal, undangan, berita acara, rekomendasi, ...
    latest = versions[-1].data
    assert f"# Perkara {case.case_number}" in latest
    assert Stage.REFERRED.label in latest and "Tindak lanjut PPK" in latest
    assert "Menunggu persetujuan pimpinan" in versions[4].data
    reporter = read_report(SAMPLES / "reports" / f"{SAMPLE}.json").reporter
    assert reporter.name and reporter.name in latest  # named, for the office's own eyes
    for version in versions:
        for secret in (reporter.phone, reporter.email, reporter.address):
            assert secret and secret not in version.data

    async with get_client() as client:  # the runs carry the submission's number, not the report
        stored = json.dumps([r.parameters for r in await client.read_flow_runs(limit=200)])
    assert '"submission": 1' in stored
    witness = read_report(SAMPLES / "reports" / f"{SAMPLE}.json").witnesses[0]
    for secret in (reporter.name, reporter.phone, reporter.email, reporter.address, witness.phone):
        assert secret and secret not in stored

    emitted = await events("netra.case.", start, expected=len(recorded))
    assert [e["event"] for e in emitted] == [event_name(e) for e in recorded], (
        [e["event"] for e in emitted],
        [(e.event, e.from_stage, e.to_stage) for e in recorded],
    )
    assert emitted[0]["event"] == "netra.case.diterima"
    approval = next(e for e in emitted if e["event"] == "netra.case.menunggu_persetujuan")
    assert approval["resource"]["netra.case.number"] == case.case_number
    assert approval["resource"]["netra.office"] == case.office_key
    assert approval["resource"]["netra.stage"] == "menunggu_persetujuan"
    assert approval["resource"]["prefect.resource.id"] == "netra.case.1"


async def test_sweep_refreshes_the_register_and_shows_the_missed_deadline(
    netra_env: Path, sink: MailSink
) -> None:
    assert await run_sample(SAMPLE) is Stage.REFERRED
    assert await run_sample("report-pangkalpinang-lurah") is Stage.REFERRED
    with Session(engine()) as session:
        due = session.exec(
            select(CaseDeadline).where(
                CaseDeadline.rule == "ppk_followup", CaseDeadline.case_id == 1
            )
        ).one()
    start = datetime.now(UTC)
    late = due.due_on + timedelta(days=1)
    await sweep_flow(datetime(late.year, late.month, late.day, 9, tzinfo=WITA))
    await sweep_flow(datetime(late.year, late.month, late.day, 10, tzinfo=WITA))

    register = await artifacts("register", start)
    assert len(register) == 2  # one per sweep
    rows = register[-1].data
    assert (
        "001/LP/PW/Kab/64.09/X/2024" in rows
        and "Tindak lanjut PPK melewati batas waktu atau ditolak" in rows
    )
    assert '"Terlambat": "YA"' in rows and "Tindak lanjut PPK" in rows
    missed = await events("netra.case.deadline_missed", start, expected=2)
    per_case = [e["resource"]["netra.case.id"] for e in missed]
    assert per_case.count("1") == 1  # the second sweep marks nothing twice
    page = (await artifacts("perkara-1", start))[-1].data
    assert "Tenggat terlewat" in page and "PPK diingatkan" in page
    assert "DeadlineMissed" not in page and "ppk_followup" not in page
    assert Stage.PPK_OVERDUE.label in page

    with Session(engine()) as session:
        reply = session.exec(
            select(CaseDeadline).where(
                CaseDeadline.rule == "ppk_reminder_reply", CaseDeadline.case_id == 1
            )
        ).one()
    after = reply.due_on + timedelta(days=1)
    for hour in (9, 10):
        await sweep_flow(datetime(after.year, after.month, after.day, hour, tzinfo=WITA))
    escalated = await events("netra.case.escalated_to_bkn", start, expected=2)
    assert [e["resource"]["netra.case.id"] for e in escalated].count("1") == 1
    page = (await artifacts("perkara-1", start))[-1].data
    assert page.count("| PPK diingatkan |") == 1
    assert page.count("| Diusulkan ke BKN (blokir SIASN) |") == 1


async def test_supervisor_approves_in_the_paused_run(netra_env: Path, sink: MailSink) -> None:
    findings = await _awaiting_approval()
    run = asyncio.create_task(recommendation_flow("1", findings, "petugas", wait_for_approval=True))
    run_id = await _paused_run_id()
    assert _case_stage() is Stage.AWAITING_APPROVAL  # nothing went out while waiting
    # A pemeriksa of the office is not a pimpinan: refused, the form is shown again.
    add_user(
        get_deps(), staff("admin"), "periksa", "Periksa", [Membership(PPU_OFFICE, Role.PEMERIKSA)]
    )
    await aresume_flow_run(
        run_id, run_input={"decision": "setujui", "note": "Setuju.", "decided_by": "periksa"}
    )
    run_id = await _paused_run_id()
    assert _case_stage() is Stage.AWAITING_APPROVAL
    refusal = await run_logs(run_id, "Keputusan pimpinan ditolak")
    assert any("tidak berwenang menyetujui" in line for line in refusal)
    await aresume_flow_run(
        run_id, run_input={"decision": "setujui", "note": "Setuju.", "decided_by": "ketua"}
    )
    assert (await run).stage is Stage.REFERRED
    with Session(engine()) as session:
        decision = session.exec(select(CaseDecision)).one()
    assert decision.approved_by == "ketua"
    assert any("BKN" in str(m["To"]) or "bkn" in str(m["To"]).lower() for m in sink.messages)


async def test_supervisor_returns_the_recommendation_with_a_note(netra_env: Path) -> None:
    findings = await _awaiting_approval()
    run = asyncio.create_task(recommendation_flow("1", findings, "petugas", wait_for_approval=True))
    await aresume_flow_run(
        await _paused_run_id(),
        run_input={"decision": "kembalikan", "note": "Lengkapi bukti.", "decided_by": "ketua"},
    )
    assert (await run).stage is Stage.UNDER_REVIEW
    with Session(engine()) as session:
        assert session.exec(select(CaseDecision)).one().return_note == "Lengkapi bukti."


async def test_a_long_wait_keeps_the_case_and_reminds_the_supervisor_once(
    netra_env: Path, sink: MailSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(approval_wait_seconds=2)
    findings = await _awaiting_approval()
    before = len(sink.messages)
    state = await recommendation_flow(
        "1", findings, "petugas", wait_for_approval=True, return_state=True
    )
    assert state.is_completed() and (await state.aresult()).stage is Stage.AWAITING_APPROVAL
    assert _case_stage() is Stage.AWAITING_APPROVAL
    reminders = [m for m in sink.messages[before:] if "Menunggu persetujuan" in str(m["Subject"])]
    assert len(reminders) == 1 and "bawaslu.ppu@example.go.id" in str(reminders[0]["To"])
    assert "netra approve 001/LP/PW/Kab/64.09/X/2024" in str(reminders[0])

    assert (await recommendation_flow("1", findings, "petugas", wait_for_approval=True)).stage is (
        Stage.AWAITING_APPROVAL
    )
    assert len(sink.messages) == before + 1  # reminded once per recommendation
    run = asyncio.create_task(recommendation_flow("1", findings, "petugas", wait_for_approval=True))
    configure(approval_wait_seconds=60)
    await aresume_flow_run(
        await _paused_run_id(), run_input={"decision": "setujui", "decided_by": "ketua"}
    )
    assert (await run).stage is Stage.REFERRED  # approval later carries the same case on


async def test_refused_input_is_explained_in_the_log_and_changes_nothing(
    netra_env: Path,
) -> None:
    await _awaiting_approval()
    before = counts()
    unknown = submit_sample(SAMPLE, office="bawaslu-kab-tidak-ada")
    intake = await intake_flow(unknown, "petugas", return_state=True)
    assert intake.is_failed()
    refused = "Masukan ditolak; perkara tidak berubah."
    logs = await run_logs(intake.state_details.flow_run_id, refused)  # type: ignore[arg-type]
    assert any(refused in line and "bawaslu-kab-tidak-ada" in line for line in logs)
    assert counts() == before
    with Session(engine()) as session:
        kept = session.get(ReportSubmission, unknown)
        assert kept is not None and kept.status is SubmissionStatus.REFUSED
        assert kept.report is None  # nothing of a refused report is kept
    retried = await intake_flow(unknown, "petugas", return_state=True)
    assert retried.is_failed() and counts() == before  # a Retry of a refused run adds no case
    logs = await run_logs(retried.state_details.flow_run_id, "sudah ditolak")  # type: ignore[arg-type]
    assert any("sudah ditolak" in line for line in logs)

    state = await verification_flow(
        "99",
        VerificationDecision(decision=VerificationChoice.REGISTER),
        "petugas",
        return_state=True,
    )
    assert state.is_failed()
    logs = await run_logs(state.state_details.flow_run_id, refused)  # type: ignore[arg-type]
    assert any(refused in line and "99" in line for line in logs)

    with Session(engine()) as session:
        case = get_case(session, "1")
        case.stage = Stage.UNDER_REVIEW  # as if returned: the flow would now decide
        session.add(case)
        session.commit()
    state = await recommendation_flow(
        "1", FindingsInput(violation=True, acts=[]), "petugas", return_state=True
    )
    assert state.is_failed()
    missing = "kode pelanggaran (acts) wajib diisi"
    logs = await run_logs(state.state_details.flow_run_id, missing)  # type: ignore[arg-type]
    assert any(missing in line for line in logs)
    assert counts() == before and _case_stage() is Stage.UNDER_REVIEW
