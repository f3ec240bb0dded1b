"""Approval: a supervisor approves the recommendation (or returns it with a note). Approval
issues every outbound letter and queues its email; none is sent before this point.

The referral rules (who goes where, grouped how) are `models.rules.referral`; this service loads
the rows, applies them and issues the letters.
"""

from __future__ import annotations

from datetime import datetime

from adapters.db.proceedings import decision_of
from models.enums import ReportKind
from models.inputs import ApprovalInput
from models.letters.common import party_key
from models.letters.contexts import NoticeStatus
from models.letters.decision import finding_for, referral, referral_notice
from models.letters.head import Addressee, PersonFinding
from models.letters.intake import status_notice
from models.outcomes import StageResult, approval_transition
from models.rules.referral import (
    ReferralImpossible,
    Superior,
    authority_name,
    referral_addressee,
    referral_groups,
    rerouted,
)
from models.stages import Stage
from models.tables import CaseDecision, Letter, Party
from services.deps import Deps
from services.recommendation import kajian
from services.scope import CaseScope, open_case

RESULT_TEXT = (
    "Dugaan pelanggaran terbukti dan telah diteruskan kepada instansi yang berwenang untuk "
    "dijatuhi sanksi."
)


def approve_recommendation(
    deps: Deps, case_ref: str, approval: ApprovalInput, *, actor: str, now: datetime
) -> StageResult:
    transition = approval_transition(approval)
    with open_case(deps, case_ref, now) as scope:
        if done := scope.settled({Stage.AWAITING_APPROVAL}, transition.target):
            return done
        decision = decision_of(scope.session, scope.case_id)
        if not approval.approved:
            decision.return_note = approval.note
            scope.session.add(decision)
            reason = approval.note or "dikembalikan untuk dikaji ulang"
            return scope.move(transition, actor=actor, reason=reason)
        decision.approved_by, decision.approved_at = actor, now
        scope.session.add(decision)
        _issue_outbound(scope, decision)
        return scope.move(transition, actor=actor, reason=approval.note or "rekomendasi disetujui")


def _superior(person: Party) -> Superior:
    return Superior(party_key(person), person.ppk_title, person.ppk_email)


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
    unaddressed = [
        f"{by_key[r.party].name} ({by_key[r.party].employment})"
        for r in rows
        if referral_addressee(r.authority, _superior(by_key[r.party]), contacts) is None
    ]
    if unaddressed:
        raise ReferralImpossible(unaddressed)
    act_date = decision.act_date or case.occurred_on
    findings = {
        r.party: finding_for(by_key[r.party], r, decision.acts, act_date, rulebook.catalogue)
        for r in rows
    }
    redacted = kajian(scope.session, case, scope.parties, decision, rulebook).redacted()
    kajian_letter = desk.issue(
        redacted, Addressee("lampiran-penerusan", "Lampiran surat penerusan"), issued_on=today
    )
    for group in referral_groups(rows):
        people = [by_key[k] for k in group.parties]
        to = referral_addressee(group.authority, _superior(people[0]), contacts)
        assert to is not None  # every person has an addressee (checked above)
        ppk_copies = tuple(dict.fromkeys(p.ppk_title for p in people if p.ppk_title))
        body = referral(
            case,
            authority_name(group.authority),
            kajian_letter,
            [findings[k] for k in group.parties],
        )
        letter = desk.issue(
            body,
            to,
            issued_on=today,
            tembusan=(*ppk_copies, scope.office.personnel_agency, "Arsip"),
        )
        desk.send(letter, to, "otoritas")
        desk.send(kajian_letter, to, "otoritas")
        for person in people:
            if person.ppk_email and group.to_asn_authority:
                ppk = Addressee(
                    f"ppk-{party_key(person)}", person.ppk_title or "PPK", email=person.ppk_email
                )
                desk.send(letter, ppk, "ppk")
            _notify_reported(scope, person, findings[party_key(person)], letter)
    if case.kind is ReportKind.LAPORAN:
        notice = status_notice(case, scope.parties.reporter, NoticeStatus.RESULT, text=RESULT_TEXT)
        desk.to_reporter(notice, "hasil", issued_on=today)


def _notify_reported(
    scope: CaseScope, person: Party, finding: PersonFinding, referral_letter: Letter
) -> None:
    to = Addressee(party_key(person), person.name, person.address or "Tempat", person.email)
    body = referral_notice(scope.case, person, finding, referral_letter)
    scope.desk.issue_and_send(body, to, "terlapor", issued_on=scope.today)
