"""Running the sample cases through the flows, and reading back what they produced."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cli.reading import read_report
from flows.process import process_case
from models.inputs import CasePlan
from models.report.parse import decode_report_text
from models.stages import Stage
from models.tables import Letter, OutboxMessage
from services.deps import get_deps, use_settings
from services.submission import submit_report
from tests.conftest import SAMPLES


def decisions_for(stem: str) -> CasePlan:
    path = SAMPLES / "decisions" / f"{stem}.yaml"
    return CasePlan.model_validate(decode_report_text(path.read_text(encoding="utf-8")))


def submit_sample(stem: str, **changes: Any) -> int:
    """Store a sample report (with `changes`) as a submission; its number."""
    report = read_report(SAMPLES / "reports" / f"{stem}.json").model_copy(update=changes)
    return submit_report(get_deps(), report, now=report.received_at)


async def run_sample(stem: str, decisions: CasePlan | None = None) -> Stage:
    plan = decisions or decisions_for(stem)
    return (
        await process_case(submit_sample(stem), plan, replay_timeline=True, actor="petugas")
    ).stage


def engine() -> Engine:
    return get_deps().engine


def letters() -> list[Letter]:
    with Session(engine()) as session:
        return list(session.exec(select(Letter).order_by(Letter.id)).all())  # type: ignore[arg-type]


def outbox() -> list[OutboxMessage]:
    with Session(engine()) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())  # type: ignore[arg-type]


def counts() -> dict[str, Any]:
    with engine().connect() as conn:
        return {
            table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("cases", "letter", "outbox", "stage_event", "deadline")
        }


def letter_bytes(var: Path, letter: Letter) -> bytes:
    return (var / "letters" / letter.path).read_bytes()


def configure(**changes: Any) -> None:
    """Run the flows from now on with these settings changed (e.g. a shorter wait)."""
    use_settings(get_deps().settings.model_copy(update=changes))
