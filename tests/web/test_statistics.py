"""The statistics page and its exports: a chart drawn inline with its table beside it, the CSV
and XLSX read back cell by cell, and each office's user counting only its own office's cases
(the `desk` fixture holds one case received by PPU and one by Pangkalpinang)."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.web.conftest import Desk, logged_in


def test_the_page_shows_tables_and_a_chart_of_the_readers_office_only(desk: Desk) -> None:
    client = logged_in(desk.app, "pemeriksa-ppu")

    page = client.get("/statistik")

    assert page.status_code == 200
    html = page.text
    assert '<a href="/statistik">Statistik</a>' in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') >= 1
    assert "<title>Alur penanganan (perkara)</title>" in html
    # the desk's CSP allows no inline style: the chart carries none
    assert "style=" not in html and "<style" not in html
    assert "<td>Jumlah diterima</td><td>1</td>" in html
    assert "Bawaslu Kabupaten Penajam Paser Utara" in html
    assert "Bawaslu Kota Pangkalpinang</td>" not in html


def test_csv_and_xlsx_hold_the_same_figures_with_indonesian_headers(desk: Desk) -> None:
    client = logged_in(desk.app, "pimpinan-pkp")

    sheet_csv = client.get("/statistik.csv")
    book_xlsx = client.get("/statistik.xlsx")

    assert sheet_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(sheet_csv.content.decode("utf-8-sig"))))
    assert ["Laporan diterima", "1"] in rows and ["Temuan diterima", "0"] in rows
    assert ["Diregistrasi", "0"] in rows
    header = next(r for r in rows if r[:1] == ["Kantor"])
    assert header[1:3] == ["Diterima", "Diregistrasi"]
    office_row = rows[rows.index(header) + 1]
    assert office_row[:3] == ["Bawaslu Kota Pangkalpinang", "1", "0"]
    assert not any("Penajam" in cell for row in rows for cell in row)

    book = load_workbook(io.BytesIO(book_xlsx.content))
    summary = book["Ringkasan"]
    assert summary["A1"].value == "Ringkasan penanganan"
    assert (summary["A3"].value, summary["B3"].value) == ("Uraian", "Jumlah")
    values = {row[0]: row[1] for row in summary.iter_rows(min_row=4, values_only=True)}
    assert values["Jumlah diterima"] == 1 and values["Diregistrasi"] == 0
    assert values["Tingkat tindak lanjut PPK (%)"] is None
    offices = book["Menurut kantor Bawaslu"]
    assert [c.value for c in offices[3]][:3] == ["Kantor", "Diterima", "Diregistrasi"]
    assert [c.value for c in offices[4]][:2] == ["Bawaslu Kota Pangkalpinang", 1]
    assert offices.max_row == 4


def test_the_filter_narrows_and_the_statistics_need_a_login(desk: Desk) -> None:
    client = logged_in(desk.app, "pemeriksa-ppu")
    page = client.get("/statistik", params={"pemilihan": "pemilu-2024"})  # PPU's is Pilkada
    assert "<td>Jumlah diterima</td><td>0</td>" in page.text
    anonymous = TestClient(desk.app, follow_redirects=False)
    assert anonymous.get("/statistik.csv").status_code in (303, 401)
