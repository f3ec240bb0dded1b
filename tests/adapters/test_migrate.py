"""The migration check every process makes on first opening a database: a schema at the head
costs one query (no Alembic); one behind is still upgraded, one ahead still refused.

The head is read from the revision files without Alembic: it must be Alembic's own head, and
must give up (None: Alembic decides) wherever the files are not one plain chain.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

import services.deps
from adapters.db.engine import make_engine
from adapters.db.migrate import (
    VERSIONS_DIR,
    alembic_config,
    head_revision,
    is_current,
    read_head,
    upgrade,
)
from tests.conftest import _reset_postgres


def alembic_head(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def version_of(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars()
        return list(rows)


def test_the_head_read_from_the_files_is_alembics(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'any.db'}")
    assert head_revision() is not None
    assert head_revision() == alembic_head(engine)
    engine.dispose()


@pytest.fixture
def versions(tmp_path: Path) -> Path:
    """A copy of the revision files to alter."""
    folder = tmp_path / "versions"
    shutil.copytree(VERSIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def revision_file(folder: Path, name: str, revision: str, down: str) -> None:
    (folder / name).write_text(
        f'"""A later revision."""\n\nrevision: str = "{revision}"\n'
        f"down_revision: str | None = {down}\n\n\ndef upgrade() -> None:\n    pass\n"
    )


def test_a_new_revision_file_is_the_new_head(versions: Path) -> None:
    assert read_head(versions) == head_revision()
    revision_file(versions, "0099_later.py", "0099", f'"{head_revision()}"')
    assert read_head(versions) == "0099"


@pytest.mark.parametrize(
    "down",
    [
        '"0001"',  # a branch: two revisions follow 0001
        '("0015", "0016")',  # a merge
        '"0098"',  # a parent no file holds
        "PARENT",  # not a plain string
    ],
)
def test_files_that_are_not_one_plain_chain_leave_it_to_alembic(versions: Path, down: str) -> None:
    revision_file(versions, "0099_odd.py", "0099", down)
    assert read_head(versions) is None


def test_a_file_without_its_revision_line_leaves_it_to_alembic(versions: Path) -> None:
    (versions / "0099_odd.py").write_text('"""No revision here."""\n')
    assert read_head(versions) is None


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def bare_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database, not migrated."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'netra.db'}")
    else:
        engine = make_engine(request.getfixturevalue("postgres_url"))
        _reset_postgres(engine)
    try:
        yield engine
    finally:
        services.deps._engines.pop(engine.url.render_as_string(hide_password=False), None)
        engine.dispose()


def test_a_database_behind_is_upgraded_on_first_use(bare_engine: Engine) -> None:
    upgrade(bare_engine, "0010")
    assert version_of(bare_engine) == ["0010"]
    assert not is_current(bare_engine)
    url = bare_engine.url.render_as_string(hide_password=False)
    services.deps._engines.pop(url, None)
    engine = services.deps.migrated_engine(url)
    assert version_of(engine) == [head_revision()]
    assert is_current(engine)
    with engine.connect() as connection:  # a table of 0016, now there
        assert connection.exec_driver_sql("SELECT count(*) FROM api_token").scalar() == 0


def test_a_new_database_is_created_at_the_head(bare_engine: Engine) -> None:
    assert not is_current(bare_engine)  # no version table at all
    upgrade(bare_engine)
    assert version_of(bare_engine) == [head_revision()]
    assert is_current(bare_engine)


def test_a_database_at_the_head_does_not_run_alembic(
    bare_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    upgrade(bare_engine)
    import alembic.command

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("Alembic ran on a database already at the head")

    monkeypatch.setattr(alembic.command, "upgrade", refuse)
    upgrade(bare_engine)  # one query, then nothing
    with pytest.raises(AssertionError):  # an older target still goes to Alembic
        upgrade(bare_engine, "0015")


def test_a_database_ahead_of_the_code_is_refused(bare_engine: Engine) -> None:
    """Another Netra, newer, migrated it: this code does not know its schema and says so
    rather than reading it."""
    from alembic.util import CommandError

    from adapters.db.migrate import SchemaUnknown

    upgrade(bare_engine)
    with bare_engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")
    assert not is_current(bare_engine)
    with pytest.raises(SchemaUnknown, match="0099") as refused:
        upgrade(bare_engine)
    assert isinstance(refused.value.__cause__, CommandError)  # said in Indonesian, cause kept
