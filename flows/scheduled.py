"""The flows that run on a schedule or an automation, over every open case."""

from __future__ import annotations

from datetime import datetime, timedelta

from prefect import flow, get_run_logger

from flows.publishing import publish_register, publish_statistics, publish_touched
from flows.support import NETRA_TASK, acting, deliver_task, start_run
from models.stages import CaseEvent
from services.deps import get_deps, resolve_now
from services.recompute import DeadlineChange, recompute_deadlines
from services.supervision import remind_pending_approvals
from services.sweep import SWEEP_EVENTS, SweepReport, sweep_deadlines

sweep_task = NETRA_TASK(sweep_deadlines)
remind_pending_task = NETRA_TASK(remind_pending_approvals)


@flow(name="sapu-tenggat", flow_run_name="sapu-tenggat")
async def sweep_flow(now: datetime | None = None) -> SweepReport:
    """Pengingat sebelum tenggat, pencatatan tenggat terlewati, surat pengingat kepada PPK dan
    eskalasi ke BKN; lalu perbarui tabel register perkara terbuka dan statistik penanganan.

    Args:
        now: Waktu penyapuan dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    run = start_run(now)
    report = sweep_task(get_deps(), now=run.now)
    if report.skipped:  # one sweep at a time
        get_run_logger().info("Sapu tenggat lain sedang berjalan; sapuan ini dilewati.")
        return report
    await deliver_task()
    await publish_touched(get_deps(), run.since_event, run.now, SWEEP_EVENTS)
    await publish_register(get_deps(), run.now)
    await publish_statistics(get_deps(), run.now)
    return report


@flow(name="pengingat-persetujuan", flow_run_name="pengingat-persetujuan")
async def approval_reminder_flow(hours: float = 24, now: datetime | None = None) -> list[str]:
    """Ingatkan pimpinan atas rekomendasi yang menunggu persetujuan lebih dari sekian jam
    (sekali per rekomendasi).

    Args:
        hours: Lama menunggu sebelum diingatkan, dalam jam.
        now: Waktu dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    reminded = remind_pending_task(get_deps(), waited=timedelta(hours=hours), now=resolve_now(now))
    await deliver_task()
    return reminded


recompute_task = NETRA_TASK(recompute_deadlines)


@flow(name="hitung-ulang-tenggat", flow_run_name="hitung-ulang-tenggat")
async def recompute_flow(
    apply: bool = False, actor: str = "", now: datetime | None = None
) -> list[DeadlineChange]:
    """Hitung ulang tenggat terbuka setelah kalender hari libur atau aturan tenggat berubah.
    Tanpa `apply` hanya menampilkan yang akan bergeser; dengan `apply` tenggat digeser dan
    setiap perubahan dicatat dalam riwayat perkara.

    Args:
        apply: Geser tenggat (bukan hanya menampilkan).
        actor: Nama pengguna Netra yang bertindak (akun, bukan nama lengkap).
        now: Waktu dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    run = start_run(now)
    changes = recompute_task(get_deps(), apply=apply, actor=acting(actor), now=run.now)
    if apply:
        kinds = frozenset({CaseEvent.DEADLINE_RECOMPUTED})
        await publish_touched(get_deps(), run.since_event, run.now, kinds)
        await publish_register(get_deps(), run.now)
    return changes
