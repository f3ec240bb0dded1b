"""Making cases visible in Prefect: a versioned Markdown artifact per case, the "register" table
of open cases, and one Prefect event per recorded case event, whose resource labels (case,
office, stage) are what automations match on.

Publishing never decides anything: the database already holds the truth, so a failure here is
logged and the stage's result stands."""

from __future__ import annotations

import re
from datetime import datetime

from prefect import get_run_logger
from prefect.artifacts import acreate_markdown_artifact, acreate_table_artifact
from prefect.events import emit_event

from adapters.db.cases import case_label
from adapters.db.views import case_view, cases_with_events
from flows.case_page import case_key, case_markdown, register_rows
from models.access import SYSTEM
from models.stages import CaseEvent
from models.statistics import RecapFilter, markdown, recap_tables
from models.tables import Case, StageEvent
from services.deps import Deps
from services.statistics import recap

REGISTER_KEY = "register"
STATISTICS_KEY = "netra-statistik"
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def event_name(event: StageEvent) -> str:
    """`netra.case.<stage>` for a move; `netra.case.<event_in_snake_case>` for anything else
    (e.g. `netra.case.deadline_missed`)."""
    if event.from_stage is not event.to_stage:
        return f"netra.case.{event.to_stage.value}"
    return "netra.case." + _CAMEL.sub("_", event.event).lower()


def case_resource(case: Case, stage: str) -> dict[str, str]:
    return {
        "prefect.resource.id": f"netra.case.{case.id}",
        "prefect.resource.name": case_label(case),
        "netra.case.id": str(case.id),
        "netra.case.number": case_label(case),
        "netra.office": case.office_key,
        "netra.stage": stage,
    }


async def publish_case(
    deps: Deps,
    case_ref: str,
    *,
    since_event: int,
    now: datetime,
    only: frozenset[CaseEvent] | None = None,
) -> None:
    """Emit the case's events recorded after `since_event` (of the kinds in `only`, if given)
    and refresh its artifact."""
    try:
        view = case_view(deps.engine, case_ref)
        for event in view.events:
            if (event.id or 0) <= since_event or (only is not None and event.event not in only):
                continue
            emit_event(
                event=event_name(event),
                resource=case_resource(view.case, event.to_stage.value),
                payload={
                    "recorded_at": event.at.isoformat(),  # the case's clock (replays differ)
                    "event": event.event,
                    "from": event.from_stage.value if event.from_stage else None,
                    "to": event.to_stage.value,
                    "actor": event.actor,
                    "reason": event.reason,
                },
            )
        await acreate_markdown_artifact(
            case_markdown(view, deps, now),
            key=case_key(view.case),
            description=f"Perkara {case_label(view.case)}: {view.case.stage.label}",
        )
    except Exception as error:  # the stage is recorded; only the view is stale
        get_run_logger().warning("Tampilan perkara %s tidak diperbarui: %s", case_ref, error)


async def publish_register(deps: Deps, now: datetime) -> int:
    """Refresh the "register" table of the open cases due soonest; returns how many rows it
    has."""
    rows = register_rows(deps, now)
    await acreate_table_artifact(
        rows or [{"Nomor": "-", "Tahap": "tidak ada perkara terbuka"}],
        key=REGISTER_KEY,
        description=f"Register perkara terbuka per {now.isoformat(timespec='minutes')}",
    )
    return len(rows)


async def publish_touched(
    deps: Deps, since_event: int, now: datetime, kinds: frozenset[CaseEvent]
) -> None:
    """Publish the events of `kinds` recorded since the cursor (the sweep touches many cases;
    events other flows record meanwhile are theirs to publish)."""
    for case_id in cases_with_events(deps.engine, since_event, kinds):
        await publish_case(deps, str(case_id), since_event=since_event, now=now, only=kinds)


async def publish_statistics(deps: Deps, now: datetime) -> None:
    """Refresh the "netra-statistik" artifact: the recap of every office's cases (counts only,
    no person named), as the desk's /statistik shows it."""
    try:
        found = recap(deps, SYSTEM, RecapFilter())
        f = found.funnel
        await acreate_markdown_artifact(
            "## Statistik penanganan netralitas ASN\n\n" + markdown(recap_tables(found)),
            key=STATISTICS_KEY,
            description=(
                f"Statistik per {now.isoformat(timespec='minutes')}: {f.received} diterima, "
                f"{f.referred} diteruskan ke KASN/BKN, {f.acted} ditindaklanjuti PPK"
            ),
        )
    except Exception as error:  # the sweep's work is recorded; only the recap is stale
        get_run_logger().warning("Statistik tidak diperbarui: %s", error)
