"""From case rows to letter contexts: what each letter says about the case. Pure mapping.

Contexts for outbound letters are built only from the reported person, the case facts and the
decision: the reporter's party row is never passed to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from models.enums import ElectionType, ReportKind
from models.letters.contexts import ClarificationInvitation, ClarificationRecord, StatusNotice
from models.letters.head import ActRef, Examiner, LetterHead, Person, PersonFinding, QuestionAnswer
from models.letters.indonesian import hari, jam, jumlah, tanggal, zona_waktu
from models.rules.catalogue import Catalogue
from models.rules.office import Office
from models.rules.routing import AUTHORITY_NAMES
from models.tables.case import Case, Party, PartyRole
from models.tables.proceedings import Hearing

CLARIFICATION_BASIS = (
    "Undang-Undang Nomor 7 Tahun 2017 tentang Pemilihan Umum dan Peraturan "
    "Badan Pengawas Pemilihan Umum Nomor 7 Tahun 2022"
)
CLARIFICATION_BASIS_PILKADA = (
    "Undang-Undang Nomor 10 Tahun 2016 tentang Pemilihan Gubernur, "
    "Bupati, dan Wali Kota dan Peraturan Badan Pengawas Pemilihan Umum "
    "Nomor 8 Tahun 2020"
)
CAPACITY = {
    PartyRole.REPORTED: "Terlapor",
    PartyRole.WITNESS: "Saksi",
    PartyRole.REPORTER: "Pelapor",
}
BAND_TEXT = {
    "moral": "Sanksi moral",
    "sedang": "Hukuman disiplin tingkat sedang",
    "berat": "Hukuman disiplin tingkat berat",
    "ptdh": "Pemberhentian tidak dengan hormat",
    "kontrak": "Sanksi sesuai perjanjian kerja",
    "diteruskan": "Diteruskan kepada instansi yang berwenang",
}
REGIME_TEXT = {
    "etik": "Kode etik (PP Nomor 42 Tahun 2004)",
    "disiplin": "Hukuman disiplin (PP Nomor 94 Tahun 2021)",
    "pemberhentian": "Pemberhentian (UU Nomor 20 Tahun 2023)",
    "kontrak": "Perjanjian kerja (SE MenPANRB Nomor 1 Tahun 2023)",
    "lainnya": "Di luar hukum kepegawaian ASN",
}


def report_ref(case: Case) -> str:
    return f"NTR-{case.id:05d}"


def person_of(party: Party) -> Person:
    return Person(name=party.name, nip=party.nip, position=party.job_title, agency=party.agency)


def basis_for(election: ElectionType) -> str:
    return CLARIFICATION_BASIS if election is ElectionType.PEMILU else CLARIFICATION_BASIS_PILKADA


def party_key(party: Party) -> str:
    return f"{party.role.value}-{party.position}"


def status_notice(head: LetterHead, case: Case, reporter: Party, **status: object) -> StatusNotice:
    return StatusNotice.model_validate(
        {
            "head": head,
            "reporter_name": reporter.name,
            "report_ref": report_ref(case),
            "received_text": tanggal(case.received_on),
            "incident_summary": case.incident_summary,
            **status,
        }
    )


def invitation(
    head: LetterHead, case: Case, party: Party, hearing: Hearing, office: Office
) -> ClarificationInvitation:
    local = hearing.scheduled_at.astimezone(ZoneInfo(office.timezone))
    return ClarificationInvitation(
        head=head,
        person=person_of(party),
        capacity=CAPACITY[party.role],
        case_number=case.case_number or report_ref(case),
        incident_summary=case.incident_summary,
        incident_place=case.incident_place,
        incident_date_text=tanggal(case.occurred_on),
        legal_basis=basis_for(case.election_type),
        day_name=hari(local.date()),
        date_text=tanggal(local.date()),
        time_text=jam(local.time(), zona_waktu(office.timezone)),
        place=hearing.place,
        bring=(
            "Kartu identitas (KTP) dan kartu pegawai bagi ASN",
            "Dokumen atau bukti lain yang berkaitan dengan peristiwa",
        ),
    )


def hearing_record(
    head: LetterHead, case: Case, party: Party, hearing: Hearing, office: Office
) -> ClarificationRecord:
    local = hearing.scheduled_at.astimezone(ZoneInfo(office.timezone))
    statements = (
        (QuestionAnswer(question="Keterangan yang disampaikan", answer=hearing.statement),)
        if hearing.statement
        else ()
    )
    return ClarificationRecord(
        head=head,
        case_number=case.case_number or report_ref(case),
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


def finding_for(
    party: Party,
    recommendation: dict[str, object],
    acts: Sequence[str],
    act_date: date,
    catalogue: Catalogue,
    authority: str,
) -> PersonFinding:
    version = catalogue.version_for(act_date)
    refs = tuple(
        ActRef(
            code=code,
            description=version.entry(code).title,
            legal_basis="; ".join(version.entry(code).basis),
        )
        for code in acts
    )
    confirmed = bool(recommendation["confirmed"])
    return PersonFinding(
        person=person_of(party),
        acts=refs,
        authority=AUTHORITY_NAMES.get(authority, authority),  # type: ignore[call-overload]
        regime=REGIME_TEXT.get(str(recommendation["regime"]), str(recommendation["regime"])),
        band=BAND_TEXT.get(str(recommendation["band"]), str(recommendation["band"])),
        sanctions=tuple(recommendation["sanctions"]),  # type: ignore[arg-type]
        basis=tuple(recommendation["basis"]),  # type: ignore[arg-type]
        confirmed=confirmed,
        note=None
        if confirmed
        else "Pemetaan sanksi ini bertumpu pada ketentuan yang belum "
        "terkonfirmasi; mohon diperiksa oleh pejabat yang berwenang.",
    )


def reporter_label(case: Case, reporter: Party) -> str:
    return reporter.name if case.kind is ReportKind.LAPORAN else f"{reporter.name} (temuan)"


def election_label(case: Case) -> str:
    if case.election_type is ElectionType.PEMILU:
        return f"Pemilihan Umum Tahun {case.election_year}"
    return f"Pemilihan Kepala Daerah {case.election_region} Tahun {case.election_year}"


def days_text(days: int) -> str:
    return jumlah(days, "hari")


def local_now(now: datetime, office: Office) -> datetime:
    return now.astimezone(ZoneInfo(office.timezone))
