"""NIP and NIK checks. Every expected verdict was worked out by hand from the number's layout:
NIP = YYYYMMDD birth + YYYYMM TMT CPNS + sex digit + 3-digit serial (Perka BKN 22/2007);
NIK = 6 region digits + DDMMYY (women: day + 40) + 4-digit serial.
"""

from __future__ import annotations

import pytest

from models.enums import Employment
from models.rules.identifiers import NipCheck, check_nip, normalize_nip

PNS, CPNS, PPPK = Employment.PNS, Employment.CPNS, Employment.PPPK

# From /work/shared/examples: Pangkalpinang lurah, PPU camat (PNS) and the Balikpapan PPPK.
LURAH = "198901152010101002"  # born 15 Jan 1989, CPNS Oct 2010 (age 21), male, serial 002
CAMAT = "197805122006041003"  # born 12 May 1978, CPNS Apr 2006 (age 27), male, serial 003
PPPK_NIP = "199403032022212004"  # "202221" is month 21 under the PNS layout: not a PNS number


@pytest.mark.parametrize("nip", [LURAH, CAMAT])
def test_example_pns_nips_are_valid(nip: str) -> None:
    assert check_nip(nip, PNS) == NipCheck(valid=True, reasons=())


def test_cpns_is_judged_by_the_pns_rule() -> None:
    assert check_nip(LURAH, CPNS).valid is True
    assert check_nip("198902302010101002", CPNS).valid is False


def test_example_pppk_nip_is_not_judged_by_the_pns_rule() -> None:
    assert check_nip(PPPK_NIP, PPPK) == NipCheck(valid=True, reasons=())
    # the same digits for a PNS fail on the appointment month (21): proof the rule differs
    assert check_nip(PPPK_NIP, PNS).reasons == ("TMT CPNS pada NIP tidak valid",)


def test_pppk_nip_shape_is_still_checked() -> None:
    assert check_nip("19940303202221200", PPPK) == NipCheck(False, ("NIP harus 18 digit angka",))


@pytest.mark.parametrize(
    ("nip", "reasons"),
    [
        # 30 February 1989 does not exist
        ("198902302010101002", ("tanggal lahir pada NIP tidak valid",)),
        # born 1 Jan 2000, CPNS Jan 2010: aged 10
        ("200001012010011001", ("TMT CPNS pada NIP sebelum usia 18 tahun",)),
        # sex digit 3
        ("198901152010103002", ("kode jenis kelamin pada NIP harus 1 atau 2",)),
        # 17 digits
        ("19890115201010100", ("NIP harus 18 digit angka",)),
        # 19 digits
        ("1989011520101010020", ("NIP harus 18 digit angka",)),
        # a letter among the digits
        ("19890115201010100A", ("NIP harus 18 digit angka",)),
        # appointment month 13
        ("198901152010131002", ("TMT CPNS pada NIP tidak valid",)),
        # born 1 Jan 1920, CPNS Jan 1949: 29 years old but before 1950
        ("192001011949011001", ("TMT CPNS pada NIP sebelum tahun 1950",)),
        # serial 000
        ("198901152010101000", ("nomor urut pada NIP tidak boleh 000",)),
        # three faults at once, all reported
        (
            "198913012010103000",
            (
                "tanggal lahir pada NIP tidak valid",
                "kode jenis kelamin pada NIP harus 1 atau 2",
                "nomor urut pada NIP tidak boleh 000",
            ),
        ),
    ],
)
def test_invalid_pns_nips(nip: str, reasons: tuple[str, ...]) -> None:
    assert check_nip(nip, PNS) == NipCheck(valid=False, reasons=reasons)


def test_appointment_in_the_month_of_the_18th_birthday_is_accepted() -> None:
    # born 20 Jun 1990, CPNS Jun 2008: turns 18 within the month of appointment
    assert check_nip("199006202008061001", PNS).valid is True
    # one month earlier (May 2008) is still 17
    assert check_nip("199006202008051001", PNS).valid is False


def test_minimum_age_is_a_parameter() -> None:
    # born 15 Jan 1989, CPNS Oct 2010: 21 years and 9 months
    assert check_nip(LURAH, PNS, min_age_at_appointment=21).valid is True
    assert check_nip(LURAH, PNS, min_age_at_appointment=22).reasons == (
        "TMT CPNS pada NIP sebelum usia 22 tahun",
    )


def test_separators_typed_between_groups_are_ignored() -> None:
    assert normalize_nip("19890115 201010 1 002") == LURAH
    assert normalize_nip("19890115.201010.1.002") == LURAH
    assert normalize_nip("19890115-201010-1-002") == LURAH
    assert check_nip(" 19780512 200604 1 003 ", PNS).valid is True


@pytest.mark.parametrize("nip", [None, "", "   "])
def test_no_nip_is_not_judged(nip: str | None) -> None:
    assert check_nip(nip, PNS) == NipCheck(valid=None, reasons=())


@pytest.mark.parametrize(
    "employment",
    [
        Employment.PPNPN,
        Employment.KEPALA_DESA,
        Employment.TNI,
        Employment.POLRI,
        Employment.LAINNYA,
    ],
)
def test_non_asn_numbers_are_not_judged(employment: Employment) -> None:
    assert check_nip(LURAH, employment).valid is None
    assert check_nip("12345", employment).valid is None


@pytest.mark.parametrize(
    "nip",
    [
        "198902302010101002",
        "200001012010011001",
        "198901152010103002",
        "19890115201010100",
        "198913012010103000",
        "19890115 201010 3 002",
        PPPK_NIP,
    ],
)
@pytest.mark.parametrize("employment", [PNS, PPPK])
def test_no_reason_contains_the_nip_or_its_birth_date(nip: str, employment: Employment) -> None:
    result = check_nip(nip, employment)
    digits = normalize_nip(nip)
    for reason in result.reasons:
        assert nip not in reason and digits not in reason
        assert digits[:8] not in reason  # the birth date is the sensitive part
    assert digits not in repr(result)
