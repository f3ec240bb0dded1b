"""The warm engine under a real `netra serve`: while it runs, a stage command hands its work to the
served desk (no Prefect imported by the command, no Prefect server of its own), a repeated step is
answered as already done, a step the case is not at is refused in Indonesian; when it stops, the
engine file is gone and its token revoked."""

from __future__ import annotations

import json
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from typing import Any

import pytest

from tests.adapters.test_cli_startup import PROBE
from tests.conftest import sample_report
from tests.ui.conftest import PROJECT, Served

pytestmark = pytest.mark.prefect


def _probe(served: Served, *args: str) -> tuple[dict[str, Any], str, float]:
    """`netra ARGS` in a fresh interpreter: its exit code and imported packages, its output, and
    its wall time."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=PROJECT,
        env=served.env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    wall = time.perf_counter() - started
    result = json.loads(done.stdout.rstrip().rsplit("\n", 1)[-1])
    return result, done.stdout + done.stderr, wall


def _case(served: Served, case_id: int) -> tuple[str, str]:
    """The case's stage and the actor of its newest event, read from the case database."""
    with sqlite3.connect(served.var / "netra.db") as db:
        (stage,) = db.execute("SELECT stage FROM cases WHERE id = ?", (case_id,)).fetchone()
        (actor,) = db.execute(
            "SELECT actor FROM stage_event WHERE case_id = ? ORDER BY id DESC LIMIT 1", (case_id,)
        ).fetchone()
    return str(stage), str(actor)


def test_stage_commands_hand_their_work_to_the_served_desk(served: Served) -> None:
    engine_file = served.var / "engine.json"
    assert engine_file.is_file(), "netra serve published no engine file"
    assert stat.S_IMODE(engine_file.stat().st_mode) == 0o600
    published = json.loads(engine_file.read_text())
    assert published["api_url"].endswith("/api/v1") and published["token"].startswith("netra_")
    assert published["prefect_api_url"] == served.api_url

    recorded, output, _ = _probe(served, "intake", str(sample_report("report-ppu-camat.json")))
    assert recorded["code"] in (0, None), output
    with sqlite3.connect(served.var / "netra.db") as db:
        (case_id,) = db.execute("SELECT max(id) FROM cases").fetchone()

    result, output, wall = _probe(served, "verify", str(case_id), "--decision", "register")
    assert result["code"] in (0, None), output
    assert "prefect" not in result["packages"], "the command imported Prefect itself"
    assert "Diregistrasi" in output, output
    assert "nama contoh" in output, output  # the placeholder signers are warned of, as here
    stage, actor = _case(served, case_id)
    assert stage == "diregistrasi" and "(operator)" in actor, (stage, actor)
    print(f"verify handed to the served desk: {wall:.2f} s")

    again, output, _ = _probe(served, "verify", str(case_id), "--decision", "register")
    assert again["code"] in (0, None), output
    assert "sudah dilakukan sebelumnya" in output, output

    # A step the case is not at: the desk's refusal, in Indonesian, exit 2, nothing recorded.
    refused, output, _ = _probe(served, "notify", str(case_id))
    assert refused["code"] == 2, output
    assert "Tidak dilakukan" in output and "Traceback" not in output, output
    assert _case(served, case_id)[0] == "diregistrasi"

    # A configured engine with a token it does not know: said, exit 2, nothing done.
    wrong = {"NETRA_ENGINE_URL": published["api_url"], "NETRA_ENGINE_TOKEN": "netra_salah"}
    served.env.update(wrong)
    refused, output, _ = _probe(served, "approve", str(case_id))
    assert refused["code"] == 2 and "token ditolak" in output, output
    assert _case(served, case_id)[0] == "diregistrasi"

    # A second serve on the same data folder: refused before it starts anything.
    served.env.pop("NETRA_ENGINE_URL")
    served.env.pop("NETRA_ENGINE_TOKEN")
    second, output, _ = _probe(served, "serve", "--port", "0", "--letters-port", "0")
    assert second["code"] == 2 and "sudah berjalan" in output, output

    served.process.send_signal(signal.SIGINT)
    assert served.process.wait(timeout=120) == 0
    assert not engine_file.exists(), "the engine file outlived netra serve"
    with sqlite3.connect(served.var / "netra.db") as db:
        rows = db.execute("SELECT revoked_at FROM api_token WHERE name = 'mesin netra serve'")
        assert [revoked is not None for (revoked,) in rows] == [True]
