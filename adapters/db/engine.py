"""Engine and unit of work. Commit happens at the service boundary only (`unit_of_work`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DataError
from sqlmodel import Session, create_engine

import adapters.db.next_due  # noqa: F401  (every session keeps cases.next_due)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; for SQLite make the folder, enforce foreign keys and wait on locks.
    A database error never lists the statement's values (they are personal data: a reporter's
    contacts, a NIP), wherever it is logged or printed."""
    kwargs.setdefault("hide_parameters", True)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"timeout": 30})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class UnstorableData(ValueError):
    """The database refused a value (a NUL character, a number beyond its column). The driver's
    message lists the statement's parameters (a reporter's contacts, a NIP): it is replaced, and
    its chain hidden, so that it reaches no log, run state or terminal."""

    def __init__(self) -> None:
        super().__init__(
            "basis data menolak menyimpan isian ini (mis. karakter NUL atau angka di luar "
            "batas); tidak ada yang dicatat"
        )


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends normally, rolled back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except DataError:
            session.rollback()
            raise UnstorableData() from None
        except BaseException:
            session.rollback()
            raise
