"""Recap statistics at scale: N synthetic cases (default 100,000) in a temporary PostgreSQL
database (SQLite with `--sqlite` or when PostgreSQL does not answer), with the history the recap
reads (stage events, decisions with violation codes, reported persons with their referral
authority, missed deadlines). Times, against the bare SQL aggregate in the same run (the funnel's
one GROUP BY, `adapters.db.statistics.funnel_of`):

- the whole recap through the service (`services.statistics.recap`: every query of it);
- the desk's `/statistik` page through the app (TestClient, logged in: charts included);
- the `/statistik.xlsx` export through the app (and its size).

    python -m benchmarks.statistics [N] [--sqlite]
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import insert, text
from sqlalchemy.engine import Engine

from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from adapters.db.statistics import funnel_of
from benchmarks.scale_queries import database, fill, timed
from config.office_data import load_offices
from config.settings import Settings
from models.access import ALL_OFFICES, SYSTEM, Actor, Role, memberships
from models.stages import CaseEvent, Stage
from models.statistics import RecapFilter
from models.tables import CaseDecision, StageEvent
from services.deps import Deps, forget_settings
from services.statistics import recap
from services.users import add_user, change_password
from web.app import create_app

PASSWORD = "kata-sandi-bench-123"
CODES = ["SKB-B4", "SKB-B7", "SKB-B6", "PP94-5n-2", "SKB-A2", "SKB-B8"]


def _events(i: int, stage: Stage) -> list[dict[str, Any]]:
    """The history a case at `stage` has (`scale_queries.STAGES` cycles the stages)."""
    start = datetime(2024, 1, 1, 2, tzinfo=UTC) + timedelta(days=i % 300)
    steps = [(CaseEvent.RECEIVED, Stage.RECEIVED, 0.0)]
    if stage is not Stage.RECEIVED:
        steps.append((CaseEvent.REGISTERED, Stage.REGISTERED, 1 + i % 2))
    if stage in (Stage.REFERRED, Stage.CLOSED):
        steps += [
            (CaseEvent.RECOMMENDATION_DRAFTED, Stage.AWAITING_APPROVAL, 3 + i % 5),
            (CaseEvent.RECOMMENDATION_APPROVED, Stage.APPROVED, 4 + i % 5),
            (CaseEvent.REFERRED, Stage.REFERRED, 4.5 + i % 5),
        ]
        if stage is Stage.CLOSED or i % 2:
            steps.append((CaseEvent.AUTHORITY_RECOMMENDED, Stage.REFERRED, 12 + i % 9))
    if stage is Stage.CLOSED:
        steps.append((CaseEvent.PPK_DECISION_RECORDED, Stage.CLOSED, 25 + i % 20))
    return [
        {
            "case_id": i,
            "event": event.value,
            "from_stage": None,
            "to_stage": to.value,
            "at": start + timedelta(days=days),
            "actor": "bench",
            "actor_id": None,
            "reason": "",
        }
        for event, to, days in steps
    ]


def history(engine: Engine, n: int) -> None:
    """Stage events and decisions for the cases `fill` made; reported persons referred to BKN;
    every tenth case's decision deadline missed."""
    stages = [Stage.RECEIVED, Stage.REGISTERED, Stage.UNDER_REVIEW, Stage.REFERRED, Stage.CLOSED]
    now = datetime(2024, 10, 14, tzinfo=UTC)
    batch = 5_000
    with engine.begin() as conn:
        for first in range(1, n + 1, batch):
            ids = range(first, min(first + batch, n + 1))
            conn.execute(
                insert(StageEvent.__table__),  # type: ignore[attr-defined]
                [e for i in ids for e in _events(i, stages[i % len(stages)])],
            )
            decided = [i for i in ids if stages[i % len(stages)] in (Stage.REFERRED, Stage.CLOSED)]
            conn.execute(
                insert(CaseDecision.__table__),  # type: ignore[attr-defined]
                [
                    {
                        "case_id": i,
                        "outcome": "pelanggaran",
                        "acts": [CODES[i % len(CODES)], CODES[(i + 1) % len(CODES)]],
                        "act_date": None,
                        "reasoning": "",
                        "recommendations": [],
                        "decided_by": "bench",
                        "decided_at": now,
                    }
                    for i in decided
                ],
            )
        conn.execute(text("UPDATE party SET authority = 'BKN' WHERE role = 'terlapor'"))
        conn.execute(
            text(
                "UPDATE deadline SET status = 'missed' WHERE rule = 'decision' AND case_id % 10 = 0"
            )
        )
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))


def logged_in(deps: Deps, app: Any) -> TestClient:
    root = Actor("root", "Root", memberships([(ALL_OFFICES, Role.ADMIN)]))
    first = add_user(deps, root, "kepala", "Kepala", memberships([(ALL_OFFICES, Role.PIMPINAN)]))
    assert first is not None
    change_password(deps, "kepala", first, PASSWORD)
    client = TestClient(app, follow_redirects=False)
    page = client.get("/masuk").text
    csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    answer = client.post("/masuk", data={"username": "kepala", "password": PASSWORD, "csrf": csrf})
    assert answer.status_code == 303, answer.text
    return client


def main(n: int, use_sqlite: bool) -> None:
    offices = list(load_offices())
    with database(use_sqlite) as url, tempfile.TemporaryDirectory() as folder:
        engine = make_engine(url)
        upgrade(engine)
        started = time.perf_counter()
        fill(engine, n, offices=offices, parties=True)
        history(engine, n)
        print(
            f"{n:,} cases in {url.split(':')[0]} with their history in "
            f"{time.perf_counter() - started:.1f} s"
        )
        app = create_app(Settings(var_dir=Path(folder) / "var", database_url=url))
        deps: Deps = app.state.desk.deps
        client = logged_in(deps, app)

        found = recap(deps, SYSTEM, RecapFilter())
        f = found.funnel
        print(
            f"figures: received {f.received:,}, registered {f.registered:,}, proven "
            f"{f.proven:,}, referred {f.referred:,}, recommended {f.recommended:,}, acted "
            f"{f.acted:,}, follow-up rate {f.followup_rate or 0:.1%}; missed deadlines "
            f"{found.cases_missing_deadlines:,} cases"
        )
        sizes: dict[str, int] = {}

        def page() -> None:
            response = client.get("/statistik")
            assert response.status_code == 200 and "<svg" in response.text
            sizes["page"] = len(response.content)

        def xlsx() -> None:
            response = client.get("/statistik.xlsx")
            assert response.status_code == 200
            sizes["xlsx"] = len(response.content)

        base = timed(lambda: funnel_of(engine, []))
        steps = [
            ("recap service (every query)", lambda: recap(deps, SYSTEM, RecapFilter())),
            ("/statistik page via the app", page),
            ("/statistik.xlsx via the app", xlsx),
            (
                "recap of one office (filter)",
                lambda: recap(deps, SYSTEM, RecapFilter(office=offices[0])),
            ),
        ]
        print(f"{'step':40} {'ms':>10} {'x baseline':>11}")
        print(f"{'baseline: bare funnel aggregate (SQL)':40} {base * 1000:10.1f} {1:11.1f}")
        for label, step in steps:
            seconds = timed(step)
            print(f"{label:40} {seconds * 1000:10.1f} {seconds / base:11.1f}")
        print(f"page {sizes['page'] / 1024:.0f} KiB, XLSX {sizes['xlsx'] / 1024:.1f} KiB")
        client.close()
        forget_settings()
        app.state.desk.deps.engine.dispose()
        engine.dispose()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 100_000, "--sqlite" in sys.argv)
