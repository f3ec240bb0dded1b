"""What no command handles itself reaches the user in Indonesian, through the real `netra` entry
point: an unreachable case database and a schema from a newer Netra. No traceback on the
terminal; it is kept in a file whose name is printed."""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT

NETRA = Path(sys.executable).with_name("netra")


def _netra(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NETRA_")}
    return subprocess.run(
        [str(NETRA), *args],
        cwd=PROJECT,
        env=clean | {"NETRA_VAR_DIR": str(tmp_path / "var")} | env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _said_without_traceback(done: subprocess.CompletedProcess[str], words: str) -> None:
    output = " ".join((done.stdout + done.stderr).split())
    assert done.returncode == 2, output
    assert words in output, output
    assert "Traceback" not in output, output
    kept = re.search(r"Rincian teknis untuk admin: (\S+)", output)
    assert kept, output
    assert "Traceback" in Path(kept.group(1)).read_text(encoding="utf-8")


def test_an_unreachable_database_is_said_in_indonesian(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/netra"
    done = _netra(tmp_path, "list", NETRA_DATABASE_URL=url)
    _said_without_traceback(done, "basis data perkara tidak dapat dihubungi")


def test_a_schema_from_a_newer_netra_is_said_and_left_alone(tmp_path: Path) -> None:
    assert _netra(tmp_path, "db", "upgrade").returncode == 0
    database = tmp_path / "var" / "netra.db"
    with sqlite3.connect(database) as db:
        db.execute("UPDATE alembic_version SET version_num = '0099'")
    done = _netra(tmp_path, "list")
    _said_without_traceback(done, "skema basis data perkara (revisi 0099) tidak dikenal")
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [("0099",)]


@pytest.mark.parametrize("args", [["--help"], ["assess", "--help"]])
def test_the_entry_point_still_runs_commands(tmp_path: Path, args: list[str]) -> None:
    done = _netra(tmp_path, *args)
    assert done.returncode == 0 and "Usage" in done.stdout, done.stdout + done.stderr
