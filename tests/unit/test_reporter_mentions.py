"""The last guard before an outbound letter is issued: does its text name the reporter, in
whatever spelling staff used?"""

from __future__ import annotations

import pytest

from models.rules.confidentiality import ReporterIdentity

REPORTER = ReporterIdentity(
    name="Rahmat Hidayat, S.Pd.",
    phone="0812-5000-1111",
    email="pelapor.c1@example.org",
    address="Jl. Mawar No. 12, Kelurahan Waru, Penajam",
)


def test_whole_words_only() -> None:
    ali = ReporterIdentity(name="Ali")
    assert ali.mentions("Yth. Sdr. Ali di Balikpapan") == ["nama (ali)"]
    assert ali.mentions("Bawaslu Kota Balikpapan") == []


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("keterangan  RAHMAT   hidayat bahwa", "nama"),
        ("menurut R. Hidayat terlapor hadir", "nama"),  # initials with the surname
        ("menurut Rahmat H. terlapor hadir", "nama"),
        ("dapat dihubungi di 0812-5000-1111", "telepon"),
        ("nomor +62 812 5000 1111 (WhatsApp)", "telepon"),
        ("0812.5000.1111", "telepon"),
        ("surel pelapor.c1[at]example.org", "surel"),
        ("surel pelapor.c1 at example dot org", "surel"),
        ("surel PELAPOR.C1@EXAMPLE.ORG", "surel"),
        ("bertempat tinggal di Jl Mawar No 12 Kelurahan Waru Penajam", "alamat"),
        ("rumah di jalan mawar no. 12", "alamat"),
        ("di Jl. Mawar 12", "alamat"),
        ("di Jl. Mawar", "none"),  # a street without the house number is not an address
    ],
)
def test_other_spellings_are_still_the_reporter(text: str, what: str) -> None:
    found = REPORTER.mentions(text)
    if what == "none":
        assert found == []
    else:
        assert [f.split(" ")[0] for f in found] == [what], found


def test_the_refusal_names_what_matched() -> None:
    found = REPORTER.mentions("R. Hidayat (0812 5000 1111) melihat")
    assert found == ["nama (r hidayat)", "telepon (0812 5000 1111)"]


def test_terms_of_the_office_letterhead_are_not_the_reporter() -> None:
    letterhead = "Badan Pengawas Pemilihan Umum Kota Balikpapan Jl. Jenderal Sudirman No. 5"
    on_the_same_street = ReporterIdentity(name="Ani", address="Jl. Jenderal Sudirman No. 5")
    assert on_the_same_street.mentions("Jl. Jenderal Sudirman No. 5", ignore=letterhead) == []


def test_a_person_with_another_name_is_not_the_reporter() -> None:
    assert REPORTER.mentions("Terlapor Rahmat Saputra dan saksi Budi Hidayat hadir") == []
