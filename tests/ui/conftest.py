"""`netra serve` as a user starts it: its own var/ and Prefect home, free ports, real SMTP sink."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
NETRA = Path(sys.executable).with_name("netra")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
READY = "Siap. Tekan Ctrl-C untuk berhenti."
REMINDER_HOURS = 0.005  # the automation fires 18 s after a recommendation waits unanswered


@pytest.fixture(scope="module")
def prefect_server() -> Iterator[None]:
    """A Prefect test server for the flows that the served apps run in their requests."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@contextmanager
def served_in_thread(app: object, port: int) -> Iterator[str]:
    """`app` served by uvicorn on 127.0.0.1:`port` in a thread; yields its base URL. The thread
    runs in a copy of this context: the flows read the Prefect test server's address from it."""
    import contextvars

    import uvicorn

    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")  # type: ignore[arg-type]
    )
    context = contextvars.copy_context()
    thread = threading.Thread(target=context.run, args=(server.run,), daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the app did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    process: subprocess.Popen[str]
    base_url: str
    env: dict[str, str]
    var: Path
    output: list[str]
    letters_port: int

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api"

    @property
    def login(self) -> str:
        """The credential `netra serve` created in the data folder on its first run."""
        return (self.var / "prefect-login").read_text(encoding="utf-8").strip()

    def client_env(self) -> dict[str, str]:
        """What a `netra` command needs to run its flows on this server: it finds the login in
        the data folder (NETRA_VAR_DIR) by itself."""
        return {**self.env, "PREFECT_API_URL": self.api_url}

    def prefect_env(self) -> dict[str, str]:
        """What Prefect's own client needs: the login given."""
        return {**self.client_env(), "PREFECT_API_AUTH_STRING": self.login}

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        return self.process.wait(timeout=90)


def _drain(process: subprocess.Popen[str], into: list[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        into.append(line)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    port, letters_port = free_port(), free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PREFECT_", "NETRA_"))
    }
    env |= {
        "NETRA_VAR_DIR": str(tmp_path / "var"),
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "NETRA_APPROVAL_WAIT_SECONDS": "900",
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [
            str(NETRA),
            "serve",
            "--port",
            str(port),
            "--letters-port",
            str(letters_port),
            "--reminder-hours",
            str(REMINDER_HOURS),
        ],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    served = Served(process, f"http://127.0.0.1:{port}", env, tmp_path / "var", [], letters_port)
    # Drain the output all along: a full pipe would block the server mid-test.
    threading.Thread(target=_drain, args=(process, served.output), daemon=True).start()
    deadline = time.monotonic() + 300
    while READY not in "".join(served.output) and process.poll() is None:
        if time.monotonic() > deadline:
            break
        time.sleep(0.5)
    if READY not in "".join(served.output):
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
        pytest.fail("netra serve did not start:\n" + "".join(served.output))
    try:
        yield served
    finally:
        if process.poll() is None:  # a failed test: stop it as Ctrl-C would, so that it stops
            process.send_signal(signal.SIGINT)  # the Prefect server it started as well
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
