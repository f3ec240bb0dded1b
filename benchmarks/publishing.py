"""What making a case visible in the Prefect UI adds to each stage: the case's Markdown artifact
and its events, against a baseline in the same run that builds the same page without sending
it. `python -m benchmarks.publishing [N]` (a temporary Prefect server; ~15 s to start)."""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from adapters.db.views import case_view
from benchmarks.run import reports
from config.settings import Settings
from flows.case_page import case_markdown
from models.report.parse import parse_report
from services.deps import build_deps
from services.intake import intake_report
from tests.support.actors import staff


def main(n: int) -> None:
    from prefect import flow
    from prefect.testing.utilities import prefect_test_harness

    from flows.publishing import publish_case

    with tempfile.TemporaryDirectory() as folder:
        # nothing is sent: intake's receipt stays queued
        deps = build_deps(Settings(var_dir=Path(folder), smtp_port=9))
        now = datetime.now(UTC)
        ids = [
            str(intake_report(deps, parse_report(d), actor=staff("b"), now=now).case.id)
            for d in reports(n)
        ]

        @flow(name="bench-baseline")
        async def baseline() -> float:
            start = time.perf_counter()
            for ref in ids:
                case_markdown(case_view(deps.engine, ref), deps, now)
            return time.perf_counter() - start

        @flow(name="bench-publish")
        async def published() -> float:
            start = time.perf_counter()
            for ref in ids:
                await publish_case(deps, ref, since_event=0, now=now)
            return time.perf_counter() - start

        with prefect_test_harness(server_startup_timeout=180):
            base = asyncio.run(baseline())
            sent = asyncio.run(published())
    print(f"{'step':52} {'n':>5} {'ms/case':>9} {'x baseline':>11}")
    for label, seconds in (
        ("baseline: build the case page (no Prefect API)", base),
        ("publish: page as artifact + its events (API)", sent),
    ):
        print(f"{label:52} {n:5d} {seconds / n * 1000:9.2f} {seconds / base:11.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
