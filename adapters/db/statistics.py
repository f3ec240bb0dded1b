"""The recap statistics counted in the database: every figure is an aggregate (GROUP BY) over the
case rows the filter selects, never a list of cases read into Python. The same SQL runs on SQLite
and PostgreSQL; the two differences (whole days between two timestamps, the elements of a JSON
array) are compiled per dialect.

Each case's milestones (`models.statistics.MILESTONE_EVENTS`) are the first event of their kinds
in `stage_event`, pivoted to one row per case (`_milestones`): that row says whether, and when,
the case was registered, proven, referred, recommended on and acted on."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Integer, and_, case, func, literal, or_, select, true, union_all
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.compiler import SQLCompiler

from models.enums import Authority, ReportKind
from models.statistics import (
    MILESTONE_EVENTS,
    OFFICE_DEADLINES_ONLY,
    OTHER_POSITION,
    SPANS,
    UNKNOWN_POSITION,
    Funnel,
    Milestone,
    PositionCategory,
)
from models.tables import CaseDecision, DeadlineStatus, Party, PartyRole, StageEvent
from models.tables.case import Case, CaseDeadline

_cases = Case.__table__  # type: ignore[attr-defined]
_events = StageEvent.__table__  # type: ignore[attr-defined]
_parties = Party.__table__  # type: ignore[attr-defined]
_decisions = CaseDecision.__table__  # type: ignore[attr-defined]
_deadlines = CaseDeadline.__table__  # type: ignore[attr-defined]

REFERRAL_AUTHORITIES = (Authority.KASN.value, Authority.BKN.value)


class days_between(FunctionElement[int]):  # noqa: N801 (a SQL function's name)
    """Whole days elapsed from the first timestamp to the second (rounded down)."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_sqlite(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"


