"""A report is stored as a submission before a flow records it; a settled submission keeps no
copy of the report, a refused one leaves no case, and a database error never repeats the values
it was given."""

from __future__ import annotations

import traceback
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from adapters.db.engine import UnstorableData, unit_of_work
from cli.reading import read_report
from models.problems import ReportRejected
from models.tables import ReportSubmission, SubmissionStatus
from services.deps import Deps
from services.submission import SubmissionRefused, intake_submission, submit_report
from tests.conftest import sample_report
from tests.services.helpers import ON_SQLITE
from tests.support.actors import staff

NOW = datetime(2024, 10, 14, 2, 0, tzinfo=UTC)
ON_POSTGRES = pytest.mark.parametrize(
    "engine", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def _row(engine: Engine, number: int) -> ReportSubmission:
    with Session(engine) as session:
        row = session.get(ReportSubmission, number)
        assert row is not None
        return row


def test_a_submission_is_recorded_once_and_keeps_no_copy(engine: Engine, deps: Deps) -> None:
    report = read_report(sample_report("report-ppu-camat.json"))
    number = submit_report(deps, report, now=NOW)
    assert _row(engine, number).report == report.model_dump(mode="json")
    outcome = intake_submission(deps, number, actor=staff("petugas"), now=NOW)
    assert outcome.created
    row = _row(engine, number)
    assert (row.status, row.case_id, row.report) == (
        SubmissionStatus.RECORDED,
        outcome.case.id,
        None,
    )
    again = intake_submission(deps, number, actor=staff("petugas"), now=NOW)
    assert not again.created and again.case.id == outcome.case.id
    assert _count(engine, "cases") == 1


@ON_SQLITE
def test_a_refused_submission_leaves_nothing(engine: Engine, deps: Deps) -> None:
    report = read_report(sample_report("report-ppu-camat.json"))
    number = submit_report(deps, report.model_copy(update={"office": "tidak-ada"}), now=NOW)
    with pytest.raises(ReportRejected):
        intake_submission(deps, number, actor=staff("petugas"), now=NOW)
    row = _row(engine, number)
    assert (row.status, row.report, row.case_id) == (SubmissionStatus.REFUSED, None, None)
    assert _count(engine, "cases") == 0 and _count(engine, "letter") == 0
    with pytest.raises(SubmissionRefused, match="sudah ditolak"):
        intake_submission(deps, number, actor=staff("petugas"), now=NOW)
    with pytest.raises(SubmissionRefused, match="tidak ada"):
        intake_submission(deps, number + 1, actor=staff("petugas"), now=NOW)


@ON_SQLITE
def test_a_nul_in_a_key_is_refused_before_it_is_stored(engine: Engine, deps: Deps) -> None:
    report = read_report(sample_report("report-ppu-camat.json"))
    odd = report.model_copy(update={"references": {"nomor\x00": "1"}})
    with pytest.raises(ReportRejected) as refused:
        submit_report(deps, odd, now=NOW)
    assert [(p.code, p.field) for p in refused.value.problems] == [("karakter_nul", "references")]
    assert _count(engine, "report_submission") == 0


@ON_POSTGRES
def test_a_value_postgresql_refuses_is_said_without_the_value(engine: Engine) -> None:
    phone = "081250001111"
    with pytest.raises(UnstorableData) as refused, unit_of_work(engine) as session:
        session.execute(text("SELECT CAST(:p AS text)"), {"p": f"{phone}\x00"})
    told = "".join(traceback.format_exception(refused.value))
    assert "basis data menolak" in told
    assert phone not in told


@ON_POSTGRES
def test_a_database_error_never_lists_its_parameters(engine: Engine) -> None:
    phone = "081250001111"
    with pytest.raises(Exception) as failed, unit_of_work(engine) as session:
        session.execute(text("SELECT telepon FROM tidak_ada WHERE x = :p"), {"p": phone})
    told = "".join(traceback.format_exception(failed.value))
    assert "tidak_ada" in told and phone not in told
