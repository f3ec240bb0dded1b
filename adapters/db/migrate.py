"""Schema migrations (Alembic), run from code: `netra db upgrade` and the test fixtures."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from adapters.db.locks import lock_file

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


_PG_LOCK = 7_347_101  # the advisory lock every Netra process takes to migrate PostgreSQL


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision` (default: the newest schema). Processes that start at
    once (`netra serve`'s worker and a command) migrate one after the other: the second finds
    the schema done. PostgreSQL: an advisory lock; SQLite: a lock file beside the database."""
    config = alembic_config(engine)
    with _sqlite_lock(engine), engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK})")
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@contextmanager
def _sqlite_lock(engine: Engine) -> Iterator[None]:
    lock_path = lock_file(engine, "migrate")
    if lock_path is None:
        yield
        return
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
