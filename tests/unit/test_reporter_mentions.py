"""The last guard before an outbound letter is issued: does its text name the reporter?"""

from __future__ import annotations

from models.rules.confidentiality import reporter_mentions


def test_whole_words_only() -> None:
    assert reporter_mentions("Yth. Sdr. Ali di Balikpapan", ["Ali"]) == ["Ali"]
    assert reporter_mentions("Bawaslu Kota Balikpapan", ["Ali"]) == []


def test_case_and_spacing_do_not_hide_a_name() -> None:
    text = "keterangan  RAHMAT   hidayat bahwa"
    assert reporter_mentions(text, ["Rahmat Hidayat", "081250001111"]) == ["Rahmat Hidayat"]


def test_terms_of_the_office_letterhead_are_not_the_reporter() -> None:
    letterhead = "Badan Pengawas Pemilihan Umum Kota Balikpapan Jl. Jenderal Sudirman No. 5"
    assert (
        reporter_mentions(
            "Jl. Jenderal Sudirman No. 5", ["Jl. Jenderal Sudirman No. 5"], ignore=letterhead
        )
        == []
    )
