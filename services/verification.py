"""Verification (kajian awal): the investigator's decision on a received report.

Registering issues the Bawaslu case number and the kajian awal record; the reporter is told the
outcome. Everything of one decision happens in one transaction; a re-run changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from adapters.db.cases import add_deadline, move_case, settle_deadline
from adapters.db.engine import unit_of_work
from adapters.db.letters import next_serial
from models.enums import ReportKind
from models.inputs import VerificationChoice, VerificationDecision
from models.letters.builders import person_of, report_ref, status_notice
from models.letters.contexts import NoticeStatus, PreliminaryReview
from models.letters.head import CheckRow, LetterHead
from models.letters.indonesian import tanggal
from models.report.model import Report
from models.rules.assessment import build_timeline, check_report
from models.rules.calendar import local_date
from models.rules.numbering import case_number, case_series
from models.stages import Stage
from models.tables.case import Case, Party
from services.deps import Deps, load_case
from services.desk import Addressee, issue_letter, send_to_reporter

_TARGET = {
    VerificationChoice.REGISTER: (Stage.REGISTERED, "CaseRegistered"),
    VerificationChoice.NOT_REGISTER: (Stage.NOT_REGISTERED, "CaseNotRegistered"),
    VerificationChoice.FORWARD: (Stage.FORWARDED, "CaseForwarded"),
    VerificationChoice.DELEGATE: (Stage.DELEGATED, "CaseDelegated"),
}


class DecisionIncomplete(ValueError):
    pass


def verify_case(
    deps: Deps, case_ref: str, decision: VerificationDecision, *, actor: str, now: datetime
) -> Stage:
    """Apply the kajian awal decision; returns the case's stage (unchanged if already decided)."""
    if decision.decision is not VerificationChoice.REGISTER and not decision.reason.strip():
        raise DecisionIncomplete(
            "alasan wajib diisi bila laporan tidak diregistrasi, diteruskan, atau dilimpahkan"
        )
    rulebook = deps.rulebook
    with unit_of_work(deps.engine) as session:
        case, parties = load_case(session, case_ref)
        if case.stage is not Stage.RECEIVED:
            return case.stage
        assert case.id is not None
        office = rulebook.offices[case.office_key]
        today = local_date(now, office.timezone)
        target, event = _TARGET[decision.decision]
        report = Report.model_validate(case.report)
        timeline = build_timeline(report, rulebook, registered_on=today)
        if target is Stage.REGISTERED:
            serial = next_serial(
                session, office_key=office.key, year=today.year, series=case_series(case.kind)
            )
            case.case_number = case_number(
                serial,
                kind=case.kind,
                election=case.election_type,
                office=office,
                registered_on=today,
            )
            session.add(case)
            session.flush()
            add_deadline(session, case.id, timeline.decision)
        settle_deadline(session, case.id, "kajian_awal", today)
        checks = check_report(report, timeline)
        failed = [c for c in checks if not c.passed]
        if target is Stage.REGISTERED and failed and not decision.reason.strip():
            raise DecisionIncomplete(
                "laporan tidak memenuhi syarat (" + ", ".join(c.check for c in failed) + "); "
                "registrasi tetap dapat dilakukan bila disertai alasan (--reason)"
            )
        outcome = target.label

        def review(head: LetterHead) -> PreliminaryReview:
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
            return PreliminaryReview(
                head=head,
                report_ref=report_ref(case),
                report_kind_label="Laporan" if case.kind is ReportKind.LAPORAN else "Temuan",
                received_text=tanggal(case.received_on),
                reporter_name=parties.reporter.name,
                reporter_address=parties.reporter.address or "-",
                reported=tuple(person_of(p) for p in parties.reported),
                incident_summary=case.incident_summary,
                incident_place=case.incident_place,
                incident_date_text=tanggal(case.occurred_on),
                known_date_text=tanggal(case.known_on or case.occurred_on),
                formal_checks=rows["formal"],
                material_checks=rows["materiel"],
                conclusion=decision.reason
                or (
                    "Laporan memenuhi syarat formal dan materiel."
                    if not failed
                    else "Laporan tidak memenuhi syarat: " + "; ".join(c.reason for c in failed)
                ),
                outcome_label=outcome,
            )

        issue_letter(
            session,
            rulebook=rulebook,
            letters_dir=deps.letters_dir,
            case=case,
            kind="kajian_awal",
            to=Addressee("arsip", f"Ketua {office.short_name}"),
            issued_on=today,
            outbound=False,
            build=review,
        )
        if case.kind is ReportKind.LAPORAN:
            _notify_reporter(deps, session, case, parties.reporter, decision, today, now)
        move_case(
            session,
            case,
            target,
            event=event,
            actor=actor,
            reason=decision.reason or outcome,
            now=now,
        )
        return target


def _notify_reporter(
    deps: Deps,
    session: Session,
    case: Case,
    reporter: Party,
    decision: VerificationDecision,
    today: date,
    now: datetime,
) -> None:
    statuses: dict[VerificationChoice, dict[str, object]] = {
        VerificationChoice.REGISTER: {
            "status": NoticeStatus.REGISTERED,
            "case_number": case.case_number,
        },
        VerificationChoice.NOT_REGISTER: {
            "status": NoticeStatus.NOT_REGISTERED,
            "reason": decision.reason,
        },
        VerificationChoice.FORWARD: {
            "status": NoticeStatus.FORWARDED,
            "forwarded_to": decision.forward_to or decision.reason,
        },
        VerificationChoice.DELEGATE: {
            "status": NoticeStatus.FORWARDED,
            "forwarded_to": decision.forward_to or decision.reason,
        },
    }
    status = statuses[decision.decision]
    send_to_reporter(
        session,
        rulebook=deps.rulebook,
        letters_dir=deps.letters_dir,
        case=case,
        reporter=reporter,
        kind="pemberitahuan_status",
        key=decision.decision.value,
        issued_on=today,
        build=lambda head: status_notice(head, case, reporter, **status),
        now=now,
    )
