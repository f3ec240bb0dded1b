"""The queued mail of many cases sent in one go: `netra mail-send` (services.bulk_mail, a progress
bar) and the `pengiriman-massal` flow (a progress artifact, a table of counts). Against the
recording SMTP server: each email received once, an approved case referred once its letters
are out, a second run sends nothing; with the server down, nothing is lost and the rest waits."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from benchmarks.pipeline import DAYS, FINDINGS, HEARD, SCHEDULE
from cli.local.mail_sink import MailSink
from cli.main import app
from cli.reading import read_report
from flows.batch import MAIL_PROGRESS_KEY, MAIL_RESULTS_KEY, bulk_mail_flow
from models.enums import OutboxStatus
from models.inputs import ApprovalInput, VerificationChoice, VerificationDecision
from models.stages import Stage
from models.tables import Case, OutboxMessage
from services.approval import approve_recommendation
from services.clarification import invite_for_clarification, record_clarification
from services.deps import Deps, get_deps
from services.intake import intake_report
from services.recommendation import recommend_sanction
from services.verification import verify_case
from tests.conftest import SAMPLES
from tests.flows.test_personal_data import what_prefect_keeps
from tests.support.actors import staff

pytestmark = pytest.mark.prefect
CLERK = staff("petugas")


def _queued_cases(deps: Deps) -> tuple[int, int]:
    """Two cases with queued mail: one approved (its letters to KASN/BKN, the PPK and the
    reported person), one just received (its tanda terima); their ids."""
    ids = []
    for stem in ("report-ppu-camat", "report-pilkada-ppnpn-honorer"):
        report = read_report(SAMPLES / "reports" / f"{stem}.json")
        outcome = intake_report(deps, report, actor=CLERK, now=report.received_at)
        assert outcome.case.id is not None
        ids.append(outcome.case.id)
    approved, received = ids
    start = read_report(SAMPLES / "reports" / "report-ppu-camat.json").received_at

    def at(step: str) -> datetime:
        return start + timedelta(days=DAYS[step])

    case = str(approved)
    register = VerificationDecision(decision=VerificationChoice.REGISTER)
    verify_case(deps, case, register, actor=CLERK, now=at("verify"))
    invite_for_clarification(deps, case, SCHEDULE, actor=CLERK, now=at("clarify"))
    record_clarification(deps, case, HEARD, actor=CLERK, now=at("hearing"))
    recommend_sanction(deps, case, FINDINGS, actor=CLERK, now=at("recommend"))
    approval = ApprovalInput(approved=True)
    approve_recommendation(deps, case, approval, actor=CLERK, now=at("approve"))
    return received, approved


def _pending(deps: Deps) -> int:
    with Session(deps.engine) as session:
        rows = session.exec(
            select(OutboxMessage).where(col(OutboxMessage.status) == OutboxStatus.PENDING)
        ).all()
        return len(rows)


def _stage(deps: Deps, case_id: int) -> Stage:
    with Session(deps.engine) as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case.stage


def _message_ids(sink: MailSink) -> list[str]:
    return [str(m.message["Message-ID"]) for m in sink.received]


def test_mail_send_waits_out_an_outage_and_sends_each_email_once(
    cli_env: Path, sink: MailSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    deps = get_deps()
    received, approved = _queued_cases(deps)
    queued = _pending(deps)
    assert queued >= 4

    monkeypatch.setenv("NETRA_SMTP_PORT", "9")  # the server is down
    monkeypatch.setenv("NETRA_MAIL_MAX_ATTEMPTS", "3")
    down = CliRunner().invoke(app, ["mail-send"])
    assert down.exit_code == 2, down.output
    said = " ".join(down.output.split())
    assert "tidak dapat dihubungi" in said and "1 perkara belum dicoba" in said, said
    assert _pending(deps) == queued and not sink.received  # nothing lost, nothing sent
    assert _stage(deps, approved) is Stage.APPROVED

    monkeypatch.setenv("NETRA_SMTP_PORT", str(sink.port))  # back up
    up = CliRunner().invoke(app, ["mail-send", "--json"])
    assert up.exit_code == 0, up.output
    result = json.loads(up.output)
    assert [c["case_id"] for c in result["cases"]] == [approved, received]
    assert sum(c["sent"] for c in result["cases"]) == queued == len(sink.received)
    assert [c["referred"] for c in result["cases"]] == [True, False]
    assert _stage(deps, approved) is Stage.REFERRED and _pending(deps) == 0

    again = CliRunner().invoke(app, ["mail-send"])
    assert again.exit_code == 0, again.output
    assert "0 terkirim" in " ".join(again.output.split())
    assert len(sink.received) == queued and len(set(_message_ids(sink))) == queued

    unknown = CliRunner().invoke(app, ["mail-send", "--kantor", "bawaslu-tidak-ada"])
    assert unknown.exit_code == 2 and "tidak dikenal" in " ".join(unknown.output.split())


async def test_the_flow_shows_progress_and_counts_without_names(
    netra_env: Path, sink: MailSink
) -> None:
    since = datetime.now(UTC)
    deps = get_deps()
    received, approved = _queued_cases(deps)
    queued = _pending(deps)

    result = await bulk_mail_flow("petugas")

    assert result == {"cases": 2, "sent": queued, "unreachable": None}
    assert len(sink.received) == queued and _stage(deps, approved) is Stage.REFERRED
    kept = await what_prefect_keeps(since)
    artifacts = [json.loads(a) for a in kept["artifacts"]]
    progress = [a for a in artifacts if a["key"] == MAIL_PROGRESS_KEY]
    assert progress and float(progress[-1]["data"]) == 100.0
    table = next(a for a in artifacts if a["key"] == MAIL_RESULTS_KEY)
    cells = json.loads(table["data"])
    assert [row["perkara"] for row in cells] == [approved, received]
    assert f"{queued} terkirim" in table["description"]
    names = {m.message["To"] for m in sink.received}
    assert not any(str(name).split("<")[0].strip() in table["data"] for name in names)

    assert (await bulk_mail_flow("petugas"))["sent"] == 0  # nothing twice
    assert len(sink.received) == queued
