"""The staff desk at scale: N synthetic cases (default 10,000; benchmarks.scale_queries' generator,
spread over the rulebook's offices, each with a reporter and a reported civil servant with a NIP),
then the median time of the desk's reading pages through an authenticated client, each beside
the bare database read it needs (the same adapter or service call, no web layer), measured in
the same run:

- GET /perkara (the register's first page)  vs  adapters.db.search.search_rows
- GET /perkara?q=<NIP> (search)              vs  search_rows with that text
- GET /perkara/<id> (one case)               vs  adapters.db.views.case_view
- GET /menunggu (a pimpinan's work)          vs  services.reading.waiting_for

SQLite in a temporary folder by default; PostgreSQL when NETRA_BENCH_DATABASE_URL names one
(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/netra_bench): that database is created for the
run and dropped after it.

`python -m benchmarks.desk [N]`
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text, update
from sqlalchemy.engine import make_url

from adapters.db.search import CaseSearch, search_rows
from adapters.db.views import case_view
from benchmarks.scale_queries import fill, nip_of
from config.settings import Settings
from models.access import ALL_OFFICES, Actor, Role, memberships
from models.stages import Stage
from models.tables import Case
from services.deps import Deps, forget_settings
from services.reading import PAGE_SIZE, readable_offices, waiting_for
from services.users import actor_named, add_user, change_password
from web.app import create_app

OFFICE = "bawaslu-kab-penajam-paser-utara"
USER = "pimpinan-bench"
PASSWORD = "kata-sandi-bench-123"
ADMIN = Actor("admin-bench", "Admin", memberships([(ALL_OFFICES, Role.ADMIN)]))
REPEAT = 15
WARMUP = 2
AWAITING_EVERY = 50  # one case in 50 waits for the pimpinan


@contextmanager
def database() -> Iterator[str]:
    """The database URL of this run: NETRA_BENCH_DATABASE_URL (created, then dropped) or a
    SQLite file in a temporary folder."""
    url = os.environ.get("NETRA_BENCH_DATABASE_URL")
    if not url:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
        return
    target = make_url(url)
    name = target.database
    if not name or not name.replace("_", "").isalnum():
        raise SystemExit("NETRA_BENCH_DATABASE_URL: name a database (letters, digits, _)")
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def median_ms(step: Callable[[], object]) -> float:
    for _ in range(WARMUP):
        step()
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def logged_in(client: TestClient) -> None:
    page = client.get("/masuk")
    csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    answer = client.post("/masuk", data={"username": USER, "password": PASSWORD, "csrf": csrf})
    if answer.status_code != 303 or answer.headers["location"] != "/":
        raise SystemExit(f"login failed: {answer.status_code} {answer.text[:200]}")


def prepare(deps: Deps, n: int) -> None:
    offices = list(deps.rulebook.offices)
    start = time.perf_counter()
    fill(deps.engine, n, offices=offices, parties=True)
    with deps.engine.begin() as conn:
        conn.execute(
            update(Case)
            .where(text(f"cases.id % {AWAITING_EVERY} = 0"))
            .values(stage=Stage.AWAITING_APPROVAL.value)
        )
        if deps.engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))
    filled = time.perf_counter() - start
    first = add_user(deps, ADMIN, USER, "Pimpinan Bench", memberships([(OFFICE, Role.PIMPINAN)]))
    assert first is not None
    change_password(deps, USER, first, PASSWORD)
    print(f"{n} cases ({deps.engine.dialect.name}) filled in {filled:.1f} s")


def main(n: int) -> None:
    with database() as url, tempfile.TemporaryDirectory() as var:
        settings = Settings(var_dir=Path(var), database_url=url)
        app = create_app(settings)
        deps: Deps = app.state.desk.deps
        try:
            prepare(deps, n)
            run(app, deps, n)
        finally:
            deps.engine.dispose()
            forget_settings()


def a_case_of(deps: Deps, n: int) -> int:
    """A case in the middle of the N, of the user's office (the generator gives case i the
    office i mod the number of offices), not awaiting approval."""
    keys = list(deps.rulebook.offices)
    case_id = (n // 2 // len(keys)) * len(keys) + keys.index(OFFICE)
    while case_id < 1 or case_id % AWAITING_EVERY == 0:
        case_id += len(keys)
    return case_id


def run(app: object, deps: Deps, n: int) -> None:
    actor = actor_named(deps, USER)
    offices = readable_offices(actor)
    case_id = a_case_of(deps, n)
    nip = nip_of(case_id)
    client = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
    logged_in(client)

    def page(path: str) -> Callable[[], object]:
        def get() -> object:
            answer = client.get(path)
            if answer.status_code != 200:
                raise SystemExit(f"GET {path}: {answer.status_code}")
            return answer

        return get

    def rows(search: CaseSearch) -> Callable[[], object]:
        return lambda: search_rows(deps.engine, search, offices, limit=PAGE_SIZE, offset=0)

    found = search_rows(deps.engine, CaseSearch(text=nip), offices, limit=PAGE_SIZE, offset=0)
    assert [c.id for c, _ in found[0]] == [case_id], "the NIP search finds its one case"
    steps = [
        ("GET /perkara (first page)", page("/perkara"), "search_rows", rows(CaseSearch())),
        (
            "GET /perkara?q=<NIP>",
            page(f"/perkara?q={nip}"),
            "search_rows(text=NIP)",
            rows(CaseSearch(text=nip)),
        ),
        (
            f"GET /perkara/{case_id}",
            page(f"/perkara/{case_id}"),
            "case_view",
            lambda: case_view(deps.engine, str(case_id)),
        ),
        (
            "GET /menunggu",
            page("/menunggu"),
            "waiting_for",
            lambda: waiting_for(deps, actor, datetime.now(UTC)),
        ),
    ]
    print(f"median of {REPEAT} after {WARMUP} warm-up runs; user {USER} ({OFFICE})")
    print(f"{'page':28} {'web ms':>8}   {'bare read':24} {'ms':>8} {'web/bare':>9}")
    for label, web_step, bare_label, bare_step in steps:
        web_ms = median_ms(web_step)
        bare_ms = median_ms(bare_step)
        print(f"{label:28} {web_ms:8.1f}   {bare_label:24} {bare_ms:8.1f} {web_ms / bare_ms:9.1f}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 10_000)
