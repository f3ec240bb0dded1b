"""Handing a report over at the kajian awal.

Delegation (dilimpahkan): the case moves to another Bawaslu office configured here, with its
letterhead, its numbering and its people from then on; the origin office writes to it, the
reporter is told, and the case's history stays one history. Forwarding (diteruskan): the report
goes to another institution with its summary without the reporter; the case ends here.
"""

from __future__ import annotations

from adapters.db.cases import case_event_names, settle_deadline
from adapters.db.evidence import case_evidence
from models.access import Actor
from models.inputs import VerificationDecision
from models.letters.common import archive_addressee
from models.letters.contexts import NoticeStatus
from models.letters.handover import delegation_letter, forwarding_letter, redacted_report
from models.letters.head import Addressee, LetterBody, Recipient
from models.outcomes import StageOutcome, StageResult, Transition, delegation_refusal
from models.rules.deadlines import RuleId
from models.stages import CaseEvent
from services.completion import restart_kajian_awal
from services.scope import CaseScope

FORWARDED_TO = "instansi-tujuan"


class HandoverRefused(ValueError):
    """The office to delegate to is unknown or is the case's own."""


def delegate(
    scope: CaseScope,
    decision: VerificationDecision,
    review: LetterBody,
    transition: Transition,
    *,
    actor: Actor,
) -> StageResult:
    """Hand the case to the Bawaslu office `decision.forward_to` (its key)."""
    offices = scope.deps.rulebook.offices
    key = decision.target
    case, origin, today = scope.case, scope.office, scope.today
    if why := delegation_refusal(key, current=case.office_key, known=offices):
        raise HandoverRefused(why)
    target = offices[key]
    scope.desk.issue(review, archive_addressee(origin, f"arsip-{origin.key}"), issued_on=today)
    to = Addressee(target.key, target.signer.title, target.city, target.email and str(target.email))
    letter = delegation_letter(
        case,
        scope.parties.reporter,
        scope.parties.reported,
        office_name=target.short_name,
        reason=decision.reason,
    )
    scope.desk.issue_and_send(letter, to, Recipient.BAWASLU, issued_on=today, tembusan=["Arsip"])
    scope.tell_reporter(NoticeStatus.DELEGATED, f"delegate-{target.key}", target.short_name)
    settle_deadline(scope.session, scope.case_id, RuleId.COMPLETION, today)
    reason = f"dilimpahkan oleh {origin.short_name} kepada {target.short_name}: {decision.reason}"
    result = scope.move(transition, actor=actor, reason=reason)
    case.office_key = target.key
    scope.session.add(case)
    scope.session.flush()
    restart_kajian_awal(scope)  # the receiving office's kajian awal counts from today
    return result


def delegated_already(scope: CaseScope, decision: VerificationDecision) -> StageResult | None:
    """The same delegation asked again, once the case is at the receiving office: done."""
    key = decision.target
    history = case_event_names(scope.session, scope.case_id)
    if scope.case.office_key == key and CaseEvent.DELEGATED in history:
        return scope.result(StageOutcome.ALREADY_DONE)
    return None


def forward(scope: CaseScope, decision: VerificationDecision) -> None:
    """The forwarding letter to the institution with the redacted report attached, emailed
    together when the decision gives the institution's address."""
    institution = decision.target
    case, today = scope.case, scope.today
    to = Addressee(FORWARDED_TO, institution, email=decision.forward_email or None)
    letter = scope.desk.issue(
        forwarding_letter(
            case,
            office_name=scope.office.short_name,
            institution=institution,
            reason=decision.reason,
            disclosed=scope.desk.disclosed_reporter(),
        ),
        to,
        issued_on=today,
        tembusan=["Arsip"],
    )
    evidence = [e.description for e in case_evidence(scope.session, scope.case_id)]
    summary = scope.desk.issue(
        redacted_report(
            case, scope.parties.reported, evidence, disclosed=scope.desk.disclosed_reporter()
        ),
        Addressee(f"lampiran-{FORWARDED_TO}", institution),
        issued_on=today,
        attached_to=letter,
    )
    scope.desk.send(letter, to, Recipient.INSTITUTION, attachments=[summary])
