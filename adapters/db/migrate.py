"""Schema migrations (Alembic), run from code: `netra db upgrade`, every process's first use of a
database (`services.deps.migrated_engine`) and the test fixtures.

Alembic (~0.3 s to import, more to read its scripts) is imported only when a database needs it.
A database already at the newest revision is recognised with one query on `alembic_version`,
against the head read from the revision files' own `revision = "..."` / `down_revision = "..."`
lines (tests/adapters/test_migrate.py holds it equal to Alembic's head). Anything else (a
database behind, without a version table, at a revision these files do not know) goes through
Alembic as before, under the migration lock.
"""

from __future__ import annotations

import fcntl
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from adapters.db.locks import lock_file

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSIONS_DIR = MIGRATIONS_DIR / "versions"


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


_PG_LOCK = 7_347_101  # the advisory lock every Netra process takes to migrate PostgreSQL


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision` (default: the newest schema). Processes that start at
    once (`netra serve`'s worker and a command) migrate one after the other: the second finds
    the schema done. PostgreSQL: an advisory lock; SQLite: a lock file beside the database.
    A database already at the newest schema costs one query and no Alembic."""
    if revision == "head" and is_current(engine):
        return
    from alembic import command
    from alembic.util import CommandError

    config = alembic_config(engine)
    with _sqlite_lock(engine), engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK})")
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, revision)
        except CommandError as error:  # e.g. a revision a newer Netra wrote
            raise SchemaUnknown(
                f"skema basis data perkara (revisi {_stored_revision(engine)}) tidak dikenal "
                f"versi Netra ini (revisi terbaru {head_revision()}); jalankan versi Netra yang "
                "membuatnya atau yang lebih baru. Tidak ada yang diubah."
            ) from error


class SchemaUnknown(RuntimeError):
    """The database's schema is not one this code's migrations know (a newer Netra's)."""


def _stored_revision(engine: Engine) -> str:
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    except DBAPIError:
        return "?"
    return ", ".join(str(row[0]) for row in rows) or "?"


def is_current(engine: Engine) -> bool:
    """Whether the database stands at `head_revision()`: one plain query, no lock (a schema at
    the head is never changed by another Netra process). False whenever it cannot tell."""
    head = head_revision()
    if head is None:
        return False
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    except DBAPIError:  # no version table yet (a new database): Alembic makes it
        return False
    return [row[0] for row in rows] == [head]


# A module-level `revision = "0016"` or `down_revision: str | None = None` line, as Alembic's
# template (migrations/script.py.mako) writes it.
_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.*?)\s*$", re.MULTILINE)
_VALUE = re.compile(r"""None|'(\w+)'|"(\w+)\"""")


@cache
def head_revision() -> str | None:
    """The newest revision of this code's migrations, read once per process."""
    return read_head(VERSIONS_DIR)


def read_head(folder: Path) -> str | None:
    """The newest revision in `folder`, read from its files without importing Alembic: the one
    no other revision names as its `down_revision`, at the end of a single unbroken chain. None
    when the files do not say it plainly (a merge or a branch, a value that is not a plain
    string, two files with one revision): then Alembic decides."""
    parents: dict[str, str | None] = {}
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith((".#", "__init__")):  # the files Alembic itself skips
            continue
        found: dict[str, list[str]] = {}
        for name, value in _LINE.findall(path.read_text(encoding="utf-8")):
            found.setdefault(name, []).append(value)
        if len(found.get("revision", ())) != 1 or len(found.get("down_revision", ())) != 1:
            return None
        revision, parent = _plain(found["revision"][0]), _plain(found["down_revision"][0])
        if revision in (None, "") or parent == "" or revision in parents:
            return None
        parents[revision] = parent
    return _end_of_chain(parents)


def _plain(value: str) -> str | None:
    """'"0016"' -> '0016', 'None' -> None; '' for anything else (a tuple, an expression)."""
    match = _VALUE.fullmatch(value)
    if match is None:
        return ""
    return match.group(1) or match.group(2)


def _end_of_chain(parents: dict[str, str | None]) -> str | None:
    children: dict[str | None, list[str]] = {}
    for revision, parent in parents.items():
        children.setdefault(parent, []).append(revision)
    if any(len(below) != 1 for below in children.values()):
        return None  # a branch, or no base revision
    head, steps = None, 0
    while head in children:
        head = children[head][0]
        steps += 1
    return head if steps == len(parents) else None


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
