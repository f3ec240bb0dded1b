"""Prefect shows what it stores to every UI user: run parameters and names, task runs, state
messages, logs, artifacts, events. None of it may carry a report, a NIP, a NIK or a contact
detail, not after the demo's cases, not after a refused intake, not after an intake that crashed
half-way. The sensitive values are taken from the reports themselves."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from prefect.client.orchestration import get_client
from prefect.logging.handlers import APILogHandler
from sqlalchemy import text
from sqlmodel import Session

import services.intake
from cli.reading import read_report
from flows.stages import intake_flow
from models.report.model import Report
from models.tables import ReportSubmission, SubmissionStatus
from tests.conftest import SAMPLES
from tests.flows.helpers import counts, engine, run_sample, submit_sample

pytestmark = pytest.mark.prefect
SAMPLE = "report-ppu-camat"
NIK = "6409011205780003"  # a field the contract may add is kept with the report: a NIK here


def sensitive_values(report: Report) -> set[str]:
    """Every NIP, NIK, phone number, email and address a report carries; numbers also as digits
    only (a run name or log could have reformatted them)."""
    people: list[dict[str, Any]] = [report.reporter.model_dump(), *report.model_dump()["witnesses"]]
    people += report.model_dump()["reported"]
    found: set[str] = set()
    for person in people:
        for field in ("nip", "nik", "phone", "email", "address"):
            value = person.get(field)
            if value:
                found.add(str(value))
                digits = re.sub(r"\D", "", str(value))
                if len(digits) >= 8:
                    found.add(digits)
    return found


async def _everything(path: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    """Every row of a Prefect filter endpoint, page by page."""
    rows: list[dict[str, Any]] = []
    async with get_client() as client:
        while True:
            response = await client._client.post(path, json={**body, "offset": len(rows)})
            response.raise_for_status()
            page = response.json()
            rows += page
            if len(page) < body["limit"]:
                return rows


async def _events(since: datetime) -> list[dict[str, Any]]:
    body = {"filter": {"occurred": {"since": since.isoformat()}, "order": "ASC"}, "limit": 50}
    async with get_client() as client:
        response = await client._client.post("/events/filter", json=body)
        response.raise_for_status()
        page = response.json()
        events: list[dict[str, Any]] = page["events"]
        while page.get("next_page"):
            response = await client._client.get(page["next_page"])
            response.raise_for_status()
            page = response.json()
            events += page["events"]
    return events


async def what_prefect_keeps(since: datetime) -> dict[str, list[str]]:
    """Everything Prefect stored since `since`, as text, by kind."""
    await APILogHandler.aflush()
    created = since.isoformat()

    def recent(rows: list[dict[str, Any]]) -> list[str]:
        return [json.dumps(r, ensure_ascii=False) for r in rows if r["created"] >= created]

    flow_runs = await _everything("/flow_runs/filter", {"limit": 200})
    task_runs = await _everything("/task_runs/filter", {"limit": 200})
    artifacts = await _everything("/artifacts/filter", {"limit": 200})
    logs = await _everything(
        "/logs/filter", {"logs": {"timestamp": {"after_": created}}, "limit": 200}
    )
    return {
        "flow runs": recent(flow_runs),
        "task runs": recent(task_runs),
        "artifacts": recent(artifacts),
        "logs": [json.dumps(r, ensure_ascii=False) for r in logs],
        "events": [json.dumps(e, ensure_ascii=False) for e in await _events(since)],
    }


def _submission(number: int) -> ReportSubmission:
    with Session(engine()) as session:
        row = session.get(ReportSubmission, number)
        assert row is not None
        return row


async def test_prefect_keeps_no_report_nip_nik_or_contact(
    netra_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    since = datetime.now(UTC)
    reports = [read_report(p) for p in sorted((SAMPLES / "reports").glob("*.json"))]
    secrets = set().union(*(sensitive_values(r) for r in reports))

    # The demo: every sample through every stage its decisions allow.
    for plan in sorted((SAMPLES / "decisions").glob("*.yaml")):
        await run_sample(plan.stem)

    # A refused intake: an office nobody configured, and a reporter with a NIK.
    sample = read_report(SAMPLES / "reports" / f"{SAMPLE}.json")
    reporter = sample.reporter.model_copy(
        update={"phone": "081299990001", "email": "ditolak.rahasia@example.org", "nik": NIK}
    )
    refused = submit_sample(SAMPLE, office="bawaslu-kab-tidak-ada", reporter=reporter)
    secrets |= sensitive_values(sample.model_copy(update={"reporter": reporter}))
    before = counts()
    assert (await intake_flow(refused, "petugas", return_state=True)).is_failed()
    assert counts() == before
    assert _submission(refused).status is SubmissionStatus.REFUSED
    assert _submission(refused).report is None  # nothing of it is left in Netra either

    # An intake that crashes half-way: the database fails while the tanda terima is issued,
    # with the reporter's phone among the statement's parameters.
    crashing = sample.reporter.model_copy(update={"phone": "081299990002", "nik": NIK})
    killed = submit_sample(SAMPLE, reporter=crashing)
    secrets |= sensitive_values(sample.model_copy(update={"reporter": crashing}))

    def crash(session: Session, deps: Any, report: Report, case: Any, *, now: datetime) -> None:
        session.execute(text("SELECT telepon FROM tidak_ada WHERE x = :p"), {"p": crashing.phone})

    monkeypatch.setattr(services.intake, "_acknowledge", crash)
    assert (await intake_flow(killed, "petugas", return_state=True)).is_failed()
    assert counts() == before  # rolled back; the submission waits for a rerun
    assert _submission(killed).status is SubmissionStatus.PENDING
    monkeypatch.undo()
    assert (await intake_flow(killed, "petugas")) > 0  # run again, it is recorded
    assert _submission(killed).status is SubmissionStatus.RECORDED

    kept = await what_prefect_keeps(since)
    assert len(kept["flow runs"]) > 20 and kept["logs"] and kept["artifacts"] and kept["events"]
    assert {"081250001111", "197805122006041003", NIK, "081299990002"} <= secrets
    leaks = {
        (kind, secret, row[:200])
        for kind, rows in kept.items()
        for row in rows
        for secret in secrets
        if secret in row
    }
    assert not leaks, sorted(leaks)[:10]


def test_the_check_finds_a_phone_number_where_it_is() -> None:
    """The search above is not blind: a run parameter holding a report is caught."""
    report = read_report(SAMPLES / "reports" / f"{SAMPLE}.json")
    row = json.dumps({"parameters": {"report": report.model_dump(mode="json")}})
    found = {s for s in sensitive_values(report) if s in row}
    assert {"081250001111", "rahmat.hidayat@example.org", "197805122006041003"} <= found
