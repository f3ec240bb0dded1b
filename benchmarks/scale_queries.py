"""The case list at scale: N synthetic cases (default 100,000) in PostgreSQL (a temporary
database on 127.0.0.1:5432 when it answers; else SQLite), timing `netra list`'s first page, a
far page, its count, a filtered page, the Prefect register's first page (by next due date), the
open deadlines due by a day ("Menunggu saya"), and (unless `--first-pages`) every open case with
its next deadline, against a baseline in the same run: the same number of case rows read by
their ids.

`python -m benchmarks.scale_queries [N] [--sqlite] [--first-pages]`
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from adapters.db.search import deadlines_due
from adapters.db.views import case_rows, count_cases
from models.stages import Stage
from models.tables import Case, CaseDeadline, Party

PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"
PAGE = 50
STAGES = [Stage.RECEIVED, Stage.REGISTERED, Stage.UNDER_REVIEW, Stage.REFERRED, Stage.CLOSED]


@contextmanager
def database(use_sqlite: bool) -> Iterator[str]:
    if not use_sqlite:
        try:
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                name = f"netra_bench_{uuid.uuid4().hex[:8]}"
                conn.execute(f'CREATE DATABASE "{name}"')
        except psycopg.OperationalError:
            use_sqlite = True
        else:
            try:
                yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
            finally:
                with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'bench.db'}"


def fill(
    engine: Engine,
    n: int,
    *,
    offices: Sequence[str] | None = None,
    parties: bool = False,
    first_id: int = 1,
) -> None:
    """N cases (ids from `first_id`), two deadlines each (one met, one open) and the open one's
    due date on the case row (`next_due`, as the session keeps it), in batches; spread over
    `offices` (default: 500 made-up ones); with `parties`, a reporter and a reported civil
    servant (with a NIP, `nip_of(i)`) each."""
    now = datetime(2024, 10, 14, 9, tzinfo=UTC)
    keys = list(offices or (f"kantor-{k}" for k in range(500)))
    batch = 5_000
    last = first_id + n - 1
    with engine.begin() as conn:
        for first in range(first_id, last + 1, batch):
            ids = range(first, min(first + batch, last + 1))
            conn.execute(insert(Case.__table__), [_case(i, now, keys) for i in ids])  # type: ignore[attr-defined]
            conn.execute(
                insert(CaseDeadline.__table__),  # type: ignore[attr-defined]
                [d for i in ids for d in _deadlines(i)],
            )
            if parties:
                conn.execute(
                    insert(Party.__table__),  # type: ignore[attr-defined]
                    [p for i in ids for p in _parties(i)],
                )


def nip_of(i: int) -> str:
    """The synthetic NIP of case `i`'s reported civil servant (18 digits, unique)."""
    return f"1980{i:08d}200604"


def _parties(i: int) -> list[dict[str, Any]]:
    # Every row has the same keys: a bulk insert takes its columns from the first row.
    reporter = {"employment": None, "nip": None, "job_title": None, "agency": None}
    return [
        {"case_id": i, "role": "pelapor", "position": 0, "name": f"Pelapor {i}", **reporter},
        {
            "case_id": i,
            "role": "terlapor",
            "position": 0,
            "name": f"Terlapor Nomor {i}",
            "employment": "PNS",
            "nip": nip_of(i),
            "job_title": "Camat",
            "agency": "Pemerintah Kabupaten Contoh",
        },
    ]


def _case(i: int, now: datetime, offices: Sequence[str]) -> dict[str, Any]:
    received = date(2024, 1, 1) + timedelta(days=i % 300)
    next_open = min((d for d in _deadlines(i) if d["status"] == "open"), key=lambda d: d["due_on"])
    return {
        "next_due": next_open["due_on"],
        "next_due_rule": next_open["rule"],
        "id": i,
        "kind": "laporan",
        "election_type": "pilkada",
        "election_year": 2024,
        "election_region": "Kabupaten Contoh",
        "office_key": offices[i % len(offices)],
        "received_on": received,
        "incident_summary": "Ringkasan",
        "incident_place": "Tempat",
        "occurred_on": received,
        "known_on": received,
        "incident_account": "Uraian",
        "admissible": True,
        "source_hash": f"{i:064d}",
        "case_number": f"{i:06d}/LP/PW/Kab/00.00/X/2024",
        "stage": STAGES[i % len(STAGES)].value,
        "version": 1,
        "received_at": now,
        "created_at": now,
        "updated_at": now,
        "references": {},
        "report": {},
    }


def _deadlines(i: int) -> list[dict[str, Any]]:
    start = date(2024, 1, 1) + timedelta(days=i % 300)
    common = {
        "case_id": i,
        "basis": "dasar",
        "unit": "calendar",
        "start_event": "received_at",
        "start_on": start,
        "calendar_version": "bench",
        "confirmed": False,
    }
    return [
        {**common, "rule": "kajian_awal", "due_on": start + timedelta(days=2), "status": "met"},
        {
            **common,
            "rule": "decision",
            "due_on": start + timedelta(days=3 + i % 7),
            "status": "open",
        },
    ]


def timed(step: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        best = min(best, time.perf_counter() - start)
    return best


def main(n: int, use_sqlite: bool, first_pages_only: bool = False) -> None:
    with database(use_sqlite) as url:
        engine = make_engine(url)
        upgrade(engine)
        start = time.perf_counter()
        fill(engine, n)
        print(f"{n} cases in {url.split(':')[0]} filled in {time.perf_counter() - start:.1f} s")

        def baseline() -> object:
            with Session(engine) as session:
                query = select(Case).where(col(Case.id) <= PAGE).order_by(col(Case.id))
                return session.exec(query).all()

        base = timed(baseline)
        steps = [
            (f"list: first page ({PAGE})", lambda: case_rows(engine, limit=PAGE)),
            (f"list: page 1000 ({PAGE})", lambda: case_rows(engine, limit=PAGE, offset=PAGE * 999)),
            ("list: count", lambda: count_cases(engine)),
            (
                f"list --office --stage, first page ({PAGE})",
                lambda: case_rows(engine, office="kantor-7", stage=Stage.REFERRED, limit=PAGE),
            ),
            (
                f"register: first page by next due ({PAGE})",
                lambda: case_rows(engine, open_only=True, soonest_first=True, limit=PAGE),
            ),
            (
                "waiting: open deadlines due by 10 Jan 2024",
                lambda: deadlines_due(engine, None, date(2024, 1, 10)),
            ),
        ]
        if not first_pages_only:
            steps.append(
                (
                    "every open case + next deadline (no longer read)",
                    lambda: case_rows(engine, open_only=True),
                )
            )
        print(f"{'step':52} {'ms':>10} {'x baseline':>11}")
        print(f"{'baseline: ' + str(PAGE) + ' case rows by id':52} {base * 1000:10.1f} {1:11.1f}")
        for label, step in steps:
            seconds = timed(step, repeat=1 if "every open case" in label else 3)
            print(f"{label:52} {seconds * 1000:10.1f} {seconds / base:11.1f}")
        engine.dispose()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 100_000, "--sqlite" in sys.argv, "--first-pages" in sys.argv)
