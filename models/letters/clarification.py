"""Letters of the clarification: the invitation to each person and the record of each hearing."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from models.enums import ElectionType
from models.indonesian import hari, jam, tanggal, zona_waktu
from models.letters.common import CAPACITY, case_ref_text, person_of
from models.letters.contexts import ClarificationInvitation, ClarificationRecord
from models.letters.head import Examiner, QuestionAnswer
from models.rules.office import Office
from models.tables import Case, Hearing, Party

CLARIFICATION_BASIS = (
    "Undang-Undang Nomor 7 Tahun 2017 tentang Pemilihan Umum dan Peraturan "
    "Badan Pengawas Pemilihan Umum Nomor 7 Tahun 2022"
)
CLARIFICATION_BASIS_PILKADA = (
    "Undang-Undang Nomor 10 Tahun 2016 tentang Pemilihan Gubernur, "
    "Bupati, dan Wali Kota dan Peraturan Badan Pengawas Pemilihan Umum "
    "Nomor 8 Tahun 2020"
)
TO_BRING = (
    "Kartu identitas (KTP) dan kartu pegawai bagi ASN",
    "Dokumen atau bukti lain yang berkaitan dengan peristiwa",
)


def basis_for(election: ElectionType) -> str:
    return CLARIFICATION_BASIS if election is ElectionType.PEMILU else CLARIFICATION_BASIS_PILKADA


def invitation(
    case: Case, party: Party, hearing: Hearing, office: Office
) -> ClarificationInvitation:
    local = hearing.scheduled_at.astimezone(ZoneInfo(office.timezone))
    return ClarificationInvitation(
        person=person_of(party),
        capacity=CAPACITY[party.role],
        case_number=case_ref_text(case),
        incident_summary=case.incident_summary,
        incident_place=case.incident_place,
        incident_date_text=tanggal(case.occurred_on),
        legal_basis=basis_for(case.election_type),
        day_name=hari(local.date()),
        date_text=tanggal(local.date()),
        time_text=jam(local.time(), zona_waktu(office.timezone)),
        place=hearing.place,
        bring=TO_BRING,
    )


def hearing_record(
    case: Case, party: Party, hearing: Hearing, office: Office
) -> ClarificationRecord:
    local = hearing.scheduled_at.astimezone(ZoneInfo(office.timezone))
    statements = (
        (QuestionAnswer(question="Keterangan yang disampaikan", answer=hearing.statement),)
        if hearing.statement
        else ()
    )
    return ClarificationRecord(
        case_number=case_ref_text(case),
        day_name=hari(local.date()),
        date_text=tanggal(local.date()),
        time_text=jam(local.time(), zona_waktu(office.timezone)),
        place=hearing.place,
        person=person_of(party),
        capacity=CAPACITY[party.role],
        person_address=party.address,
        attended=bool(hearing.attended),
        oath_taken=bool(hearing.oath_taken),
        examiners=(Examiner(name=office.signer.name, title=office.signer.title),),
        statements=statements,
        absence_note=None
        if hearing.attended
        else "Yang bersangkutan tidak hadir tanpa keterangan; penanganan tetap dilanjutkan.",
    )
