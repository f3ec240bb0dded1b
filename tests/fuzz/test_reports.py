"""Malformed reports never end in a Python traceback: `netra assess` answers (exit 0 with its
problems, or exit 2 in Indonesian when the file cannot be read), and intake records a report or
refuses it in Indonesian with nothing recorded. Hypothesis with a fixed seed and a bounded number
of examples (`make chaos` runs the long campaign)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from sqlalchemy import text
from typer.testing import CliRunner

from cli.main import app
from models.problems import ReportRejected
from models.report.parse import decode_report_text, parse_report
from services.deps import Deps
from services.intake import intake_report
from tests.fuzz.strategies import (
    ATTACKS,
    mutated_report,
    raw_text,
    report_at_the_calendars_edge,
)
from tests.support.actors import staff

EXAMPLES = int(os.environ.get("NETRA_FUZZ_EXAMPLES", "60"))
runner = CliRunner()
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ENGLISH = ("Traceback", "Error:", "Exception", "object has no attribute")


def _assess(tmp_path: Path, content: str, suffix: str) -> Any:
    path = tmp_path / f"laporan{suffix}"
    path.write_text(content, encoding="utf-8")
    return runner.invoke(app, ["assess", str(path), "--json", "--as-of", "2024-11-01"])


@pytest.mark.parametrize("attack", ATTACKS)
def test_each_known_attack_is_answered_in_indonesian(tmp_path: Path, attack: str) -> None:
    for suffix in (".json", ".yaml"):
        done = _assess(tmp_path, attack, suffix)
        assert done.exception is None or isinstance(done.exception, SystemExit), (
            attack[:60],
            repr(done.exception),
        )
        assert done.exit_code in (0, 2)
        said = done.stdout + done.stderr
        assert not any(word in said for word in ENGLISH), said[:400]


@seed(20261130)
@SETTINGS
@given(content=raw_text())
def test_assess_never_ends_in_a_traceback(tmp_path: Path, content: str) -> None:
    done = _assess(tmp_path, content, ".json")
    assert done.exception is None or isinstance(done.exception, SystemExit), repr(done.exception)
    assert done.exit_code in (0, 2)
    if done.exit_code == 0:
        answer = json.loads(done.stdout)
        assert isinstance(answer["admissible"], bool)


def _counts(deps: Deps) -> tuple[int, int]:
    with deps.engine.connect() as conn:
        cases = conn.execute(text("SELECT count(*) FROM cases")).scalar_one()
        events = conn.execute(text("SELECT count(*) FROM stage_event")).scalar_one()
    return int(cases), int(events)


@pytest.mark.parametrize(
    "engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
@seed(20261130)
@SETTINGS
@given(document=st.one_of(mutated_report(), report_at_the_calendars_edge()))
def test_intake_records_or_refuses_in_indonesian(deps: Deps, document: Any) -> None:
    before = _counts(deps)
    try:
        report = parse_report(decode_report_text(json.dumps(document), filename="x.json"))
        intake_report(deps, report, actor=staff("fuzz"), now=report.received_at)
    except ReportRejected as refused:
        assert refused.problems and all(p.message for p in refused.problems)
        assert _counts(deps) == before  # nothing of a refused report is recorded


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("a" * 300 + ".json", "tidak dapat dibuka"),  # longer than the file system allows
        ("tidak-ada.json", "tidak ditemukan"),
        (".", "bukan teks UTF-8"),  # a folder
    ],
)
def test_a_file_that_cannot_be_opened_is_said_in_indonesian(
    tmp_path: Path, name: str, says: str
) -> None:
    done = runner.invoke(app, ["assess", str(tmp_path / name)])
    assert done.exit_code == 2 and says in done.stdout + done.stderr
    assert done.exception is None or isinstance(done.exception, SystemExit)


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "besar.json"
    with big.open("wb") as out:
        out.truncate(5_000_000)  # sparse: no time spent writing it
    done = runner.invoke(app, ["assess", str(big)])
    assert done.exit_code == 2 and "terlalu besar" in done.stdout + done.stderr


@pytest.mark.parametrize(
    "engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_a_nul_typed_into_a_form_is_refused_before_the_database(deps: Deps) -> None:
    # The Prefect form hands the service a Report, not a file: the same refusal applies.
    from tests.conftest import sample_report

    data = json.loads(sample_report("report-ppu-camat.json").read_text(encoding="utf-8"))
    report = parse_report(data)
    incident = report.incident.model_copy(update={"account": "Terlapor\x00berorasi"})
    with pytest.raises(ReportRejected) as refused:
        intake_report(
            deps,
            report.model_copy(update={"incident": incident}),
            actor=staff("x"),
            now=report.received_at,
        )
    assert [(p.code, p.field) for p in refused.value.problems] == [
        ("karakter_nul", "incident.account")
    ]
    assert _counts(deps) == (0, 0)
