"""The alert flows the automations start: a failed Netra run, a missed sweep. Each queues its
email once in the outbox and sends it (a real SMTP server); the email is in Indonesian and
names runs and cases, never a person."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from prefect.automations import Automation
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
from prefect.events.actions import RunDeployment
from prefect.events.schemas.automations import EventTrigger, Posture
from prefect.events.schemas.events import ResourceSpecification

from cli.local.mail_sink import MailSink
from flows.alerts import run_failed_alert_flow, sweep_missed_alert_flow
from flows.scheduled import sweep_flow
from flows.serving import (
    DEPLOYMENT,
    RUN_FAILED_AUTOMATION,
    SWEEP_MISSED_AUTOMATION,
    WATCHED,
    install_automations,
)
from flows.stages import intake_flow, verification_flow
from models.inputs import VerificationChoice, VerificationDecision
from services.deps import get_deps
from tests.conftest import SAMPLES
from tests.flows.helpers import configure, outbox, submit_sample

pytestmark = pytest.mark.prefect

ALERTS_TO = "pengawas-sistem@bawaslu.test"


def body(message: Any) -> str:
    return str(message.get_body(preferencelist=("plain",)).get_content())


def to(message: Any) -> str:
    return str(message["To"].addresses[0].addr_spec)


def personal_values() -> list[str]:
    """What the sample report says of people: none of it may be in an alert."""
    report = json.loads((SAMPLES / "reports/report-ppu-camat.json").read_text(encoding="utf-8"))
    people = [report["reporter"], *report["reported"], *report.get("witnesses", [])]
    return [
        str(person[field])
        for person in people
        for field in ("name", "nip", "phone", "email", "address")
        if person.get(field)
    ]


async def test_a_failed_run_alerts_the_office_once(netra_env: Path, sink: MailSink) -> None:
    configure(alert_email=ALERTS_TO, prefect_ui_url="http://prefect.bawaslu.test/")
    case_id = await intake_flow(submit_sample("report-ppu-camat"), "petugas")
    sent_before = len(sink.messages)  # the tanda terima
    decision = VerificationDecision(decision=VerificationChoice.REGISTER, reason="Memenuhi syarat")
    state = await verification_flow(str(case_id), decision, "tidak-dikenal", return_state=True)
    assert state.is_failed()  # an unknown user is refused: the run fails
    run_id = state.state_details.flow_run_id
    assert run_id is not None

    assert await run_failed_alert_flow(f"prefect.flow-run.{run_id}") == 1  # the event's form
    assert await run_failed_alert_flow(str(run_id)) == 0  # the automation fired twice: one email
    alerts = sink.messages[sent_before:]
    assert [to(m) for m in alerts] == [ALERTS_TO]
    text = body(alerts[0])
    assert "gagal" in alerts[0]["Subject"] and "kajian-awal" in alerts[0]["Subject"]
    assert "Yth. Admin Netra" in text and "perlu diperiksa" in text
    assert f"Perkara: #{case_id}" in text
    assert f"http://prefect.bawaslu.test/runs/flow-run/{run_id}" in text
    for value in personal_values():
        assert value not in text and value not in str(alerts[0]["Subject"]), value
    (row,) = [r for r in outbox() if r.key.startswith(f"peringatan/run-{run_id}")]
    assert row.case_id == case_id  # listed with the case's mail


async def test_a_missed_sweep_alerts_every_office_once_per_silence(
    netra_env: Path, sink: MailSink
) -> None:
    offices = [str(o.email) for o in get_deps().rulebook.offices.values() if o.email]
    assert len(offices) >= 2
    assert await sweep_missed_alert_flow(hours=2) == len(offices)
    assert await sweep_missed_alert_flow(hours=2) == 0  # the same silence: no second email
    assert sorted(to(m) for m in sink.messages) == sorted(offices)
    text = body(sink.messages[0])
    assert "Sapu tenggat" in text and "selama 2 jam" in text
    assert all(r.case_id is None for r in outbox())  # about Netra itself, not a case

    await sweep_flow()  # a sweep completes: the silence is over; the next one is news again
    assert await sweep_missed_alert_flow(hours=2) == len(offices)
    assert "Sapuan terakhir yang selesai: " in body(sink.messages[-1])
    assert "belum pernah" not in body(sink.messages[-1])


async def test_serve_installs_the_alerts_with_their_triggers(netra_env: Path) -> None:
    """What `netra serve` and `netra automations` install, read back from the Prefect server;
    and a failed run does start the alert deployment, with the run's id."""
    from flows.scheduled import approval_reminder_flow

    ids: dict[str, UUID] = {}
    for flow in (approval_reminder_flow, run_failed_alert_flow, sweep_missed_alert_flow):
        ids[flow.name] = await (await flow.ato_deployment(name=DEPLOYMENT)).aapply()
    names = await install_automations(24, timedelta(minutes=30))
    try:
        assert await install_automations(24, timedelta(minutes=30)) == names  # not doubled
        await check_installed(names, ids)
        await check_a_failed_run_starts_the_alert(ids[run_failed_alert_flow.name])
        # A sweep every 10 s that never runs: after 20 s of silence the alert deployment starts.
        await install_automations(24, timedelta(seconds=10))
        await wait_for_alert_run(ids[sweep_missed_alert_flow.name], {"hours": 20 / 3600})
    finally:  # the test server is shared: no automation outlives this test
        for name in names:
            await (await Automation.aread(name=name)).adelete()


