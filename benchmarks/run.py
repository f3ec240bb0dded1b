"""Throughput of the rulebook and of intake at election-day scale, each against a baseline
measured in the same run on the same machine. `make bench` (or python -m benchmarks.run [N])."""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg

from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from adapters.db.views import case_view
from config.rulebook import load_rulebook
from config.settings import Settings
from flows.case_page import case_markdown, register_rows
from models.report.model import Report
from models.report.parse import parse_report
from models.rules.assessment import assess
from services.deps import Deps
from services.intake import intake_report
from tests.support.actors import staff

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "reports"
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/"


def reports(n: int) -> list[dict[str, Any]]:
    """`n` distinct reports built from the samples (a different reporter each time)."""
    base = [json.loads(p.read_text()) for p in sorted(SAMPLES.glob("*.json"))]
    out = []
    for i in range(n):
        data = json.loads(json.dumps(base[i % len(base)]))
        data["reporter"]["name"] = f"{data['reporter']['name']} {i}"
        out.append(data)
    return out


def timed(label: str, work: Callable[[], int]) -> tuple[str, int, float]:
    start = time.perf_counter()
    count = work()
    return label, count, time.perf_counter() - start


def main(n: int) -> None:
    rulebook = load_rulebook(Settings())
    raw = reports(n)
    parsed: list[Report] = [parse_report(d) for d in raw]
    today = date(2024, 10, 20)
    now = datetime(2024, 10, 20, tzinfo=UTC)
    rows = [
        timed("baseline: parse + validate report", lambda: len([parse_report(d) for d in raw])),
        timed(
            "assess (rulebook, no database)",
            lambda: len([assess(r, rulebook, as_of=today) for r in parsed]),
        ),
    ]
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.db")
        upgrade(engine)
        deps = Deps(Settings(var_dir=Path(folder)), engine, rulebook)
        rows.append(timed("intake + tanda terima, SQLite file", lambda: _intake(deps, parsed, now)))
        rows.append(
            timed(
                "intake again (recognised, nothing recorded), SQLite",
                lambda: _intake(deps, parsed, now),
            )
        )
        rows.append(
            timed("register table (per open case), SQLite", lambda: len(register_rows(deps, now)))
        )
        rows.append(timed("case page Markdown (per case), SQLite", lambda: _pages(deps, n, now)))
    pg = _postgres()
    if pg:
        engine = make_engine(pg)
        upgrade(engine)
        pg_deps = Deps(Settings(var_dir=Path(tempfile.mkdtemp())), engine, rulebook)
        rows.append(
            timed("intake + tanda terima, PostgreSQL", lambda: _intake(pg_deps, parsed, now))
        )
        engine.dispose()
        _drop(pg)
    base = rows[0][2] / rows[0][1]
    print(f"{'step':58} {'n':>5} {'ms/report':>10} {'x baseline':>11} {'reports/s':>10}")
    for label, count, seconds in rows:
        per = seconds / count
        print(
            f"{label:58} {count:5d} {per * 1000:10.2f} {per / base:11.1f} {count / seconds:10.0f}"
        )


def _intake(deps: Deps, parsed: list[Report], now: datetime) -> int:
    for report in parsed:
        intake_report(deps, report, actor=staff("bench"), now=now)
    return len(parsed)


def _pages(deps: Deps, n: int, now: datetime) -> int:
    for case_id in range(1, n + 1):
        case_markdown(case_view(deps.engine, str(case_id)), deps, now)
    return n


def _postgres() -> str | None:
    name = f"netra_bench_{int(time.time())}"
    try:
        with psycopg.connect(
            "host=127.0.0.1 user=postgres dbname=postgres connect_timeout=3", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError:
        print("PostgreSQL on 127.0.0.1:5432 not reachable: skipped")
        return None
    return PG + name


def _drop(url: str) -> None:
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
