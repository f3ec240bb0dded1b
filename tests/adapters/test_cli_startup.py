"""Commands that run no flow start without Prefect, and `--help` and `assess` without the
database layer: each command runs in a fresh interpreter that then lists what it imported.

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
    "command",
    [
        ["list"],
        ["list", "--stage", "diterima", "--json"],
        ["show", "1"],
        ["show", "1", "--json"],
        ["users", "list"],
        ["audit", "verify"],
    ],
    ids=" ".join,
)
def test_reading_commands_do_not_import_prefect(command: list[str]) -> None:
    intake = CliRunner().invoke(app, ["intake", str(sample_report("report-ppu-camat.json"))])
    assert intake.exit_code == 0, intake.output
    packages = imported_by(*command)
    assert not packages & FLOWS, packages & FLOWS
    assert "sqlalchemy" in packages  # it did read the case database


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
