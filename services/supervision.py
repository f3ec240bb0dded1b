"""Reminding the supervisor of a recommendation that waits for approval.

The case itself never depends on a run waiting in Prefect: it stays "awaiting approval" in the
database, and these reminders go out once per recommendation (a returned and re-drafted
recommendation gets its own reminder)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from adapters.db.proceedings import awaiting_since, decision_of
from models.access import SYSTEM, Action
from models.indonesian import tanggal
from models.rules.calendar import local_date
from models.stages import Stage
from services.deps import Deps
from services.scope import open_case


def remind_supervisor(
    deps: Deps, case_ref: str, *, now: datetime, occasion: str = "batas-tunggu"
) -> bool:
    """Queue the reminder for one case, once per (recommendation, occasion): the end of a
    run's wait and the automation's N hours are separate occasions. False if the case is not
    awaiting approval or was reminded on this occasion already."""
    with open_case(deps, case_ref, now, SYSTEM, Action.SEND_MAIL) as scope:
        case = scope.case
        if case.stage is not Stage.AWAITING_APPROVAL:
            return False
        decision = decision_of(scope.session, scope.case_id)
        label = case.case_number or f"#{case.id}"
        return scope.desk.notify_office(
            # decided_at, not the row id: SQLite reuses the id of a replaced (returned) decision
            key=f"perkara-{case.id}/pengingat-persetujuan/"
            f"{decision.decided_at:%Y%m%dT%H%M%S%f}/{occasion}",
            subject=f"Menunggu persetujuan pimpinan — {label}",
            template="approval_reminder",
            values={
                "since_text": tanggal(local_date(decision.decided_at, scope.office.timezone)),
                "case_ref": label if case.case_number else str(case.id),
            },
        )


def remind_pending_approvals(deps: Deps, *, waited: timedelta, now: datetime) -> list[str]:
    """Remind every recommendation that has waited at least `waited` (the automation's action)."""
    with Session(deps.engine) as session:
        rows = awaiting_since(session)
    due = [str(case_id) for case_id, decided_at in rows if now - decided_at >= waited]
    occasion = f"{waited.total_seconds() / 3600:g}-jam"
    return [ref for ref in due if remind_supervisor(deps, ref, now=now, occasion=occasion)]
