"""Related reports (issue 10, Build 6): at intake a new case is linked to the open cases about
the same person or the same incident in the same election; a person links or unlinks two cases
by hand. Linked, never merged: each case keeps its number, deadlines and letters. Each link and
each removal is an event on both cases; a removed link is kept with who, when and why.

The matching rule is pure (`models.links`); the query is `adapters.db.links`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from adapters.db.cases import case_label, get_case, record_event
from adapters.db.engine import unit_of_work
from adapters.db.links import add_link, link_candidates, pair_links
from models.access import Action, Actor, require
from models.links import case_facts, link_reasons, link_refusal, nip_key, unlink_refusal
from models.outcomes import StageOutcome, StageResult
from models.stages import CaseEvent
from models.tables import Case, Party
from services.deps import Deps
from services.scope import race_safe


class LinkRefused(ValueError):
    """The cases cannot be linked or unlinked as asked (the same case, no reason, no link)."""


@dataclass(frozen=True)
class LinkMade:
    """A link intake made: the other case as people know it, and why."""

    case_id: int
    label: str
    reason: str


def link_related(
    session: Session, case: Case, reported: Sequence[Party], *, actor: Actor, now: datetime
) -> list[LinkMade]:
    """Link the case just recorded to every open case about the same person or incident in the
    same election (inside the intake's transaction)."""
    facts = case_facts(case, reported)
    nips = {nip_key(p.nip) for p in facts.people} - {""}
    names = {"".join(p.name.split()).lower() for p in facts.people}
    made: list[LinkMade] = []
    for other, people in link_candidates(session, case, nips=nips, names=names):
        reasons = link_reasons(facts, case_facts(other, people))
        if reasons:
            reason = "; ".join(reasons)
            _record_link(session, case, other, reason=reason, automatic=True, actor=actor, now=now)
            assert other.id is not None
            made.append(LinkMade(other.id, case_label(other), reason))
    return made


@race_safe
def link_cases(
    deps: Deps, case_ref: str, other_ref: str, *, reason: str, actor: Actor, now: datetime
) -> StageResult:
    """Link two cases by hand; a pair already linked is left as it is (ALREADY_DONE)."""
    try:
        with unit_of_work(deps.engine) as session:
            case, other = get_case(session, case_ref), get_case(session, other_ref)
            assert case.id is not None and other.id is not None
            _require_both(actor, case, other)
            if why := link_refusal(case.id, other.id, reason):
                raise LinkRefused(why)
            links = pair_links(session, case.id, other.id)
            if links and links[-1].removed_at is None:
                return _result(case, StageOutcome.ALREADY_DONE)
            _record_link(
                session, case, other, reason=reason.strip(), automatic=False, actor=actor, now=now
            )
            return _result(case, StageOutcome.MOVED)
    except IntegrityError:
        # Another process linked the pair between our read and our insert (unique index).
        with unit_of_work(deps.engine) as session:
            case, other = get_case(session, case_ref), get_case(session, other_ref)
            assert case.id is not None and other.id is not None
            links = pair_links(session, case.id, other.id)
            if links and links[-1].removed_at is None:
                return _result(case, StageOutcome.ALREADY_DONE)
            raise


@race_safe
def unlink_cases(
    deps: Deps, case_ref: str, other_ref: str, *, reason: str, actor: Actor, now: datetime
) -> StageResult:
    """Remove the link in force between two cases, keeping it marked as removed; a link already
    removed is left as it is (ALREADY_DONE)."""
    with unit_of_work(deps.engine) as session:
        case, other = get_case(session, case_ref), get_case(session, other_ref)
        assert case.id is not None and other.id is not None
        _require_both(actor, case, other)
        links = pair_links(session, case.id, other.id) if case.id != other.id else []
        if why := unlink_refusal(case.id, other.id, reason, ever_linked=bool(links)):
            raise LinkRefused(why)
        current = links[-1]
        if current.removed_at is not None:
            return _result(case, StageOutcome.ALREADY_DONE)
        current.removed_at, current.removed_by = now, actor.label
        current.removed_reason = reason.strip()
        session.add(current)
        for a, b in ((case, other), (other, case)):
            record_event(
                session,
                a,
                CaseEvent.UNLINKED,
                actor=actor,
                reason=f"tautan dengan {case_label(b)} dilepas: {reason.strip()}",
                now=now,
            )
        return _result(case, StageOutcome.MOVED)


def _record_link(
    session: Session,
    case: Case,
    other: Case,
    *,
    reason: str,
    automatic: bool,
    actor: Actor,
    now: datetime,
) -> None:
    """The link row and its event on both cases."""
    assert case.id is not None and other.id is not None
    add_link(session, case.id, other.id, reason=reason, automatic=automatic, actor=actor, now=now)
    for a, b in ((case, other), (other, case)):
        record_event(
            session,
            a,
            CaseEvent.LINKED,
            actor=actor,
            reason=f"ditautkan dengan {case_label(b)}: {reason}",
            now=now,
        )


def _result(case: Case, outcome: StageOutcome) -> StageResult:
    assert case.id is not None
    return StageResult(case.stage, outcome, case.id, case_label(case))


def _require_both(actor: Actor, case: Case, other: Case) -> None:
    """Linking touches both cases' records: the actor must be allowed in both offices."""
    for office_key in {case.office_key, other.office_key}:
        require(actor, Action.RECORD, office_key)
