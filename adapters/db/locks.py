"""Locks across processes on the case database: one holder at a time for work that must never
run twice at once (the deadline sweep). PostgreSQL: a session advisory lock on a connection of
its own; SQLite: a lock file beside the database (flock). And a lock held by a transaction until
it ends (`lock_case_letters`)."""

from __future__ import annotations

import fcntl
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from models.tables import SequenceCounter


def lock_file(engine: Engine, name: str) -> Path | None:
    """The lock file beside a SQLite database file (None: another database, or in memory)."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        return None
    path = Path(database).with_name(f"{Path(database).name}.{name}-lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def held_alone(engine: Engine, name: str) -> Iterator[bool]:
    """Take the lock `name` if no other process holds it; yields whether this one got it (then
    the lock is held until the block ends). Never waits."""
    if engine.dialect.name == "postgresql":
        key = zlib.crc32(f"netra:{name}".encode())
        with engine.connect() as connection:
            got = bool(connection.exec_driver_sql(f"SELECT pg_try_advisory_lock({key})").scalar())
            try:
                yield got
            finally:
                if got:
                    connection.exec_driver_sql(f"SELECT pg_advisory_unlock({key})")
                connection.commit()
        return
    path = lock_file(engine, name)
    if path is None:
        yield True
        return
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _letters_key(case_id: int) -> int:
    return zlib.crc32(f"netra:letters:{case_id}".encode())


def try_lock_case_letters(session: Session, case_id: int) -> bool:
    """`lock_case_letters` if no other transaction holds it now (PostgreSQL); False if one
    does. SQLite: the caller's transaction already holds the database's write lock, so no
    other writer can be midway: True."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    locked = session.execute(
        text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": _letters_key(case_id)}
    ).scalar()
    return bool(locked)


def lock_case_letters(session: Session, case_id: int) -> None:
    """Hold, until the session's transaction ends (commit, rollback, or the process's death),
    the right to write the case's letter files: no other transaction is then between writing
    a letter file and committing its row. PostgreSQL: a transaction advisory lock on the case;
    SQLite: the database's write lock, which a write that changes nothing takes."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _letters_key(case_id)})
        return
    session.execute(update(SequenceCounter).where(col(SequenceCounter.last) < 0).values(last=0))
