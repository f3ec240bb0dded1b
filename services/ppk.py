"""After the referral: the PPK reminder, the escalation to BKN (Peraturan BKN 1/2023), and the
PPK's decision that closes the case. Each letter is issued once per (case, kind, recipient).

The reminder cites KASN/BKN's recommendation when one is recorded, and for a referral KASN had
processed names MenPANRB, where the PPK reports (SE MenPANRB 4/2024; config/letters.yaml
`kasn_followup`). The escalation happens once per case, after a lapse or the PPK's refusal."""

from __future__ import annotations

from datetime import datetime

from adapters.db.cases import (
    add_deadline,
    case_deadline,
    case_deadline_or_none,
    case_event_names,
    record_event,
    settle_deadline,
)
from adapters.db.letters import first_letter
from adapters.db.proceedings import decision_of
from adapters.db.replies import reply_of
from models.access import SYSTEM, Action, Actor
from models.enums import Authority
from models.indonesian import tanggal
from models.inputs import PpkDecisionInput, ReplyKind
from models.letters.common import party_key
from models.letters.contexts import PpkReminder, Referral
from models.letters.followup import ppk_reminder, siasn_block_request
from models.letters.head import Addressee, Recipient
from models.letters.specs import KasnFollowUp
from models.outcomes import AWAITING_PPK, PPK_DECIDED, PPK_REMINDED, StageResult
from models.replies import FOLLOWUP_RULES, PPK_CLOCK
from models.rules.deadlines import RuleId, compute_deadline
from models.rules.referral import (
    ppk_groups,
    referred_asn,
    reminded_authority,
    reports_to_menpanrb,
)
from models.stages import CaseEvent
from models.tables import AuthorityReply, CaseDeadline, Letter
from services.deps import Deps
from services.scope import CaseScope, open_case, race_safe


def referral_letter(scope: CaseScope) -> Letter:
    letter = first_letter(scope.session, scope.case_id, Referral.kind)
    assert letter is not None, "a referred case has its referral letter"
    return letter


def current_followup(scope: CaseScope) -> CaseDeadline:
    """The PPK's follow-up deadline in force: from KASN/BKN's recommendation once it is
    recorded, else from the referral."""
    for rule in FOLLOWUP_RULES:
        if row := case_deadline_or_none(scope.session, scope.case_id, rule):
            return row
    return case_deadline(scope.session, scope.case_id, RuleId.PPK_FOLLOWUP)


def remind_ppk(scope: CaseScope, followup: CaseDeadline, *, actor: Actor) -> bool:
    """Reminder letter to each PPK of the case; the reply deadline starts; stage → overdue.
    False, and nothing done, when no reported person has a PPK on record: there is no one to
    remind, and the office is told instead (`services.sweep`)."""
    rulebook, case = scope.deps.rulebook, scope.case
    if not ppk_groups(scope.parties.reported):
        return False
    referral = referral_letter(scope)
    rule = rulebook.deadlines.rule(case.election_type, RuleId.PPK_REMINDER_REPLY)
    rows = decision_of(scope.session, scope.case_id).rows
    recommendation = reply_of(scope.session, scope.case_id, ReplyKind.RECOMMENDATION)
    referred_to = {r.authority for r in rows}
    recommended_by = recommendation.authority if recommendation else None
    menpanrb: KasnFollowUp | None = None
    if reports_to_menpanrb(referred_to, recommended_by):
        menpanrb = rulebook.letters.kasn_followup
    copied = menpanrb is not None and menpanrb.copy_reminder
    for index, (title, people) in enumerate(ppk_groups(scope.parties.reported)):
        email = next((p.ppk_email for p in people if p.ppk_email), None)
        body = ppk_reminder(
            case,
            people,
            referral,
            followup,
            reply_days=rule.days,
            authority_name=reminded_authority(rows),
            recommendation=recommendation,
            followup_note=menpanrb.note if menpanrb else None,
        )
        to = Addressee(f"ppk-{index}", title, email=email)
        tembusan = (menpanrb.name,) if menpanrb and copied else ()
        letter = scope.desk.issue_and_send(
            body, to, Recipient.PPK, issued_on=scope.today, tembusan=tembusan
        )
        if menpanrb and copied:
            copy = Addressee(f"menpanrb-{index}", menpanrb.name, menpanrb.place, menpanrb.email)
            scope.desk.send(letter, copy, Recipient.COPY, copy_of=title)
    reply = compute_deadline(rule, scope.today, rulebook.calendar)
    add_deadline(scope.session, scope.case_id, reply)
    scope.move(
        PPK_REMINDED,
        actor=actor,
        reason="tindak lanjut PPK melewati batas waktu; surat pengingat dikirim",
    )
    return True


def escalate_to_bkn(
    scope: CaseScope, refusal: AuthorityReply | None = None, *, actor: Actor = SYSTEM
) -> bool:
    """Ask BKN to block the SIASN record of the reported ASN (Peraturan BKN 1/2023), once per
    case: after the reminder went unanswered, or at once on the PPK's `refusal`. False, and
    nothing done, when it was asked before or no ASN was referred to KASN/BKN."""
    if CaseEvent.ESCALATED_TO_BKN in case_event_names(scope.session, scope.case_id):
        return False
    asn = referred_asn(decision_of(scope.session, scope.case_id).rows)
    people = [p for p in scope.parties.reported if party_key(p) in asn]
    reminder = first_letter(scope.session, scope.case_id, PpkReminder.kind)
    if not people or (reminder is None and refusal is None):
        return False
    followup = current_followup(scope)
    referral = referral_letter(scope)
    body = siasn_block_request(scope.case, people, referral, followup, reminder, refusal)
    contact = scope.deps.rulebook.letters.authorities[Authority.BKN.value]
    to = Addressee("otoritas-bkn-siasn", contact.name, contact.place, contact.email)
    ppk_copies = tuple(dict.fromkeys(p.ppk_title for p in people if p.ppk_title))
    scope.desk.issue_and_send(
        body, to, Recipient.AUTHORITY, issued_on=scope.today, tembusan=ppk_copies
    )
    record_event(
        scope.session,
        scope.case,
        CaseEvent.ESCALATED_TO_BKN,
        actor=actor,
        reason="permohonan pemblokiran data SIASN kepada BKN"
        + (" karena PPK menolak menindaklanjuti" if refusal else ""),
        now=scope.now,
    )
    return True


@race_safe
def record_ppk_decision(
    deps: Deps, case_ref: str, decision: PpkDecisionInput, *, actor: Actor, now: datetime
) -> StageResult:
    """The PPK imposed a sanction: record its decree and close the case."""
    with open_case(deps, case_ref, now, actor, Action.PPK_DECISION) as scope:
        if done := scope.settled(AWAITING_PPK, PPK_DECIDED):
            return done
        row = decision_of(scope.session, scope.case_id)
        row.ppk_sanction, row.ppk_decree_number = decision.sanction, decision.decree_number
        row.ppk_decree_date, row.ppk_recorded_at = decision.decree_date, now
        scope.session.add(row)
        for rule in sorted(PPK_CLOCK):
            settle_deadline(scope.session, scope.case_id, rule, decision.decree_date)
        reason = (
            f"{decision.sanction}; keputusan {decision.decree_number} tanggal "
            f"{tanggal(decision.decree_date)}"
        )
        return scope.move(PPK_DECIDED, actor=actor, reason=reason)
