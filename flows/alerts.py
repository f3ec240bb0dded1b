"""The flows the alert automations start (flows/serving.py): a Netra run that failed or crashed,
and a sweep that has not completed for two intervals. Each reads what it needs from Prefect's
API, queues its email in the outbox once (services/alerts.py) and sends the outbox."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from prefect import flow, get_run_logger
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    FlowFilter,
    FlowFilterName,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import StateType
from prefect.client.schemas.sorting import FlowRunSort

from flows.scheduled import sweep_flow
from flows.support import NETRA_TASK, deliver_task
from services.alerts import FailedRun, alert_failed_run, alert_sweep_missed
from services.deps import get_deps, resolve_now

FLOW_RUN_RESOURCE = "prefect.flow-run."
alert_failed_task = NETRA_TASK(alert_failed_run)
alert_sweep_task = NETRA_TASK(alert_sweep_missed)


def ui_link(path: str) -> str | None:
    """An address in the Prefect UI, when the UI's address is known (NETRA_PREFECT_UI_URL)."""
    base = get_deps().settings.prefect_ui_url
    return f"{base.rstrip('/')}/{path}" if base else None


@flow(name="peringatan-run-gagal", flow_run_name="peringatan-run-gagal")
async def run_failed_alert_flow(flow_run_id: str, now: datetime | None = None) -> int:
    """Surel peringatan kepada kantor atas run Netra yang gagal atau berhenti mendadak (sekali
    per run). Dijalankan oleh otomasi `netra-peringatan-run-gagal`.

    Args:
        flow_run_id: Id run yang gagal (atau id sumber acara `prefect.flow-run.<id>`).
        now: Waktu dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    run_id = UUID(flow_run_id.removeprefix(FLOW_RUN_RESOURCE))
    async with get_client() as client:
        run = await client.read_flow_run(run_id)
        stage = (await client.read_flow(run.flow_id)).name
    case_ref = run.parameters.get("case_ref")
    failed = FailedRun(
        run_id=str(run.id),
        run_name=run.name,
        stage=stage,
        state=run.state.name if run.state and run.state.name else "Failed",
        case_ref=case_ref if isinstance(case_ref, str) else None,
    )
    link = ui_link(f"runs/flow-run/{run.id}")
    queued = alert_failed_task(get_deps(), failed, link=link, now=resolve_now(now))
    if not queued:
        get_run_logger().info("Peringatan untuk run %s sudah pernah diantrekan.", run.name)
    await deliver_task()
    return queued


@flow(name="peringatan-sapu-terlewat", flow_run_name="peringatan-sapu-terlewat")
async def sweep_missed_alert_flow(hours: float = 2, now: datetime | None = None) -> int:
    """Surel peringatan kepada kantor bila sapu tenggat tidak selesai berjalan selama sekian jam
    (sekali per masa terhenti). Dijalankan oleh otomasi `netra-peringatan-sapu-terlewat`.

    Args:
        hours: Lama tanpa sapu tenggat yang selesai, dalam jam.
        now: Waktu dengan zona waktu; kosongkan untuk waktu sekarang.
    """
    async with get_client() as client:
        runs = await client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=[sweep_flow.name])),
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.COMPLETED]))
            ),
            sort=FlowRunSort.END_TIME_DESC,
            limit=1,
        )
    last = runs[0] if runs else None
    queued = alert_sweep_task(
        get_deps(),
        last_run_id=str(last.id) if last else None,
        last_at=last.end_time if last else None,
        window=timedelta(hours=hours),
        now=resolve_now(now),
        link=ui_link("deployments"),
    )
    await deliver_task()
    return queued
