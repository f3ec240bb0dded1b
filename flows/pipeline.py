"""The Prefect flows: one per stage, each a thin sequence of tasks over the plain stage functions,
named with the case in the Prefect UI, plus `process_case` for the automatic path.

The database is the truth: a flow reads where the case stands and moves it from there, so running
a flow again resumes and repeats no side effect (no second letter number, email or event).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from pydantic import BaseModel, Field

from flows.approval import approve_recommendation
from flows.clarification import invite_for_clarification, record_clarification
from flows.deps import build_deps, resolve_now
from flows.intake import record_and_acknowledge
from flows.mailer import SmtpConfigError, deliver_pending
from flows.notification import deliver_case_mail, mark_referred
from flows.ppk import record_ppk_decision
from flows.recommendation import recommend_sanction
from flows.sweep import SweepReport, sweep_deadlines
from flows.verification import verify_case
from models.decisions import (
    ApprovalInput,
    FindingsInput,
    HearingOutcome,
    HearingSchedule,
    PpkDecisionInput,
    VerificationDecision,
)
from models.report import Report
from models.stages import Stage
from models.views import case_label

_task = task(cache_policy=NO_CACHE, retries=0)  # side effects are guarded by the database


def run_name(stage: str) -> Callable[[], str]:
    """Name a run after the case as people know it: its Bawaslu number once registered."""

    def name() -> str:
        from prefect.runtime import flow_run

        ref = str(flow_run.parameters.get("case_ref", "?"))
        try:
            return f"{case_label(build_deps().engine, ref)} · {stage}"
        except LookupError:
            return f"perkara {ref} · {stage}"

    return name


@_task
def record_task(report: Report, actor: str, now: datetime) -> int:
    outcome = record_and_acknowledge(build_deps(), report, actor=actor, now=now)
    assert outcome.case.id is not None
    return outcome.case.id


@_task
async def deliver_task(case_ref: str) -> list[str]:
    """Send the case's queued letters; a server outage leaves them queued for the next run."""
    try:
        report = await deliver_case_mail(build_deps(), case_ref)
    except SmtpConfigError as error:  # the stage itself is recorded; only sending must wait
        get_run_logger().error("Pengaturan SMTP salah, surel tetap dalam antrean: %s", error)
        return []
    if report.connection_error or report.retry_later:
        get_run_logger().warning(
            "Server surel tidak dapat dihubungi (%s); %d surel menunggu.",
            report.connection_error,
            len(report.retry_later),
        )
    return report.sent


@_task
async def deliver_all_task() -> list[str]:
    """Send every queued letter of every case (the sweep's reminders and escalations)."""
    deps = build_deps()
    return (await deliver_pending(deps.engine, deps.settings)).sent


verify_task = _task(verify_case)
sweep_task = _task(sweep_deadlines)
ppk_decision_task = _task(record_ppk_decision)
invite_task = _task(invite_for_clarification)
record_hearing_task = _task(record_clarification)
recommend_task = _task(recommend_sanction)
approve_task = _task(approve_recommendation)
referred_task = _task(mark_referred)


@flow(name="penerimaan", flow_run_name="laporan-{report.office}-{report.received_at:%Y%m%d%H%M}")
async def intake_flow(report: Report, actor: str = "petugas", now: datetime | None = None) -> int:
    case_id = record_task(report, actor, resolve_now(now))
    await deliver_task(str(case_id))
    return case_id


@flow(name="kajian-awal", flow_run_name=run_name("kajian awal"))
async def verification_flow(
    case_ref: str,
    decision: VerificationDecision,
    actor: str = "petugas",
    now: datetime | None = None,
) -> Stage:
    stage = verify_task(build_deps(), case_ref, decision, actor=actor, now=resolve_now(now))
    await deliver_task(case_ref)
    return stage


@flow(name="undangan-klarifikasi", flow_run_name=run_name("undangan klarifikasi"))
async def clarification_flow(
    case_ref: str, schedule: HearingSchedule, actor: str = "petugas", now: datetime | None = None
) -> Stage:
    stage = invite_task(build_deps(), case_ref, schedule, actor=actor, now=resolve_now(now))
    await deliver_task(case_ref)
    return stage


@flow(name="berita-acara-klarifikasi", flow_run_name=run_name("berita acara"))
async def clarification_record_flow(
    case_ref: str,
    outcomes: list[HearingOutcome],
    actor: str = "petugas",
    now: datetime | None = None,
) -> Stage:
    return record_hearing_task(build_deps(), case_ref, outcomes, actor=actor, now=resolve_now(now))


@flow(name="rekomendasi", flow_run_name=run_name("rekomendasi"))
async def recommendation_flow(
    case_ref: str, findings: FindingsInput, actor: str = "petugas", now: datetime | None = None
) -> Stage:
    stage = recommend_task(build_deps(), case_ref, findings, actor=actor, now=resolve_now(now))
    await deliver_task(case_ref)  # a dismissal or Gakkumdu route tells the reporter at once
    return stage


@flow(name="persetujuan", flow_run_name=run_name("persetujuan"))
async def approval_flow(
    case_ref: str, approval: ApprovalInput, actor: str = "pimpinan", now: datetime | None = None
) -> Stage:
    return approve_task(build_deps(), case_ref, approval, actor=actor, now=resolve_now(now))


@flow(name="notifikasi", flow_run_name=run_name("notifikasi"))
async def notification_flow(
    case_ref: str, actor: str = "sistem", now: datetime | None = None
) -> Stage:
    await deliver_task(case_ref)
    stage, _waiting = referred_task(build_deps(), case_ref, actor=actor, now=resolve_now(now))
    return stage


@flow(name="sapu-tenggat", flow_run_name="sapu-tenggat")
async def sweep_flow(now: datetime | None = None) -> SweepReport:
    """Reminders before deadlines, missed deadlines on record, PPK reminder and escalation."""
    report = sweep_task(build_deps(), now=resolve_now(now))
    await deliver_all_task()
    return report


@flow(name="keputusan-ppk", flow_run_name=run_name("keputusan PPK"))
async def ppk_decision_flow(
    case_ref: str, decision: PpkDecisionInput, actor: str = "petugas", now: datetime | None = None
) -> Stage:
    return ppk_decision_task(build_deps(), case_ref, decision, actor=actor, now=resolve_now(now))


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
