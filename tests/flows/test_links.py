"""Related reports through the command line and the `tautan-perkara` flow (real Prefect): intake
says which cases it linked, `netra link`/`unlink` run the flow, both cases publish their event
and their page, and a refusal is one Indonesian line with exit 2."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.conftest import sample_report
from tests.flows.prefect_api import artifacts, events

pytestmark = pytest.mark.prefect
runner = CliRunner()


def _ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout


def test_cases_are_linked_at_intake_and_by_hand_through_the_flow(
    cli_env: Path, tmp_path: Path
) -> None:
    since = datetime.now(UTC)
    _ok("intake", str(sample_report("report-ppu-camat.json")))
    data = json.loads(sample_report("report-ppu-camat.json").read_text(encoding="utf-8"))
    data["reporter"]["name"] = "Budi Santoso"
    data["reported"][0]["nip"] = "19780512 200604 1 003"
    data["incident"]["occurred_on"] = "2024-10-09"
    related = tmp_path / "laporan-kedua.json"
    related.write_text(json.dumps(data), encoding="utf-8")
    said = _ok("intake", str(related))
    assert "Perkara #2 dicatat" in said
    assert "Ditautkan dengan perkara terkait: laporan #1 (terlapor sama (NIP): Drs. Agus" in said
    _ok("intake", str(sample_report("report-pilkada-ppnpn-honorer.json")))

    linked = _ok("link", "3", "1", "--reason", "pelapor yang sama melaporkan keduanya")
    assert "Perkara laporan #3 dan perkara laporan #1: ditautkan." in linked
    assert "Perkara terkait: laporan #1 (pelapor yang sama melaporkan keduanya)" in linked
    again = _ok("link", "1", "3", "--reason", "lagi")
    assert "sudah tertaut; tidak dicatat dua kali" in again
    shown = json.loads(_ok("show", "1", "--json"))
    assert [(x["case_id"], x["automatic"]) for x in shown["links"]] == [(2, True), (3, False)]
    assert [e["event"] for e in shown["events"]].count("CaseLinked") == 2
    assert "Perkara terkait" in _ok("show", "1")

    unlinked = _ok("unlink", "1", "3", "--reason", "salah tautan")
    assert "laporan #3: dilepas tautannya." in unlinked
    assert (
        "Perkara terkait: laporan #2" in unlinked and "Perkara terkait: laporan #3" not in unlinked
    )
    refused = runner.invoke(app, ["link", "1", "1", "--reason", "x"])
    assert refused.exit_code == 2
    assert "Gagal: perkara tidak dapat ditautkan dengan dirinya sendiri" in refused.stderr

    # The flow published each change on both cases, and both case pages show the link.
    published = asyncio.run(events("netra.case.case_", since, expected=4))
    cases = sorted((e["event"], e["resource"]["netra.case.id"]) for e in published)
    assert cases == [
        ("netra.case.case_linked", "1"),
        ("netra.case.case_linked", "3"),
        ("netra.case.case_unlinked", "1"),
        ("netra.case.case_unlinked", "3"),
    ]
    page = asyncio.run(artifacts("perkara-3", since))
    assert "laporan #1 (pelapor yang sama melaporkan keduanya)" in page[0].data
    assert "## Perkara terkait\n\n_(tidak ada)_" in page[-1].data
