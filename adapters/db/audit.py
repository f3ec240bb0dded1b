"""The audit trail in the case database: append a row in the caller's transaction, read rows.

Appends are serialised so the chain never forks: on PostgreSQL a transaction-scoped advisory lock
(held until the caller's commit or rollback); on SQLite a no-op write takes the database's write
lock before the last row is read (pysqlite opens the transaction at the first write, so a plain
SELECT first would read outside it). One extra indexed row per action.

`origin` says from where an action came ("cli", "prefect", "desk 10.0.0.7"); a process sets it
once (`set_origin`) and every row it writes carries it, unless a caller names its own.
"""

from __future__ import annotations

import zlib
from contextvars import ContextVar
from datetime import datetime

from sqlalchemy import func, insert, text
from sqlmodel import Session, col, select

from models.audit import GENESIS, ChainHead, entry_hash
from models.tables import AuditEntry

_PG_CHAIN_LOCK = zlib.crc32(b"netra:audit-chain")
_origin: ContextVar[str | None] = ContextVar("netra_audit_origin", default=None)
DEFAULT_ORIGIN = "sistem"


def set_origin(origin: str, *, unless_set: bool = False) -> None:
    """Where this process's (or task's) actions come from, for every row it appends; with
    `unless_set`, only if nothing said so before (a flow run started by `netra` stays "cli")."""
    if not (unless_set and _origin.get() is not None):
        _origin.set(origin)


def current_origin() -> str:
    return _origin.get() or DEFAULT_ORIGIN


def append_audit(
    session: Session,
    *,
    actor_id: int | None,
    actor: str,
    action: str,
    case_id: int | None,
    detail: str,
    origin: str | None = None,
    now: datetime,
) -> ChainHead:
    """Append one row to the trail, in the caller's transaction (it commits or rolls back with
    the action it records); returns the row's number and hash."""
    _lock_chain(session)
    last = session.exec(_LAST).first()
    number, prev_hash = (last[0] + 1, last[1]) if last is not None else (1, GENESIS)
    origin = origin if origin is not None else current_origin()
    digest = entry_hash(
        id=number,
        at=now,
        actor_id=actor_id,
        actor=actor,
        action=str(action),
        case_id=case_id,
        detail=detail,
        origin=origin,
        prev_hash=prev_hash,
    )
    row = {
        "id": number,
        "at": now,
        "actor_id": actor_id,
        "actor": actor,
        "action": str(action),
        "case_id": case_id,
        "detail": detail,
        "origin": origin,
        "prev_hash": prev_hash,
        "hash": digest,
    }
    session.execute(_INSERT, row)  # one prepared INSERT with bound values (no ORM object)
    return ChainHead(number, digest)


_LAST = select(AuditEntry.id, AuditEntry.hash).order_by(col(AuditEntry.id).desc()).limit(1)
_INSERT = insert(AuditEntry)


def _lock_chain(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SELECT pg_advisory_xact_lock({_PG_CHAIN_LOCK})"))
    else:  # a write that changes nothing, for the write lock (the delete trigger fires per row)
        session.execute(text("DELETE FROM audit_entry WHERE 0"))


def audit_rows(session: Session, *, case_id: int | None = None) -> list[AuditEntry]:
    """The trail in order (of one case, or all of it)."""
    query = select(AuditEntry)
    if case_id is not None:
        query = query.where(col(AuditEntry.case_id) == case_id)
    return list(session.exec(query.order_by(col(AuditEntry.id))).all())


def chain_head(session: Session) -> ChainHead | None:
    last = session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(1)).first()
    return ChainHead(last.id, last.hash) if last is not None else None


def audit_count(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(AuditEntry)).one())
