"""`netra statistik` on the command's own SQLite database: two reports received (one laporan of
PPU, one temuan of Balikpapan), read back as a table, as CSV and as XLSX."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from cli.main import app
from tests.conftest import sample_report

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("own_var_dir")


def _two_cases() -> None:
    for name in ("report-ppu-camat.json", "temuan-balikpapan-pppk.json"):
        assert runner.invoke(app, ["intake", str(sample_report(name))]).exit_code == 0


def test_statistik_as_table_csv_and_xlsx(tmp_path: Path) -> None:
    _two_cases()

    shown = runner.invoke(app, ["statistik"], terminal_width=200)
    as_csv = runner.invoke(
        app, ["statistik", "--format", "csv", "--office", "bawaslu-kota-balikpapan"]
    )
    book_path = tmp_path / "rekap.xlsx"
    as_xlsx = runner.invoke(
        app, ["statistik", "--format", "xlsx", "--output", str(book_path), "--from", "2024-10-10"]
    )

    assert shown.exit_code == 0, shown.output
    assert "Jumlah diterima" in shown.stdout and "Menurut kantor Bawaslu" in shown.stdout
    assert as_xlsx.exit_code == 0 and "rekap.xlsx" in as_xlsx.stdout
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert ["Laporan diterima", "0"] in rows and ["Temuan diterima", "1"] in rows
    summary = load_workbook(book_path)["Ringkasan"]
    values = {row[0]: row[1] for row in summary.iter_rows(min_row=4, values_only=True)}
    # received 14 Oct (PPU) counts; received 2 Oct (Balikpapan) is before --from
    assert (values["Laporan diterima"], values["Temuan diterima"]) == (1, 0)
    assert "2024" in str(summary["A2"].value)  # the filter, in words


def test_statistik_refuses_a_wrong_date_in_indonesian() -> None:
    result = runner.invoke(app, ["statistik", "--from", "kemarin"])
    assert result.exit_code == 2
    assert "TTTT-BB-HH" in result.stderr
