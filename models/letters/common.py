"""How letters name the case and its people: shared by every letter family. Pure mapping."""

from __future__ import annotations

from models.enums import ElectionType, ReportKind
from models.letters.head import Person
from models.tables import Case, Party, PartyRole

CAPACITY = {
    PartyRole.REPORTED: "Terlapor",
    PartyRole.WITNESS: "Saksi",
    PartyRole.REPORTER: "Pelapor",
}


def report_ref(case: Case) -> str:
    return f"NTR-{case.id:05d}"


def case_ref_text(case: Case) -> str:
    """The case number once registered, else the report's own reference."""
    return case.case_number or report_ref(case)


def kind_label(case: Case) -> str:
    return "Laporan" if case.kind is ReportKind.LAPORAN else "Temuan"


def person_of(party: Party) -> Person:
    return Person(name=party.name, nip=party.nip, position=party.job_title, agency=party.agency)


def party_key(party: Party) -> str:
    return f"{party.role.value}-{party.position}"


def reporter_label(case: Case, reporter: Party) -> str:
    return reporter.name if case.kind is ReportKind.LAPORAN else f"{reporter.name} (temuan)"


def election_label(case: Case) -> str:
    if case.election_type is ElectionType.PEMILU:
        return f"Pemilihan Umum Tahun {case.election_year}"
    return f"Pemilihan Kepala Daerah {case.election_region} Tahun {case.election_year}"
