"""The letter lint catches what the user review found in real letters, and passes clean text."""

from __future__ import annotations

import pytest

from models.indonesian import clause
from models.letters.lint import lint_pages, lint_text

CLEAN = (
    "Menindaklanjuti laporan Saudara yang kami terima pada 14 Oktober 2024 mengenai Terlapor "
    "hadir dalam kampanye, bersama ini kami sampaikan hal-hal sebagai berikut. Terlapor Drs. "
    "Agus Salim, M.Si., NIP 197805122006041003, Camat Waru. Status laporan: diregistrasi."
)


def test_clean_text_passes() -> None:
    assert lint_text(CLEAN) == []


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("teregistrasi dengan Nomor None telah selesai", "nilai kosong dari program"),
        ("ajakan memilih., yang terjadi di Lapangan", "tanda baca ganda"),
        ("untuk dijatuhi sanksi..", "tanda baca ganda"),
        ("Pasal 454 ayat (6)).. Dengan demikian", "tanda baca ganda"),
        ("paling lambat 2024-10-18, 7 hari sejak", "tanggal berformat ISO"),
        ("Tenggat ppk_followup terlewati", "kunci program (snake_case)"),
        ("Hasil: {{ result_text }}", "sisa sintaks templat"),
        ("{%p if attended %}", "sisa sintaks templat"),
        ("Tahap: CaseReceived pending", "kata bahasa Inggris"),
        ("disampaikan kepada , Bupati", "spasi sebelum tanda baca"),
    ],
)
def test_each_problem_the_review_found_is_caught(text: str, rule: str) -> None:
    assert rule in [p.what for p in lint_text(text)], text


def test_a_problem_names_what_it_found() -> None:
    [problem] = lint_text("dengan Nomor None telah")
    assert "None" in problem.found and str(problem).startswith("nilai kosong dari program")


def test_a_sentence_inside_another_loses_its_full_stop() -> None:
    # The incident summary ends with a full stop; letters continue after it.
    summary = clause("Terlapor mengunggah foto bersama calon. ")
    assert f"mengenai {summary}, yang terjadi di Waru" == (
        "mengenai Terlapor mengunggah foto bersama calon, yang terjadi di Waru"
    )
    assert lint_text(f"mengenai {summary}, yang terjadi") == []
    assert clause("Sudah benar") == "Sudah benar"


def test_the_signer_must_be_on_the_page_of_the_closing() -> None:
    pages = ["... Demikian kami sampaikan.", "- 2 -\nKetua Bawaslu,\n\nDewi\nLestari"]
    assert lint_pages(pages, "Dewi Lestari") == [
        "nama penanda tangan ada di halaman 2, kalimat penutup di halaman 1"
    ]
    together = ["isi", "- 2 -\nDemikian kami sampaikan.\nKetua,\nDewi Lestari"]
    assert lint_pages(together, "Dewi Lestari") == []
    assert lint_pages(["Demikian."], "Dewi Lestari") == [
        "nama penanda tangan 'Dewi Lestari' tidak ditemukan"
    ]
