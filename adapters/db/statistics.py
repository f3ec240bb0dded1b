"""The recap statistics counted in the database: every figure is an aggregate (GROUP BY) over the
case rows the filter selects, never a list of cases read into Python. The same SQL runs on SQLite
and PostgreSQL; the two differences (whole days between two timestamps, the elements of a JSON
array) are compiled per dialect.

Each case's milestones (`models.statistics.MILESTONE_EVENTS`) are the first event of their kinds
in `stage_event`, pivoted to one row per case (`_milestones`): that row says whether, and when,
the case was registered, proven, referred, recommended on and acted on."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

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


@contextmanager
def _reading(engine: Engine) -> Iterator[Connection]:
    """A connection for the recap's queries. On PostgreSQL without JIT compilation: the
    planner's cost of an aggregate over every case crosses the JIT threshold, and compiling
    took seconds (measured: 3.3 s of a 3.4 s query over 2,000 cases) where running takes
    milliseconds."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("SET LOCAL jit = off")
        yield connection


def _per_case(where: Sequence[ColumnElement[bool]]) -> Any:
    """One row per case the filter selects: its office and kind, the first time of each
    milestone's events (NULL: not reached), and whether a reported person goes to KASN/BKN.
    Computed once per statement (`MATERIALIZED` on PostgreSQL, whose planner would otherwise
    inline it into every part of the union)."""
    wanted = sorted({e.value for events in MILESTONE_EVENTS.values() for e in events})
    firsts = [
        func.min(case((_events.c.event.in_(sorted(e.value for e in events)), _events.c.at))).label(
            milestone.value
        )
        for milestone, events in MILESTONE_EVENTS.items()
    ]
    to_asn_authority = (
        select(literal(1))
        .where(
            _parties.c.case_id == _cases.c.id,
            _parties.c.role == PartyRole.REPORTED.value,
            _parties.c.authority.in_(REFERRAL_AUTHORITIES),
        )
        .exists()
    )
    events = and_(_events.c.case_id == _cases.c.id, _events.c.event.in_(wanted))
    return (
        select(
            _cases.c.id.label("case_id"),
            _cases.c.office_key.label("office"),
            _cases.c.kind.label("kind"),
            *firsts,
            case((to_asn_authority, 1), else_=0).label("asn"),
        )
        .select_from(_cases.outerjoin(_events, events))
        .where(*where)
        .group_by(_cases.c.id, _cases.c.office_key, _cases.c.kind)
        .cte("per_case")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )


def _reached(m: Any, milestone: Milestone) -> ColumnElement[bool]:
    reached: ColumnElement[bool] = m.c[milestone.value].is_not(None)
    return reached


def _count_if(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _funnel_columns(m: Any) -> list[Any]:
    """The counts of `Funnel`, in its field order, over the rows of `m`."""
    recommended = _reached(m, Milestone.RECOMMENDED)
    acted = _reached(m, Milestone.ACTED)
    return [
        func.count(),
        _count_if(m.c.kind == ReportKind.LAPORAN.value),
        _count_if(m.c.kind == ReportKind.TEMUAN.value),
        _count_if(_reached(m, Milestone.REGISTERED)),
        _count_if(_reached(m, Milestone.PROVEN)),
        # referred, with at least one reported person going to KASN or BKN
        _count_if(and_(_reached(m, Milestone.REFERRED), m.c.asn == 1)),
        _count_if(recommended),
        _count_if(acted),
        _count_if(and_(recommended, acted)),
    ]


def _funnel(row: Sequence[Any]) -> Funnel:
    return Funnel(*(int(x or 0) for x in row))


def _part(name: str, key: Any, m: Any, source: Any = None) -> Any:
    """One part of the union: (part, key, the funnel's counts) per key over `source`."""
    query = select(literal(name).label("part"), cast(key, String).label("key"), *_funnel_columns(m))
    query = query.select_from(source if source is not None else m)
    return query if key is None else query.group_by(key)


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


def _span_parts(m: Any) -> list[Any]:
    """Per stage: (span key, whole days, cases) rows, shaped as the union's parts (the count
    in the first count column, zeros after it)."""
    parts = []
    for span in SPANS:
        starts = [m.c[s.value] for s in span.start]
        start = starts[0] if len(starts) == 1 else func.coalesce(*starts)
        end = m.c[span.end.value]
        days = days_between(start, end)
        zeros = [literal(0) for _ in range(len(Funnel.__dataclass_fields__) - 1)]
        parts.append(
            select(literal(span.key).label("part"), cast(days, String), func.count(), *zeros)
            .select_from(m)
            .where(start.is_not(None), end.is_not(None))
            .group_by(days)
        )
    return parts


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
    with _reading(engine) as connection:
        rules = {rule: int(n) for rule, n in connection.execute(by_rule)}
        return rules, int(connection.execute(cases).scalar_one())


def funnel_of(engine: Engine, where: Sequence[ColumnElement[bool]]) -> Funnel:
    """The funnel of the cases `where` selects: the bare aggregate the benchmark compares."""
    m = _per_case(where)
    with _reading(engine) as connection:
        row = connection.execute(_part("total", None, m)).one()
        return _funnel(row[2:])


def count_recap(
    engine: Engine, scope: CaseFilter, positions: Collection[PositionCategory]
) -> Counted:
    """Every figure of the recap for the cases `scope` selects, in two statements: the funnel,
    its breakdowns and the stage histograms as one UNION ALL over one per-case CTE; the missed
    deadlines."""
    where = scope.conditions()
    m = _per_case(where)
    code = _code_pairs(engine.dialect.name)
    employment = _reported_pairs(_parties.c.employment)
    position = _reported_pairs(_position_category(list(positions)))

    def joined(pairs: Any) -> Any:
        return m.join(pairs, pairs.c.case_id == m.c.case_id)

    parts = [
        _part("total", None, m),
        _part("office", m.c.office, m),
        _part("code", code.c.key, m, joined(code)),
        _part("employment", employment.c.key, m, joined(employment)),
        _part("position", position.c.key, m, joined(position)),
        *_span_parts(m),
    ]
    rows: dict[str, list[tuple[Any, Funnel]]] = {}
    spans: dict[str, dict[int, int]] = {span.key: {} for span in SPANS}
    with _reading(engine) as connection:
        for part, key, *counts in connection.execute(union_all(*parts)):
            if part in spans:
                spans[part][int(key)] = int(counts[0])
            else:
                rows.setdefault(part, []).append((key, _funnel(counts)))
    missed, cases_missing = _missed(engine, where)

    def ordered(part: str) -> list[tuple[Any, Funnel]]:
        return sorted(rows.get(part, []), key=lambda row: (row[0] is None, row[0] or ""))

    return Counted(
        funnel=rows["total"][0][1],
        spans=spans,
        missed=missed,
        cases_missing_deadlines=cases_missing,
        by_office=ordered("office"),
        by_code=ordered("code"),
        by_employment=ordered("employment"),
        by_position=ordered("position"),
    )
