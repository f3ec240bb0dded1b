"""Clarification: invitations to the reported persons and witnesses, then the hearing record.

Each person gets an *undangan klarifikasi*; after the hearing, a *Berita Acara Klarifikasi* per
person records attendance, oath and statement. Non-attendance is recorded and handling goes on.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from sqlmodel import select

from adapters.db.cases import move_case
from adapters.db.engine import unit_of_work
from models.inputs import HearingOutcome, HearingSchedule
from models.letters.builders import hearing_record, invitation, party_key
from models.rules.calendar import local_date
from models.stages import Stage
from models.tables.proceedings import Hearing
from services.deps import Deps, load_case
from services.desk import Addressee, issue_and_send, issue_letter


class UnknownParty(ValueError):
    pass


def invite_for_clarification(
    deps: Deps, case_ref: str, schedule: HearingSchedule, *, actor: str, now: datetime
) -> Stage:
    """Invite every reported person and witness; returns the case's stage."""
    rulebook = deps.rulebook
    with unit_of_work(deps.engine) as session:
        case, parties = load_case(session, case_ref)
        if case.stage is not Stage.REGISTERED:
            return case.stage
        assert case.id is not None
        office = rulebook.offices[case.office_key]
        at = datetime.combine(schedule.date, schedule.time, ZoneInfo(office.timezone))
        today = local_date(now, office.timezone)
        for party in [*parties.reported, *parties.witnesses]:
            assert party.id is not None
            hearing = Hearing(
                case_id=case.id, party_id=party.id, scheduled_at=at, place=schedule.place
            )
            session.add(hearing)
            to = Addressee(party_key(party), party.name, party.address or "Tempat", party.email)
            issue_and_send(
                session,
                rulebook=rulebook,
                letters_dir=deps.letters_dir,
                case=case,
                kind="undangan_klarifikasi",
                to=to,
                issued_on=today,
                outbound=True,
                build=partial(invitation, case=case, party=party, hearing=hearing, office=office),
                role=party.role.value,
                now=now,
            )
        move_case(
            session,
            case,
            Stage.CLARIFICATION,
            event="ClarificationScheduled",
            actor=actor,
            reason=f"klarifikasi {at.isoformat()} di {schedule.place}",
            now=now,
        )
        return Stage.CLARIFICATION


def record_clarification(
    deps: Deps, case_ref: str, outcomes: list[HearingOutcome], *, actor: str, now: datetime
) -> Stage:
    """Record who attended and what they said; one Berita Acara per person heard."""
    rulebook = deps.rulebook
    with unit_of_work(deps.engine) as session:
        case, parties = load_case(session, case_ref)
        if case.stage is not Stage.CLARIFICATION:
            return case.stage
        office = rulebook.offices[case.office_key]
        today = local_date(now, office.timezone)
        by_key = {party_key(p): p for p in [*parties.reported, *parties.witnesses]}
        unknown = [o.party for o in outcomes if o.party not in by_key]
        if unknown:
            raise UnknownParty(
                f"pihak tidak dikenal: {', '.join(unknown)}; yang ada: {', '.join(by_key)}"
            )
        given = {o.party for o in outcomes}
        # Whoever has no recorded outcome did not attend: that is on record too (Pasal 30).
        outcomes = [
            *outcomes,
            *(HearingOutcome(party=key, attended=False) for key in by_key if key not in given),
        ]
        for outcome in outcomes:
            party = by_key[outcome.party]
            hearing = session.exec(
                select(Hearing).where(Hearing.case_id == case.id, Hearing.party_id == party.id)
            ).one()
            hearing.attended, hearing.oath_taken = outcome.attended, outcome.oath_taken
            hearing.statement, hearing.recorded_at = outcome.statement or None, now
            session.add(hearing)
            issue_letter(
                session,
                rulebook=rulebook,
                letters_dir=deps.letters_dir,
                case=case,
                kind="berita_acara_klarifikasi",
                to=Addressee(outcome.party, f"Ketua {office.short_name}"),
                issued_on=today,
                outbound=False,
                build=partial(
                    hearing_record, case=case, party=party, hearing=hearing, office=office
                ),
            )
        attended = sum(o.attended for o in outcomes)
        move_case(
            session,
            case,
            Stage.UNDER_REVIEW,
            event="ClarificationRecorded",
            actor=actor,
            reason=f"{attended} dari {len(outcomes)} pihak hadir",
            now=now,
        )
        return Stage.UNDER_REVIEW
