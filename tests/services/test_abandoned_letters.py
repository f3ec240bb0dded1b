"""An intake killed between writing its tanda terima and committing its case leaves a folder
under an id PostgreSQL never gives again; the next new case removes it (and only it)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from services.deps import Deps
from services.desk import case_folder
from services.intake import intake_report
from tests.services.helpers import PPU, at, report_of
from tests.support.actors import staff

pytestmark = pytest.mark.parametrize(
    "engine", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


def test_a_new_case_removes_the_folder_of_an_id_never_committed(deps: Deps) -> None:
    report = report_of(PPU)
    first = intake_report(deps, report, actor=staff("a"), now=at(report, 0)).case.id
    assert first is not None
    with deps.engine.begin() as connection:  # an intake that got an id, then died
        lost = connection.execute(
            text("SELECT nextval(pg_get_serial_sequence('cases', 'id'))")
        ).scalar_one()
    abandoned = deps.letters_dir / case_folder(int(lost))
    abandoned.mkdir(parents=True)
    (abandoned / "tanda_terima--pelapor-tanda-terima--0123456789ab.docx").write_bytes(b"x")
    kept = deps.letters_dir / case_folder(first)
    before = sorted(p.name for p in kept.iterdir())
    assert before, "the first case has its tanda terima"

    second = report.model_copy(update={"received_at": at(report, 1)})
    new = intake_report(deps, second, actor=staff("a"), now=at(report, 1)).case.id
    assert new is not None and new > lost
    assert not abandoned.exists(), "the never-committed case's folder is gone"
    assert sorted(p.name for p in kept.iterdir()) == before, "a committed case keeps its files"
    assert any((deps.letters_dir / case_folder(new)).iterdir())
