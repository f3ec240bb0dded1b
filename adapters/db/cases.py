"""Reading cases and moving them. The caller owns the transaction (`unit_of_work`)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from models.report.model import Report
from models.rules.admissibility import is_admissible
from models.rules.assessment import build_timeline, check_report
from models.rules.deadlines import Deadline
from models.rules.routing import route
from models.rules.rulebook import Rulebook
from models.stages import Stage, check_move
from models.tables.case import (
    Case,
    CaseDeadline,
    DeadlineStatus,
    Evidence,
    Party,
    PartyRole,
    StageEvent,
)


class CaseNotFound(LookupError):
    def __init__(self, ref: str) -> None:
        super().__init__(f"perkara '{ref}' tidak ditemukan")


class ConcurrentChange(RuntimeError):
    """Another process moved the case first; the caller should re-read and decide again."""

    def __init__(self, case_id: int) -> None:
        super().__init__(f"perkara #{case_id} baru saja diubah oleh proses lain; ulangi perintah")


@dataclass(frozen=True)
class IntakeOutcome:
    case: Case
    created: bool


def report_fingerprint(report: Report) -> str:
    """SHA-256 of the report's canonical JSON: the same report is recognised however formatted."""
    canonical = json.dumps(report.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def find_by_fingerprint(session: Session, fingerprint: str) -> Case | None:
    return session.exec(select(Case).where(Case.source_hash == fingerprint)).first()


def record_report(
    session: Session, report: Report, rulebook: Rulebook, *, actor: str, now: datetime
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
    _add_parties(session, case.id, report, rulebook, timeline.received_on)
    for position, item in enumerate(report.evidence):
        session.add(
            Evidence(
                case_id=case.id, position=position, description=item.description, file=item.file
            )
        )
    window = deadline_row(case.id, timeline.window)
    # The window is judged the moment the report arrives: on time or late, on record.
    on_time = timeline.received_on <= timeline.window.due
    window.status = DeadlineStatus.MET if on_time else DeadlineStatus.MISSED
    session.add(window)
    session.add(deadline_row(case.id, timeline.kajian_awal))
    session.add(
        StageEvent(
            case_id=case.id,
            event="CaseReceived",
            from_stage=None,
            to_stage=Stage.RECEIVED,
            at=now,
            actor=actor,
            reason=f"{report.kind} diterima",
        )
    )
    session.flush()
    return IntakeOutcome(case, created=True)


def deadline_row(case_id: int, deadline: Deadline) -> CaseDeadline:
    return CaseDeadline(
        case_id=case_id,
        rule=deadline.rule,
        basis=deadline.basis,
        unit=deadline.unit,
        start_event=deadline.start_event,
        start_on=deadline.start,
        due_on=deadline.due,
        calendar_version=deadline.calendar_version,
        confirmed=deadline.confirmed,
    )


def _add_parties(
    session: Session, case_id: int, report: Report, rulebook: Rulebook, received_on: date
) -> None:
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
    for position, p in enumerate(report.reported):
        authority = route(
            p.employment,
            referral_date=received_on,
            switch_date=rulebook.elections.referral_switch_date,
        )
        session.add(
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


def move_case(
    session: Session,
    case: Case,
    target: Stage,
    *,
    event: str,
    actor: str,
    reason: str,
    now: datetime,
) -> Case:
    """Move `case` to `target` with a compare-and-set on its version and an event row."""
    check_move(case.stage, target)
    assert case.id is not None
    source = case.stage  # the ORM update below synchronises `case` in the session
    result = session.execute(
        update(Case)
        .where(col(Case.id) == case.id, col(Case.version) == case.version)
        .values(stage=target, version=case.version + 1, updated_at=now)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConcurrentChange(case.id)
    session.add(
        StageEvent(
            case_id=case.id,
            event=event,
            from_stage=source,
            to_stage=target,
            at=now,
            actor=actor,
            reason=reason,
        )
    )
    session.flush()
    session.refresh(case)
    return case


def get_case(session: Session, ref: str) -> Case:
    """Find a case by its id (`12` or `#12`) or its Bawaslu case number."""
    key = ref.strip().lstrip("#")
    case = (
        session.get(Case, int(key))
        if key.isdigit()
        else session.exec(select(Case).where(Case.case_number == key)).first()
    )
    if case is None:
        raise CaseNotFound(ref)
    return case


def list_cases(
    session: Session, *, office: str | None = None, stage: Stage | None = None
) -> list[Case]:
    query = select(Case).order_by(col(Case.id))
    if office:
        query = query.where(Case.office_key == office)
    if stage:
        query = query.where(Case.stage == stage)
    return list(session.exec(query).all())


def case_parties(session: Session, case_id: int) -> list[Party]:
    return list(
        session.exec(
            select(Party)
            .where(Party.case_id == case_id)
            .order_by(col(Party.role), col(Party.position))
        ).all()
    )


def case_deadlines(session: Session, case_id: int) -> list[CaseDeadline]:
    return list(
        session.exec(
            select(CaseDeadline)
            .where(CaseDeadline.case_id == case_id)
            .order_by(col(CaseDeadline.due_on))
        ).all()
    )


def case_events(session: Session, case_id: int) -> list[StageEvent]:
    return list(
        session.exec(
            select(StageEvent).where(StageEvent.case_id == case_id).order_by(col(StageEvent.id))
        ).all()
    )


def settle_deadline(session: Session, case_id: int, rule: str, on: date) -> None:
    """Mark an open deadline met (the step happened on or before its due date) or missed."""
    row = session.exec(
        select(CaseDeadline).where(CaseDeadline.case_id == case_id, CaseDeadline.rule == rule)
    ).first()
    if row is not None and row.status is DeadlineStatus.OPEN:
        row.status = DeadlineStatus.MET if on <= row.due_on else DeadlineStatus.MISSED
        session.add(row)


def add_deadline(session: Session, case_id: int, deadline: Deadline) -> None:
    """Record a deadline once (a re-run finds it already there)."""
    exists = session.exec(
        select(CaseDeadline).where(
            CaseDeadline.case_id == case_id, CaseDeadline.rule == deadline.rule
        )
    ).first()
    if exists is None:
        session.add(deadline_row(case_id, deadline))
