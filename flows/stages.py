"""The Prefect flows: one per stage, each a thin sequence of tasks over the plain stage functions,
named with the case in the Prefect UI, plus `process_case` for the automatic path.

The database is the truth: a flow reads where the case stands and moves it from there, so running
a flow again resumes and repeats no side effect (no second letter number, email or event).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Literal

from prefect import apause_flow_run, flow, get_run_logger
from prefect.exceptions import FlowPauseTimeout
from prefect.input import RunInput
from pydantic import BaseModel, Field

from adapters.db.views import case_view
from flows.case_page import approval_markdown
from flows.publishing import publish_register
from flows.support import (
    NETRA_TASK,
    deliver_all_task,
    deliver_task,
    event_cursor,
    explained_refusal,
    hide_reporter_contacts,
    late_answer,
    publish,
    publish_touched,
    refuse_hidden_report,
    rename_run,
    run_name,
    run_stage,
)
from models.inputs import (
    ApprovalInput,
    FindingsInput,
    HearingOutcome,
    HearingSchedule,
    PpkDecisionInput,
    VerificationDecision,
)
from models.report.model import Report
from models.stages import Stage
from services.acknowledge import record_and_acknowledge
from services.approval import approve_recommendation
from services.clarification import invite_for_clarification, record_clarification
from services.deps import build_deps, resolve_now
from services.notification import mark_referred
from services.ppk import record_ppk_decision
from services.recommendation import recommend_sanction
from services.supervision import remind_pending_approvals, remind_supervisor
from services.sweep import SWEEP_EVENTS, SweepReport, sweep_deadlines
from services.verification import verify_case


@NETRA_TASK
def record_task(report: Report, actor: str, now: datetime) -> int:
    outcome = record_and_acknowledge(build_deps(), report, actor=actor, now=now)
    assert outcome.case.id is not None
    return outcome.case.id


verify_task = NETRA_TASK(verify_case)
sweep_task = NETRA_TASK(sweep_deadlines)
ppk_decision_task = NETRA_TASK(record_ppk_decision)
invite_task = NETRA_TASK(invite_for_clarification)
record_hearing_task = NETRA_TASK(record_clarification)
recommend_task = NETRA_TASK(recommend_sanction)
approve_task = NETRA_TASK(approve_recommendation)
referred_task = NETRA_TASK(mark_referred)
remind_supervisor_task = NETRA_TASK(remind_supervisor)
remind_pending_task = NETRA_TASK(remind_pending_approvals)


@flow(name="penerimaan", flow_run_name="laporan-{report.office}-{report.received_at:%Y%m%d%H%M}")
async def intake_flow(report: Report, actor: str = "petugas", now: datetime | None = None) -> int:
    """Catat laporan/temuan baru (Formulir Model B.1) dan kirim tanda terima kepada pelapor.

    Args:
        report: Isi laporan atau temuan sesuai CONTRACTS.md §1.
        actor: Nama petugas yang mencatat.
        now: Waktu pencatatan dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    since, when = event_cursor(), resolve_now(now)
    with explained_refusal():
        refuse_hidden_report(report)
        case_id = record_task(report, actor, when)
    await hide_reporter_contacts()
    await deliver_task(str(case_id))
    await publish(str(case_id), since, when)
    return case_id


