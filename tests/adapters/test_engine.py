"""Finding the warm engine (`cli.engine`): a running `netra serve`'s file on this data folder, a
configured one, or none; the served Prefect server taken instead of a temporary one; a configured
engine that does not answer refused in Indonesian with nothing done. The hand-off itself runs
under a real `netra serve` in tests/ui/test_warm_engine.py."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.engine import engine_path, find_engine, publish, withdraw
from cli.main import app
from cli.prefect_env import configure_prefect
from config.settings import Settings

pytestmark = pytest.mark.usefixtures("own_var_dir")

PREFECT = "http://127.0.0.1:4999/api"


def _settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(var_dir=tmp_path / "var", **values)  # type: ignore[arg-type]


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_running_serve_is_found_and_a_stale_file_is_not(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    assert find_engine(settings) is None
    publish(settings, api_url="http://127.0.0.1:8080/api/v1", token="netra_x", prefect=PREFECT)
    path = engine_path(settings)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it holds a token
    engine = find_engine(settings)
    assert engine is not None and engine.local
    assert (engine.api_url, engine.token) == ("http://127.0.0.1:8080/api/v1", "netra_x")
    assert find_engine(_settings(tmp_path, use_engine=False)) is None

    data = json.loads(path.read_text()) | {"pid": _dead_pid()}  # serve was killed
    path.write_text(json.dumps(data))
    assert find_engine(settings) is None
    withdraw(settings)  # not this process's file: left alone
    assert path.exists()


def test_withdraw_removes_this_process_file(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    publish(settings, api_url=None, token=None, prefect=PREFECT)
    assert find_engine(settings) is None  # a serve without a desk hands no stage work
    withdraw(settings)
    assert not engine_path(settings).exists()


def test_a_configured_engine_wins(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path, engine_url="https://netra.example/api/v1/", engine_token="netra_remote"
    )
    publish(settings, api_url="http://127.0.0.1:8080/api/v1", token="netra_x", prefect=PREFECT)
    engine = find_engine(settings)
    assert engine is not None and not engine.local
    assert (engine.api_url, engine.token) == ("https://netra.example/api/v1", "netra_remote")


def test_commands_use_the_served_prefect_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    settings = _settings(tmp_path)
    configure_prefect(settings)
    assert "PREFECT_API_URL" not in os.environ  # nothing served: Prefect's temporary server
    publish(settings, api_url=None, token=None, prefect=PREFECT)
    configure_prefect(settings)
    assert os.environ["PREFECT_API_URL"] == PREFECT


def test_a_configured_engine_that_does_not_answer_is_said_and_nothing_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("NETRA_ENGINE_URL", f"http://127.0.0.1:{port}/api/v1")
    monkeypatch.setenv("NETRA_ENGINE_TOKEN", "netra_x")
    result = CliRunner().invoke(app, ["verify", "1", "--decision", "register"])
    assert result.exit_code == 2, result.output
    assert "tidak dapat dihubungi" in result.output
    assert "tidak ada yang dikerjakan" in result.output
    assert not (tmp_path / "var" / "netra.db").exists()  # no flow ran here instead
