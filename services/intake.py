"""Intake: validate a report against the configuration, record it as a case with its parties,
evidence and first deadlines, link it to the open cases about the same person or incident
(`services.links`), and send a laporan's reporter the *tanda terima* (which never mentions other
cases): one transaction. The evidence files the report names are checked with the rest of the
report, and stored (once by content, `services.evidence`) only when the whole report is accepted.

The same report twice (however formatted) is recognised by the SHA-256 of its canonical form and
returns the case already recorded.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from adapters.db.cases import (
    case_label,
    deadline_row,
    find_by_fingerprint,
    load_case,
    record_event,
)
from adapters.db.engine import unit_of_work
from models.access import PUBLIC, Actor, require_intake
from models.enums import ReportKind
from models.letters.intake import receipt
from models.outcomes import StageOutcome, StageResult
from models.problems import Problem, ReportRejected, Severity
from models.public import lookup_url, receipt_number
from models.report.model import Report
from models.report.validation import (
    calendar_problems,
    date_problems,
    nip_problems,
    nul_problems,
    office_problems,
    text_problems,
)
from models.rules.admissibility import is_admissible
from models.rules.assessment import build_timeline, check_report
from models.rules.calendar import local_date
from models.rules.deadlines import RuleId
from models.rules.routing import route
from models.rules.rulebook import Rulebook
from models.stages import CaseEvent, Stage
from models.tables import Case, DeadlineStatus, Party, PartyRole
from services.deps import Deps
from services.desk import LetterDesk
from services.evidence import (
    Stored,
    check_files,
    evidence_row,
    evidence_writes,
    named_files,
    store_files,
)
from services.links import LinkMade, link_related


def validate_for_intake(report: Report, rulebook: Rulebook, also: Sequence[Problem] = ()) -> None:
    """Raise `ReportRejected` with every problem that stops a report from being recorded
    (`also`: those found in its evidence files)."""
    problems = [*office_problems(report, rulebook.offices), *also]
    problems += calendar_problems(report, rulebook.calendar.years)
    if not problems:
        office = rulebook.offices[report.office]
        problems += date_problems(report, local_date(report.received_at, office.timezone))
    problems += nip_problems(report, severity=Severity.ERROR) + text_problems(report)
    problems += nul_problems(report)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise ReportRejected(errors)


def intake_report(deps: Deps, report: Report, *, actor: Actor, now: datetime) -> IntakeOutcome:
    """Record `report` once, with the evidence files it names, and acknowledge it; a report
    already recorded returns its case (its files are not needed again)."""
    if report.office in deps.rulebook.offices:  # an unknown office is refused by validation
        require_intake(actor, report.office, temuan=report.kind is ReportKind.TEMUAN)
    with unit_of_work(deps.engine) as session:
        existing = find_by_fingerprint(session, report_fingerprint(report))
    if existing is not None:
        return IntakeOutcome(existing, created=False)
    files, problems = check_files(deps, named_files(report))
    validate_for_intake(report, deps.rulebook, problems)
    try:
        with evidence_writes(deps) as writer:
            stored = store_files(writer, files)
            with unit_of_work(deps.engine) as session:
                outcome = _record(session, report, deps.rulebook, stored, actor=actor, now=now)
                _acknowledge(session, deps, report, outcome.case, actor=actor, now=now)
                return outcome
    except IntegrityError:
        # Another process recorded the same report between our lookup and our insert.
        with unit_of_work(deps.engine) as session:
            existing = find_by_fingerprint(session, report_fingerprint(report))
            if existing is None:
                raise
            return IntakeOutcome(existing, created=False)


def _acknowledge(
    session: Session, deps: Deps, report: Report, case: Case, *, actor: Actor, now: datetime
) -> None:
    """A laporan gets a *tanda terima*, dated the day it was received; one filed on the public
    site also says where to follow it, by its receipt number."""
    if report.kind is not ReportKind.LAPORAN:
        return
    case, parties = load_case(session, str(case.id))
    review_days = deps.rulebook.deadlines.rule(case.election_type, RuleId.KAJIAN_AWAL).days
    body = receipt(case, parties.reporter, [e.description for e in report.evidence], review_days)
    if actor == PUBLIC and case.id is not None:
        body = body.model_copy(
            update={
                "receipt_number": receipt_number(case.id),
                "lookup_url": lookup_url(deps.settings.public_url),
            }
        )
    desk = LetterDesk(session, deps, case, parties, now=now)
    desk.to_reporter(body, "tanda-terima", issued_on=case.received_on)


@dataclass(frozen=True)
class IntakeOutcome:
    case: Case
    created: bool
    linked: tuple[LinkMade, ...] = ()  # the related cases this intake linked the new one to

    @property
    def result(self) -> StageResult:
        """Recording a report again finds its case: the step was already done."""
        done = StageOutcome.MOVED if self.created else StageOutcome.ALREADY_DONE
        assert self.case.id is not None
        return StageResult(self.case.stage, done, self.case.id, case_label(self.case))


def report_fingerprint(report: Report) -> str:
    """SHA-256 of the report's canonical JSON: the same report is recognised however formatted."""
    canonical = json.dumps(report.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _record(
    session: Session,
    report: Report,
    rulebook: Rulebook,
    stored: dict[str, Stored],
    *,
    actor: Actor,
    now: datetime,
) -> IntakeOutcome:
    """Record a validated report as a new case with its parties, evidence and deadlines."""
    fingerprint = report_fingerprint(report)
    existing = find_by_fingerprint(session, fingerprint)
    if existing is not None:
        return IntakeOutcome(existing, created=False)
    timeline = build_timeline(report, rulebook)
    incident = report.incident
    case = Case(
        kind=report.kind,
        election_type=report.election.type,
        election_year=report.election.year,
        election_region=report.election.region,
        office_key=report.office,
        received_on=timeline.received_on,
        received_at=report.received_at,
        incident_summary=incident.summary,
        incident_place=incident.place,
        occurred_on=incident.occurred_on,
        known_on=incident.known_on,
        incident_account=incident.account,
        admissible=is_admissible(check_report(report, timeline)),
        source_hash=fingerprint,
        stage=Stage.RECEIVED,
        references=dict(report.references),
        report=report.model_dump(mode="json"),
        created_at=now,
        updated_at=now,
    )
    session.add(case)
    session.flush()
    assert case.id is not None
    reported = add_parties(session, case.id, report, rulebook, timeline.received_on)
    for position, item in enumerate(report.evidence):
        checked, put = stored.get(f"evidence[{position}].file", (None, None))
        row = evidence_row(case.id, position, item.description, checked, put, actor=actor, now=now)
        session.add(row)
    window = deadline_row(case.id, timeline.window)
    # The window is judged the moment the report arrives: on time or late, on record.
    on_time = timeline.received_on <= timeline.window.due
    window.status = DeadlineStatus.MET if on_time else DeadlineStatus.MISSED
    session.add(window)
    session.add(deadline_row(case.id, timeline.kajian_awal))
    record_event(
        session, case, CaseEvent.RECEIVED, actor=actor, reason=f"{report.kind} diterima", now=now
    )
    session.flush()
    linked = link_related(session, case, reported, actor=actor, now=now)
    return IntakeOutcome(case, created=True, linked=tuple(linked))


def add_parties(
    session: Session, case_id: int, report: Report, rulebook: Rulebook, received_on: date
) -> list[Party]:
    """Add the case's parties; returns the reported persons."""
    r = report.reporter
    session.add(
        Party(
            case_id=case_id,
            role=PartyRole.REPORTER,
            position=0,
            name=r.name or "(tanpa nama)",
            address=r.address,
            phone=r.phone,
            email=r.email,
            birth_place=r.birth_place,
            birth_date=r.birth_date,
            sex=r.sex,
            occupation=r.occupation,
            nationality=r.nationality,
        )
    )
    reported: list[Party] = []
    for position, p in enumerate(report.reported):
        authority = route(
            p.employment,
            referral_date=received_on,
            switch_date=rulebook.elections.referral_switch_date,
        )
        reported.append(
            Party(
                case_id=case_id,
                role=PartyRole.REPORTED,
                position=position,
                name=p.name,
                employment=p.employment,
                nip=p.nip,
                job_title=p.position,
                agency=p.agency,
                address=p.address,
                phone=p.phone,
                email=p.email,
                ppk_title=p.ppk.title if p.ppk else None,
                ppk_name=p.ppk.name if p.ppk else None,
                ppk_email=p.ppk.email if p.ppk else None,
                authority=authority,
            )
        )
    session.add_all(reported)
    for position, w in enumerate(report.witnesses):
        session.add(
            Party(
                case_id=case_id,
                role=PartyRole.WITNESS,
                position=position,
                name=w.name,
                address=w.address,
                phone=w.phone,
            )
        )
    return reported
