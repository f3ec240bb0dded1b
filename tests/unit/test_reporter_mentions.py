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
        ("di 0812-5000-1111.\n2.\tKeterangan", "telepon"),  # a number running into the next
        ("0812-5000-1111 12 Oktober", "telepon"),
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


def test_numbers_and_village_names_alone_are_not_an_address() -> None:
    neighbour = ReporterIdentity(name="Ani", address="RT 01/RW 02, Desa Sukamaju")
    # a letter number like 012/PP.01.02/... and a village named as the incident's place
    assert neighbour.mentions("Nomor 012/PP.01.02/K.KI-09/10/2024 di Balai Desa Sukamaju") == []


def test_a_name_the_letter_rightly_carries_is_not_the_reporter() -> None:
    # The reporter Siti Rahayu; the reported person is Dewi S. Rahayu: "S. Rahayu" in the
    # letter is the reported person's name, which the desk passes as rightly named.
    siti = ReporterIdentity(name="Siti Rahayu")
    text = "Terlapor Dewi S. Rahayu hadir"
    assert siti.mentions(text) == ["nama (s rahayu)"]
    assert siti.mentions(text, ignore="Dewi S. Rahayu") == []
