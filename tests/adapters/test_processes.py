"""No process is left behind by a killed `netra` command (cli/lifeline.py).

Real commands in a fresh var/: `netra process` (its temporary Prefect server, started by
Prefect) and `netra serve` (its Prefect server and staff desk). Processes are read from /proc
(Linux): a process counts as gone when its /proc entry is gone, is a zombie, or belongs to a
newer process that reused the id."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.conftest import PROJECT, sample_report

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")

NETRA = Path(sys.executable).with_name("netra")
TEMPORARY_SERVER = "prefect.server.api.server:create_app"
START_SECONDS = 240  # importing Prefect and migrating a fresh server, on a busy machine
GONE_SECONDS = 20  # the lifeline polls every 0.5 s, then uvicorn's graceful stop


class Proc(NamedTuple):
    pid: int
    ppid: int
    started: int  # clock ticks after boot: with the pid, names one process
    state: str
    cmdline: str


def read_proc(pid: int) -> Proc | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # the name may hold spaces and parentheses
    return Proc(pid, int(fields[1]), int(fields[19]), fields[0], cmdline)


def processes() -> list[Proc]:
    found = (
        read_proc(int(entry.name)) for entry in Path("/proc").iterdir() if entry.name.isdigit()
    )
    return [p for p in found if p is not None]


def tree(root: int) -> list[Proc]:
    """`root` and every living descendant of it."""
    table = processes()
    members = [p for p in table if p.pid == root]
    frontier = {root}
    while frontier:
        children = [p for p in table if p.ppid in frontier and p.state != "Z"]
        members += children
        frontier = {p.pid for p in children}
    return members


def alive(proc: Proc) -> bool:
    now = read_proc(proc.pid)
    return now is not None and now.started == proc.started and now.state != "Z"


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(f"not within {seconds:g} s: {what}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def command_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NETRA_"))}
    env.update(
        NETRA_VAR_DIR=str(tmp_path / "var"),
        NETRA_OPERATOR="petugas-uji",
        NETRA_SMTP_PORT="9",  # no SMTP server: mail waits in the outbox
        NETRA_MAIL_MAX_ATTEMPTS="1",
        NETRA_PDF="off",
        NETRA_LETTER_LINT="error",
    )
    return env


@pytest.fixture
def started(tmp_path: Path) -> Iterator[list[Proc]]:
    """What a test saw running; whatever of it a failed test leaves is ended here."""
    seen: list[Proc] = []
    yield seen
    for proc in seen:
        if alive(proc):
            os.kill(proc.pid, signal.SIGKILL)


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(NETRA), *args],
            env=env,
            cwd=PROJECT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: nothing but our signal reaches it
        )


def wait_for_children(
    command: subprocess.Popen[bytes], markers: list[str], log: Path, seen: list[Proc]
) -> list[Proc]:
    """Wait until the command's tree holds a process for every marker; the tree then."""

    def ready() -> bool:
        if command.poll() is not None:
            pytest.fail(f"the command ended ({command.returncode}): {log.read_text()[-2000:]}")
        seen[:] = tree(command.pid)
        return all(any(m in p.cmdline for p in seen) for m in markers)

    wait_for(ready, START_SECONDS, f"children {markers}")
    return list(seen)


def assert_all_gone(members: list[Proc]) -> None:
    wait_for(
        lambda: not any(alive(p) for p in members),
        GONE_SECONDS,
        "every process of the tree gone: "
        + "; ".join(p.cmdline[:120] for p in members if alive(p)),
    )


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_killed_command_leaves_no_temporary_prefect_server(
    signum: signal.Signals, command_env: dict[str, str], tmp_path: Path, started: list[Proc]
) -> None:
    command = start(
        [
            "process",
            str(sample_report("report-ppu-camat.json")),
            "--decisions",
            str(PROJECT / "samples/decisions/report-ppu-camat.yaml"),
        ],
        command_env,
        tmp_path / "netra.log",
    )
    members = wait_for_children(command, [TEMPORARY_SERVER], tmp_path / "netra.log", started)
    assert len(members) >= 2  # the command and its server
    command.send_signal(signum)
    assert command.wait(timeout=30) == -signum
    assert_all_gone(members)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_serve_takes_its_prefect_server_and_desk_with_it(
    signum: signal.Signals, command_env: dict[str, str], tmp_path: Path, started: list[Proc]
) -> None:
    """SIGTERM (a service manager's stop; Ctrl-C's SIGINT takes the same path): serve stops
    its children itself and exits 0. SIGKILL: nothing of serve runs; the children notice."""
    command = start(
        [
            "serve",
            "--port",
            str(free_port()),
            "--letters-port",
            str(free_port()),
            "--web-port",
            str(free_port()),
            "--no-mail-sink",
        ],
        command_env,
        tmp_path / "serve.log",
    )
    members = wait_for_children(
        command, ["-m prefect server start", "-m cli.main web"], tmp_path / "serve.log", started
    )
    command.send_signal(signum)
    assert command.wait(timeout=60) == (0 if signum == signal.SIGTERM else -signum)
    assert_all_gone(members)