async def check_a_failed_run_starts_the_alert(deployment_id: UUID) -> None:
    decision = VerificationDecision(decision=VerificationChoice.REGISTER, reason="Memenuhi syarat")
    state = await verification_flow("999", decision, "petugas", return_state=True)
    assert state.is_failed()  # no such case
    wanted = {"flow_run_id": f"prefect.flow-run.{state.state_details.flow_run_id}"}
    await wait_for_alert_run(deployment_id, wanted)


async def wait_for_alert_run(deployment_id: UUID, wanted: dict[str, Any]) -> None:
    """The automation started the deployment once with `wanted`; its runs are then deleted."""
    async with get_client() as client:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            runs = await client.read_flow_runs(
                deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id]))
            )
            if started := [r for r in runs if r.parameters == wanted]:
                break
            await asyncio.sleep(0.5)
        else:
            pytest.fail(f"no run of the alert deployment with {wanted} within 60 s")
        assert len(started) == 1
        for run in runs:  # nobody serves the deployment here: leave no scheduled run behind
            await client.delete_flow_run(run.id)


async def check_installed(names: list[str], ids: dict[str, UUID]) -> None:
    assert {RUN_FAILED_AUTOMATION, SWEEP_MISSED_AUTOMATION} <= set(names)
    async with get_client() as client:
        for name in names:
            assert len(await client.read_automations_by_name(name)) == 1

    failed = await Automation.aread(name=RUN_FAILED_AUTOMATION)
    trigger = failed.trigger
    assert isinstance(trigger, EventTrigger) and trigger.posture == Posture.Reactive
    assert trigger.expect == {"prefect.flow-run.Failed", "prefect.flow-run.Crashed"}
    watched = trigger.match_related
    assert isinstance(watched, ResourceSpecification)
    assert set(watched.root["prefect.resource.name"]) == set(WATCHED)
    assert {"kajian-awal", sweep_flow.name} <= set(WATCHED)
    assert not {run_failed_alert_flow.name, sweep_missed_alert_flow.name} & set(WATCHED)
    (action,) = failed.actions
    assert isinstance(action, RunDeployment)
    assert action.deployment_id == ids[run_failed_alert_flow.name]
    assert action.parameters == {"flow_run_id": "{{ event.resource.id }}"}

    missed = await Automation.aread(name=SWEEP_MISSED_AUTOMATION)
    trigger = missed.trigger
    assert isinstance(trigger, EventTrigger) and trigger.posture == Posture.Proactive
    assert trigger.expect == {"prefect.flow-run.Completed"}
    assert trigger.within == timedelta(hours=1)  # two intervals of 30 minutes
    assert isinstance(trigger.match_related, ResourceSpecification)
    assert trigger.match_related.root["prefect.resource.name"] == sweep_flow.name
    (action,) = missed.actions
    assert isinstance(action, RunDeployment)
    assert action.deployment_id == ids[sweep_missed_alert_flow.name]
    assert action.parameters == {"hours": 1.0}
