"""Letters of intake and kajian awal: the tanda terima, the kajian awal record, and the status
notices that tell the reporter what became of their report."""

from __future__ import annotations

from collections.abc import Sequence

from models.enums import DayUnit, DecisionOutcome
from models.indonesian import jumlah, tanggal
from models.letters.common import evidence_refs, kind_label, person_of, report_ref
from models.letters.contexts import (
    CompletionRequest,
    NoticeStatus,
    PreliminaryReview,
    ReceiptAcknowledgement,
    StatusNotice,
)
from models.letters.head import CheckRow
from models.rules.admissibility import CheckResult
from models.rules.deadlines import Deadline
from models.tables import Case, Evidence, Party

UNIT_WORDS = {DayUnit.CALENDAR: "hari", DayUnit.WORKING: "hari kerja"}

# What the reporter is told of the decision on their report.
RESULT_TEXT = {
    DecisionOutcome.VIOLATION: "Dugaan pelanggaran terbukti dan telah diteruskan kepada instansi "
    "yang berwenang untuk dijatuhi sanksi",
    DecisionOutcome.NO_VIOLATION: "Dugaan pelanggaran tidak terbukti; penanganan laporan "
    "dihentikan",
    DecisionOutcome.CRIME: "Laporan diteruskan kepada Sentra Penegakan Hukum Terpadu (Gakkumdu)",
}


def receipt(
    case: Case, reporter: Party, evidence: Sequence[str], review_days: int
) -> ReceiptAcknowledgement:
    return ReceiptAcknowledgement(
        reporter_name=reporter.name,
        report_ref=report_ref(case),
        received_text=tanggal(case.received_on),
        incident_summary=case.incident_summary,
        incident_place=case.incident_place,
        incident_date_text=tanggal(case.occurred_on),
        evidence=tuple(evidence),
        review_period_text=jumlah(review_days, "hari"),
    )


def preliminary_review(
    case: Case,
    reporter: Party,
    reported: Sequence[Party],
    checks: Sequence[CheckResult],
    *,
    reason: str,
    outcome_label: str,
    evidence: Sequence[Evidence] = (),
) -> PreliminaryReview:
    """The kajian awal record: every check with its result, the conclusion and the outcome."""
    rows = {
        kind: tuple(
            CheckRow(
                item=c.check.replace("_", " "),
                result="Terpenuhi" if c.passed else "Tidak terpenuhi",
                note=c.reason,
            )
            for c in checks
            if c.kind == kind
        )
        for kind in ("formal", "materiel")
    }
    failed = [c for c in checks if not c.passed]
    return PreliminaryReview(
        report_ref=report_ref(case),
        report_kind_label=kind_label(case),
        received_text=tanggal(case.received_on),
        reporter_name=reporter.name,
        reporter_address=reporter.address or "-",
        reported=tuple(person_of(p) for p in reported),
        incident_summary=case.incident_summary,
        incident_place=case.incident_place,
        incident_date_text=tanggal(case.occurred_on),
        known_date_text=tanggal(case.known_on or case.occurred_on),
        evidence=evidence_refs(evidence),
        formal_checks=rows["formal"],
        material_checks=rows["materiel"],
        conclusion=reason
        or (
            "Laporan memenuhi syarat formal dan materiel."
            if not failed
            else "Laporan tidak memenuhi syarat: " + "; ".join(c.reason for c in failed)
        ),
        outcome_label=outcome_label,
    )


def completion_request(
    case: Case, reporter: Party, items: Sequence[str], deadline: Deadline
) -> CompletionRequest:
    """What the reporter must complete, and by when, on the period's basis."""
    return CompletionRequest(
        reporter_name=reporter.name,
        report_ref=report_ref(case),
        received_text=tanggal(case.received_on),
        incident_summary=case.incident_summary,
        items=tuple(i.strip() for i in items if i.strip()),
        period_text=jumlah(deadline.days, UNIT_WORDS[deadline.unit]),
        due_text=tanggal(deadline.due),
        # An unconfirmed period is the office's rule: no article is cited for it.
        basis=deadline.basis.split(":")[0].strip() if deadline.confirmed else None,
    )


def status_notice(
    case: Case, reporter: Party, status: NoticeStatus, *, text: str | None = None
) -> StatusNotice:
    """What became of the report. `text` is the reason (not registered), the institution
    (forwarded, delegated) or the result; a registration names the case number."""
    detail = {
        NoticeStatus.REGISTERED: {"case_number": case.case_number},
        NoticeStatus.NOT_REGISTERED: {"reason": text},
        NoticeStatus.FORWARDED: {"forwarded_to": text},
        NoticeStatus.DELEGATED: {"forwarded_to": text},
        NoticeStatus.RESULT: {"result_text": text, "case_number": case.case_number},
    }[status]
    return StatusNotice.model_validate(
        {
            "reporter_name": reporter.name,
            "report_ref": report_ref(case),
            "received_text": tanggal(case.received_on),
            "incident_summary": case.incident_summary,
            "status": status,
            **detail,
        }
    )
