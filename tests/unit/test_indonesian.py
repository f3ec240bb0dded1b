"""Indonesian wording of dates, times and numbers, against hand-written expected values."""

from __future__ import annotations

from datetime import date, time

import pytest

from models.indonesian import (
    bulan_romawi,
    hari,
    jam,
    jumlah,
    tanggal,
    terbilang,
    zona_waktu,
)


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2024, 11, 27), "27 November 2024"),
        (date(2024, 2, 14), "14 Februari 2024"),
        (date(2024, 3, 1), "1 Maret 2024"),
        (date(2024, 5, 9), "9 Mei 2024"),
        (date(2024, 8, 17), "17 Agustus 2024"),
        (date(2025, 1, 1), "1 Januari 2025"),
        (date(2023, 12, 31), "31 Desember 2023"),
    ],
)
def test_tanggal(d: date, expected: str) -> None:
    assert tanggal(d) == expected


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2024, 11, 24), "Minggu"),
        (date(2024, 11, 25), "Senin"),
        (date(2024, 11, 26), "Selasa"),
        (date(2024, 11, 27), "Rabu"),
        (date(2024, 11, 28), "Kamis"),
        (date(2024, 11, 29), "Jumat"),
        (date(2024, 11, 30), "Sabtu"),
    ],
)
def test_hari(d: date, expected: str) -> None:
    assert hari(d) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "nol"),
        (1, "satu"),
        (2, "dua"),
        (7, "tujuh"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (14, "empat belas"),
        (21, "dua puluh satu"),
        (100, "seratus"),
        (1000, "seribu"),
        (2024, "dua ribu dua puluh empat"),
    ],
)
def test_terbilang(n: int, expected: str) -> None:
    assert terbilang(n) == expected


def test_terbilang_rejects_negative() -> None:
    with pytest.raises(ValueError):
        terbilang(-1)


def test_jumlah() -> None:
    assert jumlah(7, "hari") == "7 (tujuh) hari"
    assert jumlah(14, "hari kerja") == "14 (empat belas) hari kerja"
    assert jumlah(1, "berkas") == "1 (satu) berkas"


@pytest.mark.parametrize(
    ("month", "expected"),
    [(1, "I"), (3, "III"), (4, "IV"), (9, "IX"), (10, "X"), (11, "XI"), (12, "XII")],
)
def test_bulan_romawi(month: int, expected: str) -> None:
    assert bulan_romawi(month) == expected


@pytest.mark.parametrize("month", [0, 13, -1])
def test_bulan_romawi_rejects_out_of_range(month: int) -> None:
    with pytest.raises(ValueError):
        bulan_romawi(month)


def test_jam() -> None:
    assert jam(time(9, 0), "WITA") == "09.00 WITA"
    assert jam(time(13, 30), "WIB") == "13.30 WIB"
    assert jam(time(8, 5, 59), "WIT") == "08.05 WIT"


def test_zona_waktu() -> None:
    assert zona_waktu("Asia/Jakarta") == "WIB"
    assert zona_waktu("Asia/Pontianak") == "WIB"
    assert zona_waktu("Asia/Makassar") == "WITA"
    assert zona_waktu("Asia/Jayapura") == "WIT"
    with pytest.raises(ValueError):
        zona_waktu("Europe/Amsterdam")
