"""After the referral: the PPK reminder, the escalation to BKN (Peraturan BKN 1/2023), and the
PPK's decision that closes the case. Each letter is issued once per (case, kind, recipient)."""

from __future__ import annotations

from datetime import datetime

from adapters.db.cases import add_deadline, case_deadline, record_event, settle_deadline
from adapters.db.letters import first_letter
from adapters.db.proceedings import decision_of
from models.enums import Authority
from models.indonesian import tanggal
from models.inputs import PpkDecisionInput
from models.letters.common import party_key
from models.letters.contexts import PpkReminder, Referral
from models.letters.followup import ppk_reminder, siasn_block_request
from models.letters.head import Addressee, Recipient
from models.outcomes import AWAITING_PPK, PPK_DECIDED, PPK_REMINDED, StageResult
from models.rules.deadlines import RuleId, compute_deadline
from models.rules.referral import ppk_groups, referred_asn, reminded_authority
from models.stages import CaseEvent
from models.tables import CaseDeadline, Letter
from services.deps import Deps
from services.scope import CaseScope, open_case


def _referral(scope: CaseScope) -> Letter:
    letter = first_letter(scope.session, scope.case_id, Referral.kind)
    assert letter is not None, "a referred case has its referral letter"
    return letter


def remind_ppk(scope: CaseScope, followup: CaseDeadline, *, actor: str) -> bool:
    """Reminder letter to each PPK of the case; the reply deadline starts; stage → overdue.
    False, and nothing done, when no reported person has a PPK on record: there is no one to
    remind, and the office is told instead (`services.sweep`)."""
    rulebook, case = scope.deps.rulebook, scope.case
    if not ppk_groups(scope.parties.reported):
        return False
    referral = _referral(scope)
    rule = rulebook.deadlines.rule(case.election_type, RuleId.PPK_REMINDER_REPLY)
    authority = reminded_authority(decision_of(scope.session, scope.case_id).rows)
    for index, (title, people) in enumerate(ppk_groups(scope.parties.reported)):
        email = next((p.ppk_email for p in people if p.ppk_email), None)
        body = ppk_reminder(
            case, people, referral, followup, reply_days=rule.days, authority_name=authority
        )
        to = Addressee(f"ppk-{index}", title, email=email)
        scope.desk.issue_and_send(body, to, Recipient.PPK, issued_on=scope.today)
    reply = compute_deadline(rule, scope.today, rulebook.calendar)
    add_deadline(scope.session, scope.case_id, reply)
    scope.move(
        PPK_REMINDED,
        actor=actor,
        reason="tindak lanjut PPK melewati batas waktu; surat pengingat dikirim",
    )
    return True


def escalate_to_bkn(scope: CaseScope) -> bool:
    """Ask BKN to block the SIASN record of the reported ASN (Peraturan BKN 1/2023)."""
    asn = referred_asn(decision_of(scope.session, scope.case_id).rows)
    people = [p for p in scope.parties.reported if party_key(p) in asn]
    reminder = first_letter(scope.session, scope.case_id, PpkReminder.kind)
    if not people or reminder is None:
        return False
    followup = case_deadline(scope.session, scope.case_id, RuleId.PPK_FOLLOWUP)
    body = siasn_block_request(scope.case, people, _referral(scope), followup, reminder)
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
        actor="sistem",
        reason="permohonan pemblokiran data SIASN kepada BKN",
        now=scope.now,
    )
    return True


def record_ppk_decision(
    deps: Deps, case_ref: str, decision: PpkDecisionInput, *, actor: str, now: datetime
) -> StageResult:
    """The PPK imposed a sanction: record its decree and close the case."""
    with open_case(deps, case_ref, now) as scope:
        if done := scope.settled(AWAITING_PPK, PPK_DECIDED):
            return done
        row = decision_of(scope.session, scope.case_id)
        row.ppk_sanction, row.ppk_decree_number = decision.sanction, decision.decree_number
        row.ppk_decree_date, row.ppk_recorded_at = decision.decree_date, now
        scope.session.add(row)
        for rule in (RuleId.PPK_FOLLOWUP, RuleId.PPK_REMINDER_REPLY):
            settle_deadline(scope.session, scope.case_id, rule, decision.decree_date)
        reason = (
            f"{decision.sanction}; keputusan {decision.decree_number} tanggal "
            f"{tanggal(decision.decree_date)}"
        )
        return scope.move(PPK_DECIDED, actor=actor, reason=reason)
