"""Intake: record the report (see `services.intake`) and acknowledge receipt to the reporter."""

from __future__ import annotations

from datetime import datetime

from adapters.db.cases import IntakeOutcome
from adapters.db.engine import unit_of_work
from models.enums import ReportKind
from models.letters.builders import report_ref
from models.letters.contexts import ReceiptAcknowledgement
from models.letters.indonesian import jumlah, tanggal
from models.report.model import Report
from services.deps import Deps, load_case
from services.desk import send_to_reporter
from services.intake import intake_report


def record_and_acknowledge(
    deps: Deps, report: Report, *, actor: str, now: datetime
) -> IntakeOutcome:
    """Record the report; a laporan gets a *tanda terima* (emailed when the reporter gave one)."""
    outcome = intake_report(
        report, rulebook=deps.rulebook, engine=deps.engine, actor=actor, now=now
    )
    if report.kind is not ReportKind.LAPORAN:
        return outcome
    with unit_of_work(deps.engine) as session:
        case, parties = load_case(session, str(outcome.case.id))
        reporter = parties.reporter
        review_days = deps.rulebook.deadlines.rule(case.election_type, "kajian_awal").days
        send_to_reporter(
            session,
            rulebook=deps.rulebook,
            letters_dir=deps.letters_dir,
            case=case,
            reporter=reporter,
            kind="tanda_terima",
            key="tanda-terima",
            issued_on=case.received_on,
            now=now,
            build=lambda head: ReceiptAcknowledgement(
                head=head,
                reporter_name=reporter.name,
                report_ref=report_ref(case),
                received_text=tanggal(case.received_on),
                incident_summary=case.incident_summary,
                incident_place=case.incident_place,
                incident_date_text=tanggal(case.occurred_on),
                evidence=tuple(e.description for e in report.evidence),
                review_period_text=jumlah(review_days, "hari"),
            ),
        )
    return outcome
