"""`netra intake FOLDER|FILE.jsonl`: many reports, each recorded or refused on its own, a result
file, and a rerun after a crash that records nothing twice."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, create_engine, select
from typer.testing import CliRunner

import services.batch
from cli.main import app
from models.tables import Case
from services.intake import intake_report
from tests.conftest import sample_report

runner = CliRunner()


pytestmark = pytest.mark.usefixtures("own_var_dir")


def variant(number: int) -> dict[str, Any]:
    """The PPU sample as another report: its own summary, so its own fingerprint."""
    data: dict[str, Any] = json.loads(sample_report("report-ppu-camat.json").read_text())
    data["incident"]["summary"] += f" (laporan {number})"
    return data


def good_folder(tmp_path: Path, count: int = 3) -> Path:
    folder = tmp_path / "masuk"
    folder.mkdir()
    for number in range(1, count + 1):
        (folder / f"laporan-{number}.json").write_text(json.dumps(variant(number)))
    return folder


def case_count(tmp_path: Path) -> int:
    engine = create_engine(f"sqlite:///{tmp_path / 'var' / 'netra.db'}")
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(Case)).one())


def results(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_a_folder_records_the_good_and_refuses_the_broken_then_records_nothing_twice(
    tmp_path: Path,
) -> None:
    folder = good_folder(tmp_path)
    broken = variant(4)
    del broken["reporter"]["name"], broken["office"]
    (folder / "laporan-4.yaml").write_text(json.dumps(broken))
    (folder / "catatan.txt").write_text("bukan laporan")  # not a report: not read

    first = runner.invoke(app, ["intake", str(folder)])
    assert first.exit_code == 2, first.stdout
    assert "3 dicatat, 0 sudah tercatat, 1 ditolak" in first.stdout
    assert "Ditolak: laporan-4.yaml" in first.stdout
    lines = results(tmp_path / "masuk.hasil.jsonl")
    assert [(r["source"], r["status"]) for r in lines] == [
        ("laporan-1.json", "dicatat"),
        ("laporan-2.json", "dicatat"),
        ("laporan-3.json", "dicatat"),
        ("laporan-4.yaml", "ditolak"),
    ]
    assert [r["case_id"] for r in lines] == [1, 2, 3, None]
    refused = lines[3]["problems"]
    assert {p["field"] for p in refused} >= {"office"}
    assert all(set(p) == {"code", "field", "message"} for p in refused)
    assert case_count(tmp_path) == 3

    again = runner.invoke(app, ["intake", str(folder), "--json"])
    assert again.exit_code == 2
    summary = json.loads(again.stdout)
    assert (summary["dicatat"], summary["sudah_ada"], summary["ditolak"]) == (0, 3, 1)
    assert [r["status"] for r in results(tmp_path / "masuk.hasil.jsonl")][:3] == ["sudah_ada"] * 3
    assert case_count(tmp_path) == 3


def test_a_jsonl_file_with_a_result_file_of_its_choosing(tmp_path: Path) -> None:
    batch = tmp_path / "kiriman.jsonl"
    batch.write_text(
        "\n".join([json.dumps(variant(1)), "", json.dumps(variant(2)), '{"kind": "laporan"']) + "\n"
    )
    target = tmp_path / "hasil" / "batch.jsonl"
    target.parent.mkdir()
    done = runner.invoke(app, ["intake", str(batch), "--result", str(target), "--json"])
    assert done.exit_code == 2
    lines = results(target)
    assert [(r["line"], r["status"]) for r in lines] == [
        (1, "dicatat"),
        (3, "dicatat"),
        (4, "ditolak"),
    ]
    assert lines[2]["problems"][0]["code"] == "berkas_tidak_terbaca"
    assert json.loads(done.stdout)["result_file"] == str(target)
    assert case_count(tmp_path) == 2


def test_all_recorded_exits_zero(tmp_path: Path) -> None:
    folder = good_folder(tmp_path, count=2)
    done = runner.invoke(app, ["intake", str(folder)])
    assert done.exit_code == 0, done.stdout
    assert "2 dicatat, 0 sudah tercatat, 0 ditolak" in done.stdout


def test_an_empty_folder_is_said_in_indonesian(tmp_path: Path) -> None:
    (tmp_path / "kosong").mkdir()
    done = runner.invoke(app, ["intake", str(tmp_path / "kosong")])
    assert done.exit_code == 2
    assert "tidak ada laporan" in done.stderr


def test_a_crash_mid_batch_then_a_rerun_completes_without_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = good_folder(tmp_path, count=5)
    calls: list[int] = []

    def crashing(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("proses mati")  # the power goes, mid-batch
        return intake_report(*args, **kwargs)

    monkeypatch.setattr(services.batch, "intake_report", crashing)
    crashed = runner.invoke(app, ["intake", str(folder)])
    assert isinstance(crashed.exception, RuntimeError)
    assert case_count(tmp_path) == 2
    assert len(results(tmp_path / "masuk.hasil.jsonl")) == 2  # what it did, line by line

    monkeypatch.setattr(services.batch, "intake_report", intake_report)
    rerun = runner.invoke(app, ["intake", str(folder)])
    assert rerun.exit_code == 0, rerun.stdout
    assert "3 dicatat, 2 sudah tercatat, 0 ditolak" in rerun.stdout
    statuses = [r["status"] for r in results(tmp_path / "masuk.hasil.jsonl")]
    assert statuses == ["sudah_ada", "sudah_ada", "dicatat", "dicatat", "dicatat"]
    assert case_count(tmp_path) == 5


def test_evidence_is_named_relative_to_the_jsonl_folder(tmp_path: Path) -> None:
    (tmp_path / "bukti.txt").write_text("tangkapan layar")
    with_file, missing = variant(1), variant(2)
    with_file["evidence"] = [{"description": "Tangkapan layar", "file": "bukti.txt"}]
    missing["evidence"] = [{"description": "Video", "file": "tidak-ada.mp4"}]
    batch = tmp_path / "kiriman.jsonl"
    batch.write_text(json.dumps(with_file) + "\n" + json.dumps(missing) + "\n")
    done = runner.invoke(app, ["intake", str(batch)])
    assert done.exit_code == 2
    lines = results(tmp_path / "kiriman.jsonl.hasil.jsonl")
    assert [r["status"] for r in lines] == ["dicatat", "ditolak"]
    assert "evidence[0].file" in {p["field"] for p in lines[1]["problems"]}
