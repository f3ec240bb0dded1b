"""Shared fixtures: settings, the rulebook, and real databases (SQLite file and PostgreSQL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pytest
from sqlalchemy.engine import Engine

from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from config.settings import Settings

if TYPE_CHECKING:
    from models.rules.rulebook import Rulebook
    from services.deps import Deps

# Every letter a test issues must pass the letter lint; PDFs only where a test asks for them
# (LibreOffice costs ~0.2 s a letter). Commands the tests start inherit both.
os.environ.setdefault("NETRA_LETTER_LINT", "error")
os.environ.setdefault("NETRA_PDF", "off")

PROJECT = Path(__file__).resolve().parent.parent
SAMPLES = PROJECT / "samples"
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"


@pytest.fixture(scope="session")
def rulebook() -> Rulebook:
    from config.rulebook import load_rulebook

    return load_rulebook(Settings())


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(var_dir=tmp_path / "var")


def _postgres_available() -> bool:
    try:
        with psycopg.connect(PG_ADMIN):
            return True
    except psycopg.OperationalError:
        return False


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    if not _postgres_available():
        if os.environ.get("NETRA_REQUIRE_POSTGRES"):
            pytest.fail(
                "PostgreSQL on 127.0.0.1:5432 is required (NETRA_REQUIRE_POSTGRES) "
                "but does not answer"
            )
        pytest.skip("PostgreSQL on 127.0.0.1:5432 does not answer")
    name = f"netra_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _reset_postgres(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty case database: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'netra.db'}")
    else:
        eng = make_engine(request.getfixturevalue("postgres_url"))
        _reset_postgres(eng)
    upgrade(eng)
    try:
        yield eng
    finally:
        eng.dispose()


def sample_report(name: str) -> Path:
    return SAMPLES / "reports" / name


@pytest.fixture
def deps(engine: Engine, rulebook: Rulebook, tmp_path: Path) -> Deps:
    """What the services need: the migrated database, the rulebook, a fresh var/ for letters."""
    from services.deps import Deps

    return Deps(Settings(var_dir=tmp_path / "var"), engine, rulebook)


@pytest.fixture(scope="session")
def libreoffice() -> str:
    """The `soffice` binary; the test is skipped where LibreOffice is not installed, or fails
    when NETRA_REQUIRE_LIBREOFFICE is set (CI installs it)."""
    import shutil

    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("NETRA_REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice (soffice) is required (NETRA_REQUIRE_LIBREOFFICE)")
        pytest.skip("LibreOffice (soffice) is not installed")
    return soffice
