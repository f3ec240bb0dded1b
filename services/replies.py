"""The other side's replies after the referral, one service for every kind (`netra reply`):

- `acknowledged`: KASN/BKN received the referral; its SIAPNET/SBT number goes to the case's
  `references` (CONTRACTS §1). A fact: the PPK's clock holds.
- `recommendation`: KASN/BKN's recommendation to the PPK. The PPK's follow-up is re-anchored to
  its date: the open PPK deadline is kept, superseded, and `ppk_followup_recommendation` starts
  (not after the escalation to BKN, which already stands).
- `ppk-refused`: the PPK declines or disputes; the PPK's open deadlines no longer apply and BKN
  is asked at once to block the SIASN record (the sweep's escalation, never twice).

The rules are `models.replies`; the same reply given again records nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from adapters.db.cases import add_deadline, case_deadlines, case_event_names, record_event
from adapters.db.proceedings import decision_of
from adapters.db.replies import case_replies
from models.access import Action, Actor
from models.enums import Authority
from models.indonesian import tanggal
from models.inputs import ReplyInput, ReplyKind
from models.letters.followup import recommendation_text
from models.outcomes import StageOutcome, StageResult
from models.replies import (
    PPK_CLOCK,
    REFERENCE_SYSTEMS,
    REPLY_EVENTS,
    authority_refusal,
    conflict_refusal,
    follows_reply,
    is_same_reply,
    reference_conflict,
    reply_date_refusal,
    reply_stage_refusal,
    replying_party,
)
from models.rules.deadlines import RuleId, compute_deadline
from models.rules.referral import authority_name
from models.stages import CaseEvent
from models.tables import AuthorityReply, CaseDeadline, DeadlineStatus
from services.deps import Deps
from services.ppk import escalate_to_bkn, referral_letter
from services.scope import CaseScope, open_case, race_safe


class ReplyRefused(ValueError):
    """The reply cannot be recorded (wrong stage, date, authority, or it contradicts one on
    record); the message says why, in Indonesian."""


@race_safe
def record_reply(
    deps: Deps, case_ref: str, reply: ReplyInput, *, actor: Actor, now: datetime
) -> StageResult:
    """Record what KASN/BKN or the PPK answered, and what it does to the PPK's clock."""
    with open_case(deps, case_ref, now, actor, Action.RECORD) as scope:
        recorded = case_replies(scope.session, scope.case_id)
        if why := reply_stage_refusal(scope.case.stage):
            if any(is_same_reply(r, reply, r.authority) for r in recorded):
                return scope.result(StageOutcome.ALREADY_DONE)  # e.g. closed since
            raise ReplyRefused(why)
        referred_to = {r.authority for r in decision_of(scope.session, scope.case_id).rows}
        party = replying_party(reply, referred_to)
        if any(is_same_reply(r, reply, party) for r in recorded):
            return scope.result(StageOutcome.ALREADY_DONE)
        referred_on = referral_letter(scope).issued_on
        switch = deps.rulebook.elections.referral_switch_date
        if why := (
            reply_date_refusal(reply.date, referred_on=referred_on, today=scope.today)
            or authority_refusal(
                reply.kind, party, referred_to, replied_on=reply.date, switch_date=switch
            )
            or conflict_refusal(reply, party, recorded)
            or _reference_conflict(scope, reply, party)
        ):
            raise ReplyRefused(why)
        assert party is not None  # authority_refusal refuses a reply from no one
        row = AuthorityReply(
            case_id=scope.case_id,
            kind=reply.kind,
            authority=party,
            replied_on=reply.date,
            reference=reply.reference or None,
            number=reply.number or None,
            sanction=reply.sanction or None,
            reason=reply.reason or None,
            recorded_by=actor.label,
            recorded_at=now,
        )
        scope.session.add(row)
        scope.session.flush()
        return _EFFECTS[reply.kind](scope, row, actor)


def _reference_conflict(scope: CaseScope, reply: ReplyInput, party: Authority | None) -> str | None:
    if reply.kind is not ReplyKind.ACKNOWLEDGED:
        return None
    return reference_conflict(scope.case.references or {}, party, reply.reference)


def _acknowledged(scope: CaseScope, row: AuthorityReply, actor: Actor) -> StageResult:
    case, system = scope.case, REFERENCE_SYSTEMS[row.authority]
    case.references = {**(case.references or {}), system: row.reference or ""}
    scope.session.add(case)
    reason = (
        f"{authority_name(row.authority)} menerima penerusan pada {tanggal(row.replied_on)}; "
        f"nomor {system.upper()} {row.reference}; tenggat tindak lanjut PPK tidak berubah"
    )
    return _record(scope, row, actor, reason)


def _recommended(scope: CaseScope, row: AuthorityReply, actor: Actor) -> StageResult:
    reason = f"{recommendation_text(row)}: {row.sanction}; " + _reanchor(scope, row)
    return _record(scope, row, actor, reason)


def _reanchor(scope: CaseScope, row: AuthorityReply) -> str:
    """Supersede the PPK's open deadline with one counted from the recommendation's date;
    says what moved (Indonesian)."""
    if CaseEvent.ESCALATED_TO_BKN in case_event_names(scope.session, scope.case_id):
        return "sudah diusulkan pemblokiran SIASN kepada BKN; tenggat tidak berubah"
    superseded = _supersede_open(scope)
    rule = scope.deps.rulebook.deadlines.rule(
        scope.case.election_type, RuleId.PPK_FOLLOWUP_RECOMMENDATION
    )
    deadline = compute_deadline(rule, row.replied_on, scope.deps.rulebook.calendar)
    add_deadline(scope.session, scope.case_id, deadline)
    old = ", ".join(tanggal(d.due_on) for d in superseded) or "tidak ada yang berjalan"
    return (
        f"tenggat tindak lanjut PPK dihitung ulang sejak tanggal rekomendasi: "
        f"{old} → {tanggal(deadline.due)}"
    )


def _refused(scope: CaseScope, row: AuthorityReply, actor: Actor) -> StageResult:
    _supersede_open(scope)
    reason = f"PPK menolak menindaklanjuti pada {tanggal(row.replied_on)}: {row.reason}"
    if transition := follows_reply(row.kind, scope.case.stage):
        scope.move(transition, actor=actor, reason=reason)
    else:
        _record(scope, row, actor, reason)
    escalate_to_bkn(scope, refusal=row, actor=actor)
    return scope.result(StageOutcome.MOVED)


def _supersede_open(scope: CaseScope) -> list[CaseDeadline]:
    """The PPK's open deadlines, now marked as no longer applying (kept on record)."""
    rows = [
        d
        for d in case_deadlines(scope.session, scope.case_id)
        if d.rule in PPK_CLOCK and d.status is DeadlineStatus.OPEN
    ]
    for d in rows:
        d.status = DeadlineStatus.SUPERSEDED
        scope.session.add(d)
    return rows


def _record(scope: CaseScope, row: AuthorityReply, actor: Actor, reason: str) -> StageResult:
    record_event(
        scope.session, scope.case, REPLY_EVENTS[row.kind], actor=actor, reason=reason, now=scope.now
    )
    return scope.result(StageOutcome.MOVED)


_EFFECTS: dict[ReplyKind, Callable[[CaseScope, AuthorityReply, Actor], StageResult]] = {
    ReplyKind.ACKNOWLEDGED: _acknowledged,
    ReplyKind.RECOMMENDATION: _recommended,
    ReplyKind.PPK_REFUSED: _refused,
}