@flow(name="kajian-awal", flow_run_name=run_name("kajian awal"))
async def verification_flow(
    case_ref: str,
    decision: VerificationDecision,
    actor: str = "petugas",
    now: datetime | None = None,
) -> Stage:
    """Keputusan kajian awal: registrasi, tidak diregistrasi, diteruskan atau dilimpahkan.

    Args:
        case_ref: Nomor urut perkara (mis. 7) atau nomor registrasinya.
        decision: Keputusan kajian awal beserta alasannya.
        actor: Nama petugas yang memutuskan.
        now: Waktu keputusan dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    stage = await run_stage(
        case_ref,
        now,
        lambda when: verify_task(build_deps(), case_ref, decision, actor=actor, now=when),
    )
    if stage is Stage.REGISTERED:
        await rename_run("kajian awal")
    return stage


@flow(name="undangan-klarifikasi", flow_run_name=run_name("undangan klarifikasi"))
async def clarification_flow(
    case_ref: str, schedule: HearingSchedule, actor: str = "petugas", now: datetime | None = None
) -> Stage:
    """Terbitkan dan kirim undangan klarifikasi kepada terlapor dan saksi.

    Args:
        case_ref: Nomor urut perkara (mis. 7) atau nomor registrasinya.
        schedule: Tanggal, jam dan tempat klarifikasi.
        actor: Nama petugas.
        now: Waktu penerbitan dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    return await run_stage(
        case_ref,
        now,
        lambda when: invite_task(build_deps(), case_ref, schedule, actor=actor, now=when),
    )


