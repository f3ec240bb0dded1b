"""The replies after the referral under Prefect: the `tanggapan-instansi` flow (a PPK's refusal
sends the escalation to BKN in the same run) and `netra reply` on the command line."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli.local.mail_sink import MailSink
from cli.main import app
from flows.stages import reply_flow
from models.inputs import ReplyInput, ReplyKind
from models.outcomes import StageOutcome
from models.stages import Stage
from tests.conftest import SAMPLES
from tests.flows.helpers import letters, outbox, run_sample

pytestmark = pytest.mark.prefect
runner = CliRunner()
PPU = "report-ppu-camat"  # referred to BKN on 16 Oct 2024 (its own timeline)


async def test_a_ppk_refusal_run_escalates_to_bkn(netra_env: Path, sink: MailSink) -> None:
    assert await run_sample(PPU) is Stage.REFERRED
    refusal = ReplyInput(
        kind=ReplyKind.PPK_REFUSED, reason="PPK keberatan atas rekomendasi", date="2024-10-20"
    )
    now = datetime(2024, 10, 21, 2, 0, tzinfo=UTC)

    result = await reply_flow("1", refusal, "petugas", now)

    assert (result.stage, result.outcome) == (Stage.PPK_OVERDUE, StageOutcome.MOVED)
    assert [x.recipient_key for x in letters() if x.kind == "eskalasi_bkn"] == [
        "otoritas-bkn-siasn"
    ]
    escalation = [m for m in outbox() if m.key.endswith("/eskalasi_bkn/otoritas-bkn-siasn")]
    assert [m.status for m in escalation] == ["sent"]  # sent by the run itself
    assert "netralitas@bkn.example.go.id" in str(sink.messages[-1]["To"])
    again = await reply_flow("1", refusal, "petugas", now)
    assert again.outcome is StageOutcome.ALREADY_DONE
    assert len([x for x in letters() if x.kind == "eskalasi_bkn"]) == 1


def _show(case: str) -> dict[str, Any]:
    shown = runner.invoke(app, ["show", case, "--json"])
    assert shown.exit_code == 0, shown.stderr
    data: dict[str, Any] = json.loads(shown.stdout)
    return data


def test_netra_reply_records_an_acknowledgement_and_refuses_bad_input(cli_env: Path) -> None:
    report, plan = SAMPLES / "reports" / f"{PPU}.json", SAMPLES / "decisions" / f"{PPU}.yaml"
    processed = runner.invoke(app, ["process", str(report), "--decisions", str(plan), "--replay"])
    assert processed.exit_code == 0, processed.stderr
    ack = ["reply", "1", "acknowledged", "--authority", "bkn", "--date", "2024-10-17"]

    done = runner.invoke(app, [*ack, "--reference", "SBT-2024-10-0099"])

    assert done.exit_code == 0, done.stdout + done.stderr
    assert "Diteruskan, menunggu tindak lanjut PPK" in done.stdout
    shown = _show("1")
    assert shown["case"]["references"] == {"sbt": "SBT-2024-10-0099"}
    [reply] = shown["replies"]
    assert (reply["kind"], reply["authority"], reply["replied_on"]) == (
        "acknowledged",
        "BKN",
        "2024-10-17",
    )
    text = runner.invoke(app, ["show", "1"]).stdout
    assert "Tanggapan atas penerusan" in text and "SBT-2024-10-0099" in text

    incomplete = runner.invoke(app, ack)
    assert incomplete.exit_code == 2 and "nomor rujukan SBT/SIAPNET" in incomplete.stderr
    other = runner.invoke(app, [*ack, "--reference", "SBT-LAIN"])
    assert other.exit_code == 2 and "sudah tercatat" in other.stderr
    assert "Traceback" not in other.stdout + other.stderr
    future = date.today().replace(year=date.today().year + 1).isoformat()
    recommendation = ["reply", "1", "recommendation", "--number", "R-1", "--sanction", "Sedang"]
    late = runner.invoke(app, [*recommendation, "--date", future])
    assert late.exit_code == 2 and "belum terjadi" in late.stderr
    assert _show("1")["replies"] == shown["replies"]
