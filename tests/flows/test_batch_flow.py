"""`penerimaan-massal`: many submissions in one run, each recorded or refused on its own, a
progress artifact and a table of results that name no person."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from cli.reading import read_report
from flows.batch import PROGRESS_KEY, RESULTS_KEY, batch_intake_flow
from tests.conftest import SAMPLES
from tests.flows.helpers import counts, submit_sample
from tests.flows.test_personal_data import NIK, sensitive_values, what_prefect_keeps

pytestmark = pytest.mark.prefect
SAMPLE = "report-ppu-camat"


def _summary(number: int) -> dict[str, Any]:
    incident = read_report(SAMPLES / "reports" / f"{SAMPLE}.json").incident
    return {"incident": incident.model_copy(update={"summary": f"{incident.summary} ({number})"})}


async def test_one_run_records_each_refuses_one_and_keeps_only_numbers(netra_env: Path) -> None:
    since = datetime.now(UTC)
    sample = read_report(SAMPLES / "reports" / f"{SAMPLE}.json")
    reporter = sample.reporter.model_copy(update={"phone": "081299990009", "nik": NIK})
    first, second = submit_sample(SAMPLE, **_summary(1)), submit_sample(SAMPLE, **_summary(2))
    refused = submit_sample(SAMPLE, office="bawaslu-kab-tidak-ada", reporter=reporter)
    again = submit_sample(SAMPLE, **_summary(1))  # the first report, sent twice

    rows = await batch_intake_flow([first, second, refused, again], "petugas")

    assert [(r["submission"], r["status"]) for r in rows] == [
        (first, "dicatat"),
        (second, "dicatat"),
        (refused, "ditolak"),
        (again, "sudah_ada"),
    ]
    assert rows[3]["case_id"] == rows[0]["case_id"] and rows[2]["case_id"] is None
    assert counts()["cases"] == 2

    kept = await what_prefect_keeps(since)
    artifacts = [json.loads(a) for a in kept["artifacts"]]
    progress = [a for a in artifacts if a["key"] == PROGRESS_KEY]
    assert progress and float(progress[-1]["data"]) == 100.0
    table = next(a for a in artifacts if a["key"] == RESULTS_KEY)
    cells = json.loads(table["data"])
    assert [set(row) for row in cells] == [{"kiriman", "perkara", "status"}] * 4
    assert "2 dicatat, 1 sudah tercatat, 1 ditolak" in table["description"]
    secrets = sensitive_values(sample) | sensitive_values(
        sample.model_copy(update={"reporter": reporter})
    )
    leaks = {
        (kind, secret)
        for kind, texts in kept.items()
        for t in texts
        for secret in secrets
        if secret in t
    }
    assert not leaks, sorted(leaks)
    assert sample.reporter.name not in table["data"]
