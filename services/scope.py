"""What every stage service opens: the case in one transaction, with its parties, its office,
the office-local date, and the letter desk; and how the service ends (`StageResult`)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import ParamSpec

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from adapters.db.cases import (
    CaseParties,
    ConcurrentChange,
    case_event_names,
    case_label,
    load_case,
    move_case,
    record_event,
)
from adapters.db.engine import unit_of_work
from models.access import Action, Actor, require
from models.enums import ReportKind
from models.letters.contexts import NoticeStatus
from models.letters.intake import status_notice
from models.outcomes import StageOutcome, StageResult, Transition, settled
from models.rules.calendar import local_date
from models.rules.office import Office
from models.stages import CaseEvent, Stage
from models.tables import Case
from services.deps import Deps
from services.desk import LetterDesk


@dataclass
class CaseScope:
    session: Session
    deps: Deps
    case: Case
    parties: CaseParties
    office: Office
    today: date  # the office-local date of `now`
    now: datetime
    desk: LetterDesk

    @property
    def case_id(self) -> int:
        assert self.case.id is not None
        return self.case.id

    def result(self, outcome: StageOutcome) -> StageResult:
        return StageResult(self.case.stage, outcome, self.case_id, case_label(self.case))

    def settled(self, entering: Collection[Stage], *steps: Transition) -> StageResult | None:
        """A result to return at once when the step does not apply to the case as it stands
        (already done, or the case is elsewhere); None when the step may go ahead."""
        if self.case.stage in entering:
            return None
        history = case_event_names(self.session, self.case_id)
        outcome = settled(self.case.stage, entering=entering, steps=steps, history=history)
        return None if outcome is None else self.result(outcome)

    def tell_reporter(self, status: NoticeStatus, key: str, text: str | None = None) -> None:
        """The status notice to a laporan's reporter (a temuan has none to tell), once per key."""
        if self.case.kind is not ReportKind.LAPORAN:
            return
        notice = status_notice(self.case, self.parties.reporter, status, text=text)
        disclosed = self.desk.disclosed_reporter() is not None
        notice = notice.model_copy(update={"identity_disclosed": disclosed})
        self.desk.to_reporter(notice, key, issued_on=self.today)

    def record(self, event: CaseEvent, *, actor: Actor, reason: str) -> StageResult:
        """A fact on the case that leaves its stage as it is (consent, a correction, an
        extension, evidence added): the event, and the step done."""
        record_event(self.session, self.case, event, actor=actor, reason=reason, now=self.now)
        return self.result(StageOutcome.MOVED)

    def move(self, transition: Transition, *, actor: Actor, reason: str) -> StageResult:
        move_case(self.session, self.case, transition, actor=actor, reason=reason, now=self.now)
        return self.result(StageOutcome.MOVED)


def scope_in(session: Session, deps: Deps, case_ref: str, now: datetime) -> CaseScope:
    """The case `case_ref` within a transaction the caller already holds (the sweep's)."""
    case, parties = load_case(session, case_ref)
    office = deps.rulebook.offices[case.office_key]
    return CaseScope(
        session=session,
        deps=deps,
        case=case,
        parties=parties,
        office=office,
        today=local_date(now, office.timezone),
        now=now,
        desk=LetterDesk(session, deps, case, parties, now=now),
    )


@contextmanager
def open_case(
    deps: Deps, case_ref: str, now: datetime, actor: Actor, action: Action
) -> Iterator[CaseScope]:
    """The case `case_ref` in one transaction, for `actor` to take `action` on it (refused with
    `NotPermitted` when their roles in the case's office do not allow it, before anything is
    done): committed when the block ends normally. A unique row another process wrote first
    (the same letter, hearing or decision) is that process having done the step:
    `ConcurrentChange`, which `race_safe` answers by looking again."""
    case_id: int | None = None
    try:
        with unit_of_work(deps.engine) as session:
            scope = scope_in(session, deps, case_ref, now)
            require(actor, action, scope.case.office_key)
            case_id = scope.case_id
            yield scope
    except IntegrityError:
        if case_id is None:
            raise
        raise ConcurrentChange(case_id) from None


P_ = ParamSpec("P_")


def race_safe(service: Callable[P_, StageResult]) -> Callable[P_, StageResult]:
    """Run a stage service; when another process did the same step at the same moment (its
    compare-and-set or its unique row won), run it once more: it then finds the step done
    (ALREADY_DONE) or the case elsewhere, instead of failing."""

    @functools.wraps(service)
    def run(*args: P_.args, **kwargs: P_.kwargs) -> StageResult:
        try:
            return service(*args, **kwargs)
        except ConcurrentChange:
            return service(*args, **kwargs)

    return run
