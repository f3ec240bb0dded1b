"""Finding the warm engine (`cli.engine`): a running `netra serve`'s file on this data folder (its
lock held, the same case database and operator), a configured one, or none; the served Prefect
server taken instead of a temporary one; a second serve on one data folder refused and a killed
serve's leftovers cleared; a configured engine that does not answer refused in Indonesian with
nothing done. The hand-off itself runs under a real `netra serve` in
tests/ui/test_warm_engine.py."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from cli.engine import engine_path, find_engine, hold_engine_lock, publish, withdraw
from cli.engine_host import claim_engine
from cli.main import app
from cli.prefect_env import configure_prefect
from config.settings import Settings

pytestmark = pytest.mark.usefixtures("own_var_dir")

PREFECT = "http://127.0.0.1:4999/api"
DESK = "http://127.0.0.1:8080/api/v1"


def _settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(var_dir=tmp_path / "var", **values)  # type: ignore[arg-type]


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[Settings]:
    """This process as a running serve: the engine lock held, the file published."""
    settings = _settings(tmp_path)
    descriptor = hold_engine_lock(settings)
    assert descriptor is not None
    publish(settings, api_url=DESK, token="netra_x", prefect=PREFECT, token_id=7)
    yield settings
    os.close(descriptor)


@pytest.fixture
def no_prefect_url(monkeypatch: pytest.MonkeyPatch) -> None:
    """PREFECT_API_URL unset for the test and restored after (configure_prefect sets it)."""
    monkeypatch.setenv("PREFECT_API_URL", "x")
    monkeypatch.delenv("PREFECT_API_URL")


def test_a_running_serve_is_found(serving: Settings) -> None:
    assert stat.S_IMODE(engine_path(serving).stat().st_mode) == 0o600  # it holds a token
    engine = find_engine(serving)
    assert engine is not None and engine.local
    assert (engine.api_url, engine.token) == (DESK, "netra_x")
    assert find_engine(serving.model_copy(update={"use_engine": False})) is None


def test_another_database_or_operator_is_not_handed_to_it(serving: Settings) -> None:
    other_db = serving.model_copy(update={"database_url": "sqlite:////tmp/lain.db"})
    other_operator = serving.model_copy(update={"operator": "petugas-lain"})
    assert find_engine(other_db) is None
    assert find_engine(other_operator) is None


def test_a_file_without_its_serve_is_ignored(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    assert find_engine(settings) is None
    publish(settings, api_url=DESK, token="netra_x", prefect=PREFECT)  # no lock held: ended
    assert find_engine(settings) is None


def test_a_second_serve_is_refused_and_a_killed_ones_file_cleared(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    publish(settings, api_url=DESK, token="netra_x", prefect=PREFECT, token_id=41)
    holder = subprocess.Popen(  # another serve, alive
        [sys.executable, "-c", HOLD, str(settings.var_dir / "engine.lock")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(RuntimeError, match="sudah berjalan"):
            claim_engine(settings)
        assert engine_path(settings).exists()  # the running one's file is left alone
    finally:
        holder.kill()
        holder.wait()
    assert claim_engine(settings) == 41  # its token, to revoke
    assert not engine_path(settings).exists()


HOLD = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(120)
"""


def test_withdraw_removes_this_process_file(serving: Settings) -> None:
    withdraw(serving)
    assert not engine_path(serving).exists()


def test_a_configured_engine_wins(serving: Settings) -> None:
    settings = serving.model_copy(
        update={
            "engine_url": "https://netra.example/api/v1/",
            "engine_token": SecretStr("netra_remote"),
        }
    )
    engine = find_engine(settings)
    assert engine is not None and not engine.local
    assert (engine.api_url, engine.token) == ("https://netra.example/api/v1", "netra_remote")


@pytest.mark.usefixtures("no_prefect_url")
def test_commands_use_the_served_prefect_server(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    configure_prefect(settings)
    assert "PREFECT_API_URL" not in os.environ  # nothing served: Prefect's temporary server
    descriptor = hold_engine_lock(settings)
    assert descriptor is not None
    try:
        publish(settings, api_url=None, token=None, prefect=PREFECT)
        configure_prefect(settings.model_copy(update={"use_engine": False}))
        assert "PREFECT_API_URL" not in os.environ  # NETRA_USE_ENGINE=false: left alone
        configure_prefect(settings)
        assert os.environ["PREFECT_API_URL"] == PREFECT
    finally:
        os.close(descriptor)


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
