"""The deployments `netra serve` runs and the ones `prefect deploy` reads from prefect.yaml are the
same, with the same defaults; the supervisor's form cannot approve by accident."""

from __future__ import annotations

import json
from collections.abc import Iterator
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
        SupervisorDecision.model_validate({"note": "ok", "decided_by": "k"})
    approve = SupervisorDecision.model_validate(
        {"decision": "setujui", "decided_by": "k"}
    ).as_approval()
    assert approve.approved and approve.note == ""
    # One approval rule everywhere: a return needs a note, in the pause form as on the CLI.
    with pytest.raises(ValidationError, match="catatan wajib diisi"):
        SupervisorDecision.model_validate(
            {"decision": "kembalikan", "decided_by": "k"}
        ).as_approval()
    returned = SupervisorDecision.model_validate(
        {"decision": "kembalikan", "note": "Lengkapi", "decided_by": "k"}
    )
    assert not returned.as_approval().approved and returned.as_approval().note == "Lengkapi"
    with pytest.raises(ValidationError):
        SupervisorDecision.model_validate({"decision": "ya", "decided_by": "k"})
    with pytest.raises(ValidationError):  # who decides is part of the answer, never a default
        SupervisorDecision.model_validate({"decision": "setujui"})


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


@pytest.fixture
def prefect_database(postgres_url: str) -> Iterator[str]:
    """A database of its own for a Prefect server (not the one Netra's tests share)."""
    import uuid

    import psycopg

    from tests.conftest import PG_ADMIN

    name = f"netra_prefect_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield postgres_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_the_served_prefect_server_can_keep_its_data_in_postgresql(
    prefect_database: str, tmp_path: Path
) -> None:
    """NETRA_PREFECT_DATABASE_URL: `netra serve`'s Prefect server on PostgreSQL (under load the
    SQLite one answered 500s), with its tables there and nothing under var/prefect."""
    import socket

    import psycopg

    from cli.serve import start_prefect_server, stop_process, wait_until_healthy

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = prefect_database.replace("postgresql+psycopg://", "postgresql+asyncpg://")
    server = start_prefect_server(tmp_path / "prefect", "127.0.0.1", port, database_url=url)
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}/api", server)
    finally:
        stop_process(server)
    dsn = prefect_database.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables").fetchall()}
    assert {"flow_run", "deployment"} <= tables
    assert not list((tmp_path / "prefect").glob("*.db"))


def test_the_first_serve_creates_a_login_only_its_owner_can_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from cli.prefect_env import configure_prefect, ensure_login, login_path
    from config.settings import Settings

    monkeypatch.setattr(os, "environ", os.environ.copy())  # configure_prefect writes to it
    for name in ("PREFECT_API_AUTH_STRING", "PREFECT_SERVER_API_AUTH_STRING", "PREFECT_HOME"):
        os.environ.pop(name, None)
    settings = Settings(var_dir=tmp_path / "var")
    login, created = ensure_login(settings)
    assert created and login.startswith("netra:") and len(login) > 20
    assert login_path(settings).stat().st_mode & 0o777 == 0o600
    assert ensure_login(settings) == (login, False)  # the next run reads it, prints nothing
    assert ensure_login(Settings(var_dir=tmp_path / "other"))[0] != login  # random per install
    configure_prefect(settings)  # every command's Prefect client sends it
    assert os.environ["PREFECT_API_AUTH_STRING"] == login


def test_the_served_prefect_server_refuses_a_request_without_the_login(tmp_path: Path) -> None:
    import base64
    import socket
    import urllib.error
    import urllib.request

    from cli.serve import start_prefect_server, stop_process, wait_until_healthy

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    api = f"http://127.0.0.1:{port}/api"
    server = start_prefect_server(tmp_path / "prefect", "127.0.0.1", port, login="netra:rahasia")

    def ask(login: str | None) -> int:
        request = urllib.request.Request(f"{api}/flow_runs/count", data=b"{}", method="POST")
        request.add_header("Content-Type", "application/json")
        if login is not None:
            request.add_header(
                "Authorization", f"Basic {base64.b64encode(login.encode()).decode()}"
            )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    try:
        wait_until_healthy(api, server)  # the health check needs no login
        assert ask(None) == 401
        assert ask("netra:salah") == 401
        assert ask("netra:rahasia") == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ui-settings", timeout=10) as r:
            assert json.load(r)["auth"] == "BASIC"  # the UI shows its login page
    finally:
        stop_process(server)
