"""Recommendation: the investigator's findings → the rulebook's recommendation per reported
person and the internal *kajian dugaan pelanggaran*. Nothing leaves Bawaslu before approval."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from adapters.db.cases import move_case, settle_deadline
from adapters.db.engine import unit_of_work
from models.enums import ReportKind
from models.inputs import FindingsInput
from models.letters.builders import finding_for, party_key, reporter_label, status_notice
from models.letters.contexts import DecisionReview, NoticeStatus
from models.letters.head import LetterHead
from models.letters.indonesian import tanggal
from models.rules.calendar import local_date
from models.rules.catalogue import is_crime, recommend
from models.rules.routing import route
from models.stages import Stage
from models.tables.case import Case, StageEvent
from models.tables.proceedings import CaseDecision, DecisionOutcome, Hearing
from services.deps import CaseParties, Deps, load_case
from services.desk import Addressee, issue_letter, send_to_reporter


class FindingsIncomplete(ValueError):
    pass


_OUTCOME_STAGE = {
    DecisionOutcome.VIOLATION: (Stage.AWAITING_APPROVAL, "RecommendationDrafted"),
    DecisionOutcome.NO_VIOLATION: (Stage.NOT_A_VIOLATION, "CaseDismissed"),
    DecisionOutcome.CRIME: (Stage.TO_GAKKUMDU, "CaseSentToGakkumdu"),
}


def recommend_sanction(
    deps: Deps, case_ref: str, findings: FindingsInput, *, actor: str, now: datetime
) -> Stage:
    """Decide the case on `findings`; a violation waits for a supervisor's approval."""
    if findings.violation and not findings.acts:
        raise FindingsIncomplete("kode pelanggaran (acts) wajib diisi bila terbukti melanggar")
    rulebook = deps.rulebook
    with unit_of_work(deps.engine) as session:
        case, parties = load_case(session, case_ref)
        if case.stage is not Stage.UNDER_REVIEW:
            return case.stage
        assert case.id is not None
        office = rulebook.offices[case.office_key]
        today = local_date(now, office.timezone)
        act_date = findings.act_date or case.occurred_on
        outcome = (
            DecisionOutcome.NO_VIOLATION
            if not findings.violation
            else DecisionOutcome.CRIME
            if is_crime(findings.acts, rulebook.catalogue, act_date)
            else DecisionOutcome.VIOLATION
        )
        recommendations: list[dict[str, object]] = []
        for party in parties.reported if outcome is not DecisionOutcome.NO_VIOLATION else []:
            assert party.employment is not None
            authority = route(
                party.employment,
                referral_date=today,
                switch_date=rulebook.elections.referral_switch_date,
                crime=outcome is DecisionOutcome.CRIME,
            )
            rec = recommend(findings.acts, party.employment, act_date, rulebook.catalogue)
            recommendations.append(
                {
                    "party": party_key(party),
                    "authority": authority.value,
                    "recommendation": rec.to_contract(),
                }
            )
        previous = session.exec(select(CaseDecision).where(CaseDecision.case_id == case.id)).first()
        if previous is not None:  # sent back by the supervisor: this decision replaces it
            session.delete(previous)
            session.flush()
        session.add(
            CaseDecision(
                case_id=case.id,
                outcome=outcome,
                acts=findings.acts,
                act_date=act_date,
                reasoning=findings.reasoning,
                recommendations=recommendations,
                decided_by=actor,
                decided_at=now,
            )
        )
        settle_deadline(session, case.id, "decision", today)
        revision = _revision(session, case.id)
        issue_letter(
            session,
            rulebook=rulebook,
            letters_dir=deps.letters_dir,
            case=case,
            kind=DecisionReview.kind,
            to=Addressee(f"arsip-r{revision}", f"Ketua {office.short_name}"),
            issued_on=today,
            outbound=False,
            build=lambda head: decision_review(
                deps, head, session, case, parties, findings, recommendations, act_date
            ),
        )
        if outcome is not DecisionOutcome.VIOLATION and case.kind is ReportKind.LAPORAN:
            _tell_reporter(deps, session, case, parties, outcome, today, now)
        target, event = _OUTCOME_STAGE[outcome]
        move_case(
            session,
            case,
            target,
            event=event,
            actor=actor,
            reason=", ".join(findings.acts) or "tidak terbukti",
            now=now,
        )
        return target


def _revision(session: Session, case_id: int) -> int:
    returned = session.exec(
        select(StageEvent).where(
            StageEvent.case_id == case_id, StageEvent.event == "RecommendationReturned"
        )
    ).all()
    return len(returned) + 1


def decision_review(
    deps: Deps,
    head: LetterHead,
    session: Session,
    case: Case,
    parties: CaseParties,
    findings: FindingsInput,
    recommendations: list[dict[str, object]],
    act_date: date,
) -> DecisionReview:
    by_key = {party_key(p): p for p in parties.reported}
    hearings = session.exec(select(Hearing).where(Hearing.case_id == case.id)).all()
    facts = [case.incident_account] + [
        f"Keterangan klarifikasi: {h.statement}" for h in hearings if h.statement
    ]
    person_findings = tuple(
        finding_for(
            by_key[str(r["party"])],
            r["recommendation"],  # type: ignore[arg-type]
            findings.acts,
            act_date,
            deps.rulebook.catalogue,
            str(r["authority"]),
        )
        for r in recommendations
    )
    conclusion = (
        "Terlapor terbukti melakukan pelanggaran netralitas ASN dan direkomendasikan "
        "untuk diteruskan kepada instansi yang berwenang."
        if person_findings
        else "Dugaan pelanggaran tidak terbukti."
    )
    return DecisionReview(
        head=head,
        case_number=case.case_number or "-",
        report_kind_label="Laporan" if case.kind is ReportKind.LAPORAN else "Temuan",
        incident_summary=case.incident_summary,
        incident_place=case.incident_place,
        incident_date_text=tanggal(case.occurred_on),
        facts=tuple(facts),
        findings=person_findings,
        analysis=tuple(p for p in findings.reasoning.split("\n\n") if p.strip()) or ("-",),
        conclusion=conclusion,
        reporter_label=reporter_label(case, parties.reporter),
    )


def _tell_reporter(
    deps: Deps,
    session: Session,
    case: Case,
    parties: CaseParties,
    outcome: DecisionOutcome,
    today: date,
    now: datetime,
) -> None:
    result = (
        "Dugaan pelanggaran tidak terbukti; penanganan laporan dihentikan."
        if outcome is DecisionOutcome.NO_VIOLATION
        else "Laporan diteruskan kepada Sentra Penegakan Hukum Terpadu (Gakkumdu)."
    )
    reporter = parties.reporter
    send_to_reporter(
        session,
        rulebook=deps.rulebook,
        letters_dir=deps.letters_dir,
        case=case,
        reporter=reporter,
        kind="pemberitahuan_status",
        key="hasil",
        issued_on=today,
        build=lambda head: status_notice(
            head, case, reporter, status=NoticeStatus.RESULT, result_text=result
        ),
        now=now,
    )
