"""`penerimaan-massal`: many stored submissions recorded in one run, with a progress artifact
while it runs and a table of results at the end; `pengiriman-massal`: the queued mail of every
case sent case by case (`services.bulk_mail`), with the same. Prefect sees submission numbers,
case numbers, counts and statuses only: a refusal's reasons may quote the report, so they are not
logged here (the CLI finds them again by the same checks, `services.batch.refusal_problems`).

Each report is recorded by a plain call, not a task per report: see docs/decisions.md
("Batch intake") for the measurement.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from prefect import flow, get_run_logger
from prefect.artifacts import (
    acreate_progress_artifact,
    acreate_table_artifact,
    aupdate_progress_artifact,
)

from adapters.smtp import SmtpConfigError
from flows.publishing import publish_case
from flows.support import NETRA_TASK, acting, start_run
from models.access import Actor
from services.batch import BatchStatus, send_receipts
from services.bulk_mail import CaseMail, cases_to_send, send_all
from services.deps import Deps, get_deps
from services.intake import IntakeOutcome
from services.submission import intake_submission

PROGRESS_KEY = "penerimaan-massal"
RESULTS_KEY = "penerimaan-massal-hasil"
MAIL_PROGRESS_KEY = "pengiriman-massal"
MAIL_RESULTS_KEY = "pengiriman-massal-hasil"
TASK_PER_REPORT = False  # measured: a task per report costs more than it shows (decisions.md)

intake_submission_task = NETRA_TASK(intake_submission)


def _intake(deps: Deps, submission: int, actor: Actor, now: datetime) -> IntakeOutcome:
    if TASK_PER_REPORT:
        return intake_submission_task(deps, submission, actor=actor, now=now)
    return intake_submission(deps, submission, actor=actor, now=now)


@flow(name="penerimaan-massal", flow_run_name="{actor} · penerimaan massal")
async def batch_intake_flow(
    submissions: list[int], actor: str, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Catat banyak laporan sekaligus dari kiriman yang sudah disimpan (`netra submit` atau
    `netra intake FOLDER --via-prefect`): masing-masing dicatat atau ditolak sendiri-sendiri,
    yang sudah tercatat tidak dicatat dua kali. Kemajuan tampil sebagai artefak; hasilnya tabel
    nomor kiriman, nomor perkara dan status (tanpa isi laporan).

    Args:
        submissions: Nomor-nomor kiriman laporan, diproses berurutan.
        actor: Nama pengguna Netra yang bertindak (akun, bukan nama lengkap).
        now: Waktu pencatatan dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    run = start_run(now)
    deps, who = get_deps(), acting(actor)
    total = len(submissions)
    progress: UUID = await acreate_progress_artifact(
        0.0, key=PROGRESS_KEY, description=f"Penerimaan massal: 0 dari {total} kiriman"
    )
    rows: list[dict[str, Any]] = []
    for done, submission in enumerate(submissions, start=1):
        rows.append(await _one(deps, submission, who, run.now, run.since_event))
        await aupdate_progress_artifact(
            progress,
            100.0 * done / total,
            description=f"Penerimaan massal: {done} dari {total} kiriman",
        )
    await _deliver([r["case_id"] for r in rows if r["case_id"] is not None])
    await acreate_table_artifact(
        [{"kiriman": r["submission"], "perkara": r["case_id"], "status": r["status"]} for r in rows]
        or [{"kiriman": "-", "perkara": "-", "status": "tidak ada kiriman"}],
        key=RESULTS_KEY,
        description=_counts(rows),
    )
    return rows


async def _one(
    deps: Deps, submission: int, actor: Actor, now: datetime, since_event: int
) -> dict[str, Any]:
    """Record one submission; a refusal is a row of the table, not a failed run."""
    try:
        outcome = _intake(deps, submission, actor, now)
    except (ValueError, LookupError, PermissionError):
        get_run_logger().warning("Kiriman %d ditolak; tidak ada yang dicatat.", submission)
        return {"submission": submission, "case_id": None, "status": BatchStatus.REFUSED.value}
    case_id = outcome.case.id
    status = BatchStatus.RECORDED if outcome.created else BatchStatus.ALREADY
    for case_ref in (str(case_id), *(str(x.case_id) for x in outcome.linked)):
        await publish_case(deps, case_ref, since_event=since_event, now=now)
    return {"submission": submission, "case_id": case_id, "status": status.value}


async def _deliver(case_ids: list[int]) -> None:
    try:
        waiting = await send_receipts(get_deps(), case_ids)
    except SmtpConfigError as error:
        get_run_logger().error("Pengaturan SMTP salah, surel tetap dalam antrean: %s", error)
        return
    if waiting:
        get_run_logger().warning(
            "Server surel tidak dapat dihubungi; surel %d perkara menunggu.", waiting
        )


def _counts(rows: list[dict[str, Any]]) -> str:
    counts = {s: sum(1 for r in rows if r["status"] == s.value) for s in BatchStatus}
    return (
        f"Penerimaan massal: {counts[BatchStatus.RECORDED]} dicatat, "
        f"{counts[BatchStatus.ALREADY]} sudah tercatat, {counts[BatchStatus.REFUSED]} ditolak"
    )


@flow(name="pengiriman-massal", flow_run_name="{actor} · pengiriman surel massal")
async def bulk_mail_flow(
    actor: str, office: str | None = None, now: datetime | None = None
) -> dict[str, Any]:
    """Kirim surel yang menunggu dari semua perkara (mis. setelah server surel pulih), perkara
    demi perkara; perkara yang disetujui diteruskan bila semua suratnya terkirim. Tidak ada yang
    dikirim dua kali; bila server surel tidak dapat dihubungi, sisanya tetap dalam antrean.

    Args:
        actor: Nama pengguna Netra yang bertindak (akun, bukan nama lengkap).
        office: Hanya perkara kantor ini (kunci kantor); kosongkan untuk semua kantor.
        now: Waktu dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    run = start_run(now)
    deps, who = get_deps(), acting(actor)
    cases = cases_to_send(deps, who, office)
    total = len(cases)
    progress: UUID = await acreate_progress_artifact(
        0.0 if total else 100.0,
        key=MAIL_PROGRESS_KEY,
        description=f"Pengiriman surel: 0 dari {total} perkara",
    )
    count = 0

    async def each(outcome: CaseMail) -> None:
        nonlocal count
        count += 1
        if outcome.referred:
            await publish_case(deps, str(outcome.case_id), since_event=run.since_event, now=run.now)
        await aupdate_progress_artifact(
            progress, 100.0 * count / total, description=f"Pengiriman surel: {count} dari {total}"
        )

    try:
        done = await send_all(deps, cases, actor=who, now=lambda: run.now, progress=each)
    except SmtpConfigError as error:
        get_run_logger().error("Pengaturan SMTP salah, surel tetap dalam antrean: %s", error)
        raise
    rows = [
        {
            "perkara": c.case_id,
            "terkirim": c.sent,
            "menunggu": c.waiting,
            "ditolak": c.refused,
            "terhenti": c.stuck,
            "diteruskan": "ya" if c.referred else "",
        }
        for c in done.cases
    ]
    summary = done.summary(total)
    if done.unreachable:
        summary += f". {done.unreachable}; {done.skipped} perkara belum dicoba"
        get_run_logger().warning(summary)
    await acreate_table_artifact(
        rows or [{"perkara": "-", "terkirim": 0}], key=MAIL_RESULTS_KEY, description=summary
    )
    return {"cases": total, "sent": done.total("sent"), "unreachable": done.unreachable}
