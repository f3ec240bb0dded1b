"""Referral routing. The KASN→BKN switch defaults to 4 Sep 2024 (SE MenPANRB 4/2024 of that date):
a referral sent on 3 Sep 2024 still goes to KASN, one sent on 4 Sep 2024 or later to BKN.
"""

from __future__ import annotations

from datetime import date

import pytest

from models.enums import Authority, Employment
from models.rules.routing import AUTHORITY_NAMES, route

SWITCH = date(2024, 9, 4)
ASN = [Employment.PNS, Employment.CPNS, Employment.PPPK]
OUTSIDE = [Employment.KEPALA_DESA, Employment.TNI, Employment.POLRI, Employment.LAINNYA]


@pytest.mark.parametrize("employment", ASN)
@pytest.mark.parametrize(
    ("referral_date", "authority"),
    [
        (date(2024, 1, 29), Authority.KASN),  # Pemilu 2024 case (Pangkalpinang)
        (date(2024, 9, 3), Authority.KASN),  # the day before the switch
        (date(2024, 9, 4), Authority.BKN),  # the switch date itself
        (date(2024, 10, 16), Authority.BKN),  # Pilkada 2024 case (Penajam Paser Utara)
        (date(2025, 3, 1), Authority.BKN),
    ],
)
def test_asn_goes_to_kasn_before_the_switch_and_bkn_from_it(
    employment: Employment, referral_date: date, authority: Authority
) -> None:
    assert route(employment, referral_date=referral_date, switch_date=SWITCH) is authority


def test_switch_date_is_a_parameter_not_a_constant() -> None:
    later = date(2024, 10, 1)
    assert (
        route(Employment.PNS, referral_date=date(2024, 9, 20), switch_date=later) is Authority.KASN
    )
    assert (
        route(Employment.PNS, referral_date=date(2024, 10, 1), switch_date=later) is Authority.BKN
    )


@pytest.mark.parametrize("referral_date", [date(2024, 9, 3), date(2024, 9, 4)])
def test_non_asn_staff_go_to_their_own_ppk(referral_date: date) -> None:
    assert route(Employment.PPNPN, referral_date=referral_date, switch_date=SWITCH) is Authority.PPK


@pytest.mark.parametrize("employment", OUTSIDE)
@pytest.mark.parametrize("referral_date", [date(2024, 9, 3), date(2024, 9, 4)])
def test_village_heads_tni_polri_and_others_go_elsewhere(
    employment: Employment, referral_date: date
) -> None:
    assert route(employment, referral_date=referral_date, switch_date=SWITCH) is Authority.LAINNYA


@pytest.mark.parametrize("employment", list(Employment))
@pytest.mark.parametrize("referral_date", [date(2024, 9, 3), date(2024, 9, 4)])
def test_a_crime_goes_to_gakkumdu_whoever_committed_it(
    employment: Employment, referral_date: date
) -> None:
    assert (
        route(employment, referral_date=referral_date, switch_date=SWITCH, crime=True)
        is Authority.GAKKUMDU
    )


def test_every_authority_has_its_indonesian_name() -> None:
    assert AUTHORITY_NAMES == {
        Authority.KASN: "Komisi Aparatur Sipil Negara",
        Authority.BKN: "Badan Kepegawaian Negara",
        Authority.PPK: "Pejabat Pembina Kepegawaian",
        Authority.GAKKUMDU: "Sentra Penegakan Hukum Terpadu",
        Authority.LAINNYA: "Instansi lain yang berwenang",
    }
