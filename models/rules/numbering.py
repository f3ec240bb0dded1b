"""Bawaslu case numbers and letter numbers (DOMAIN.md §5–6). Pure formatting; serials come from
`adapters.db.letters.next_serial`."""

from __future__ import annotations

from datetime import date

from models.enums import ElectionType, ReportKind
from models.indonesian import bulan_romawi
from models.rules.office import Office

KIND_CODES = {ReportKind.LAPORAN: "LP", ReportKind.TEMUAN: "TM"}
ELECTION_CODES = {ElectionType.PEMILU: "PL", ElectionType.PILKADA: "PW"}


def case_series(kind: ReportKind) -> str:
    """Laporan and temuan are numbered in separate registers."""
    return f"perkara-{KIND_CODES[kind]}"


def case_number(
    serial: int, *, kind: ReportKind, election: ElectionType, office: Office, registered_on: date
) -> str:
    """e.g. `002/LP/PW/Kab/64.09/X/2024`: serial/kind/election/level/region/month/year."""
    return "/".join(
        [
            f"{serial:03d}",
            KIND_CODES[kind],
            ELECTION_CODES[election],
            office.level.value,
            office.region_code,
            bulan_romawi(registered_on.month),
            str(registered_on.year),
        ]
    )


def letter_number(serial: int, *, classification: str, office: Office, issued_on: date) -> str:
    """e.g. `012/PP.01.02/K.KI-09/10/2024`: serial/classification/unit/month/year."""
    return "/".join(
        [
            f"{serial:03d}",
            classification,
            office.unit_code,
            f"{issued_on.month:02d}",
            str(issued_on.year),
        ]
    )
