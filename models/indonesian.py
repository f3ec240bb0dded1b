"""Indonesian wording of dates, times and numbers as official letters write them.

Pure text helpers: "27 November 2024", "Rabu", "7 (tujuh) hari", "XI", "09.00 WITA".
Month and day names come from babel's "id" locale, spelled-out numbers from num2words; both are
imported on first use (num2words loads every language it knows), so importing this module is cheap.
"""

from __future__ import annotations

from datetime import date, time

LOCALE = "id"

_ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

# IANA zones of Indonesia and the labels letters use (WIB, WITA, WIT).
_ZONE_LABELS: dict[str, str] = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Ujung_Pandang": "WITA",
    "Asia/Jayapura": "WIT",
}


def tanggal(d: date) -> str:
    """'27 November 2024'."""
    from babel.dates import format_date

    return format_date(d, "d MMMM y", locale=LOCALE)


def hari(d: date) -> str:
    """The day name: 'Rabu'."""
    from babel.dates import format_date

    return format_date(d, "EEEE", locale=LOCALE)


def terbilang(n: int) -> str:
    """A non-negative whole number in words: 7 -> 'tujuh', 14 -> 'empat belas'."""
    if n < 0:
        raise ValueError(f"terbilang hanya untuk bilangan bulat tidak negatif, bukan {n}")
    from num2words import num2words

    words: str = num2words(n, lang=LOCALE)
    return words


def jumlah(n: int, unit: str) -> str:
    """A count in figures and words, as letters write it: '7 (tujuh) hari'."""
    return f"{n} ({terbilang(n)}) {unit}".rstrip()


def bulan_romawi(month: int) -> str:
    """The month in Roman numerals used in case and letter numbers: 11 -> 'XI'."""
    if not 1 <= month <= 12:
        raise ValueError(f"bulan harus 1 sampai 12, bukan {month}")
    return _ROMAN_MONTHS[month - 1]


def jam(t: time, tz_label: str) -> str:
    """A clock time with its zone label: '09.00 WITA' (Indonesian uses a dot)."""
    return f"{t.hour:02d}.{t.minute:02d} {tz_label}"


def zona_waktu(iana: str) -> str:
    """The label (WIB/WITA/WIT) of an Indonesian IANA time zone such as 'Asia/Makassar'."""
    try:
        return _ZONE_LABELS[iana]
    except KeyError:
        raise ValueError(f"zona waktu {iana!r} bukan zona waktu Indonesia") from None


def clause(text: str) -> str:
    """A sentence as it reads inside another one: outer spaces and trailing full stops,
    commas and semicolons removed ('Kampanye di grup WA.' -> 'Kampanye di grup WA'), so a
    template that goes on after it ('..., yang terjadi di ...') never prints '., '."""
    return text.strip().rstrip(".,; ").strip()
