"""Letters that hand a report over at the kajian awal: to another Bawaslu office (pelimpahan)
or to another institution (penerusan, with the report's summary without the reporter)."""

from __future__ import annotations

from collections.abc import Sequence

from models.indonesian import tanggal
from models.letters.common import kind_label, person_of, report_ref
from models.letters.contexts import DelegationLetter, ForwardingLetter, RedactedReport
from models.tables import Case, Party


def delegation_letter(
    case: Case, reporter: Party, reported: Sequence[Party], *, office_name: str, reason: str
) -> DelegationLetter:
    return DelegationLetter(
        report_ref=report_ref(case),
        report_kind_label=kind_label(case),
        received_text=tanggal(case.received_on),
        reporter_name=reporter.name,
        reported=tuple(person_of(p) for p in reported),
        incident_summary=case.incident_summary,
        incident_place=case.incident_place,
        incident_date_text=tanggal(case.occurred_on),
        office_name=office_name,
        reason=reason,
    )


def forwarding_letter(
    case: Case,
    *,
    office_name: str,
    institution: str,
    reason: str,
    disclosed: str | None = None,
) -> ForwardingLetter:
    return ForwardingLetter(
        report_ref=report_ref(case),
        report_kind_label=kind_label(case),
        received_text=tanggal(case.received_on),
        incident_summary=case.incident_summary,
        office_name=office_name,
        institution=institution,
        reason=reason,
        disclosed_reporter=disclosed,
    )


def redacted_report(
    case: Case,
    reported: Sequence[Party],
    evidence: Sequence[str],
    *,
    disclosed: str | None = None,
) -> RedactedReport:
    """The report as the receiving institution reads it: no witnesses, and no reporter unless
    they consented to be named (`disclosed`)."""
    return RedactedReport(
        report_ref=report_ref(case),
        report_kind_label=kind_label(case),
        received_text=tanggal(case.received_on),
        reported=tuple(person_of(p) for p in reported),
        incident_summary=case.incident_summary,
        incident_place=case.incident_place,
        incident_date_text=tanggal(case.occurred_on),
        known_date_text=tanggal(case.known_on or case.occurred_on),
        account=case.incident_account,
        evidence=tuple(evidence),
        disclosed_reporter=disclosed,
    )
