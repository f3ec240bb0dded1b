"""Batch intake: many reports, each recorded or refused on its own (`services.intake`), the
batch going on past a refusal. Nothing here is kept between runs: a batch stopped half-way is
simply run again, and the reports it had recorded are recognised by their fingerprint
(`sudah_ada`), never recorded twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from models.access import Action, Actor, NotPermitted, require
from models.problems import Problem, ReportRejected
from models.report.model import Report
from services.deps import Deps
from services.evidence import check_files, named_files
from services.intake import IntakeOutcome, intake_report, validate_for_intake
from services.notification import deliver_mail


class BatchStatus(StrEnum):
    RECORDED = "dicatat"
    ALREADY = "sudah_ada"
    REFUSED = "ditolak"


@dataclass(frozen=True)
class BatchItem:
    """One report of a batch as read: parsed, or the problems that kept it from being read.
    `source` names where it came from (a file; `line` its line in a JSON-lines file)."""

    source: str
    line: int | None = None
    report: Report | None = None
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class BatchEntry:
    """What became of one report of a batch (one line of the result file)."""

    source: str
    line: int | None
    status: BatchStatus
    case_id: int | None = None
    problems: tuple[Problem, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "line": self.line,
            "status": self.status.value,
            "case_id": self.case_id,
            "problems": [
                {"code": p.code, "field": p.field, "message": p.message} for p in self.problems
            ],
        }


@dataclass
class BatchSummary:
    entries: list[BatchEntry] = field(default_factory=list)

    def count(self, status: BatchStatus) -> int:
        return sum(1 for e in self.entries if e.status is status)

    @property
    def case_ids(self) -> list[int]:
        """The cases this batch recorded or found already recorded, in order."""
        return [e.case_id for e in self.entries if e.case_id is not None]

    def as_json(self) -> dict[str, int]:
        return {
            "total": len(self.entries),
            **{status.value: self.count(status) for status in BatchStatus},
        }


def entry_of(item: BatchItem, outcome: IntakeOutcome) -> BatchEntry:
    status = BatchStatus.RECORDED if outcome.created else BatchStatus.ALREADY
    return BatchEntry(item.source, item.line, status, outcome.case.id)


def refused(item: BatchItem, problems: Iterable[Problem]) -> BatchEntry:
    return BatchEntry(item.source, item.line, BatchStatus.REFUSED, problems=tuple(problems))


def not_permitted_problem(error: NotPermitted) -> Problem:
    return Problem(code="tidak_berwenang", field="office", message=str(error))


def intake_one(deps: Deps, item: BatchItem, *, actor: Actor, now: datetime) -> BatchEntry:
    """Record one report of a batch; a refusal is returned with its reasons, never raised."""
    if item.report is None:
        return refused(item, item.problems)
    try:
        outcome = intake_report(deps, item.report, actor=actor, now=now)
    except ReportRejected as error:
        return refused(item, error.problems)
    except NotPermitted as error:
        return refused(item, [not_permitted_problem(error)])
    return entry_of(item, outcome)


def intake_batch(
    deps: Deps,
    items: Iterable[BatchItem],
    *,
    actor: Actor,
    now: Callable[[], datetime],
    each: Callable[[BatchEntry], None] = lambda entry: None,
) -> BatchSummary:
    """Record each report in turn; `each` hears of every one as soon as it is settled (the
    progress bar, the result file). An error that is no refusal (the database gone) stops the
    batch: what was recorded stays recorded, and running the batch again finishes it."""
    summary = BatchSummary()
    for item in items:
        entry = intake_one(deps, item, actor=actor, now=now())
        summary.entries.append(entry)
        each(entry)
    return summary


def refusal_problems(deps: Deps, report: Report, *, actor: Actor) -> list[Problem]:
    """Why intake refuses `report`, found by its checks alone (nothing is recorded or stored);
    empty if it would now be accepted."""
    try:
        if report.office in deps.rulebook.offices:
            require(actor, Action.RECORD, report.office)
        _, problems = check_files(deps, named_files(report))
        validate_for_intake(report, deps.rulebook, problems)
    except ReportRejected as error:
        return list(error.problems)
    except NotPermitted as error:
        return [not_permitted_problem(error)]
    return []


async def send_receipts(deps: Deps, case_ids: Iterable[int]) -> int:
    """Send the queued mail (the tanda terima) of the batch's cases, one case after another;
    the first case whose mail the server does not take stops the sending (an outage is not
    waited out once per case). Returns how many cases' mail still waits. Raises
    `SmtpConfigError` when the settings are wrong."""
    cases = list(dict.fromkeys(case_ids))
    for index, case_id in enumerate(cases):
        report = await deliver_mail(deps, str(case_id))
        if report.retry_later:
            return len(cases) - index
    return 0
