"""The register's search on both databases: a NIP (18 digits, more than any case id) finds its
case by the party's NIP, and is never compared with the case id (PostgreSQL refused that)."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from adapters.db.search import CaseSearch, search_rows
from benchmarks.scale_queries import fill, nip_of

OFFICES = ["bawaslu-kab-penajam-paser-utara", "bawaslu-kota-pangkalpinang"]


def test_a_nip_finds_its_case_and_a_number_its_id(engine: Engine) -> None:
    fill(engine, 40, offices=OFFICES, parties=True)
    by_nip, total = search_rows(engine, CaseSearch(text=nip_of(12)), None, limit=25, offset=0)
    assert [case.id for case, _ in by_nip] == [12] and total == 1
    spaced = f"{nip_of(12)[:8]} {nip_of(12)[8:14]} {nip_of(12)[14:]}"
    assert [
        c.id for c, _ in search_rows(engine, CaseSearch(text=spaced), None, limit=25, offset=0)[0]
    ] == [12]
    by_id, _ = search_rows(engine, CaseSearch(text="#7"), [OFFICES[1]], limit=25, offset=0)
    assert [case.id for case, _ in by_id] == [7]
    other_office, total = search_rows(
        engine, CaseSearch(text=nip_of(12)), [OFFICES[1]], limit=25, offset=0
    )
    assert other_office == [] and total == 0
