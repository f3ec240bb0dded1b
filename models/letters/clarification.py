"""Letters of the clarification: the invitation to each person and the record of each hearing."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from models.indonesian import hari, jam, tanggal, zona_waktu
from models.letters.common import CAPACITY, case_ref_text, person_of
from models.letters.contexts import (
    ClarificationInvitation,
    ClarificationRecord,
    ReporterInvitation,
)
from models.letters.head import QuestionAnswer, officers_of
from models.letters.specs import LegalBasis
from models.rules.office import Office
from models.tables import Case, Hearing, Party, PartyRole

TO_BRING = (
    "Kartu identitas (KTP) dan kartu pegawai bagi ASN",
    "Dokumen atau bukti lain yang berkaitan dengan peristiwa",
)


OWN_STATEMENT = "Apa keterangan Saudara mengenai peristiwa tersebut?"
OTHER_STATEMENT = "Apakah ada keterangan lain yang ingin Saudara sampaikan?"


def invitation(
    case: Case,
    party: Party,
    hearing: Hearing,
    office: Office,
    basis: LegalBasis,
    *,
    violation: str,
) -> ClarificationInvitation:
    local = hearing.scheduled_at.astimezone(ZoneInfo(office.timezone))
    model = ReporterInvitation if party.role is PartyRole.REPORTER else ClarificationInvitation
    return model(
        person=person_of(party),
        capacity=CAPACITY[party.role],
        case_number=case_ref_text(case),
        violation_label=violation,
        incident_summary=case.incident_summary,
        incident_place=case.incident_place,
        incident_date_text=tanggal(case.occurred_on),
        legal_basis=basis.handling,
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
    asked = tuple(QuestionAnswer.model_validate(q) for q in hearing.questions or ())
    # The statement in the person's own words closes the record, as the last answer.
    last = OTHER_STATEMENT if asked else OWN_STATEMENT
    said = hearing.statement
    summary = (QuestionAnswer(question=last, answer=said),) if said else ()
    statements = asked + summary
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
        examiners=officers_of(office),
        statements=statements,
        absence_note=None if hearing.attended else "tanpa keterangan",
    )
