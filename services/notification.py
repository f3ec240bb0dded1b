"""Notification: send what the outbox holds, and refer the case once everything of it has gone
(the PPK's follow-up period starts then). Mail for many cases goes out through the same call."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from adapters.db.audit import append_audit
from adapters.db.cases import add_deadline, get_case
from adapters.db.engine import unit_of_work
from adapters.db.outbox import find_by_key, resolve_stuck, retry_failed, unsent_count
from adapters.db.views import case_id_of
from adapters.smtp import DeliveryReport, deliver_pending
from models.access import Action, Actor, require, require_everywhere
from models.audit import AuditAction
from models.outcomes import REFERRAL, StageOutcome, StageResult, may_refer
from models.rules.deadlines import RuleId, compute_deadline
from models.stages import Stage
from models.tables import OutboxMessage
from services.deps import Deps
from services.scope import open_case, race_safe


async def deliver_mail(deps: Deps, case_ref: str | None = None) -> DeliveryReport:
    """Send the queued emails of one case, or of every case; an outage leaves them queued."""
    case_id = case_id_of(deps.engine, case_ref) if case_ref is not None else None
    return await deliver_pending(deps.engine, deps.settings, case_id=case_id)


def retry_undelivered(deps: Deps, case_ref: str, *, actor: Actor, now: datetime) -> int:
    """Put the case's refused emails back in the queue (recorded in the audit trail); returns
    how many."""
    with unit_of_work(deps.engine) as session:
        case = get_case(session, case_ref)
        require(actor, Action.SEND_MAIL, case.office_key)
        case_id = case.id
        assert case_id is not None
        count = retry_failed(session, case_id)
        detail = f"{count} surel yang ditolak diantrekan lagi"
        append_audit(
            session,
            actor_id=actor.user_id,
            actor=actor.label,
            action=AuditAction.MAIL_RETRY,
            case_id=case_id,
            detail=detail,
            now=now,
        )
        return count


class MailDecision(StrEnum):
    RECORDED = "recorded"
    NOT_FOUND = "not_found"
    NOT_STUCK = "not_stuck"  # the email is not interrupted mid-transfer (its status says why)


def resolve_mail(
    deps: Deps,
    key: str,
    *,
    delivered: bool,
    actor: Actor,
    now: datetime,
) -> tuple[MailDecision, OutboxMessage | None]:
    """A person's decision on an email interrupted mid-transfer: it arrived, or send it again.
    Recorded in the audit trail with the decision."""
    with unit_of_work(deps.engine) as session:
        row = find_by_key(session, key)
        if row is None or row.id is None:
            return MailDecision.NOT_FOUND, None
        if row.case_id is None:  # an alert about Netra itself spans every office
            require_everywhere(actor, Action.RESOLVE_MAIL)
        else:
            require(actor, Action.RESOLVE_MAIL, get_case(session, str(row.case_id)).office_key)
        if not resolve_stuck(session, row.id, delivered=delivered, now=now):
            return MailDecision.NOT_STUCK, row
        said = "sudah diterima (dicatat terkirim)" if delivered else "belum diterima (dikirim lagi)"
        append_audit(
            session,
            actor_id=actor.user_id,
            actor=actor.label,
            action=AuditAction.MAIL_RESOLVED,
            case_id=row.case_id,
            detail=f"surel {key} kepada {row.to_address}: {said}",
            now=now,
        )
        return MailDecision.RECORDED, row


@race_safe
def mark_referred(deps: Deps, case_ref: str, *, actor: Actor, now: datetime) -> StageResult:
    """Refer an approved case whose emails have all been accepted; else it keeps waiting."""
    with open_case(deps, case_ref, now, actor, Action.SEND_MAIL) as scope:
        if done := scope.settled({Stage.APPROVED}, REFERRAL):
            return done
        if not may_refer(scope.case.stage, unsent_count(scope.session, scope.case_id)):
            return scope.result(StageOutcome.WAITING)
        rule = deps.rulebook.deadlines.rule(scope.case.election_type, RuleId.PPK_FOLLOWUP)
        deadline = compute_deadline(rule, scope.today, deps.rulebook.calendar)
        add_deadline(scope.session, scope.case_id, deadline)
        reason = "semua surat terkirim; menunggu tindak lanjut PPK"
        return scope.move(REFERRAL, actor=actor, reason=reason)
