"""Reading and writing links between cases. The caller owns the transaction (`unit_of_work`).

A link is stored once per pair, the lower case id first; every read here returns it from the
side of the case asked about, so a link reads the same from both cases."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from models.access import Actor
from models.stages import TERMINAL
from models.tables import Case, CaseLink, Party, PartyRole


@dataclass(frozen=True)
class LinkedCase:
    """A link as one case sees it: the other case and the link row."""

    other: Case
    link: CaseLink

    @property
    def active(self) -> bool:
        return self.link.removed_at is None


def _pair(case_id: int, other_id: int) -> tuple[int, int]:
    return (case_id, other_id) if case_id < other_id else (other_id, case_id)


def link_candidates(
    session: Session, case: Case, *, nips: Collection[str], names: Collection[str]
) -> list[tuple[Case, list[Party]]]:
    """The open cases of the same election type and year that may concern the same person (a
    reported person with one of `nips`, digits only, or one of `names`, lowercased without
    spaces) or the same incident (the same date), with their reported persons. A coarse filter:
    the matching rule (`models.links`) decides."""
    nip_digits = func.replace(func.replace(func.replace(Party.nip, " ", ""), ".", ""), "-", "")
    name_key = func.lower(func.replace(Party.name, " ", ""))
    same_person = select(Party.case_id).where(
        Party.role == PartyRole.REPORTED,
        or_(nip_digits.in_(list(nips)), name_key.in_(list(names))),
    )
    query = (
        select(Case)
        .where(
            col(Case.id) != case.id,
            Case.election_type == case.election_type,
            Case.election_year == case.election_year,
            col(Case.stage).not_in(TERMINAL),
            or_(col(Case.occurred_on) == case.occurred_on, col(Case.id).in_(same_person)),
        )
        .order_by(col(Case.id))
    )
    found = list(session.exec(query).all())
    reported = session.exec(
        select(Party)
        .where(col(Party.case_id).in_([c.id for c in found]), Party.role == PartyRole.REPORTED)
        .order_by(col(Party.position))
    ).all()
    return [(c, [p for p in reported if p.case_id == c.id]) for c in found]


def pair_links(session: Session, case_id: int, other_id: int) -> list[CaseLink]:
    """Every link the pair ever had, oldest first (at most the last one is in force)."""
    low, high = _pair(case_id, other_id)
    query = select(CaseLink).where(CaseLink.case_id == low, CaseLink.other_case_id == high)
    return list(session.exec(query.order_by(col(CaseLink.id))).all())


def add_link(
    session: Session,
    case_id: int,
    other_id: int,
    *,
    reason: str,
    automatic: bool,
    actor: Actor,
    now: datetime,
) -> CaseLink:
    low, high = _pair(case_id, other_id)
    link = CaseLink(
        case_id=low,
        other_case_id=high,
        reason=reason,
        automatic=automatic,
        actor=actor.label,
        at=now,
    )
    session.add(link)
    session.flush()
    return link


def case_links(session: Session, case_id: int) -> list[LinkedCase]:
    """Every link of the case, from its side, removed ones included, oldest first."""
    query = select(CaseLink).where(
        or_(col(CaseLink.case_id) == case_id, col(CaseLink.other_case_id) == case_id)
    )
    rows = list(session.exec(query.order_by(col(CaseLink.id))).all())
    ids = {r.other_case_id if r.case_id == case_id else r.case_id for r in rows}
    others = {c.id: c for c in session.exec(select(Case).where(col(Case.id).in_(ids))).all()}
    return [
        LinkedCase(others[r.other_case_id if r.case_id == case_id else r.case_id], r) for r in rows
    ]
