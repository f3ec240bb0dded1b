"""Approval: a supervisor approves the recommendation (or returns it with a note). Approval
issues every outbound letter and queues its email; none is sent before this point.

The referral rules (who goes where, grouped how, who is copied) are `models.rules.referral`;
this service loads the rows, applies them and issues the letters.
"""

from __future__ import annotations

from datetime import datetime

from adapters.db.proceedings import decision_of
from models.access import Action, Actor
from models.enums import DecisionOutcome
from models.inputs import ApprovalInput
from models.letters.common import (
    party_addressee,
    party_key,
    referral_addressee,
    superior_of,
)
from models.letters.contexts import NoticeStatus
from models.letters.decision import finding_for, referral, referral_notice
from models.letters.head import Addressee, PersonFinding, Recipient
from models.letters.intake import RESULT_TEXT
from models.outcomes import StageResult, approval_transition
from models.rules.referral import (
    ReferralImpossible,
    authority_name,
    copies_the_ppk,
    referral_groups,
    rerouted,
    unaddressed,
)
from models.stages import Stage
from models.tables import CaseDecision, Letter, Party
from services.deps import Deps
from services.recommendation import current_kajian, kajian_of
from services.scope import CaseScope, open_case, race_safe

PPK_COPY_NOTE = (
    "Penjatuhan sanksi merupakan kewenangan Bapak/Ibu selaku Pejabat Pembina Kepegawaian; "
    "mohon hasil tindak lanjutnya disampaikan kepada kami."
)


@race_safe
def approve_recommendation(
    deps: Deps, case_ref: str, approval: ApprovalInput, *, actor: Actor, now: datetime
) -> StageResult:
    transition = approval_transition(approval)
    with open_case(deps, case_ref, now, actor, Action.APPROVE) as scope:
        if done := scope.settled({Stage.AWAITING_APPROVAL}, transition):
            return done
        decision = decision_of(scope.session, scope.case_id)
        if not approval.approved:
            decision.return_note = approval.note
            scope.session.add(decision)
            reason = approval.note or "dikembalikan untuk dikaji ulang"
            return scope.move(transition, actor=actor, reason=reason)
        decision.approved_by, decision.approved_at = actor.label, now
        scope.session.add(decision)
        _issue_outbound(scope, decision)
        return scope.move(transition, actor=actor, reason=approval.note or "rekomendasi disetujui")


def _issue_outbound(scope: CaseScope, decision: CaseDecision) -> None:
    rulebook, case, desk, today = scope.deps.rulebook, scope.case, scope.desk, scope.today
    by_key = {party_key(p): p for p in scope.parties.reported}
    employment = {k: p.employment for k, p in by_key.items() if p.employment is not None}
    rows = rerouted(
        decision.rows,
        employment,
        referral_date=today,
        switch_date=rulebook.elections.referral_switch_date,
    )
    decision.set_rows(rows)
    for row in rows:
        by_key[row.party].authority = row.authority
    scope.session.add(decision)
    contacts = rulebook.letters.authorities
    superiors = {k: superior_of(p) for k, p in by_key.items()}
    if missing := unaddressed(rows, superiors, contacts):
        raise ReferralImpossible([f"{by_key[k].name} ({by_key[k].employment})" for k in missing])
    act_date = decision.act_date or case.occurred_on
    row_of = {r.party: r for r in rows}
    review = kajian_of(scope, decision).redacted(disclosed=scope.desk.disclosed_reporter())
    ppk_emailed: set[str] = set()
    kajian_letter = current_kajian(scope)
    basis = rulebook.letters.legal_basis[case.election_type]
    office = scope.office
    for group in referral_groups(rows):
        people = [by_key[k] for k in group.parties]
        to = referral_addressee(group.authority, superiors[group.parties[0]], contacts)
        assert to is not None  # every person has an addressee (checked above)
        to_asn_authority = copies_the_ppk(group)
        # A non-ASN's referral goes to their own agency head, who is named as such.
        authority = authority_name(group.authority) if to_asn_authority else to.name
        findings = [
            finding_for(
                by_key[k],
                row_of[k],
                decision.acts,
                act_date,
                rulebook.catalogue,
                authority=authority,
            )
            for k in group.parties
        ]
        ppk_copies = [p.ppk_title for p in people if p.ppk_title] if to_asn_authority else []
        letter = desk.issue(
            referral(case, authority, kajian_letter, findings, people=people, basis=basis),
            to,
            issued_on=today,
            tembusan=(*ppk_copies, office.personnel_agency, "Arsip"),
        )
        # The kajian attached to this referral covers only the people it refers.
        own_review = review.model_copy(update={"findings": tuple(findings)})
        lampiran = desk.issue(
            own_review,
            Addressee(f"lampiran-{to.key}", to.name),
            issued_on=today,
            attached_to=letter,
        )
        desk.send(letter, to, Recipient.AUTHORITY, attachments=[lampiran])
        for person, finding in zip(people, findings, strict=True):
            copied = to_asn_authority and bool(person.ppk_title)
            if copied and person.ppk_email and person.ppk_email not in ppk_emailed:
                # The PPK acts on the recommendation: the copy carries the kajian too, once
                # per PPK however many of their staff the referral names.
                ppk_emailed.add(person.ppk_email)
                ppk = Addressee(
                    f"ppk-{party_key(person)}", person.ppk_title or "PPK", email=person.ppk_email
                )
                desk.send(
                    letter,
                    ppk,
                    Recipient.PPK,
                    attachments=[lampiran],
                    copy_of=to.name,
                    copy_note=PPK_COPY_NOTE,
                )
            _notify_reported(scope, person, finding, letter, ppk_copied=copied)
        if office.personnel_agency_email:  # for information: the letter alone
            agency = Addressee(
                f"tembusan-{to.key}", office.personnel_agency, email=office.personnel_agency_email
            )
            desk.send(letter, agency, Recipient.COPY, copy_of=to.name)
    scope.tell_reporter(NoticeStatus.RESULT, "hasil", RESULT_TEXT[DecisionOutcome.VIOLATION])


def _notify_reported(
    scope: CaseScope,
    person: Party,
    finding: PersonFinding,
    referral_letter: Letter,
    *,
    ppk_copied: bool,
) -> None:
    body = referral_notice(scope.case, person, finding, referral_letter, ppk_copied=ppk_copied)
    scope.desk.issue_and_send(
        body, party_addressee(person), Recipient.REPORTED, issued_on=scope.today
    )
