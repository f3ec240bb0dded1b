"""Every stage as a Prefect deployment, the scheduled sweeps, and the automations, as code.

`netra serve` (cli/serve.py) registers these against the Prefect server in PREFECT_API_URL and
runs them; `prefect.yaml` describes the same deployments for `prefect deploy` onto a work pool.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from prefect import Flow
from prefect.automations import Automation
from prefect.client.orchestration import get_client
from prefect.deployments.runner import RunnerDeployment
from prefect.events.actions import RunDeployment
from prefect.events.schemas.automations import EventTrigger, Posture

from flows.alerts import run_failed_alert_flow, sweep_missed_alert_flow
from flows.batch import bulk_mail_flow
from flows.links import link_flow
from flows.process import process_case
from flows.scheduled import approval_reminder_flow, recompute_flow, sweep_flow
from flows.stages import (
    approval_flow,
    clarification_flow,
    clarification_record_flow,
    completion_flow,
    consent_flow,
    correction_flow,
    evidence_flow,
    extension_flow,
    intake_flow,
    notification_flow,
    ppk_decision_flow,
    recommendation_flow,
    reply_flow,
    verification_flow,
)
from models.stages import Stage

DEPLOYMENT = "netra"
TAGS = ["netra"]
APPROVAL_REMINDER_AUTOMATION = "netra-pengingat-persetujuan"
RUN_FAILED_AUTOMATION = "netra-peringatan-run-gagal"
SWEEP_MISSED_AUTOMATION = "netra-peringatan-sapu-terlewat"
SWEEP_MISSED_INTERVALS = 2  # the office hears of a sweep that has not run for two intervals


# (flow, default parameters): each is one deployment; prefect.yaml lists the same (tested).
STAGES: list[tuple[Flow[..., Any], dict[str, Any]]] = [
    (intake_flow, {}),
    (verification_flow, {}),
    (completion_flow, {}),
    (clarification_flow, {}),
    (clarification_record_flow, {}),
    (recommendation_flow, {"wait_for_approval": True}),
    (approval_flow, {"send_letters": True}),
    (notification_flow, {}),
    (bulk_mail_flow, {}),
    (ppk_decision_flow, {}),
    (reply_flow, {}),
    (extension_flow, {}),
    (correction_flow, {}),
    (consent_flow, {}),
    (link_flow, {}),
    (evidence_flow, {}),
    (recompute_flow, {}),
    (approval_reminder_flow, {"hours": 24}),
    (run_failed_alert_flow, {}),
    (sweep_missed_alert_flow, {"hours": 2}),
]
SCHEDULED = sweep_flow  # every `sweep_every`, default hourly
ALERTS = (run_failed_alert_flow, sweep_missed_alert_flow)
# The runs the office hears of when they fail: every Netra flow but the alerts themselves.
WATCHED = sorted(
    {f.name for f, _ in STAGES if f not in ALERTS} | {SCHEDULED.name, process_case.name}
)


async def build_deployments(
    *, sweep_every: timedelta = timedelta(hours=1), approval_reminder_hours: float = 24
) -> list[RunnerDeployment]:
    """One deployment per stage (its Run form is the investigator's form) plus the sweep."""
    deployments: list[RunnerDeployment] = []
    for flow, parameters in STAGES:
        if flow is approval_reminder_flow:
            parameters = {"hours": approval_reminder_hours}
        elif flow is sweep_missed_alert_flow:
            parameters = {"hours": SWEEP_MISSED_INTERVALS * sweep_every.total_seconds() / 3600}
        deployments.append(
            await flow.ato_deployment(name=DEPLOYMENT, tags=TAGS, parameters=parameters)
        )
    deployments.append(
        await SCHEDULED.ato_deployment(name=DEPLOYMENT, tags=TAGS, interval=sweep_every)
    )
    return deployments


def approval_reminder_automation(deployment_id: UUID, hours: float) -> Automation:
    """A recommendation that is neither approved nor returned within `hours` starts the
    approval-reminder deployment (proactive: it fires on the absence of the expected event)."""
    return Automation(
        name=APPROVAL_REMINDER_AUTOMATION,
        description="Ingatkan pimpinan bila rekomendasi belum disetujui atau dikembalikan.",
        trigger=EventTrigger(
            match={"prefect.resource.id": "netra.case.*"},
            after={f"netra.case.{Stage.AWAITING_APPROVAL.value}"},
            expect={f"netra.case.{Stage.APPROVED.value}", f"netra.case.{Stage.UNDER_REVIEW.value}"},
            for_each={"prefect.resource.id"},
            posture=Posture.Proactive,
            threshold=1,
            within=timedelta(hours=hours),
        ),
        actions=[
            RunDeployment(
                source="selected", deployment_id=deployment_id, parameters={"hours": hours}
            )
        ],
    )


def run_failed_automation(deployment_id: UUID) -> Automation:
    """A Netra run that ends Failed or Crashed starts the alert flow with the run's id (the
    event's resource, `prefect.flow-run.<id>`); the alert flows are not watched, so a failing
    alert cannot alert about itself."""
    return Automation(
        name=RUN_FAILED_AUTOMATION,
        description="Surel kepada kantor bila run Netra gagal atau berhenti mendadak.",
        trigger=EventTrigger(
            match={"prefect.resource.id": "prefect.flow-run.*"},
            match_related={"prefect.resource.role": "flow", "prefect.resource.name": WATCHED},
            expect={"prefect.flow-run.Failed", "prefect.flow-run.Crashed"},
            for_each={"prefect.resource.id"},
            posture=Posture.Reactive,
            threshold=1,
            within=timedelta(0),
        ),
        actions=[
            RunDeployment(
                source="selected",
                deployment_id=deployment_id,
                parameters={"flow_run_id": "{{ event.resource.id }}"},
            )
        ],
    )


def sweep_missed_automation(deployment_id: UUID, sweep_every: timedelta) -> Automation:
    """No completed sweep within two intervals starts the sweep-missed alert (proactive: it
    fires on the absence of the expected event, again after every further silent window; the
    alert itself is sent once per silence)."""
    window = SWEEP_MISSED_INTERVALS * sweep_every
    return Automation(
        name=SWEEP_MISSED_AUTOMATION,
        description="Surel kepada kantor bila sapu tenggat tidak selesai selama dua interval.",
        trigger=EventTrigger(
            match={"prefect.resource.id": "prefect.flow-run.*"},
            match_related={
                "prefect.resource.role": "flow",
                "prefect.resource.name": SCHEDULED.name,
            },
            expect={"prefect.flow-run.Completed"},
            posture=Posture.Proactive,
            threshold=1,
            within=window,
        ),
        actions=[
            RunDeployment(
                source="selected",
                deployment_id=deployment_id,
                parameters={"hours": window.total_seconds() / 3600},
            )
        ],
    )


def automations(ids: dict[str, UUID], hours: float, sweep_every: timedelta) -> list[Automation]:
    """Netra's automations, given the ids of the deployments they start (by flow name)."""
    return [
        approval_reminder_automation(ids[approval_reminder_flow.name], hours),
        run_failed_automation(ids[run_failed_alert_flow.name]),
        sweep_missed_automation(ids[sweep_missed_alert_flow.name], sweep_every),
    ]


async def install_automations(
    hours: float, sweep_every: timedelta = timedelta(hours=1)
) -> list[str]:
    """Create the automations against the deployments already registered (by `netra serve` or
    `prefect deploy`), replacing earlier copies so a restart never duplicates them."""
    targets = (approval_reminder_flow, run_failed_alert_flow, sweep_missed_alert_flow)
    async with get_client() as client:
        ids = {
            f.name: (await client.read_deployment_by_name(f"{f.name}/{DEPLOYMENT}")).id
            for f in targets
        }
    installed = automations(ids, hours, sweep_every)
    for automation in installed:
        try:
            old = await Automation.aread(name=automation.name)
            await old.adelete()
        except ValueError:  # none yet
            pass
        await automation.acreate()
    return [automation.name for automation in installed]
