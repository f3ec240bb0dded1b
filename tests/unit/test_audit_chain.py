"""The audit chain, pure: each kind of break is found and named, a whole chain passes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest

from models.audit import GENESIS, Breach, ChainHead, entry_hash, verify_chain

T0 = datetime(2024, 10, 16, 7, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Row:
    id: int
    at: datetime
    actor_id: int | None
    actor: str
    action: str
    case_id: int | None
    detail: str
    origin: str
    prev_hash: str
    hash: str


def chain(n: int) -> list[Row]:
    rows: list[Row] = []
    prev = GENESIS
    for number in range(1, n + 1):
        values = {
            "id": number,
            "at": T0 + timedelta(minutes=number),
            "actor_id": None if number % 2 else 7,
            "actor": f"petugas-{number}",
            "action": "CaseRegistered",
            "case_id": 1,
            "detail": f"langkah {number}",
            "origin": "cli",
            "prev_hash": prev,
        }
        row = Row(**values, hash=entry_hash(**values))  # type: ignore[arg-type]
        rows.append(row)
        prev = row.hash
    return rows


def kinds(rows: list[Row], **kw: object) -> list[tuple[Breach, int]]:
    return [(p.kind, p.row) for p in verify_chain(rows, **kw)]  # type: ignore[arg-type]


def test_a_whole_chain_has_no_problem() -> None:
    assert kinds(chain(6)) == []


@pytest.mark.parametrize(
    "field, value",
    [("actor", "orang lain"), ("detail", "diubah"), ("case_id", 2), ("actor_id", 99)],
)
def test_a_changed_field_is_named_by_row(field: str, value: object) -> None:
    rows = chain(5)
    rows[2] = replace(rows[2], **{field: value})  # type: ignore[arg-type]
    assert kinds(rows) == [(Breach.CHANGED, 3)]


def test_a_changed_time_is_found() -> None:
    rows = chain(3)
    rows[1] = replace(rows[1], at=rows[1].at + timedelta(microseconds=1))
    assert kinds(rows) == [(Breach.CHANGED, 2)]


def test_a_removed_row_is_named_once() -> None:
    rows = chain(5)
    del rows[2]
    assert kinds(rows) == [(Breach.REMOVED, 3)]


def test_two_rows_swapped_are_named_with_where_they_stood() -> None:
    rows = chain(5)
    rows[1], rows[2] = replace(rows[2], id=2), replace(rows[1], id=3)
    problems = verify_chain(rows)
    assert [(p.kind, p.row) for p in problems] == [(Breach.MOVED, 2), (Breach.MOVED, 3)]
    assert "semula baris #3" in problems[0].message


def test_the_first_rows_swapped_are_found() -> None:
    rows = chain(3)
    rows[0], rows[1] = replace(rows[1], id=1), replace(rows[0], id=2)
    assert kinds(rows) == [(Breach.MOVED, 1), (Breach.MOVED, 2)]


def test_a_row_rewritten_with_a_fresh_hash_breaks_the_next_link() -> None:
    rows = chain(4)
    forged = {**vars(rows[1]), "detail": "dipalsukan"}
    del forged["hash"]
    rows[1] = Row(**forged, hash=entry_hash(**forged))
    assert kinds(rows) == [(Breach.UNLINKED, 3)]


def test_rows_cut_from_the_end_are_found_only_against_an_anchor() -> None:
    rows = chain(5)
    head = ChainHead(rows[-1].id, rows[-1].hash)
    assert kinds(rows[:3]) == []
    assert kinds(rows[:3], anchor=head) == [(Breach.HEAD, 5)]
    assert kinds(rows, anchor=ChainHead.parse(str(head))) == []


def test_an_anchor_that_is_not_number_and_hash_is_refused() -> None:
    with pytest.raises(ValueError, match="NOMOR:HASH"):
        ChainHead.parse("12:abc")
