"""The audit trail in the case database: append a row in the caller's transaction, read rows.

A row is queued in the session and written just before it commits. Those writes are serialised
so the chain never forks: on PostgreSQL a transaction-scoped advisory lock (held from then to the
commit); on SQLite a no-op write takes the database's write lock before the last row is read
(pysqlite opens the transaction at the first write, so a plain SELECT first would read outside
it). One extra indexed row per action.

`origin` says from where an action came ("cli", "prefect", "desk 10.0.0.7"); a process sets it
once (`set_origin`, kept in `adapters.db.origin`) and every row it writes carries it, unless a
caller names its own.
"""

from __future__ import annotations

import zlib
from datetime import datetime
from typing import Any

from sqlalchemy import event, func, insert, text
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session, col, select

from adapters.db.origin import DEFAULT_ORIGIN as DEFAULT_ORIGIN
from adapters.db.origin import current_origin
from adapters.db.origin import set_origin as set_origin
from models.audit import GENESIS, ChainHead, entry_hash
from models.tables import AuditEntry

_PG_CHAIN_LOCK = zlib.crc32(b"netra:audit-chain")


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
) -> None:
    """Append one row to the trail in the caller's transaction: it is written when the session
    commits (so the chain is locked only for that moment, not while a stage renders letters) and
    dropped with everything else if the transaction rolls back."""
    if not session.in_transaction():
        session.begin()  # so that a rollback (or close) before any other statement drops it
    pending = session.info.setdefault(_PENDING, [])
    pending.append(
        {
            "at": now,
            "actor_id": actor_id,
            "actor": actor,
            "action": str(action),
            "case_id": case_id,
            "detail": detail,
            "origin": origin if origin is not None else current_origin(),
        }
    )


_PENDING = "netra_audit_pending"
_LAST = select(AuditEntry.id, AuditEntry.hash).order_by(col(AuditEntry.id).desc()).limit(1)
_INSERT = insert(AuditEntry)


@event.listens_for(OrmSession, "before_commit")
def _write_pending(session: OrmSession) -> None:
    """The rows appended in this transaction, chained after the newest row, just before commit."""
    pending: list[dict[str, Any]] = session.info.pop(_PENDING, [])
    if not pending:
        return
    _lock_chain(session)
    last = session.execute(_LAST).first()
    number, prev_hash = (last[0] + 1, last[1]) if last is not None else (1, GENESIS)
    rows = []
    for item in pending:
        digest = entry_hash(id=number, prev_hash=prev_hash, **item)
        rows.append({**item, "id": number, "prev_hash": prev_hash, "hash": digest})
        number, prev_hash = number + 1, digest
    session.execute(_INSERT, rows)  # one prepared INSERT with bound values (no ORM objects)


@event.listens_for(OrmSession, "after_transaction_end")
def _drop_pending(session: OrmSession, transaction: SessionTransaction) -> None:
    """Rows of a transaction that did not commit (rolled back, or its session closed) go."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def _lock_chain(session: OrmSession) -> None:
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
