"""After the referral: the PPK reminder, the escalation to BKN (Peraturan BKN 1/2023), and the
PPK's decision that closes the case. Each letter is issued once per (case, kind, recipient)."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial

from sqlmodel import Session, col, select

from adapters.db.cases import add_deadline, move_case, settle_deadline
from adapters.db.engine import unit_of_work
from models.inputs import PpkDecisionInput
from models.letters.builders import person_of
from models.letters.contexts import PpkReminder, SiasnBlockRequest
from models.letters.head import LetterHead
from models.letters.indonesian import jumlah, tanggal
from models.rules.deadlines import compute_deadline
from models.rules.routing import AUTHORITY_NAMES
from models.stages import Stage
from models.tables import Letter
from models.tables.case import Case, CaseDeadline, Party, StageEvent
from models.tables.proceedings import CaseDecision
from services.deps import Deps, load_case
from services.desk import Addressee, issue_and_send

ASN_AUTHORITIES = {"KASN", "BKN"}


def _referral(session: Session, case_id: int) -> Letter:
    return session.exec(
        select(Letter)
        .where(Letter.case_id == case_id, Letter.kind == "surat_penerusan")
        .order_by(col(Letter.id))
    ).first()  # type: ignore[return-value]


def remind_ppk(
    session: Session,
    deps: Deps,
    case: Case,
    deadline: CaseDeadline,
    today: date,
    now: datetime,
    actor: str,
) -> None:
    """Reminder letter to each PPK of the case; the reply deadline starts; stage → overdue."""
    assert case.id is not None
    _, parties = load_case(session, str(case.id))
    referral = _referral(session, case.id)
    rule = deps.rulebook.deadlines.rule(case.election_type, "ppk_reminder_reply")
    reply = compute_deadline(rule, today, deps.rulebook.calendar)
    by_ppk: dict[str, list[Party]] = {}
    for person in parties.reported:
        if person.ppk_title:
            by_ppk.setdefault(person.ppk_title, []).append(person)
    for index, (title, people) in enumerate(sorted(by_ppk.items())):
        email = next((p.ppk_email for p in people if p.ppk_email), None)
        to = Addressee(f"ppk-{index}", title, email=email)
        issue_and_send(
            session,
            rulebook=deps.rulebook,
            letters_dir=deps.letters_dir,
            case=case,
            kind="pengingat_ppk",
            to=to,
            issued_on=today,
            outbound=True,
            build=partial(
                _ppk_reminder,
                case=case,
                people=people,
                referral=referral,
                deadline=deadline,
                reply_days=rule.days,
                authority_name=_authority_of(session, case.id),
            ),
            role="ppk",
            now=now,
        )
    add_deadline(session, case.id, reply)
    move_case(
        session,
        case,
        Stage.PPK_OVERDUE,
        event="PpkReminded",
        actor=actor,
        reason="tindak lanjut PPK melewati batas waktu; surat pengingat dikirim",
        now=now,
    )


def _authority_of(session: Session, case_id: int) -> str:
    decision = session.exec(select(CaseDecision).where(CaseDecision.case_id == case_id)).one()
    for row in decision.recommendations:
        for authority, name in AUTHORITY_NAMES.items():
            if authority.value == row["authority"]:
                return name
    return "instansi yang berwenang"


def _ppk_reminder(
    head: LetterHead,
    *,
    case: Case,
    people: list[Party],
    referral: Letter,
    deadline: CaseDeadline,
    reply_days: int,
    authority_name: str,
) -> PpkReminder:
    return PpkReminder(
        head=head,
        persons=tuple(person_of(p) for p in people),
        case_number=case.case_number or "-",
        authority_name=authority_name,
        referral_number=referral.number,
        referral_date_text=tanggal(referral.issued_on),
        period_text=jumlah((deadline.due_on - deadline.start_on).days, "hari"),
        due_date_text=tanggal(deadline.due_on),
        reply_period_text=jumlah(reply_days, "hari"),
    )


def escalate_to_bkn(session: Session, deps: Deps, case: Case, today: date, now: datetime) -> bool:
    """Ask BKN to block the SIASN record of the reported ASN (Peraturan BKN 1/2023)."""
    assert case.id is not None
    decision = session.exec(select(CaseDecision).where(CaseDecision.case_id == case.id)).one()
    asn = {str(r["party"]) for r in decision.recommendations if r["authority"] in ASN_AUTHORITIES}
    _, parties = load_case(session, str(case.id))
    people = [p for p in parties.reported if f"{p.role.value}-{p.position}" in asn]
    reminder = session.exec(
        select(Letter).where(Letter.case_id == case.id, Letter.kind == "pengingat_ppk")
    ).first()
    if not people or reminder is None:
        return False
    referral = _referral(session, case.id)
    followup = session.exec(
        select(CaseDeadline).where(
            CaseDeadline.case_id == case.id, CaseDeadline.rule == "ppk_followup"
        )
    ).one()
    contact = deps.rulebook.letters.authorities["BKN"]
    to = Addressee("otoritas-bkn-siasn", contact.name, contact.place, contact.email)
    issue_and_send(
        session,
        rulebook=deps.rulebook,
        letters_dir=deps.letters_dir,
        case=case,
        kind="eskalasi_bkn",
        to=to,
        issued_on=today,
        outbound=True,
        tembusan=tuple(dict.fromkeys(p.ppk_title for p in people if p.ppk_title)),
        build=lambda head: SiasnBlockRequest(
            head=head,
            persons=tuple(person_of(p) for p in people),
            ppk_title=people[0].ppk_title or "Pejabat Pembina Kepegawaian",
            case_number=case.case_number or "-",
            referral_number=referral.number,
            referral_date_text=tanggal(referral.issued_on),
            due_date_text=tanggal(followup.due_on),
            reminder_number=reminder.number,
            reminder_date_text=tanggal(reminder.issued_on),
        ),
        role="otoritas",
        now=now,
    )
    session.add(
        StageEvent(
            case_id=case.id,
            event="EscalatedToBkn",
            from_stage=case.stage,
            to_stage=case.stage,
            at=now,
            actor="sistem",
            reason="permohonan pemblokiran data SIASN kepada BKN",
        )
    )
    return True


def record_ppk_decision(
    deps: Deps, case_ref: str, decision: PpkDecisionInput, *, actor: str, now: datetime
) -> Stage:
    """The PPK imposed a sanction: record its decree and close the case."""
    with unit_of_work(deps.engine) as session:
        case, _ = load_case(session, case_ref)
        if case.stage not in {Stage.NOTIFIED, Stage.PPK_OVERDUE}:
            return case.stage
        assert case.id is not None
        row = session.exec(select(CaseDecision).where(CaseDecision.case_id == case.id)).one()
        row.ppk_sanction, row.ppk_decree_number = decision.sanction, decision.decree_number
        row.ppk_decree_date, row.ppk_recorded_at = decision.decree_date, now
        session.add(row)
        for rule in ("ppk_followup", "ppk_reminder_reply"):
            settle_deadline(session, case.id, rule, decision.decree_date)
        move_case(
            session,
            case,
            Stage.CLOSED,
            event="PpkDecisionRecorded",
            actor=actor,
            reason=f"{decision.sanction}; keputusan {decision.decree_number} tanggal "
            f"{tanggal(decision.decree_date)}",
            now=now,
        )
        return Stage.CLOSED
