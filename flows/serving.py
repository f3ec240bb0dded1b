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

from flows.links import link_flow
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
    (ppk_decision_flow, {}),
    (reply_flow, {}),
    (extension_flow, {}),
    (correction_flow, {}),
    (consent_flow, {}),
    (link_flow, {}),
    (evidence_flow, {}),
    (recompute_flow, {}),
    (approval_reminder_flow, {"hours": 24}),
]
SCHEDULED = sweep_flow  # every `sweep_every`, default hourly


async def build_deployments(
    *, sweep_every: timedelta = timedelta(hours=1), approval_reminder_hours: float = 24
) -> list[RunnerDeployment]:
    """One deployment per stage (its Run form is the investigator's form) plus the sweep."""
    deployments: list[RunnerDeployment] = []
    for flow, parameters in STAGES:
        if flow is approval_reminder_flow:
            parameters = {"hours": approval_reminder_hours}
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


async def install_automations(hours: float) -> list[str]:
    """Create the automations against the deployments already registered (by `netra serve` or
    `prefect deploy`), replacing earlier copies so a restart never duplicates them."""
    async with get_client() as client:
        target = await client.read_deployment_by_name(f"{approval_reminder_flow.name}/{DEPLOYMENT}")
    automation = approval_reminder_automation(target.id, hours)
    try:
        old = await Automation.aread(name=automation.name)
        await old.adelete()
    except ValueError:  # none yet
        pass
    await automation.acreate()
    return [automation.name]
