"""The audit trail's chain, pure: how a row is hashed and how a chain of rows is checked.

Every row carries the SHA-256 of the row before it (`prev_hash`; the first row carries
`GENESIS`) and its own `hash`: SHA-256 over a canonical serialisation of its fields (its number
`id` included) and `prev_hash`. Changing a field breaks the row's own hash; removing a row leaves a
gap in the numbers and breaks the link of the row after it; reordering rows (their numbers
swapped) breaks both, and the row's `prev_hash` tells where it stood. Rows cut from the end leave
no trace in the chain itself: compare with a head noted earlier (`ChainHead`, `--anchor`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol, TypeVar

GENESIS = "0" * 64  # the `prev_hash` of the first row

# What an email's last_error starts with when a letter file it carries was altered: `netra
# mail-pending` and `netra show` then say to restore the file rather than fix an address.
LETTER_TAMPERED_NOTE = "Berkas surat berubah sejak diterbitkan"


class AuditAction(StrEnum):
    """The actions the trail records beyond the case events (those keep their event names)."""

    CASE_READ = "case_read"  # a person read the case file (`netra show`, the desk)
    LETTER_READ = "letter_read"  # a person opened or downloaded a letter file
    EVIDENCE_READ = "evidence_read"  # a person downloaded an evidence file
    LETTER_TAMPERED = "letter_tampered"  # a letter file no longer matches its SHA-256
    MAIL_RETRY = "mail_retry"  # a person queued refused email again
    MAIL_RESOLVED = "mail_resolved"  # a person settled an email interrupted mid-transfer
    AUDIT_EXPORT = "audit_export"  # an auditor exported a case's trail
    CASE_FILE_EXPORT = "case_file_export"  # a person exported the case file (the ZIP)
    CASE_FILE_REFUSED = "case_file_refused"  # a stored file failed its SHA-256: no ZIP
    ACCOUNTS_CREATED = "accounts_created"  # the first admin and the operator, on first run
    USER_ADDED = "user_added"
    USER_DISABLED = "user_disabled"
    USER_ENABLED = "user_enabled"
    PASSWORD_RESET = "password_reset"  # an admin gave a new one-time password
    PASSWORD_CHANGED = "password_changed"  # the user changed their own
    ROLE_GRANTED = "role_granted"
    ROLE_REVOKED = "role_revoked"
    LOGIN = "login"
    LOGIN_REFUSED = "login_refused"
    TOKEN_CREATED = "token_created"  # an API token made (its name and owner; never the token)
    TOKEN_REVOKED = "token_revoked"


# Rows that record a look at a case, not a change of it (what a case file's extract ends before).
READ_ACTIONS = frozenset(
    {
        AuditAction.CASE_READ,
        AuditAction.LETTER_READ,
        AuditAction.EVIDENCE_READ,
        AuditAction.AUDIT_EXPORT,
        AuditAction.CASE_FILE_EXPORT,
    }
)

# The columns of an exported row (`netra audit export`, the case file's extract), in order.
EXPORT_FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor",
    "action",
    "case_id",
    "detail",
    "origin",
    "prev_hash",
    "hash",
)


class AuditFields(Protocol):
    """What a row of the trail holds (the table `audit_entry` or a plain record)."""

    @property
    def id(self) -> int | None: ...
    @property
    def at(self) -> datetime: ...
    @property
    def actor_id(self) -> int | None: ...
    @property
    def actor(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def case_id(self) -> int | None: ...
    @property
    def detail(self) -> str: ...
    @property
    def origin(self) -> str: ...
    @property
    def prev_hash(self) -> str: ...
    @property
    def hash(self) -> str: ...


def canonical(
    *,
    id: int,
    at: datetime,
    actor_id: int | None,
    actor: str,
    action: str,
    case_id: int | None,
    detail: str,
    origin: str,
    prev_hash: str,
) -> bytes:
    """The bytes a row's hash is taken over: its fields as compact JSON, keys sorted, the time in
    UTC to the microsecond (what both databases keep)."""
    fields = {
        "id": id,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor": actor,
        "action": action,
        "case_id": case_id,
        "detail": detail,
        "origin": origin,
        "prev_hash": prev_hash,
    }
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def entry_hash(
    *,
    id: int,
    at: datetime,
    actor_id: int | None,
    actor: str,
    action: str,
    case_id: int | None,
    detail: str,
    origin: str,
    prev_hash: str,
) -> str:
    data = canonical(
        id=id,
        at=at,
        actor_id=actor_id,
        actor=actor,
        action=action,
        case_id=case_id,
        detail=detail,
        origin=origin,
        prev_hash=prev_hash,
    )
    return hashlib.sha256(data).hexdigest()


def row_hash(row: AuditFields, *, as_id: int | None = None) -> str:
    """The hash `row` should carry (numbered `as_id` instead of its own, if given)."""
    number = as_id if as_id is not None else row.id
    assert number is not None
    return entry_hash(
        id=number,
        at=row.at,
        actor_id=row.actor_id,
        actor=row.actor,
        action=row.action,
        case_id=row.case_id,
        detail=row.detail,
        origin=row.origin,
        prev_hash=row.prev_hash,
    )


class Breach(StrEnum):
    CHANGED = "changed"
    REMOVED = "removed"
    MOVED = "moved"
    UNLINKED = "unlinked"  # a valid row whose predecessor is not the row before it
    HEAD = "head"  # the head noted earlier is gone or differs


@dataclass(frozen=True)
class ChainProblem:
    kind: Breach
    row: int  # the row's number (for REMOVED: the number missing)
    message: str  # Indonesian, for the operator


@dataclass(frozen=True)
class ChainHead:
    """The last row of a chain: its number and hash (note it to detect rows cut from the end)."""

    id: int
    hash: str

    @classmethod
    def parse(cls, text: str) -> ChainHead:
        """`1234:9f86d08...` (as `netra audit verify` prints it)."""
        number, _, digest = text.strip().partition(":")
        if not number.isdigit() or len(digest) != 64:
            raise ValueError(f"jangkar '{text}' tidak valid (bentuknya NOMOR:HASH)")
        return cls(int(number), digest.lower())

    def __str__(self) -> str:
        return f"{self.id}:{self.hash}"


def verify_chain(
    rows: Sequence[AuditFields], *, anchor: ChainHead | None = None
) -> list[ChainProblem]:
    """Every break in `rows` (ordered by number), in order; empty when the chain is whole."""
    problems: list[ChainProblem] = []
    by_hash = {row.hash: row for row in rows}
    expected_id, expected_prev, flagged = 1, GENESIS, False
    for row in rows:
        assert row.id is not None
        problems += [
            ChainProblem(Breach.REMOVED, gone, f"baris #{gone} hilang (dihapus)")
            for gone in range(expected_id, row.id)
        ]
        # a row after one already reported (or after a gap) is not reported for its link alone
        explained = flagged or row.id != expected_id
        flagged = row_hash(row) != row.hash
        if flagged:
            problems.append(_changed_or_moved(row, by_hash))
        elif row.prev_hash != expected_prev and not explained:
            problems.append(
                ChainProblem(
                    Breach.UNLINKED,
                    row.id,
                    f"baris #{row.id} tidak lagi tersambung dengan baris sebelumnya "
                    "(baris sebelumnya diubah, dihapus atau disisipkan)",
                )
            )
        expected_id, expected_prev = row.id + 1, row.hash
    if anchor is not None:
        problems += _anchor_problems(rows, anchor)
    return problems


def _changed_or_moved(row: AuditFields, by_hash: dict[str, AuditFields]) -> ChainProblem:
    """A row whose hash fails: moved if it hashes right under the number after its predecessor
    (the row its `prev_hash` names), else changed."""
    assert row.id is not None
    before = by_hash.get(row.prev_hash)
    origin = 1 if row.prev_hash == GENESIS else _original_id(before)
    if origin is not None and origin != row.id and row_hash(row, as_id=origin) == row.hash:
        return ChainProblem(
            Breach.MOVED,
            row.id,
            f"baris #{row.id} dipindah urutannya (semula baris #{origin})",
        )
    return ChainProblem(
        Breach.CHANGED,
        row.id,
        f"baris #{row.id} diubah: isinya tidak cocok lagi dengan hash-nya",
    )


def _original_id(row: AuditFields | None) -> int | None:
    """The number `row` was written with + 1 (its own, or the one its hash proves)."""
    if row is None or row.id is None:
        return None
    if row_hash(row) == row.hash:
        return row.id + 1
    # the predecessor moved too (two rows swapped): find the number its hash was taken under
    for candidate in (row.id - 1, row.id + 1):
        if candidate > 0 and row_hash(row, as_id=candidate) == row.hash:
            return candidate + 1
    return None


def _anchor_problems(rows: Sequence[AuditFields], anchor: ChainHead) -> list[ChainProblem]:
    found = next((row for row in rows if row.id == anchor.id), None)
    if found is None:
        message = f"baris #{anchor.id} yang dicatat sebagai jangkar tidak ada lagi (dihapus)"
        return [ChainProblem(Breach.HEAD, anchor.id, message)]
    if found.hash != anchor.hash:
        message = f"baris #{anchor.id} tidak sama dengan jangkar yang dicatat (hash berbeda)"
        return [ChainProblem(Breach.HEAD, anchor.id, message)]
    return []


_Row = TypeVar("_Row", bound=AuditFields)


def export_record(row: AuditFields) -> dict[str, object]:
    """A row as exported: every field, the time in ISO 8601 to the microsecond."""
    return {
        "id": row.id,
        "at": row.at.isoformat(timespec="microseconds"),
        "actor_id": row.actor_id,
        "actor": row.actor,
        "action": row.action,
        "case_id": row.case_id,
        "detail": row.detail,
        "origin": row.origin,
        "prev_hash": row.prev_hash,
        "hash": row.hash,
    }


def records_jsonl(records: Iterable[dict[str, object]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def records_csv(records: Iterable[dict[str, object]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue()


def until_last_change(rows: Sequence[_Row]) -> list[_Row]:
    """The rows up to the last one that is not a read (`READ_ACTIONS`): the looks taken since
    the case last changed are left out, so the same case gives the same extract."""
    last = max((i for i, row in enumerate(rows) if row.action not in READ_ACTIONS), default=-1)
    return list(rows[: last + 1])
