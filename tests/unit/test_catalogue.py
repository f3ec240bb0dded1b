"""The violation catalogue, the recommendation rule and the phase warnings.

Expected bands, sanctions and bases are written from the law (DOMAIN.md §4): PP 94/2021 Pasal 5
huruf n angka 1-2 sedang (Pasal 13 huruf g), 3-7 berat (Pasal 14 huruf i), sanctions Pasal 8
ayat (3)/(4); PP 42/2004 Pasal 15 sanksi moral; UU 20/2023 Pasal 52 ayat (3) huruf j and (4)
PTDH; PP 53/2010 Pasal 7 ayat (3)/(4) before 31 Aug 2021. Pilkada 2024 candidate pairs were
determined on 22 Sep 2024.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from config.catalogue_data import load_catalogue
from models.enums import Band, Employment, Regime
from models.problems import Severity
from models.rules.catalogue import (
    Catalogue,
    NoCatalogueVersionError,
    UnknownViolation,
    act_problems,
    is_crime,
    phase_problems,
    recommend,
)

PNS, CPNS, PPPK, PPNPN = Employment.PNS, Employment.CPNS, Employment.PPPK, Employment.PPNPN
PILKADA_DETERMINED = date(2024, 9, 22)
NOW = date(2024, 10, 10)  # an act in the Pilkada 2024 campaign
SKB = "SKB Netralitas ASN 2022 Lampiran II"
SEDANG_PP94 = (
    "Pemotongan tunjangan kinerja sebesar 25% selama 6 (enam) bulan",
    "Pemotongan tunjangan kinerja sebesar 25% selama 9 (sembilan) bulan",
    "Pemotongan tunjangan kinerja sebesar 25% selama 12 (dua belas) bulan",
)
BERAT_PP94 = (
    "Penurunan jabatan setingkat lebih rendah selama 12 (dua belas) bulan",
    "Pembebasan dari jabatannya menjadi jabatan pelaksana selama 12 (dua belas) bulan",
    "Pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS",
)
ALL_CODES = {
    *(f"SKB-A{i}" for i in range(1, 8)),
    *(f"SKB-B{i}" for i in range(1, 13)),
    *(f"PP94-5n-{i}" for i in range(1, 8)),
    "UU20-52-3j",
    "UU7-280-3",
    "UU10-71-1",
}


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue()


# --- the shipped data -------------------------------------------------------------------------


def test_every_version_has_every_contract_code_each_with_a_basis(cat: Catalogue) -> None:
    assert [v.id for v in cat.versions] == ["uu20-2023", "pp94-2021", "pp53-2010"]
    for version in cat.versions:
        assert {e.code for e in version.entries} == ALL_CODES
        for entry in version.entries:
            assert entry.basis and all(b.strip() for b in entry.basis), entry.code
            if not entry.confirmed:
                assert entry.note, f"{version.id} {entry.code} is unconfirmed without a note"
        for sanction_set in version.sanctions:
            if not sanction_set.confirmed:
                assert sanction_set.note, f"{version.id} {sanction_set.band} has no note"


@pytest.mark.parametrize(
    ("code", "band", "confirmed", "confirmed_pppk"),
    [
        *((f"SKB-A{i}", Band.MORAL, True, False) for i in range(1, 8)),
        ("SKB-B1", Band.BERAT, True, False),
        ("SKB-B2", Band.BERAT, True, False),
        ("SKB-B3", Band.SEDANG, True, False),
        ("SKB-B4", Band.BERAT, True, False),
        ("SKB-B5", Band.PTDH, True, True),
        ("SKB-B6", Band.BERAT, True, False),
        ("SKB-B7", Band.BERAT, True, False),
        ("SKB-B8", Band.BERAT, True, False),
        # B9-B12: the twelve items of Huruf B (DOMAIN §4, three sources agree)
        ("SKB-B9", Band.SEDANG, True, False),
        ("SKB-B10", Band.BERAT, True, False),
        ("SKB-B11", Band.BERAT, True, False),
        ("SKB-B12", Band.BERAT, True, False),
        ("PP94-5n-1", Band.SEDANG, True, False),
        ("PP94-5n-2", Band.SEDANG, True, False),
        *((f"PP94-5n-{i}", Band.BERAT, True, False) for i in range(3, 8)),
        ("UU20-52-3j", Band.PTDH, True, True),
        ("UU7-280-3", Band.BERAT, False, False),
        ("UU10-71-1", Band.BERAT, False, False),
    ],
)
def test_current_bands(
    cat: Catalogue, code: str, band: Band, confirmed: bool, confirmed_pppk: bool
) -> None:
    entry = cat.version_for(NOW).entry(code)
    assert (entry.band_pns, entry.band_pppk, entry.confirmed, entry.confirmed_pppk) == (
        band,
        band,
        confirmed,
        confirmed_pppk,
    )


@pytest.mark.parametrize(
    ("day", "version"),
    [
        (date(2017, 8, 16), "pp53-2010"),
        (date(2021, 8, 30), "pp53-2010"),
        (date(2021, 8, 31), "pp94-2021"),
        (date(2023, 10, 30), "pp94-2021"),
        (date(2023, 10, 31), "uu20-2023"),
        (date(2030, 1, 1), "uu20-2023"),
    ],
)
def test_version_in_force_on_the_act_date(cat: Catalogue, day: date, version: str) -> None:
    assert cat.version_for(day).id == version


def test_acts_before_the_oldest_version_have_no_catalogue(cat: Catalogue) -> None:
    with pytest.raises(NoCatalogueVersionError, match="2017-08-15"):
        recommend(["PP94-5n-1"], PNS, date(2017, 8, 15), cat)


# --- recommendation per employment and band ---------------------------------------------------


def test_moral_for_an_ethics_act(cat: Catalogue) -> None:
    rec = recommend(["SKB-A2"], PNS, date(2024, 8, 1), cat)
    assert (rec.regime, rec.band, rec.confirmed, rec.catalogue_version) == (
        Regime.ETIK,
        Band.MORAL,
        True,
        "uu20-2023",
    )
    assert rec.sanctions == (
        "Sanksi moral berupa pernyataan secara tertutup, dibuat tertulis dan dinyatakan oleh PPK",
        "Sanksi moral berupa pernyataan secara terbuka, dibuat tertulis dan dinyatakan oleh PPK",
    )
    assert rec.basis == (f"{SKB} Huruf A angka 2", "PP 42/2004 Pasal 15")


def test_sedang_for_campaigning_with_party_attributes(cat: Catalogue) -> None:
    rec = recommend(["PP94-5n-2"], PNS, date(2024, 1, 27), cat)  # Pangkalpinang, Pemilu 2024
    assert (rec.regime, rec.band, rec.confirmed) == (Regime.DISIPLIN, Band.SEDANG, True)
    assert rec.sanctions == SEDANG_PP94
    assert rec.basis == (
        "PP 94/2021 Pasal 5 huruf n angka 2",
        "PP 94/2021 Pasal 13 huruf g",
        "PP 94/2021 Pasal 8 ayat (3)",
    )


def test_berat_for_using_state_facilities(cat: Catalogue) -> None:
    rec = recommend(["PP94-5n-4"], PNS, NOW, cat)
    assert (rec.regime, rec.band, rec.confirmed) == (Regime.DISIPLIN, Band.BERAT, True)
    assert rec.sanctions == BERAT_PP94
    assert rec.basis == (
        "PP 94/2021 Pasal 5 huruf n angka 4",
        "PP 94/2021 Pasal 14 huruf i",
        "PP 94/2021 Pasal 8 ayat (4)",
    )


@pytest.mark.parametrize("code", ["UU20-52-3j", "SKB-B5"])
def test_ptdh_for_party_membership(cat: Catalogue, code: str) -> None:
    rec = recommend([code], PNS, date(2024, 6, 1), cat)
    assert (rec.regime, rec.band, rec.confirmed) == (Regime.PEMBERHENTIAN, Band.PTDH, True)
    assert rec.sanctions == ("Pemberhentian tidak dengan hormat sebagai PNS",)
    assert "UU 20/2023 Pasal 52 ayat (3) huruf j" in rec.basis
    assert "UU 20/2023 Pasal 52 ayat (4)" in rec.basis


def test_cpns_is_treated_as_pns(cat: Catalogue) -> None:
    assert recommend(["PP94-5n-1"], CPNS, NOW, cat) == recommend(["PP94-5n-1"], PNS, NOW, cat)


def test_pppk_same_band_own_sanctions_unconfirmed(cat: Catalogue) -> None:
    rec = recommend(["SKB-B6"], PPPK, date(2024, 9, 28), cat)  # Balikpapan temuan
    assert (rec.regime, rec.band, rec.confirmed) == (Regime.DISIPLIN, Band.BERAT, False)
    assert all("PPPK" in text for text in rec.sanctions)
    assert "PP 49/2018 Pasal 51 dan Pasal 52" in rec.basis
    sedang = recommend(["PP94-5n-1"], PPPK, NOW, cat)
    assert (sedang.band, sedang.confirmed) == (Band.SEDANG, False)


def test_pppk_party_membership_is_ptdh_by_statute(cat: Catalogue) -> None:
    rec = recommend(["UU20-52-3j"], PPPK, NOW, cat)
    assert (rec.band, rec.confirmed, rec.sanctions) == (
        Band.PTDH,
        True,
        ("Pemberhentian tidak dengan hormat sebagai PPPK",),
    )


def test_kontrak_for_non_asn_staff(cat: Catalogue) -> None:
    rec = recommend(["SKB-B8"], PPNPN, NOW, cat)
    assert (rec.regime, rec.band, rec.confirmed) == (Regime.KONTRAK, Band.KONTRAK, True)
    assert rec.basis == ("SE MenPANRB Nomor 1 Tahun 2023",)  # no PNS article for a contractor
    assert "pemutusan perjanjian kerja" in rec.sanctions[0]


@pytest.mark.parametrize(
    ("employment", "words", "basis"),
    [
        (Employment.KEPALA_DESA, "Bupati/Wali Kota", "UU 6/2014 Pasal 30"),
        (Employment.TNI, "TNI", "UU 34/2004 Pasal 39"),
        (Employment.POLRI, "Polri", "UU 2/2002 Pasal 28"),
        (Employment.LAINNYA, "instansi yang berwenang", "UU 7/2017 Pasal 455 ayat (1) huruf c"),
    ],
)
def test_diteruskan_outside_civil_service_law(
    cat: Catalogue, employment: Employment, words: str, basis: str
) -> None:
    rec = recommend(["PP94-5n-5"], employment, NOW, cat)
    assert (rec.regime, rec.band, rec.confirmed) == (Regime.LAINNYA, Band.DITERUSKAN, False)
    assert rec.sanctions[0].startswith("Diteruskan kepada") and words in rec.sanctions[0]
    assert basis in rec.basis and "PP 94/2021 Pasal 14 huruf i" not in rec.basis


def test_contract_object_has_exactly_the_contract_keys(cat: Catalogue) -> None:
    out = recommend(["PP94-5n-1"], PNS, NOW, cat).to_contract()
    assert out == {
        "regime": "disiplin",
        "band": "sedang",
        "sanctions": list(SEDANG_PP94),
        "basis": [
            "PP 94/2021 Pasal 5 huruf n angka 1",
            "PP 94/2021 Pasal 13 huruf g",
            "PP 94/2021 Pasal 8 ayat (3)",
        ],
        "confirmed": True,
    }
    assert json.loads(json.dumps(out)) == out


# --- several acts -------------------------------------------------------------------------------


def test_most_severe_band_wins_and_every_basis_is_listed(cat: Catalogue) -> None:
    rec = recommend(["SKB-A4", "PP94-5n-1", "PP94-5n-4"], PNS, NOW, cat)
    assert (rec.band, rec.regime, rec.sanctions, rec.confirmed) == (
        Band.BERAT,
        Regime.DISIPLIN,
        BERAT_PP94,
        True,
    )
    assert rec.basis == (
        f"{SKB} Huruf A angka 4",
        "PP 94/2021 Pasal 5 huruf n angka 1",
        "PP 94/2021 Pasal 13 huruf g",
        "PP 94/2021 Pasal 5 huruf n angka 4",
        "PP 94/2021 Pasal 14 huruf i",
        "PP 94/2021 Pasal 8 ayat (4)",
    )
    assert recommend(["PP94-5n-4", "SKB-A4"], PNS, NOW, cat).band is Band.BERAT


def test_shared_basis_is_listed_once(cat: Catalogue) -> None:
    rec = recommend(["PP94-5n-3", "PP94-5n-4", "PP94-5n-3"], PNS, NOW, cat)
    assert rec.basis == (
        "PP 94/2021 Pasal 5 huruf n angka 3",
        "PP 94/2021 Pasal 14 huruf i",
        "PP 94/2021 Pasal 5 huruf n angka 4",
        "PP 94/2021 Pasal 8 ayat (4)",
    )


def test_one_unconfirmed_act_makes_the_recommendation_unconfirmed(cat: Catalogue) -> None:
    # For a PPPK, UU20-52-3j's band is confirmed and SKB-B6's is not.
    rec = recommend(["UU20-52-3j", "SKB-B6"], PPPK, NOW, cat)
    assert (rec.band, rec.confirmed) == (Band.PTDH, False)
    assert recommend(["UU20-52-3j"], PPPK, NOW, cat).confirmed


def test_ppu_camat_sample_findings(cat: Catalogue) -> None:
    rec = recommend(["SKB-B4", "SKB-B7"], PNS, NOW, cat)
    assert (rec.band, rec.confirmed) == (Band.BERAT, True)
    assert rec.basis[:2] == (f"{SKB} Huruf B angka 4", "PP 94/2021 Pasal 5 huruf n angka 6")


def test_unknown_code_is_rejected_in_indonesian(cat: Catalogue) -> None:
    with pytest.raises(UnknownViolation) as caught:
        recommend(["PP94-5n-1", "SKB-C1"], PNS, NOW, cat)
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == "kode pelanggaran tidak dikenal: SKB-C1"
    assert caught.value.code == "SKB-C1"


def test_no_acts_or_a_lone_string_is_refused(cat: Catalogue) -> None:
    with pytest.raises(ValueError, match="tidak memuat kode"):
        recommend([], PNS, NOW, cat)
    with pytest.raises(TypeError):
        recommend("PP94-5n-1", PNS, NOW, cat)


# --- older versions -----------------------------------------------------------------------------


def test_act_before_pp94_uses_pp53_2010(cat: Catalogue) -> None:
    rec = recommend(["PP94-5n-1"], PNS, date(2020, 11, 20), cat)  # Pilkada 2020 campaign
    assert (rec.catalogue_version, rec.band, rec.confirmed) == ("pp53-2010", Band.SEDANG, False)
    assert rec.sanctions == (
        "Penundaan kenaikan gaji berkala selama 1 (satu) tahun",
        "Penundaan kenaikan pangkat selama 1 (satu) tahun",
        "Penurunan pangkat setingkat lebih rendah selama 1 (satu) tahun",
    )
    assert rec.basis == (
        "PP 53/2010 Pasal 4 angka 12 huruf a",
        "PP 53/2010 Pasal 12",
        "PP 53/2010 Pasal 7 ayat (3)",
    )


def test_pp53_berat_on_the_last_day_then_pp94_the_next(cat: Catalogue) -> None:
    old = recommend(["PP94-5n-4"], PNS, date(2021, 8, 30), cat)
    assert old.band is Band.BERAT and len(old.sanctions) == 5
    assert old.sanctions[0] == "Penurunan pangkat setingkat lebih rendah selama 3 (tiga) tahun"
    assert old.sanctions[-1] == "Pemberhentian tidak dengan hormat sebagai PNS"
    assert recommend(["PP94-5n-4"], PNS, date(2021, 8, 31), cat).sanctions == BERAT_PP94


def test_a_code_keeps_its_act_while_its_band_changes(cat: Catalogue) -> None:
    # support letter with an ID-card copy: sedang under PP 53/2010, berat under PP 94/2021
    assert recommend(["PP94-5n-7"], PNS, date(2020, 11, 20), cat).band is Band.SEDANG
    assert recommend(["PP94-5n-7"], PNS, NOW, cat).band is Band.BERAT


def test_party_membership_before_uu20_cites_uu5_2014(cat: Catalogue) -> None:
    rec = recommend(["UU20-52-3j"], PNS, date(2022, 5, 1), cat)
    assert (rec.catalogue_version, rec.band, rec.confirmed) == ("pp94-2021", Band.PTDH, True)
    assert rec.basis == ("UU 5/2014 Pasal 87 ayat (4) huruf c",)
    # the inherited parts of the version are the current ones
    assert recommend(["PP94-5n-1"], PNS, date(2022, 5, 1), cat).sanctions == SEDANG_PP94


# --- crimes and phases ------------------------------------------------------------------------


def test_is_crime(cat: Catalogue) -> None:
    assert is_crime(["PP94-5n-1", "SKB-B8"], cat, NOW) is False
    assert is_crime(["PP94-5n-1", "UU10-71-1"], cat, NOW) is True
    assert is_crime(["UU7-280-3"], cat, date(2024, 1, 27)) is True
    with pytest.raises(UnknownViolation):
        is_crime(["PIDANA-1"], cat, NOW)


@pytest.mark.parametrize(
    ("acts", "day", "warned"),
    [
        (["SKB-A2"], date(2024, 10, 10), ["SKB-A2"]),  # bakal calon code after determination
        (["SKB-A2"], date(2024, 9, 22), ["SKB-A2"]),  # on the determination day itself
        (["SKB-A2"], date(2024, 9, 21), []),
        (["SKB-B6"], date(2024, 9, 21), ["SKB-B6"]),  # calon code before determination
        (["SKB-B6"], date(2024, 9, 22), []),
        (["SKB-B6"], date(2024, 9, 28), []),  # Balikpapan temuan
        (["SKB-A1", "SKB-B1", "SKB-A1"], date(2024, 10, 1), ["SKB-A1"]),
        (["SKB-A1", "SKB-B1"], date(2024, 9, 1), ["SKB-B1"]),
        (["PP94-5n-1", "SKB-B3", "SKB-B5", "UU20-52-3j"], date(2024, 9, 1), []),  # no phase
    ],
)
def test_phase_warnings_pilkada_2024(
    cat: Catalogue, acts: list[str], day: date, warned: list[str]
) -> None:
    problems = phase_problems(acts, day, PILKADA_DETERMINED, cat)
    assert [p.message.split()[1] for p in problems] == warned
    for problem in problems:
        assert (problem.code, problem.field, problem.severity) == (
            "fase_tidak_sesuai",
            "findings.acts",
            Severity.WARNING,
        )
        assert "22 September 2024" in problem.message


def test_phase_warning_names_the_dates_in_indonesian(cat: Catalogue) -> None:
    [problem] = phase_problems(["SKB-A4"], date(2024, 10, 10), PILKADA_DETERMINED, cat)
    assert "SKB-A4" in problem.message and "10 Oktober 2024" in problem.message
    [early] = phase_problems(["SKB-B2"], date(2024, 8, 17), PILKADA_DETERMINED, cat)
    assert "17 Agustus 2024" in early.message and "sebelum penetapan" in early.message


def test_a_team_role_before_determination_is_b9_after_it_b10(cat: Catalogue) -> None:
    before, after = date(2024, 9, 1), date(2024, 10, 1)
    assert phase_problems(["SKB-B9"], before, PILKADA_DETERMINED, cat) == []
    assert phase_problems(["SKB-B10"], after, PILKADA_DETERMINED, cat) == []
    [late] = phase_problems(["SKB-B9"], after, PILKADA_DETERMINED, cat)
    assert "periksa apakah SKB-B10 lebih tepat" in late.message
    [early] = phase_problems(["SKB-B10"], before, PILKADA_DETERMINED, cat)
    assert "periksa apakah SKB-B9 lebih tepat" in early.message
    assert (
        recommend(["SKB-B9"], PNS, before, cat).band,
        recommend(["SKB-B10"], PNS, after, cat).band,
    ) == (Band.SEDANG, Band.BERAT)


def test_no_determination_date_no_phase_warning(cat: Catalogue) -> None:
    assert phase_problems(["SKB-A2", "SKB-B6"], NOW, None, cat) == []


# --- the loader ---------------------------------------------------------------------------------


MINIMAL = """
versions:
  - id: v2
    extends: v1
    in_force_from: 2024-01-01
    entries:
      - {code: X-1, title: Contoh, group: PP94, band_pns: berat, band_pppk: berat,
         basis: ["Pasal baru"], confirmed: true}
  - id: v1
    in_force_from: 2020-01-01
    in_force_until: 2023-12-31
    fixed_bands: {PPNPN: kontrak, KEPALA_DESA: diteruskan, TNI: diteruskan, POLRI: diteruskan,
                  LAINNYA: diteruskan}
    sanctions:
%s
    entries:
      - {code: X-1, title: Contoh, group: PP94, band_pns: sedang, band_pppk: sedang,
         basis: ["Pasal lama"], confirmed: true}
      - {code: X-2, title: Lain, group: PP94, band_pns: sedang, band_pppk: sedang,
         basis: ["Pasal dua"], confirmed: false, note: dugaan}
"""


def _sets(bands: list[str]) -> str:
    lines = []
    for employment, band, regime in [
        *(("[PNS, CPNS, PPPK]", b, "disiplin") for b in bands),
        ("[PPNPN]", "kontrak", "kontrak"),
        ("[KEPALA_DESA, TNI, POLRI, LAINNYA]", "diteruskan", "lainnya"),
    ]:
        option = f"{{text: 'Sanksi {band}', basis: ['B {band}']}}"
        lines.append(
            f"      - {{employment: {employment}, band: {band}, regime: {regime}, "
            f"confirmed: true, options: [{option}]}}"
        )
    return "\n".join(lines)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalogue.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_extends_inherits_and_replaces_by_code(tmp_path: Path) -> None:
    cat = load_catalogue(_write(tmp_path, MINIMAL % _sets(["sedang", "berat"])))
    new, old = cat.version_for(date(2024, 5, 1)), cat.version_for(date(2023, 5, 1))
    assert (new.id, old.id) == ("v2", "v1")
    assert new.entry("X-1").basis == ("Pasal baru",) and old.entry("X-1").basis == ("Pasal lama",)
    assert new.entry("X-2") == old.entry("X-2")
    rec = recommend(["X-2", "X-1"], PNS, date(2024, 5, 1), cat)
    assert (rec.band, rec.sanctions, rec.basis, rec.confirmed) == (
        Band.BERAT,
        ("Sanksi berat",),
        ("Pasal dua", "Pasal baru", "B berat"),
        False,
    )


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (MINIMAL % _sets(["sedang"]), "v2"),  # v2's berat entry has no berat sanction set
        (MINIMAL.replace('basis: ["Pasal lama"], ', "") % _sets(["sedang", "berat"]), "X-1"),
        (
            MINIMAL.replace("band_pns: berat", "band_pns: kontrak") % _sets(["sedang", "berat"]),
            "X-1",
        ),
        (MINIMAL.replace("extends: v1", "extends: v0") % _sets(["sedang", "berat"]), "v0"),
        (MINIMAL.replace("2023-12-31", "2024-01-01") % _sets(["sedang", "berat"]), "overlap"),
        (
            MINIMAL.replace(
                "    entries:\n      - {code: X-1", "    entires:\n      - {code: X-1", 1
            )
            % _sets(["sedang", "berat"]),
            "entires",
        ),
        ("versions: [\n", "catalogue.yaml"),
        ("- just a list\n", "versions"),
    ],
)
def test_malformed_file_names_the_file_and_the_entry(tmp_path: Path, text: str, names: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ValueError) as caught:
        load_catalogue(path)
    assert str(path) in str(caught.value)
    assert names in str(caught.value)


def test_missing_file_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"nothing\.yaml"):
        load_catalogue(tmp_path / "nothing.yaml")


def test_unknown_codes_are_problems_naming_the_valid_ones(cat: Catalogue) -> None:
    assert act_problems(["SKB-B4", "PP94-5n-1"], NOW, cat) == []
    [problem] = act_problems(["SKB-B4", "SKB-X99"], NOW, cat)
    assert (problem.code, problem.field) == ("kode_tidak_dikenal", "acts")
    assert "SKB-X99" in problem.message and "SKB-B4" in problem.message
    [old] = act_problems(["SKB-B4"], date(2000, 1, 1), cat)
    assert old.code == "katalog_tidak_berlaku" and "2000-01-01" in old.message