@flow(name="berita-acara-klarifikasi", flow_run_name=run_name("berita acara"))
async def clarification_record_flow(
    case_ref: str,
    outcomes: list[HearingOutcome],
    actor: str = "petugas",
    now: datetime | None = None,
) -> Stage:
    """Catat hasil klarifikasi (berita acara) untuk setiap pihak; yang tidak dicatat dianggap
    tidak hadir.

    Args:
        case_ref: Nomor urut perkara (mis. 7) atau nomor registrasinya.
        outcomes: Hasil klarifikasi per pihak (terlapor-0, saksi-0, ...).
        actor: Nama petugas.
        now: Waktu pencatatan dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    return await run_stage(
        case_ref,
        now,
        lambda when: record_hearing_task(build_deps(), case_ref, outcomes, actor=actor, now=when),
        deliver=False,
    )


PAUSE_MARGIN_SECONDS = 3600


class SupervisorDecision(RunInput):
    """The supervisor's answer in the UI's resume form. The choice has no default, so an
    untouched form cannot approve or return anything by accident."""

    decision: Literal["setujui", "kembalikan"] = Field(
        title="Keputusan", description="Setujui rekomendasi, atau kembalikan untuk dikaji ulang."
    )
    note: str = Field(default="", title="Catatan", description="Wajib bila dikembalikan")
    decided_by: str = Field(default="pimpinan", title="Nama pimpinan yang memutuskan")

    def as_approval(self) -> ApprovalInput:
        if self.decision == "kembalikan" and not self.note.strip():
            return ApprovalInput(approved=False, note="dikembalikan tanpa catatan")
        return ApprovalInput(approved=self.decision == "setujui", note=self.note)


@flow(name="rekomendasi", flow_run_name=run_name("rekomendasi"))
async def recommendation_flow(
    case_ref: str,
    findings: FindingsInput,
    actor: str = "petugas",
    now: datetime | None = None,
    wait_for_approval: bool = False,
) -> Stage:
    """Kajian dugaan pelanggaran dan rekomendasi sanksi menurut aturan; lalu (bila diminta)
    menunggu persetujuan pimpinan di UI sebelum surat apa pun dikirim.

    Args:
        case_ref: Nomor urut perkara (mis. 7) atau nomor registrasinya.
        findings: Hasil kajian: terbukti atau tidak, kode perbuatan, tanggal dan pertimbangan.
        actor: Nama petugas yang menyusun kajian.
        now: Waktu kajian dengan zona waktu; kosongkan untuk waktu sekarang.
        wait_for_approval: Tunggu keputusan pimpinan pada run ini (tombol Resume di UI).
    """
    stage = await run_stage(  # a dismissal or Gakkumdu route tells the reporter at once
        case_ref,
        now,
        lambda when: recommend_task(build_deps(), case_ref, findings, actor=actor, now=when),
    )
    if stage is Stage.AWAITING_APPROVAL and wait_for_approval:
        return await _await_supervisor(case_ref)
    return stage


async def _await_supervisor(case_ref: str) -> Stage:
    """Pause for the supervisor. Past the configured wait the case simply stays "awaiting
    approval" in the database, the supervisor is reminded, and the "persetujuan" deployment
    (or `netra approve`) carries it on later."""
    deps = build_deps()
    view = case_view(deps.engine, case_ref)
    form = SupervisorDecision.with_initial_data(description=approval_markdown(view, deps))
    wait, key = deps.settings.approval_wait_seconds, f"persetujuan-{view.case.id}"
    logger = get_run_logger()
    try:
        # Our own limit, inside a longer server-side pause: a pause that expires on the server
        # forces the run to Failed, and waiting past the limit is a normal outcome here.
        answer = await asyncio.wait_for(
            apause_flow_run(
                wait_for_input=form,
                timeout=wait + PAUSE_MARGIN_SECONDS,
                poll_interval=max(1, min(10, wait // 4)),
                key=key,
            ),
            timeout=wait,
        )
    except (TimeoutError, FlowPauseTimeout):
        reminded = remind_supervisor_task(deps, case_ref, now=resolve_now(None))
        await deliver_task(case_ref)
        late = await late_answer(form, key)  # a Resume sent in the last moments still counts
        if late is None:
            logger.warning(
                "Belum ada keputusan pimpinan setelah %d detik; perkara tetap menunggu "
                "persetujuan%s.",
                wait,
                " dan pimpinan sudah diingatkan lewat surel" if reminded else "",
            )
            return Stage.AWAITING_APPROVAL
        answer = late
    return await approval_flow(case_ref, answer.as_approval(), answer.decided_by, send_letters=True)


@flow(name="persetujuan", flow_run_name=run_name("persetujuan"))
async def approval_flow(
    case_ref: str,
    approval: ApprovalInput,
    actor: str = "pimpinan",
    now: datetime | None = None,
    send_letters: bool = False,
) -> Stage:
    """Persetujuan pimpinan atas rekomendasi, atau pengembalian dengan catatan.

    Args:
        case_ref: Nomor urut perkara (mis. 7) atau nomor registrasinya.
        approval: Disetujui atau dikembalikan, dengan catatan.
        actor: Nama pimpinan.
        now: Waktu persetujuan dengan zona waktu; kosongkan untuk waktu sekarang.
        send_letters: Langsung kirim surat-surat setelah disetujui.
    """
    stage = await run_stage(
        case_ref,
        now,
        lambda when: approve_task(build_deps(), case_ref, approval, actor=actor, now=when),
        deliver=False,
    )
    if stage is Stage.APPROVED and send_letters:
        stage = await notification_flow(case_ref, "sistem", now)
    return stage


@flow(name="notifikasi", flow_run_name=run_name("notifikasi"))
async def notification_flow(
    case_ref: str, actor: str = "sistem", now: datetime | None = None
) -> Stage:
    """Kirim surat-surat yang sudah disetujui; setelah semuanya terkirim perkara berstatus
    diteruskan dan tenggat tindak lanjut PPK mulai berjalan.

    Args:
        case_ref: Nomor urut perkara (mis. 7) atau nomor registrasinya.
        actor: Pencatat (biasanya "sistem").
        now: Waktu dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    since, when = event_cursor(), resolve_now(now)
    await deliver_task(case_ref)
    with explained_refusal():
        stage, _waiting = referred_task(build_deps(), case_ref, actor=actor, now=when)
    await publish(case_ref, since, when)
    return stage


