"""Driving sample cases through the stage services (no Prefect), and reading back what they did.

`run_plan` follows `flows/process.py`: each step applies only where the previous one left the
case, on the case's own clock (its `received_at` plus the plan's `times`), and the mail each
stage flow sends is sent at the same points.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session, col, select

from adapters.db.cases import case_label, get_case
from adapters.docx import docx_text
from cli.reading import read_report
from models.inputs import CasePlan
from models.outcomes import StageOutcome, StageResult
from models.report.model import Report
from models.report.parse import decode_report_text
from models.stages import Stage
from models.tables import Case, CaseDeadline, CaseDecision, Letter, OutboxMessage, StageEvent
from services.approval import approve_recommendation
from services.clarification import invite_for_clarification, record_clarification
from services.deps import Deps
from services.intake import intake_report
from services.notification import deliver_mail, mark_referred
from services.recommendation import recommend_sanction
from services.verification import verify_case
from tests.conftest import SAMPLES
from tests.support.actors import staff

# The `engine` fixture runs every test on SQLite and PostgreSQL; this keeps a test on SQLite.
ON_SQLITE = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)

PPU = "report-ppu-camat"
PPU_NUMBER = "001/LP/PW/Kab/64.09/X/2024"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- the samples ---------------------------------------------------------------------------
def report_of(stem: str) -> Report:
    return read_report(SAMPLES / "reports" / f"{stem}.json")


def plan_of(stem: str) -> CasePlan:
    path = SAMPLES / "decisions" / f"{stem}.yaml"
    return CasePlan.model_validate(decode_report_text(path.read_text(encoding="utf-8")))


def at(report: Report, days: float) -> datetime:
    """The case's own clock: `days` after the report was received (timezone-aware)."""
    return report.received_at + timedelta(days=days)


def with_settings(deps: Deps, **changes: Any) -> Deps:
    """The same database and rulebook with these settings changed (e.g. fewer mail attempts)."""
    return replace(deps, settings=deps.settings.model_copy(update=changes))


# --- driving a case ------------------------------------------------------------------------
async def run_plan(
    deps: Deps, report: Report, plan: CasePlan, *, until: Stage | None = None
) -> StageResult:
    """Every step the plan allows, in order (as `process_case` replays a case), stopping early
    once the case reaches `until`."""
    who, times = plan.investigator or "petugas", plan.times
    intake = intake_report(deps, report, actor=staff(who), now=at(report, 0))
    case = intake.case
    assert case.id is not None
    ref = str(case.id)
    moved = StageOutcome.MOVED if intake.created else StageOutcome.ALREADY_DONE
    result = StageResult(case.stage, moved, case.id, case_label(case))
    await deliver_mail(deps, ref)
    if result.stage is until:
        return result
    result = verify_case(
        deps, ref, plan.verification, actor=staff(who), now=at(report, times.verification)
    )
    await deliver_mail(deps, ref)
    if result.stage is until:
        return result
    if result.stage is Stage.REGISTERED and plan.clarification:
        now = at(report, times.clarification)
        result = invite_for_clarification(deps, ref, plan.clarification, actor=staff(who), now=now)
        await deliver_mail(deps, ref)
        if result.stage is until:
            return result
    if result.stage is Stage.CLARIFICATION and plan.clarification_outcomes:
        now = at(report, times.clarification_record)
        result = record_clarification(
            deps, ref, plan.clarification_outcomes, actor=staff(who), now=now
        )
        if result.stage is until:
            return result
    if result.stage is Stage.UNDER_REVIEW and plan.findings:
        now = at(report, times.recommendation)
        result = recommend_sanction(deps, ref, plan.findings, actor=staff(who), now=now)
        await deliver_mail(deps, ref)
        if result.stage is until:
            return result
    if result.stage is Stage.AWAITING_APPROVAL and plan.approval:
        now = at(report, times.approval)
        result = approve_recommendation(
            deps, ref, plan.approval, actor=staff(plan.supervisor or "pimpinan"), now=now
        )
        if result.stage is until:
            return result
    if result.stage is Stage.APPROVED:
        result = await notify(deps, ref, at(report, times.notification))
    return result


async def notify(deps: Deps, ref: str, now: datetime) -> StageResult:
    """The notification stage: send the case's mail, then refer it if all of it went."""
    await deliver_mail(deps, ref)
    return mark_referred(deps, ref, actor=staff("sistem"), now=now)


async def run_sample(
    deps: Deps, stem: str, plan: CasePlan | None = None, *, until: Stage | None = None
) -> StageResult:
    return await run_plan(deps, report_of(stem), plan or plan_of(stem), until=until)


# --- reading back --------------------------------------------------------------------------
def letters(deps: Deps) -> list[Letter]:
    with Session(deps.engine) as session:
        return list(session.exec(select(Letter).order_by(col(Letter.id))).all())


def outbox(deps: Deps) -> list[OutboxMessage]:
    with Session(deps.engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


def events(deps: Deps, case_ref: str = "1") -> list[str]:
    with Session(deps.engine) as session:
        case_id = get_case(session, case_ref).id
        query = select(StageEvent).where(StageEvent.case_id == case_id)
        return [e.event for e in session.exec(query.order_by(col(StageEvent.id))).all()]


def deadlines(deps: Deps, case_ref: str = "1") -> dict[str, CaseDeadline]:
    with Session(deps.engine) as session:
        case_id = get_case(session, case_ref).id
        query = select(CaseDeadline).where(CaseDeadline.case_id == case_id)
        return {d.rule: d for d in session.exec(query).all()}


def case_of(deps: Deps, case_ref: str = "1") -> Case:
    with Session(deps.engine) as session:
        return get_case(session, case_ref)


def decision_of(deps: Deps, case_ref: str = "1") -> CaseDecision:
    with Session(deps.engine) as session:
        case_id = get_case(session, case_ref).id
        return session.exec(select(CaseDecision).where(CaseDecision.case_id == case_id)).one()


def letter_text(deps: Deps, letter: Letter) -> str:
    return docx_text((deps.letters_dir / letter.path).read_bytes())


def letter_serials(deps: Deps) -> list[int]:
    """The serials the case's letters took (an attachment carries its letter's number and takes
    none of its own)."""
    numbered = [x.number for x in letters(deps) if not x.number.startswith("Lampiran ")]
    return sorted(int(n.split("/")[0]) for n in numbered)


def counts(deps: Deps) -> dict[str, int]:
    tables = ("cases", "letter", "outbox", "stage_event", "deadline", "hearing", "case_decision")
    with deps.engine.connect() as conn:
        return {
            table: int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table in tables
        }


def state(deps: Deps) -> dict[str, Any]:
    """Everything a step could change: row counts, each case's stage, version and number, every
    deadline's status, the decision, each outbox row's status and the number sequences."""
    queries = {
        "cases": "SELECT id, stage, version, case_number FROM cases ORDER BY id",
        "deadlines": "SELECT case_id, rule, status FROM deadline ORDER BY case_id, rule",
        "decisions": "SELECT case_id, outcome, approved_by, return_note, ppk_decree_number "
        "FROM case_decision ORDER BY case_id",
        "outbox": "SELECT key, status FROM outbox ORDER BY key",
        "serials": "SELECT office_key, year, series, last FROM sequence_counter "
        "ORDER BY office_key, year, series",
    }
    with deps.engine.connect() as conn:
        rows = {name: [tuple(r) for r in conn.execute(text(sql))] for name, sql in queries.items()}
    return {**counts(deps), **rows}
