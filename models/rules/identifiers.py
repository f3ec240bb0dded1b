"""Checks on the personal number of a reported civil servant: the NIP.

It encodes a birth date and the sex: it is personal data. No message or exception produced here
ever contains the number, nor any part of it. (The NIK is not part of the report format; when it
is, `python-stdnum`'s `stdnum.id.nik` checks it.)

NIP of a PNS/CPNS (Perka BKN 22/2007, DOMAIN.md §6 [S]): 18 digits =
    YYYYMMDD birth date + YYYYMM appointment as CPNS (TMT CPNS) + sex digit (1/2) + NNN serial.
NIP of a PPPK: the layout differs and is not confirmed [C], so only its shape is checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from models.enums import Employment

NIP_LENGTH = 18
EARLIEST_APPOINTMENT_YEAR = 1950  # no CPNS appointment in the 18-digit scheme predates it
EARLIEST_BIRTH_YEAR = 1900

_SEPARATORS = re.compile(r"[\s.\-]+")
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class NipCheck:
    """Outcome of a NIP check. `valid` is None when no NIP was given or it is not judged."""

    valid: bool | None
    reasons: tuple[str, ...] = ()


def normalize_nip(raw: str) -> str:
    """The NIP as digits only: spaces, dots and dashes typed between the groups are dropped."""
    return _SEPARATORS.sub("", raw)


def _is_digits(text: str, length: int) -> bool:
    return len(text) == length and _DIGITS.fullmatch(text) is not None


def _real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def check_nip(
    nip: str | None, employment: Employment, *, min_age_at_appointment: int = 18
) -> NipCheck:
    """Judge a NIP by the rule of the person's employment class.

    PNS/CPNS: the Perka BKN 22/2007 layout. PPPK: 18 digits only (the PNS rule would reject
    genuine PPPK numbers). Everyone else has no NIP to judge: valid is None.
    """
    if nip is None:
        return NipCheck(valid=None)
    digits = normalize_nip(nip)
    if not digits or not employment.is_asn:
        return NipCheck(valid=None)
    if not _is_digits(digits, NIP_LENGTH):
        return NipCheck(valid=False, reasons=("NIP harus 18 digit angka",))
    if employment is Employment.PPPK:
        return NipCheck(valid=True)
    reasons = _pns_nip_reasons(digits, min_age_at_appointment)
    return NipCheck(valid=not reasons, reasons=reasons)


def _pns_nip_reasons(digits: str, min_age: int) -> tuple[str, ...]:
    reasons: list[str] = []
    birth = _real_date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    if birth is None or birth.year < EARLIEST_BIRTH_YEAR:
        reasons.append("tanggal lahir pada NIP tidak valid")
    year, month = int(digits[8:12]), int(digits[12:14])
    if not 1 <= month <= 12:
        reasons.append("TMT CPNS pada NIP tidak valid")
    elif year < EARLIEST_APPOINTMENT_YEAR:
        reasons.append(f"TMT CPNS pada NIP sebelum tahun {EARLIEST_APPOINTMENT_YEAR}")
    elif birth is not None and (year, month) < (birth.year + min_age, birth.month):
        reasons.append(f"TMT CPNS pada NIP sebelum usia {min_age} tahun")
    if digits[14] not in "12":
        reasons.append("kode jenis kelamin pada NIP harus 1 atau 2")
    if digits[15:18] == "000":
        reasons.append("nomor urut pada NIP tidak boleh 000")
    return tuple(reasons)
