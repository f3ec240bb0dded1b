"""The deployments `netra serve` runs and the ones `prefect deploy` reads from prefect.yaml are the
same, with the same defaults; the supervisor's form cannot approve by accident."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from prefect.utilities.callables import parameter_schema
from pydantic import ValidationError

from flows.approval_wait import SupervisorDecision
from flows.serving import SCHEDULED, STAGES
from models.inputs import ApprovalInput

PROJECT = Path(__file__).resolve().parents[2]


def entrypoint(flow: Any) -> str:
    return f"{flow.fn.__module__.replace('.', '/')}.py:{flow.fn.__name__}"


def test_prefect_yaml_lists_the_served_deployments_with_their_defaults() -> None:
    data = yaml.safe_load((PROJECT / "prefect.yaml").read_text(encoding="utf-8"))
    listed = {d["entrypoint"]: d for d in data["deployments"]}
    expected = {entrypoint(flow): params for flow, params in STAGES}
    expected[entrypoint(SCHEDULED)] = {}
    assert set(listed) == set(expected)
    for point, parameters in expected.items():
        assert listed[point].get("parameters", {}) == parameters, point
        assert listed[point]["name"] == "netra"
        assert listed[point]["work_pool"]["name"] == "netra"
    assert listed["flows/scheduled.py:sweep_flow"]["schedules"] == [{"interval": 3600}]


def test_the_supervisor_must_choose() -> None:
    with pytest.raises(ValidationError):
        SupervisorDecision.model_validate({"note": "ok"})
    approve = SupervisorDecision.model_validate({"decision": "setujui"}).as_approval()
    assert approve.approved and approve.note == ""
    # One approval rule everywhere: a return needs a note, in the pause form as on the CLI.
    with pytest.raises(ValidationError, match="catatan wajib diisi"):
        SupervisorDecision.model_validate({"decision": "kembalikan"}).as_approval()
    returned = SupervisorDecision.model_validate({"decision": "kembalikan", "note": "Lengkapi"})
    assert not returned.as_approval().approved and returned.as_approval().note == "Lengkapi"
    with pytest.raises(ValidationError):
        SupervisorDecision.model_validate({"decision": "ya"})


@pytest.mark.parametrize("flow", [flow for flow, _ in STAGES], ids=lambda f: f.name)
def test_every_run_form_speaks_indonesian(flow: Any) -> None:
    """Each form field of a deployment's Run form has its own title or a description."""
    schema = parameter_schema(flow).model_dump()
    for name, prop in schema["properties"].items():
        assert prop.get("description"), f"{flow.name}.{name} has no description"
    for model, definition in schema.get("definitions", {}).items():
        for name, prop in definition.get("properties", {}).items():
            generated = name.replace("_", " ").title()
            assert prop.get("title") != generated, f"{model}.{name} has no Indonesian title"


def test_an_untouched_approval_form_is_refused_not_taken_as_a_return() -> None:
    with pytest.raises(ValidationError, match="catatan wajib diisi"):
        ApprovalInput.model_validate({"approved": False})
    assert ApprovalInput.model_validate({"approved": False, "note": "Lengkapi"}).note == "Lengkapi"
    assert ApprovalInput.model_validate({"approved": True}).approved