@compiles(days_between, "postgresql")
def _days_postgresql(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(EXTRACT(DAY FROM ({end} - {start})) AS INTEGER)"


@dataclass(frozen=True)
class CaseFilter:
    """Which cases are counted. `offices` None: every office (an empty set counts nothing)."""

    offices: frozenset[str] | None = None
    received_from: date | None = None
    received_to: date | None = None
    election_type: str | None = None
    election_year: int | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        c = _cases.c
        found: list[ColumnElement[bool]] = []
        if self.offices is not None:
            found.append(c.office_key.in_(sorted(self.offices)))
        if self.received_from is not None:
            found.append(c.received_on >= self.received_from)
        if self.received_to is not None:
            found.append(c.received_on <= self.received_to)
        if self.election_type is not None:
            found.append(c.election_type == self.election_type)
        if self.election_year is not None:
            found.append(c.election_year == self.election_year)
        return found


@dataclass(frozen=True)
class Counted:
    """What the database counted for one recap."""

    funnel: Funnel
    spans: dict[str, dict[int, int]]  # span key → {whole days: cases}
    missed: dict[str, int]  # deadline rule → deadlines missed
    cases_missing_deadlines: int
    by_office: list[tuple[str, Funnel]]
    by_code: list[tuple[str, Funnel]]
    by_employment: list[tuple[str | None, Funnel]]
    by_position: list[tuple[str, Funnel]]


def _milestones(where: Sequence[ColumnElement[bool]]) -> Any:
    """One row per case: the first time of each milestone's events (NULL: not reached)."""
    wanted = sorted({e.value for events in MILESTONE_EVENTS.values() for e in events})
    columns = [
        func.min(case((_events.c.event.in_(sorted(e.value for e in events)), _events.c.at))).label(
            milestone.value
        )
        for milestone, events in MILESTONE_EVENTS.items()
    ]
    return (
        select(_events.c.case_id, *columns)
        .select_from(_events.join(_cases, _cases.c.id == _events.c.case_id))
        .where(_events.c.event.in_(wanted), *where)
        .group_by(_events.c.case_id)
        .cte("milestones")
    )


def _reached(m: Any, milestone: Milestone) -> ColumnElement[bool]:
    return m.c[milestone.value].is_not(None)


def _count_if(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _referred_to_asn_authority(m: Any) -> ColumnElement[bool]:
    """Referred, with at least one reported person going to KASN or BKN."""
    person = (
        select(literal(1))
        .where(
            _parties.c.case_id == _cases.c.id,
            _parties.c.role == PartyRole.REPORTED.value,
            _parties.c.authority.in_(REFERRAL_AUTHORITIES),
        )
        .exists()
    )
    return and_(_reached(m, Milestone.REFERRED), person)


def _funnel_columns(m: Any) -> list[Any]:
    """The counts of `Funnel`, in its field order, over the rows of `cases` joined to `m`."""
    recommended = _reached(m, Milestone.RECOMMENDED)
    acted = _reached(m, Milestone.ACTED)
    return [
        func.count(),
        _count_if(_cases.c.kind == ReportKind.LAPORAN.value),
        _count_if(_cases.c.kind == ReportKind.TEMUAN.value),
        _count_if(_reached(m, Milestone.REGISTERED)),
        _count_if(_reached(m, Milestone.PROVEN)),
        _count_if(_referred_to_asn_authority(m)),
        _count_if(recommended),
        _count_if(acted),
        _count_if(and_(recommended, acted)),
    ]


def _funnel(row: Sequence[Any]) -> Funnel:
    return Funnel(*(int(x or 0) for x in row))


def _grouped(
    engine: Engine, where: Sequence[ColumnElement[bool]], pairs: Any
) -> list[tuple[Any, Funnel]]:
    """The funnel per key of `pairs` (distinct (case_id, key) rows): a case counts once in each
    of its keys' rows."""
    m = _milestones(where)
    query = (
        select(pairs.c.key, *_funnel_columns(m))
        .select_from(
            pairs.join(_cases, _cases.c.id == pairs.c.case_id).outerjoin(
                m, m.c.case_id == _cases.c.id
            )
        )
        .where(*where)
        .group_by(pairs.c.key)
        .order_by(pairs.c.key)
    )
    with engine.connect() as connection:
        return [(row[0], _funnel(row[1:])) for row in connection.execute(query)]


def _office_pairs() -> Any:
    return select(_cases.c.id.label("case_id"), _cases.c.office_key.label("key")).subquery()


def _code_pairs(dialect: str) -> Any:
    """(case, violation code) for every code the decision names (`case_decision.acts`)."""
    function = "json_array_elements_text" if dialect == "postgresql" else "json_each"
    acts = getattr(func, function)(_decisions.c.acts).table_valued("value").alias("act")
    return (
        select(_decisions.c.case_id, acts.c.value.label("key"))
        .select_from(_decisions.join(acts, true()))  # each decision with its own codes
        .distinct()
        .subquery()
    )


def _reported_pairs(key: ColumnElement[Any]) -> Any:
    return (
        select(_parties.c.case_id, key.label("key"))
        .where(_parties.c.role == PartyRole.REPORTED.value)
        .distinct()
        .subquery()
    )


def _position_category(categories: Sequence[PositionCategory]) -> ColumnElement[str]:
    """`models.statistics.position_category` as a SQL CASE on the reported person's position."""
    title = func.lower(_parties.c.job_title)
    whens: list[tuple[ColumnElement[bool], str]] = [
        (
            or_(_parties.c.job_title.is_(None), func.trim(_parties.c.job_title) == ""),
            UNKNOWN_POSITION,
        )
    ]
    for category in categories:
        matches = [title.like(f"%{_escaped(w.lower())}%", escape="\\") for w in category.words]
        whens.append((or_(*matches), category.name))
    return case(*whens, else_=OTHER_POSITION)


def _escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _spans(engine: Engine, where: Sequence[ColumnElement[bool]]) -> dict[str, dict[int, int]]:
    m = _milestones(where)
    parts = []
    for span in SPANS:
        starts = [m.c[s.value] for s in span.start]
        start = starts[0] if len(starts) == 1 else func.coalesce(*starts)
        end = m.c[span.end.value]
        days = days_between(start, end)
        parts.append(
            select(literal(span.key).label("span"), days.label("days"), func.count().label("n"))
            .select_from(m)
            .where(start.is_not(None), end.is_not(None))
            .group_by(days)
        )
    found: dict[str, dict[int, int]] = {span.key: {} for span in SPANS}
    with engine.connect() as connection:
        for key, days, count in connection.execute(union_all(*parts)):
            found[key][int(days)] = int(count)
    return found


def _missed(engine: Engine, where: Sequence[ColumnElement[bool]]) -> tuple[dict[str, int], int]:
    missed = and_(
        _deadlines.c.status == DeadlineStatus.MISSED.value,
        _deadlines.c.rule.not_in(sorted(OFFICE_DEADLINES_ONLY)),
        *where,
    )
    source = _deadlines.join(_cases, _cases.c.id == _deadlines.c.case_id)
    by_rule = (
        select(_deadlines.c.rule, func.count())
        .select_from(source)
        .where(missed)
        .group_by(_deadlines.c.rule)
        .order_by(_deadlines.c.rule)
    )
    cases = (
        select(func.count(func.distinct(_deadlines.c.case_id))).select_from(source).where(missed)
    )
    with engine.connect() as connection:
        rules = {rule: int(n) for rule, n in connection.execute(by_rule)}
        return rules, int(connection.execute(cases).scalar_one())


def funnel_of(engine: Engine, where: Sequence[ColumnElement[bool]]) -> Funnel:
    """The funnel of the cases `where` selects (the bare aggregate the benchmark compares)."""
    m = _milestones(where)
    query = (
        select(*_funnel_columns(m))
        .select_from(_cases.outerjoin(m, m.c.case_id == _cases.c.id))
        .where(*where)
    )
    with engine.connect() as connection:
        return _funnel(connection.execute(query).one())


def count_recap(
    engine: Engine, scope: CaseFilter, positions: Collection[PositionCategory]
) -> Counted:
    """Every figure of the recap for the cases `scope` selects."""
    where = scope.conditions()
    dialect = engine.dialect.name
    missed, cases_missing = _missed(engine, where)
    return Counted(
        funnel=funnel_of(engine, where),
        spans=_spans(engine, where),
        missed=missed,
        cases_missing_deadlines=cases_missing,
        by_office=_grouped(engine, where, _office_pairs()),
        by_code=_grouped(engine, where, _code_pairs(dialect)),
        by_employment=_grouped(engine, where, _reported_pairs(_parties.c.employment)),
        by_position=_grouped(engine, where, _reported_pairs(_position_category(list(positions)))),
    )
