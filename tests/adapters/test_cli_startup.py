"""Commands that run no flow start without Prefect, and `--help` and `assess` without the
database layer; the reading commands without Alembic (on a database already at the newest
schema) and without the holiday calendar: each command runs in a fresh interpreter that then
lists what it imported.

No time is measured here (benchmarks.scale --startup-only does that): a heavy import that
comes back fails by name, whatever the machine's speed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.conftest import PROJECT, sample_report

pytestmark = pytest.mark.usefixtures("own_var_dir")

# Runs `netra ARGS...` as the entry point does, then prints the top-level packages imported.
PROBE = """
import json, sys
from cli.main import app
code = 0
try:
    app(sys.argv[1:], prog_name="netra")
except SystemExit as end:
    code = end.code
packages = sorted({m.split(".")[0] for m in sys.modules})
print("\\n" + json.dumps({"code": code, "packages": packages}))
"""

DATABASE = {"sqlalchemy", "sqlmodel", "alembic"}
FLOWS = {"prefect", "flows"}
# What `netra --help` must not load: besides the above, every model and service library.
NOT_FOR_HELP = DATABASE | FLOWS | {"pydantic", "holidays", "babel", "num2words", "yaml", "services"}
# The holiday calendar and the words of numbers: deadlines are computed, letters written, by
# the commands that change a case, never by one that reads it.
CALENDAR = {"holidays", "num2words"}
# Reading commands on a migrated database: (arguments, what they must not import). Dates are
# written with babel's Indonesian month names in tables, not in JSON.
READING: list[tuple[list[str], set[str]]] = [
    (["list"], CALENDAR),
    (["list", "--stage", "diterima", "--json"], CALENDAR | {"babel"}),
    (["show", "1"], CALENDAR),
    (["show", "1", "--json"], CALENDAR | {"babel"}),
    (["users", "list"], CALENDAR | {"babel"}),
    (["audit", "verify"], CALENDAR | {"babel"}),
]


def imported_by(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        check=False,
        timeout=120,
    )
    result = json.loads(done.stdout.rstrip().rsplit("\n", 1)[-1])
    assert result["code"] in (0, None), done.stdout + done.stderr
    return set(result["packages"])


def test_help_lists_every_command_without_loading_models_services_or_prefect() -> None:
    packages = imported_by("--help")
    assert not packages & NOT_FOR_HELP, packages & NOT_FOR_HELP
    assert {"typer", "rich"} <= packages  # the probe saw the app run


def test_assess_loads_the_rulebook_but_neither_the_database_nor_prefect() -> None:
    report = str(sample_report("report-ppu-camat.json"))
    packages = imported_by("assess", report, "--as-of", "2024-10-20", "--json")
    assert not packages & (DATABASE | FLOWS), packages & (DATABASE | FLOWS)
    assert "holidays" in packages  # the deadlines were computed in that process


@pytest.mark.parametrize(
    ("command", "unneeded"), READING, ids=[" ".join(command) for command, _ in READING]
)
def test_reading_commands_import_neither_prefect_nor_alembic_nor_the_calendar(
    command: list[str], unneeded: set[str]
) -> None:
    intake = CliRunner().invoke(app, ["intake", str(sample_report("report-ppu-camat.json"))])
    assert intake.exit_code == 0, intake.output
    packages = imported_by(*command)
    assert not packages & FLOWS, packages & FLOWS
    # The schema is at the newest revision: one query said so, Alembic was not needed.
    assert "alembic" not in packages
    assert not packages & unneeded, packages & unneeded
    assert "sqlalchemy" in packages  # it did read the case database


def test_a_reading_command_still_upgrades_a_database_behind() -> None:
    """A database at an older revision: the first command to open it migrates it (through
    Alembic), then reads it."""
    from adapters.db.engine import make_engine
    from adapters.db.migrate import head_revision, upgrade
    from config.settings import Settings

    engine = make_engine(Settings().effective_database_url)  # the command's own database
    upgrade(engine, "0015")  # before the API tokens (0016)
    packages = imported_by("list", "--json")
    assert "alembic" in packages  # the slow path, taken because it was needed
    with engine.connect() as connection:
        version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        tables = connection.exec_driver_sql("SELECT name FROM sqlite_master").scalars().all()
    engine.dispose()
    assert version == head_revision()
    assert "api_token" in tables  # made by 0016


def test_help_still_lists_every_command_with_its_help() -> None:
    """The commands and their one-line help, as typer builds them from the command functions."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--help"],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        check=False,
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},
    )
    for name in app_command_names():
        assert f" {name} " in done.stdout, name
    assert "Uji laporan terhadap aturan tanpa mencatat apa pun." in done.stdout
    assert "Kajian awal: registrasi" in done.stdout


def app_command_names() -> list[str]:
    import typer.main

    group = typer.main.get_command(app)
    names = list(getattr(group, "commands", {}))
    assert len(names) > 20  # stages, cases, mail, users, audit, serve, ...
    return names
