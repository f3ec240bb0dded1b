"""Where a decided case goes (models/rules/referral.py) and who may read what
(models/rules/confidentiality.py), without a database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models.enums import Authority, Band, Employment, Regime
from models.letters.common import referral_addressee
from models.letters.specs import AuthorityContact
from models.rules.catalogue import PersonRecommendation, RecommendationRecord
from models.rules.confidentiality import (
    Audience,
    guards_reporter,
)
from models.rules.referral import (
    ReferralGroup,
    ReferralImpossible,
    Superior,
    copies_the_ppk,
    ppk_groups,
    referral_groups,
    referred_asn,
    reminded_authority,
    rerouted,
    unaddressed,
)

SWITCH = date(2024, 9, 4)
RECORD = RecommendationRecord(
    regime=Regime.DISIPLIN, band=Band.SEDANG, sanctions=("a",), basis=("b",), confirmed=True
)


def row(party: str, authority: Authority) -> PersonRecommendation:
    return PersonRecommendation(party=party, authority=authority, recommendation=RECORD)


def test_the_authority_is_decided_on_the_day_the_referral_is_sent() -> None:
    drafted = [row("terlapor-0", Authority.KASN), row("terlapor-1", Authority.PPK)]
    employment = {"terlapor-0": Employment.PNS, "terlapor-1": Employment.PPNPN}
    before = rerouted(drafted, employment, referral_date=date(2024, 9, 3), switch_date=SWITCH)
    after = rerouted(drafted, employment, referral_date=SWITCH, switch_date=SWITCH)
    assert [r.authority for r in before] == [Authority.KASN, Authority.PPK]
    assert [r.authority for r in after] == [Authority.BKN, Authority.PPK]
    assert after[0].recommendation == RECORD  # only the authority changes


def test_a_crime_goes_to_gakkumdu_for_everyone() -> None:
    drafted = [row("terlapor-0", Authority.GAKKUMDU), row("terlapor-1", Authority.BKN)]
    employment = {"terlapor-0": Employment.PNS, "terlapor-1": Employment.PPPK}
    again = rerouted(drafted, employment, referral_date=SWITCH, switch_date=SWITCH)
    assert {r.authority for r in again} == {Authority.GAKKUMDU}


def test_asn_share_one_referral_others_get_one_each() -> None:
    rows = [
        row("terlapor-0", Authority.BKN),
        row("terlapor-1", Authority.PPK),
        row("terlapor-2", Authority.BKN),
        row("terlapor-3", Authority.PPK),
    ]
    groups = referral_groups(rows)
    assert groups == [
        ReferralGroup(Authority.BKN, ("terlapor-0", "terlapor-2")),
        ReferralGroup(Authority.PPK, ("terlapor-1",)),
        ReferralGroup(Authority.PPK, ("terlapor-3",)),
    ]
    assert [copies_the_ppk(g) for g in groups] == [True, False, False]
    assert referred_asn(rows) == {"terlapor-0", "terlapor-2"}


def test_nobody_to_refer_to_is_named() -> None:
    rows = [row("terlapor-0", Authority.BKN), row("terlapor-1", Authority.LAINNYA)]
    superiors = {
        "terlapor-0": Superior("terlapor-0", None, None),
        "terlapor-1": Superior("terlapor-1", None, None),
    }
    assert unaddressed(rows, superiors, {"BKN", "KASN"}) == ["terlapor-1"]
    superiors["terlapor-1"] = Superior("terlapor-1", "Bupati", "bupati@example.go.id")
    assert unaddressed(rows, superiors, {"BKN", "KASN"}) == []
    assert "Suparman" in str(ReferralImpossible(["Suparman (LAINNYA)"]))


def test_the_referral_goes_to_the_authority_else_the_persons_own_superior() -> None:
    contacts = {"BKN": AuthorityContact(name="Kepala BKN", place="Jakarta", email="b@bkn.go.id")}
    superior = Superior("terlapor-1", "Kepala Dinas", "dinas@example.go.id")
    to_bkn = referral_addressee(Authority.BKN, superior, contacts)
    assert to_bkn is not None and (to_bkn.key, to_bkn.email) == ("otoritas-bkn", "b@bkn.go.id")
    to_ppk = referral_addressee(Authority.PPK, superior, contacts)
    assert to_ppk is not None and (to_ppk.key, to_ppk.name) == ("ppk-terlapor-1", "Kepala Dinas")
    assert referral_addressee(Authority.LAINNYA, Superior("x", None, None), contacts) is None


@dataclass
class _Person:
    name: str
    ppk_title: str | None


def test_one_reminder_per_ppk_naming_the_referrals_authority() -> None:
    people = [
        _Person("A", "Bupati"),
        _Person("B", None),
        _Person("C", "Bupati"),
        _Person("D", "Camat"),
    ]
    groups = ppk_groups(people)
    assert [(title, [p.name for p in group]) for title, group in groups] == [
        ("Bupati", ["A", "C"]),
        ("Camat", ["D"]),
    ]
    assert reminded_authority([row("terlapor-0", Authority.KASN)]) == "Komisi Aparatur Sipil Negara"
    assert reminded_authority([]) == "instansi yang berwenang"


def test_only_outbound_letters_of_a_laporan_are_checked_for_the_reporter() -> None:
    assert guards_reporter(Audience.OUTBOUND, is_laporan=True)
    assert not guards_reporter(Audience.OUTBOUND, is_laporan=False)  # a temuan: Bawaslu itself
    assert not guards_reporter(Audience.INTERNAL, is_laporan=True)
    assert not guards_reporter(Audience.REPORTER, is_laporan=True)
