"""What the audit trail costs: a case event recorded (one committed transaction) with and
without its audit row, and `verify_trail` over the rows; SQLite file and PostgreSQL.
`python -m benchmarks.audit [N]` (default 1000 events)."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from sqlalchemy.engine import Engine
from sqlmodel import Session

from adapters.db.audit import append_audit
from adapters.db.engine import make_engine, unit_of_work
from adapters.db.migrate import upgrade
from models.stages import Stage
from models.tables import StageEvent
from services.audit import verify_trail
from tests.adapters.test_outbox import make_case
from tests.support.actors import staff

NOW = datetime(2024, 10, 14, 2, 0, tzinfo=UTC)
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"


def _audit_row(session: Session, case_id: int, i: int) -> None:
    append_audit(
        session,
        actor_id=None,
        actor="sistem",
        action="DeadlineMissed",
        case_id=case_id,
        detail=f"#{i}",
        origin="bench",
        now=NOW,
    )


def _events(engine: Engine, case_id: int, n: int, *, audited: bool) -> float:
    """Seconds per committed event (a StageEvent row, plus its audit row when `audited`)."""
    start = time.perf_counter()
    for i in range(n):
        with unit_of_work(engine) as session:
            session.add(
                StageEvent(
                    case_id=case_id,
                    event="DeadlineMissed",
                    from_stage=Stage.REGISTERED,
                    to_stage=Stage.REGISTERED,
                    at=NOW,
                    actor="sistem",
                    reason=f"#{i}",
                )
            )
            if audited:
                _audit_row(session, case_id, i)
    return (time.perf_counter() - start) / n


def _appends(engine: Engine, case_id: int, n: int) -> float:
    """Seconds per audit row of `n` appended in one transaction, its commit included (the rows'
    own cost: chaining and inserting them)."""
    start = time.perf_counter()
    with unit_of_work(engine) as session:
        for i in range(n):
            _audit_row(session, case_id, i)
    return (time.perf_counter() - start) / n


def measure(name: str, engine: Engine, n: int, rounds: int = 5) -> None:
    """Plain and audited events measured in alternating rounds (the machine's load changes while
    it runs); the median round of each is reported."""
    upgrade(engine)
    case_id = make_case(engine)
    _events(engine, case_id, 20, audited=True)  # warm up
    per_round = max(1, n // rounds)
    plain, audited = [], []
    for _ in range(rounds):
        plain.append(_events(engine, case_id, per_round, audited=False))
        audited.append(_events(engine, case_id, per_round, audited=True))
    p, a = statistics.median(plain), statistics.median(audited)
    alone = _appends(engine, case_id, n)
    start = time.perf_counter()
    check = verify_trail(engine, staff("auditor"))
    verify = time.perf_counter() - start
    assert check.whole
    print(
        f"{name}: event {p * 1000:.2f} ms, event + audit row {a * 1000:.2f} ms "
        f"(+{(a - p) * 1000:.2f} ms, ×{a / p:.2f}; median of {rounds} rounds of {per_round}); "
        f"{n} rows in one transaction {alone * 1000:.3f} ms each; "
        f"verify {check.rows} rows {verify * 1000:.0f} ms"
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'netra.db'}")
        measure("SQLite (file)", engine, n)
        engine.dispose()
    name = f"netra_bench_audit_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError:
        print("PostgreSQL: not reachable, skipped")
        return
    try:
        engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
        measure("PostgreSQL", engine, n)
        engine.dispose()
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
