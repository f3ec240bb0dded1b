"""Intake as a service: validate against the configuration, then record in one transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from adapters.db.cases import IntakeOutcome, find_by_fingerprint, record_report, report_fingerprint
from adapters.db.engine import unit_of_work
from models.problems import ReportRejected, Severity
from models.report.model import Report
from models.report.validation import date_problems, nip_problems, office_problems
from models.rules.calendar import local_date
from models.rules.rulebook import Rulebook


def validate_for_intake(report: Report, rulebook: Rulebook) -> None:
    """Raise `ReportRejected` with every problem that stops a report from being recorded."""
    problems = office_problems(report, rulebook.offices)
    if not problems:
        office = rulebook.offices[report.office]
        problems += date_problems(report, local_date(report.received_at, office.timezone))
    problems += nip_problems(report, severity=Severity.ERROR)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise ReportRejected(errors)


def intake_report(
    report: Report, *, rulebook: Rulebook, engine: Engine, actor: str, now: datetime
) -> IntakeOutcome:
    """Record `report` once: a report already recorded returns its existing case."""
    validate_for_intake(report, rulebook)
    try:
        with unit_of_work(engine) as session:
            return record_report(session, report, rulebook, actor=actor, now=now)
    except IntegrityError:
        # Another process recorded the same report between our lookup and our insert.
        with unit_of_work(engine) as session:
            existing = find_by_fingerprint(session, report_fingerprint(report))
            if existing is None:
                raise
            return IntakeOutcome(existing, created=False)
