"""Clarification: invitations to the reported persons, the witnesses and (for a laporan) the
reporter, then the hearing record.

Each person gets an *undangan klarifikasi*; after the hearing, a *Berita Acara Klarifikasi* per
person records attendance, oath and statement. Non-attendance is recorded and handling goes on.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from adapters.db.proceedings import hearing_for, invited
from models.access import Action, Actor
from models.enums import ReportKind
from models.indonesian import hari, jam, tanggal, zona_waktu
from models.inputs import HearingOutcome, HearingSchedule
from models.letters.clarification import hearing_record, invitation
from models.letters.common import archive_addressee, as_recipient, party_addressee, party_key
from models.letters.decision import violation_label
from models.outcomes import (
    CLARIFICATION_RECORDED,
    CLARIFICATION_SCHEDULED,
    StageResult,
    heard_twice,
)
from models.stages import Stage
from models.tables import Hearing
from services.deps import Deps
from services.scope import open_case, race_safe


class UnknownParty(ValueError):
    pass


@race_safe
def invite_for_clarification(
    deps: Deps, case_ref: str, schedule: HearingSchedule, *, actor: Actor, now: datetime
) -> StageResult:
    """Invite every reported person and witness to the hearing."""
    with open_case(deps, case_ref, now, actor, Action.CLARIFY) as scope:
        if done := scope.settled({Stage.REGISTERED}, CLARIFICATION_SCHEDULED):
            return done
        at = datetime.combine(schedule.date, schedule.time, ZoneInfo(scope.office.timezone))
        basis = deps.rulebook.letters.legal_basis[scope.case.election_type]
        violation = violation_label(scope.parties.reported)
        asking_reporter = schedule.invite_reporter and scope.case.kind is ReportKind.LAPORAN
        parties = scope.parties.everyone if asking_reporter else scope.parties.heard
        for party in parties:
            assert party.id is not None
            hearing = Hearing(
                case_id=scope.case_id, party_id=party.id, scheduled_at=at, place=schedule.place
            )
            scope.session.add(hearing)
            scope.desk.issue_and_send(
                invitation(scope.case, party, hearing, scope.office, basis, violation=violation),
                party_addressee(party),
                as_recipient(party),
                issued_on=scope.today,
            )
        zone = zona_waktu(scope.office.timezone)
        when = f"{hari(at.date())}, {tanggal(at.date())} pukul {jam(at.time(), zone)}"
        reason = f"klarifikasi {when} di {schedule.place}"
        return scope.move(CLARIFICATION_SCHEDULED, actor=actor, reason=reason)


@race_safe
def record_clarification(
    deps: Deps, case_ref: str, outcomes: list[HearingOutcome], *, actor: Actor, now: datetime
) -> StageResult:
    """Record who attended and what they said; one Berita Acara per person heard."""
    with open_case(deps, case_ref, now, actor, Action.CLARIFY) as scope:
        if done := scope.settled({Stage.CLARIFICATION}, CLARIFICATION_RECORDED):
            return done
        heard = invited(scope.session, scope.case_id, scope.parties.everyone)
        by_key = {party_key(p): p for p in heard}
        unknown = [o.party for o in outcomes if o.party not in by_key]
        if unknown:
            raise UnknownParty(
                f"pihak tidak dikenal: {', '.join(unknown)}; yang ada: {', '.join(by_key)}"
            )
        if twice := heard_twice([o.party for o in outcomes]):
            raise UnknownParty(twice)
        given = {o.party for o in outcomes}
        # Whoever has no recorded outcome did not attend: that is on record too (Pasal 30).
        outcomes = [
            *outcomes,
            *(HearingOutcome(party=key, attended=False) for key in by_key if key not in given),
        ]
        for outcome in outcomes:
            party = by_key[outcome.party]
            hearing = hearing_for(scope.session, scope.case_id, party.id)
            hearing.attended, hearing.oath_taken = outcome.attended, outcome.oath_taken
            hearing.statement, hearing.recorded_at = outcome.statement or None, now
            hearing.questions = [q.model_dump() for q in outcome.questions] or None
            scope.session.add(hearing)
            scope.desk.issue(
                hearing_record(scope.case, party, hearing, scope.office),
                archive_addressee(scope.office, outcome.party),
                issued_on=scope.today,
            )
        attended = sum(o.attended for o in outcomes)
        reason = f"{attended} dari {len(outcomes)} pihak hadir"
        return scope.move(CLARIFICATION_RECORDED, actor=actor, reason=reason)
