"""Batch intake on SQLite: `netra intake FOLDER` (in this process, through the CLI: reading,
progress bar, result file) against the same reports recorded by single `intake_report` calls in
one process (the baseline). With `--flow`: the `penerimaan-massal` flow on 20 submissions, a
plain call per report against a task per report (what decided flows/batch.py).

    .venv/bin/python -m benchmarks.batch_intake [N] [--flow]

No SMTP server: the tanda terima waits (the batch stops trying after the first case).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from config.settings import Settings
from models.report.parse import parse_report
from services.deps import build_deps
from services.intake import intake_report
from tests.support.actors import staff

SAMPLE = Path(__file__).resolve().parent.parent / "samples/reports/report-ppu-camat.json"


def synthetic(n: int) -> list[dict[str, Any]]:
    """`n` copies of the PPU sample, each received a second later with its own summary (10,000
    of them within three hours of one day)."""
    base: dict[str, Any] = json.loads(SAMPLE.read_text())
    first = datetime.fromisoformat(base["received_at"])
    out = []
    for i in range(n):
        data = json.loads(json.dumps(base))
        data["received_at"] = (first + timedelta(seconds=i)).isoformat()
        data["incident"]["summary"] += f" (salinan {i + 1})"
        out.append(data)
    return out


def baseline(n: int, folder: Path) -> float:
    deps = build_deps(Settings(var_dir=folder / "var-single", smtp_port=9, mail_max_attempts=1))
    reports = [parse_report(d) for d in synthetic(n)]
    actor = staff("bench")
    started = time.perf_counter()
    for report in reports:
        intake_report(deps, report, actor=actor, now=report.received_at)
    return time.perf_counter() - started


def cli_batch(n: int, folder: Path) -> float:
    from typer.testing import CliRunner

    from cli.main import app

    reports = folder / "masuk"
    reports.mkdir()
    for i, data in enumerate(synthetic(n)):
        (reports / f"laporan-{i:04d}.json").write_text(json.dumps(data))
    os.environ.update(
        NETRA_VAR_DIR=str(folder / "var-batch"),
        NETRA_SMTP_PORT="9",
        NETRA_MAIL_MAX_ATTEMPTS="1",
        NETRA_OPERATOR="petugas-bench",
    )
    os.environ.pop("NETRA_DATABASE_URL", None)
    runner = CliRunner()
    runner.invoke(app, ["db", "upgrade"])  # schema and accounts made before the clock starts
    started = time.perf_counter()
    done = runner.invoke(app, ["intake", str(reports), "--json"])
    elapsed = time.perf_counter() - started
    summary = json.loads(done.stdout[done.stdout.index("{") :])
    assert summary["dicatat"] == n, done.stdout
    return elapsed


def flow_modes(n: int) -> dict[str, float]:
    """One `penerimaan-massal` run per mode on fresh submissions; seconds per report."""
    from prefect.testing.utilities import prefect_test_harness

    import flows.batch
    from services.deps import forget_settings, use_settings
    from services.submission import submit_report
    from tests.support.actors import seed_staff

    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder, prefect_test_harness(server_startup_timeout=180):
        deps = use_settings(Settings(var_dir=Path(folder), smtp_port=9, mail_max_attempts=1))
        seed_staff(deps, "bench")
        every = [parse_report(d) for d in synthetic(2 * n + 1)]
        ids = [submit_report(deps, r, now=r.received_at) for r in every]
        asyncio.run(flows.batch.batch_intake_flow(ids[:1], "bench"))  # Prefect warms up
        for mode, as_task, part in (("plain", False, ids[1 : n + 1]), ("task", True, ids[n + 1 :])):
            flows.batch.TASK_PER_REPORT = as_task
            started = time.perf_counter()
            rows = asyncio.run(flows.batch.batch_intake_flow(part, "bench"))
            timings[mode] = (time.perf_counter() - started) / n
            assert all(r["status"] == "dicatat" for r in rows), rows
        flows.batch.TASK_PER_REPORT = False
        forget_settings()
    return timings


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 200
    with tempfile.TemporaryDirectory() as folder:
        single = baseline(n, Path(folder))
        batch = cli_batch(n, Path(folder))
    print(f"{n} laporan (SQLite):")
    print(f"  intake_report x{n}, satu proses: {single:.2f} s ({1000 * single / n:.1f} ms/laporan)")
    print(f"  netra intake FOLDER (CLI):     {batch:.2f} s ({1000 * batch / n:.1f} ms/laporan)")
    print(f"  rasio batch/baseline: {batch / single:.2f}")
    if "--flow" in sys.argv:
        timings = flow_modes(20)
        print("penerimaan-massal, 20 kiriman:")
        for mode, seconds in timings.items():
            print(f"  {mode}: {1000 * seconds:.1f} ms/laporan")
        print(f"  rasio task/plain: {timings['task'] / timings['plain']:.2f}")


if __name__ == "__main__":
    main()
