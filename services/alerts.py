"""Alerts about Netra itself, by email to the office: a run that failed or crashed, a sweep that
has not run. Queued in the outbox under a key per run (per silence, for the sweep), so each
alert goes out once however often the automation fires or its flow is retried.

An alert names the run, its stage, the case's reference (its number or `#id`) and the state;
never a person: the same rule as for Prefect itself (docs/decisions.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from adapters.db.cases import CaseNotFound, get_case
from adapters.db.engine import unit_of_work
from adapters.db.outbox import enqueue, find_by_key
from adapters.email import compose
from models.indonesian import jam, tanggal, zona_waktu
from models.letters.head import Recipient
from services.deps import Deps

ZONE = "Asia/Jakarta"


@dataclass(frozen=True)
class FailedRun:
    """What Prefect says of a run that ended Failed or Crashed (no parameter but the case's
    reference is kept)."""

    run_id: str
    run_name: str
    stage: str  # the flow's name: the stage as Netra names it (verifikasi, sapu-tenggat, ...)
    state: str  # Failed, Crashed
    case_ref: str | None = None


@dataclass(frozen=True)
class Addressee:
    address: str
    name: str
    zone: str
    case_id: int | None


def _addressees(deps: Deps, case_ref: str | None) -> tuple[list[Addressee], str | None]:
    """Who receives an alert, and the case's label: NETRA_ALERT_EMAIL when set, else the case's
    office, else every office with an address."""
    offices = deps.rulebook.offices
    case_id, label, office_keys = None, None, list(offices)
    if case_ref:
        with Session(deps.engine) as session:
            try:
                case = get_case(session, case_ref)
            except (CaseNotFound, ValueError):
                case = None
        if case is not None:
            case_id, office_keys = case.id, [case.office_key]
            label = case.case_number or f"#{case.id}"
    if deps.settings.alert_email:
        zone = offices[office_keys[0]].timezone if len(office_keys) == 1 else ZONE
        return [Addressee(deps.settings.alert_email, "Admin Netra", zone, case_id)], label
    return [
        Addressee(str(office.email), office.short_name, office.timezone, case_id)
        for key in office_keys
        if (office := offices[key]).email
    ], label


def _queue(
    deps: Deps,
    key: str,
    template: str,
    subject: str,
    values: dict[str, str],
    now: datetime,
    case_ref: str | None = None,
) -> int:
    addressees, label = _addressees(deps, case_ref)
    queued = 0
    with unit_of_work(deps.engine) as session:
        for to in addressees:
            row_key = f"{key}/{to.address}"
            if find_by_key(session, row_key) is not None:
                continue
            context = {"to_name": to.name, "case_label": label or "", **values}
            content = compose(template, subject, context)
            enqueue(
                session,
                key=row_key,
                case_id=to.case_id,
                recipient_role=Recipient.OFFICE,
                to_address=to.address,
                to_name=to.name,
                subject=content.subject,
                body_text=content.text,
                body_html=content.html,
                now=now,
                zone=to.zone,
            )
            queued += 1
    return queued


def alert_failed_run(deps: Deps, run: FailedRun, *, link: str | None, now: datetime) -> int:
    """Queue the alert about one failed or crashed run (once per run id and address); the
    number of emails newly queued."""
    state = "berhenti mendadak (crashed)" if run.state == "Crashed" else "gagal"
    values = {"run_name": run.run_name, "stage": run.stage, "state": state, "link": link or ""}
    subject = f"Run Netra {state}: {run.stage} — {run.run_name}"
    key = f"peringatan/run-{run.run_id}"
    return _queue(deps, key, "run_failed", subject, values, now, run.case_ref)


def when(at: datetime, zone: str = ZONE) -> str:
    """`30 November 2026 pukul 16.00 WIB`."""
    local = at.astimezone(ZoneInfo(zone))
    return f"{tanggal(local.date())} pukul {jam(local.time(), zona_waktu(zone))}"


def alert_sweep_missed(
    deps: Deps,
    *,
    last_run_id: str | None,
    last_at: datetime | None,
    window: timedelta,
    now: datetime,
    link: str | None,
) -> int:
    """Queue the alert that no sweep completed within `window` (once per silence: the key
    names the last completed sweep, so a sweep that runs again ends the silence)."""
    hours = f"{window.total_seconds() / 3600:g}"
    since = when(last_at) if last_at else "belum pernah ada yang selesai"
    values = {"hours": hours, "since": since, "link": link or ""}
    subject = f"Sapu tenggat tidak berjalan selama {hours} jam"
    key = f"peringatan/sapu-terlewat/{last_run_id or 'belum-pernah'}"
    return _queue(deps, key, "sweep_missed", subject, values, now)
