"""The matching rule for related reports (models/links.py), without a database."""

from __future__ import annotations

from datetime import date

import pytest

from models.enums import ElectionType
from models.links import (
    CaseFacts,
    Person,
    link_line,
    link_reasons,
    link_refusal,
    place_key,
    unlink_refusal,
)

AGUS = Person("Drs. Agus Salim, M.Si.", "197805122006041003", "Pemerintah Kabupaten PPU")
PPU_2024 = (ElectionType.PILKADA, 2024, place_key("Kabupaten Penajam Paser Utara"))


def facts(
    *people: Person, election: tuple[ElectionType, int, str] = PPU_2024, **incident: object
) -> CaseFacts:
    return CaseFacts(
        election=election,
        occurred_on=incident.get("on", date(2024, 10, 10)),  # type: ignore[arg-type]
        place=str(incident.get("place", "Gedung Serbaguna Waru")),
        people=people,
    )


def elsewhere(*people: Person) -> CaseFacts:
    """Another incident: another day, another place."""
    return facts(*people, on=date(2024, 9, 1), place="Pasar Penajam")


def test_the_same_nip_is_the_same_person_whatever_its_spacing_or_name() -> None:
    spaced = Person("Agus Salim", "19780512 200604 1 003", None)
    assert link_reasons(elsewhere(spaced), facts(AGUS)) == ["terlapor sama (NIP): Agus Salim"]


def test_two_different_nips_are_two_people_even_with_one_name_and_agency() -> None:
    namesake = Person(AGUS.name, "198001012005011002", AGUS.agency)
    assert link_reasons(elsewhere(namesake), facts(AGUS)) == []


@pytest.mark.parametrize(
    ("name", "agency", "linked"),
    [
        ("drs. agus  SALIM, m.si.", "pemerintah kabupaten  ppu", True),  # case and spaces
        ("Drs. AgusSalim, M.Si.", "PemerintahKabupaten PPU", True),
        ("Agus Salim", "Pemerintah Kabupaten PPU", False),  # another spelling of the name
        (AGUS.name, "Dinas Pendidikan PPU", False),  # another agency
        (AGUS.name, None, False),  # no agency: a name alone is not enough
    ],
)
def test_without_a_nip_on_both_sides_name_and_agency_decide(
    name: str, agency: str | None, linked: bool
) -> None:
    honorer = Person(name, None, agency)
    reasons = link_reasons(elsewhere(honorer), facts(AGUS))
    assert reasons == ([f"terlapor sama (nama dan instansi): {name}"] if linked else [])


def test_the_same_incident_is_the_same_date_and_place_normalised() -> None:
    other = Person("Siti", None, "Kecamatan Waru")
    here = facts(other, place="gedung serbaguna  WARU.")
    assert link_reasons(here, facts(AGUS)) == [
        "kejadian sama: 10 Oktober 2024, gedung serbaguna  WARU."
    ]
    assert link_reasons(facts(other, on=date(2024, 10, 11)), facts(AGUS)) == []
    assert link_reasons(facts(other, place="Gedung Serbaguna Penajam"), facts(AGUS)) == []


def test_a_person_and_an_incident_in_common_give_both_reasons() -> None:
    assert link_reasons(facts(AGUS), facts(AGUS)) == [
        f"terlapor sama (NIP): {AGUS.name}",
        "kejadian sama: 10 Oktober 2024, Gedung Serbaguna Waru",
    ]


@pytest.mark.parametrize(
    "election",
    [
        (ElectionType.PEMILU, 2024, PPU_2024[2]),  # another type
        (ElectionType.PILKADA, 2020, PPU_2024[2]),  # another year
        (ElectionType.PILKADA, 2024, place_key("Kota Balikpapan")),  # another region
    ],
)
def test_another_election_is_never_linked(election: tuple[ElectionType, int, str]) -> None:
    assert link_reasons(facts(AGUS, election=election), facts(AGUS)) == []


def test_the_region_is_compared_without_case_punctuation_or_spaces() -> None:
    assert place_key(" Kabupaten  Penajam-Paser Utara ") == place_key(
        "kabupaten penajam paser utara"
    )


def test_a_link_reads_with_its_reason() -> None:
    assert link_line("003/REG/LP/PW/Kab/64.09/X/2024", "terlapor sama (NIP): Agus") == (
        "003/REG/LP/PW/Kab/64.09/X/2024 (terlapor sama (NIP): Agus)"
    )


def test_what_a_person_may_not_do_with_links_is_said_in_indonesian() -> None:
    assert link_refusal(1, 1, "x") == "perkara tidak dapat ditautkan dengan dirinya sendiri"
    assert link_refusal(1, 2, "  ") == "alasan penautan wajib diisi (--reason)"
    assert link_refusal(1, 2, "terlapor sama") is None
    assert unlink_refusal(1, 2, "x", ever_linked=False) == "perkara #1 dan #2 tidak tertaut"
    assert (
        unlink_refusal(1, 2, "", ever_linked=True) == "alasan melepas tautan wajib diisi (--reason)"
    )
    assert (
        unlink_refusal(2, 2, "x", ever_linked=False)
        == "perkara tidak tertaut dengan dirinya sendiri"
    )
    assert unlink_refusal(1, 2, "salah tautan", ever_linked=True) is None
