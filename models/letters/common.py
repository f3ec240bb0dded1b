"""How letters name the case and its people: shared by every letter family. Pure mapping."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from models.enums import Authority, ElectionType, ReportKind
from models.letters.head import Addressee, EvidenceRef, Person, Recipient
from models.letters.specs import AuthorityContact
from models.public import receipt_number
from models.rules.evidence import short_hash
from models.rules.office import Office
from models.rules.referral import Superior
from models.tables import Case, Evidence, Party, PartyRole

CAPACITY = {
    PartyRole.REPORTED: "Terlapor",
    PartyRole.WITNESS: "Saksi",
    PartyRole.REPORTER: "Pelapor",
}


def report_ref(case: Case) -> str:
    return receipt_number(case.id or 0)


def case_ref_text(case: Case) -> str:
    """The case number once registered, else the report's own reference."""
    return case.case_number or report_ref(case)


def kind_label(case: Case) -> str:
    return "Laporan" if case.kind is ReportKind.LAPORAN else "Temuan"


def person_of(party: Party) -> Person:
    return Person(name=party.name, nip=party.nip, position=party.job_title, agency=party.agency)


def evidence_refs(items: Sequence[Evidence]) -> tuple[EvidenceRef, ...]:
    """The case's evidence for its internal records: description and short hash only."""
    return tuple(
        EvidenceRef(
            description=e.description,
            hash_text=f"SHA-256 {short_hash(e.sha256)}" if e.sha256 else "tanpa berkas",
        )
        for e in items
    )


def party_key(party: Party) -> str:
    return f"{party.role.value}-{party.position}"


def reporter_label(case: Case, reporter: Party) -> str:
    """The reporter of a laporan, or the officer who found a temuan (the kajian says which)."""
    return reporter.name


def election_label(case: Case) -> str:
    if case.election_type is ElectionType.PEMILU:
        return f"Pemilihan Umum Tahun {case.election_year}"
    return f"Pemilihan Kepala Daerah {case.election_region} Tahun {case.election_year}"


def party_addressee(party: Party) -> Addressee:
    """A reported person or witness, at the address the report gives."""
    return Addressee(
        party_key(party), party.name, party.address or "Tempat", party.email, personal=True
    )


def as_recipient(party: Party) -> Recipient:
    return Recipient(party.role.value)


def archive_addressee(office: Office, key: str) -> Addressee:
    """An internal record (berita acara, kajian): no addressee, kept in the office's archive."""
    return Addressee(key, f"Arsip {office.short_name}")


def superior_of(person: Party) -> Superior:
    return Superior(party_key(person), person.ppk_title, person.ppk_email)


def referral_addressee(
    authority: Authority, superior: Superior, contacts: Mapping[str, AuthorityContact]
) -> Addressee | None:
    """Who receives the referral: the configured authority, else the person's own PPK."""
    contact = contacts.get(authority.value)
    if contact is not None:
        return Addressee(
            f"otoritas-{authority.value.lower()}", contact.name, contact.place, contact.email
        )
    if superior.title:  # non-ASN staff and others: to the person's own PPK / superior
        return Addressee(f"ppk-{superior.party}", superior.title, email=superior.email)
    return None
