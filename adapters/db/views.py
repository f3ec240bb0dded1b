"""Read models for people and programs: one case with everything, or the list of cases."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from adapters.db.cases import (
    case_deadlines,
    case_events,
    case_label,
    case_parties,
    get_case,
)
from adapters.db.evidence import case_evidence
from adapters.db.letters import case_letters
from adapters.db.links import LinkedCase, case_links
from adapters.db.outbox import messages_for_case
from adapters.db.proceedings import decision_of
from adapters.db.replies import case_replies
from models.stages import TERMINAL, CaseEvent, Stage
from models.tables import AuthorityReply, CaseDecision, Evidence, Letter, OutboxMessage
from models.tables.case import Case, CaseDeadline, DeadlineStatus, Party, StageEvent

# What a case view may show of a party: never the reporter's contact details.
_PARTY_FIELDS = ("role", "position", "name", "employment", "job_title", "agency", "authority")
_LINK_FIELDS = {"reason", "automatic", "actor", "at", "removed_at", "removed_by", "removed_reason"}


@dataclass(frozen=True)
class CaseView:
    case: Case
    parties: list[Party]
    deadlines: list[CaseDeadline]
    events: list[StageEvent]
    letters: list[Letter]
    emails: list[OutboxMessage]
    links: list[LinkedCase]  # removed ones included (their history)
    replies: list[AuthorityReply]
    evidence: list[Evidence]

    @property
    def related(self) -> list[LinkedCase]:
        """The links in force."""
        return [x for x in self.links if x.active]

    @property
    def case_id(self) -> int:
        assert self.case.id is not None
        return self.case.id

    def as_json(self) -> dict[str, Any]:
        case = self.case.model_dump(
            mode="json",
            exclude={"report", "source_hash", "version", "next_due", "next_due_rule"},
        )
        case["stage_label"] = self.case.stage.label
        return {
            "case": case,
            "parties": [
                p.model_dump(mode="json", include=set(_PARTY_FIELDS)) for p in self.parties
            ],
            "deadlines": [
                d.model_dump(mode="json", exclude={"id", "case_id"}) for d in self.deadlines
            ],
            "events": [e.model_dump(mode="json", exclude={"id", "case_id"}) for e in self.events],
            "letters": [x.model_dump(mode="json", exclude={"id", "case_id"}) for x in self.letters],
            "replies": [r.model_dump(mode="json", exclude={"id", "case_id"}) for r in self.replies],
            "evidence": [
                e.model_dump(mode="json", exclude={"id", "case_id"}) for e in self.evidence
            ],
            "emails": [
                {
                    "key": m.key,
                    "to": m.to_address,
                    "role": m.recipient_role,
                    "status": m.status,
                    "attempts": m.attempts,
                    "sent_at": m.sent_at and m.sent_at.isoformat(),
                    "letter_id": m.letter_id,
                    "last_error": m.last_error or None,
                }
                for m in self.emails
            ],
            "links": [
                {
                    "case_id": x.other.id,
                    "case": case_label(x.other),
                    "stage": x.other.stage,
                    **x.link.model_dump(mode="json", include=_LINK_FIELDS),
                }
                for x in self.links
            ],
        }


def case_view(engine: Engine, ref: str) -> CaseView:
    with Session(engine) as session:
        case = get_case(session, ref)
        assert case.id is not None
        return CaseView(
            case,
            case_parties(session, case.id),
            case_deadlines(session, case.id),
            case_events(session, case.id),
            case_letters(session, case.id),
            messages_for_case(session, case.id),
            case_links(session, case.id),
            case_replies(session, case.id),
            case_evidence(session, case.id),
        )


def case_rows(
    engine: Engine,
    *,
    office: str | None = None,
    stage: Stage | None = None,
    open_only: bool = False,
    limit: int | None = None,
    offset: int = 0,
    where: Sequence[Any] = (),
    newest_first: bool = False,
    soonest_first: bool = False,
) -> list[tuple[Case, CaseDeadline | None]]:
    """Cases with their earliest open deadline, one page (`limit`, `offset`) in one query that
    binds no list of ids: the deadline is the one `cases.next_due_rule` names (the case row
    keeps it, `adapters.db.next_due`), so a page reads its own rows and no others. Ordered by
    id (`newest_first`: descending), or `soonest_first`: only the cases with an open deadline,
    by its due date, through the partial index on `cases.next_due`. `where`: further
    conditions on the case (the desk's search, `adapters.db.search`)."""
    query = select(Case, CaseDeadline).outerjoin(
        CaseDeadline,
        and_(
            col(CaseDeadline.case_id) == col(Case.id),
            col(CaseDeadline.rule) == col(Case.next_due_rule),
        ),
    )
    query = _filtered(query, office=office, stage=stage, open_only=open_only).where(*where)
    if soonest_first:
        query = query.where(col(Case.next_due).is_not(None))
        order: tuple[Any, ...] = (col(Case.next_due), col(Case.id))
    else:
        order = (col(Case.id).desc() if newest_first else col(Case.id),)
    with Session(engine) as session:
        return _rows(session, query.order_by(*order).offset(offset).limit(limit))


def _rows(session: Session, query: Any) -> list[tuple[Case, CaseDeadline | None]]:
    return [(case, deadline) for case, deadline in session.exec(query).all()]


def count_cases(
    engine: Engine,
    *,
    office: str | None = None,
    stage: Stage | None = None,
    open_only: bool = False,
    where: Sequence[Any] = (),
) -> int:
    query = _filtered(
        select(func.count(col(Case.id))), office=office, stage=stage, open_only=open_only
    ).where(*where)
    with Session(engine) as session:
        return int(session.exec(query).one())


def _filtered(query: Any, *, office: str | None, stage: Stage | None, open_only: bool) -> Any:
    if office:
        query = query.where(Case.office_key == office)
    if stage:
        query = query.where(Case.stage == stage)
    if open_only:
        query = query.where(col(Case.stage).not_in(TERMINAL))
    return query


def correspondence(engine: Engine, case_id: int) -> tuple[list[Letter], list[OutboxMessage]]:
    with Session(engine) as session:
        return case_letters(session, case_id), messages_for_case(session, case_id)


def max_event_id(engine: Engine) -> int:
    """The newest case event so far: a flow publishes only the events it added after it."""
    with Session(engine) as session:
        return int(session.exec(select(func.max(StageEvent.id))).one() or 0)


def cases_with_events(engine: Engine, since_event: int, kinds: frozenset[CaseEvent]) -> list[int]:
    """The cases that recorded an event of `kinds` after the event `since_event`."""
    with Session(engine) as session:
        query = (
            select(StageEvent.case_id)
            .where(col(StageEvent.id) > since_event, col(StageEvent.event).in_(kinds))
            .distinct()
            .order_by(col(StageEvent.case_id))
        )
        return list(session.exec(query).all())


def case_label_of(engine: Engine, ref: str) -> str:
    with Session(engine) as session:
        return case_label(get_case(session, ref))


def case_id_of(engine: Engine, ref: str) -> int:
    with Session(engine) as session:
        case_id = get_case(session, ref).id
        assert case_id is not None
        return case_id


def missed_rules(engine: Engine, case_ids: Sequence[int]) -> dict[int, set[str]]:
    """The deadline rules each of `case_ids` (a page of them) has missed."""
    missed: dict[int, set[str]] = {}
    if not case_ids:
        return missed
    with Session(engine) as session:
        query = select(CaseDeadline.case_id, CaseDeadline.rule).where(
            CaseDeadline.status == DeadlineStatus.MISSED,
            col(CaseDeadline.case_id).in_(sorted(set(case_ids))),
        )
        for case_id, rule in session.exec(query).all():
            missed.setdefault(case_id, set()).add(rule)
    return missed


def decision_view(engine: Engine, case_id: int) -> CaseDecision:
    with Session(engine) as session:
        return decision_of(session, case_id)