@flow(name="sapu-tenggat", flow_run_name="sapu-tenggat")
async def sweep_flow(now: datetime | None = None) -> SweepReport:
    """Pengingat sebelum tenggat, pencatatan tenggat terlewati, surat pengingat kepada PPK dan
    eskalasi ke BKN; lalu perbarui tabel register perkara terbuka.

    Args:
        now: Waktu penyapuan dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    since, when = event_cursor(), resolve_now(now)
    report = sweep_task(build_deps(), now=when)
    await deliver_all_task()
    await publish_touched(since, when, SWEEP_EVENTS)
    await publish_register(build_deps(), when)
    return report


@flow(name="pengingat-persetujuan", flow_run_name="pengingat-persetujuan")
async def approval_reminder_flow(hours: float = 24, now: datetime | None = None) -> list[str]:
    """Ingatkan pimpinan atas rekomendasi yang menunggu persetujuan lebih dari sekian jam
    (sekali per rekomendasi).

    Args:
        hours: Lama menunggu sebelum diingatkan, dalam jam.
        now: Waktu dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    when = resolve_now(now)
    reminded = remind_pending_task(build_deps(), waited=timedelta(hours=hours), now=when)
    await deliver_all_task()
    return reminded


@flow(name="keputusan-ppk", flow_run_name=run_name("keputusan PPK"))
async def ppk_decision_flow(
    case_ref: str, decision: PpkDecisionInput, actor: str = "petugas", now: datetime | None = None
) -> Stage:
    """Catat keputusan PPK (sanksi yang dijatuhkan, nomor dan tanggal keputusan); perkara selesai.

    Args:
        case_ref: Nomor urut perkara (mis. 7) atau nomor registrasinya.
        decision: Sanksi, nomor dan tanggal keputusan PPK.
        actor: Nama petugas yang mencatat.
        now: Waktu pencatatan dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    return await run_stage(
        case_ref,
        now,
        lambda when: ppk_decision_task(build_deps(), case_ref, decision, actor=actor, now=when),
        deliver=False,
    )


class StageTimes(BaseModel):
    """Days after receipt at which each step happens when a case's own timeline is replayed."""

    verification: float = 1
    clarification: float = 1.5
    clarification_record: float = 2
    recommendation: float = 3
    approval: float = 3.5
    notification: float = 3.5


class Decisions(BaseModel):
    """Every decision of a case, for `netra process` (documented in docs/decisions-file.md)."""

    verification: VerificationDecision
    clarification: HearingSchedule | None = None
    clarification_outcomes: list[HearingOutcome] = Field(default_factory=list)
    findings: FindingsInput | None = None
    approval: ApprovalInput | None = None
    investigator: str = "petugas"
    supervisor: str = "pimpinan"
    times: StageTimes = Field(default_factory=StageTimes)


@flow(name="proses-perkara", flow_run_name="proses-{report.office}-{report.received_at:%Y%m%d}")
async def process_case(
    report: Report, decisions: Decisions, replay_timeline: bool = False
) -> Stage:
    """The automatic path: every stage the decisions allow, in order. Re-running resumes."""

    def at(days: float) -> datetime | None:
        return report.received_at + timedelta(days=days) if replay_timeline else None

    who, times = decisions.investigator, decisions.times
    case = str(await intake_flow(report, who, now=at(0)))
    await hide_reporter_contacts()
    stage = await verification_flow(case, decisions.verification, who, at(times.verification))
    if stage is Stage.REGISTERED and decisions.clarification:
        stage = await clarification_flow(
            case, decisions.clarification, who, at(times.clarification)
        )
    if stage is Stage.CLARIFICATION and decisions.clarification_outcomes:
        stage = await clarification_record_flow(
            case, decisions.clarification_outcomes, who, at(times.clarification_record)
        )
    if stage is Stage.UNDER_REVIEW and decisions.findings:
        stage = await recommendation_flow(case, decisions.findings, who, at(times.recommendation))
    if stage is Stage.AWAITING_APPROVAL and decisions.approval:
        stage = await approval_flow(
            case, decisions.approval, decisions.supervisor, at(times.approval)
        )
    if stage is Stage.APPROVED:
        stage = await notification_flow(case, "sistem", at(times.notification))
    return stage
