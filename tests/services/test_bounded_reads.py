"""The reads that must hold at a million cases read a bounded set of rows (issue 13), checked
on PostgreSQL's plans (sequential scans priced out) among 20,000 synthetic cases: every
statement of `netra show` (by id and by number) looks its rows up through an index by the
case's id or number; a page of `netra list`, of the desk's register, of the Prefect register
is a LIMIT over nodes that hand rows up as they read them (ordered index walks, nested loops),
never a sort, hash, window or aggregate of a whole table; "Menunggu saya" sorts only the
deadlines due by its day (the planner may find them through the cases' next due date)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from adapters.db.search import CaseSearch, deadlines_due, search_rows
from adapters.db.views import case_rows, case_view
from benchmarks.scale_queries import fill
from services.deps import Deps
from tests.services.helpers import PPU, PPU_NUMBER, run_sample

pytestmark = pytest.mark.parametrize(
    "engine", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
WHOLE_INPUT = {
    "Seq Scan",
    "Sort",
    "Incremental Sort",
    "Hash",
    "WindowAgg",
    "Aggregate",
    "Materialize",
}
MANY = 20_000  # enough rows for the planner to choose as it would at a million


@pytest.fixture
async def many(deps: Deps) -> Deps:
    """The sample case (id 1) among MANY synthetic ones, with the planner's statistics."""
    await run_sample(deps, PPU)
    fill(deps.engine, MANY, parties=True, first_id=2)
    with deps.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    return deps


@contextmanager
def statements(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def record(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def small_tables(engine: Engine) -> set[str]:
    """Tables the statistics say are (nearly) empty here: PostgreSQL walks their primary key
    rather than an index on `case_id`, a choice it stops making once they hold rows."""
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples < 1000"
        ).all()
    return {name for (name,) in rows}


def plans(engine: Engine, read: Callable[[], object]) -> list[dict[str, Any]]:
    with statements(engine) as seen:
        read()
    assert seen, "the read issued no statement"
    found = []
    with engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in seen:
            result = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters)
            found.append(json.loads(json.dumps(result.scalar_one()))[0]["Plan"])
    return found


def nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def table_scans(plan: dict[str, Any]) -> list[str]:
    """The tables a plan reads whole: a sequential scan, or an index walked with no condition."""
    whole = []
    for node in nodes(plan):
        kind = node["Node Type"]
        if kind == "Seq Scan" or (
            kind in {"Index Scan", "Index Only Scan"} and "Index Cond" not in node
        ):
            whole.append(f"{kind} on {node.get('Relation Name')}")
    return whole


def test_show_reads_one_case_through_indexes(many: Deps) -> None:
    deps = many
    for ref in ("1", PPU_NUMBER):
        found = plans(deps.engine, lambda ref=ref: case_view(deps.engine, ref))  # type: ignore[misc]
        assert len(found) >= 9  # the case, then parties, deadlines, ... each by the case's id
        small = small_tables(deps.engine)
        assert "cases" not in small and "deadline" not in small and "party" not in small
        whole = [scan for plan in found for scan in table_scans(plan)]
        assert [scan for scan in whole if scan.split(" on ")[1] not in small] == []


def test_pages_end_in_a_limit_and_scan_no_table(many: Deps) -> None:
    deps = many
    reads: dict[str, Callable[[], object]] = {
        "netra list": lambda: case_rows(deps.engine, limit=50),
        "register": lambda: case_rows(deps.engine, open_only=True, soonest_first=True, limit=50),
        "desk": lambda: search_rows(deps.engine, CaseSearch(), None, limit=25, offset=0)[0],
        "waiting": lambda: deadlines_due(deps.engine, None, date(2024, 11, 1)),
    }
    for name, read in reads.items():
        found = plans(deps.engine, read)
        page = found[0]
        assert page["Node Type"] == "Limit", name
        # Pipelined: every node hands rows up as it reads them, and the LIMIT stops it; no
        # node that reads its whole input first (a sort, a hash, a window, an aggregate).
        kinds = [n["Node Type"] for n in nodes(page)]
        if name == "waiting":  # the deadlines due by its day, sorted (only those)
            kinds.remove("Sort")
        assert not set(kinds) & WHOLE_INPUT, (name, kinds)
        assert read(), name  # the page has rows: the plan read something
