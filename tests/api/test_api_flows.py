"""The API's writes run the stage flows as the token's user (under a Prefect test server, mail to
a recording SMTP server): a report recorded through POST /laporan, the kajian awal, and a
repeated or misplaced step answered as such. Each: the case changed in the database, the event
names the token's user, the audit rows say they came from the API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select

from cli.local.mail_sink import MailSink
from config.settings import SmtpSecurity
from models.access import Role
from models.stages import Stage
from models.tables import AuditEntry, Case, StageEvent
from tests.api.conftest import API, PPU, Desk, client_as
from tests.conftest import SAMPLES

pytestmark = pytest.mark.prefect


@pytest.fixture(scope="module", autouse=True)
def prefect_server() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[MailSink]:
    with MailSink(tmp_path / "received", port=0) as server:
        yield server


@pytest.fixture
def desk_settings(sink: MailSink) -> dict[str, Any]:
    return {
        "smtp_port": sink.port,
        "smtp_security": SmtpSecurity.NONE,
        "mail_retry_base_seconds": 0.01,
    }


def _events(desk: Desk, case_id: int) -> list[StageEvent]:
    with Session(desk.deps.engine) as session:
        return list(
            session.exec(
                select(StageEvent).where(StageEvent.case_id == case_id).order_by(col(StageEvent.id))
            ).all()
        )


def test_a_report_posted_is_recorded_as_the_tokens_user(desk: Desk) -> None:
    client = client_as(desk, "pemeriksa-ppu")
    report = json.loads((SAMPLES / "reports" / "report-ppu-camat.json").read_text("utf-8"))
    report["evidence"] = [{"description": "Tangkapan layar tanpa berkas"}]
    report["incident"]["summary"] = "Laporan lewat API: camat berkampanye"
    response = client.post(f"{API}/laporan", json=report)
    assert response.status_code == 201, response.text
    case = response.json()
    assert response.headers["location"] == f"{API}/perkara/{case['id']}"
    assert case["stage"] == Stage.RECEIVED and case["office"] == PPU
    assert case["incident_summary"] == "Laporan lewat API: camat berkampanye"
    events = _events(desk, case["id"])
    assert events[0].to_stage is Stage.RECEIVED and "pemeriksa-ppu" in events[0].actor
    with Session(desk.deps.engine) as session:
        rows = session.exec(select(AuditEntry).where(AuditEntry.case_id == case["id"])).all()
    assert rows and all(r.origin.startswith("api ") for r in rows), {r.origin for r in rows}
    # the same report again: the same case, nothing recorded twice
    again = client.post(f"{API}/laporan", json=report)
    assert again.status_code == 201 and again.json()["id"] == case["id"]
    assert len(_events(desk, case["id"])) == len(events)


def test_the_kajian_awal_runs_its_flow_and_a_second_time_changes_nothing(desk: Desk) -> None:
    client = client_as(desk, "pemeriksa-ppu")
    url = f"{API}/perkara/{desk.ppu_case}/kajian-awal"
    response = client.post(url, json={"decision": "register"})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["outcome"] == "moved" and answer["stage"] == Stage.REGISTERED
    with Session(desk.deps.engine) as session:
        case = session.get(Case, desk.ppu_case)
        assert case is not None and case.stage is Stage.REGISTERED and case.case_number
    assert answer["label"] == case.case_number
    registered = _events(desk, desk.ppu_case)[-1]
    assert registered.to_stage is Stage.REGISTERED and "pemeriksa-ppu" in registered.actor
    before = len(_events(desk, desk.ppu_case))
    repeated = client.post(url, json={"decision": "register"})
    assert repeated.status_code in (200, 409), repeated.text
    if repeated.status_code == 200:
        assert repeated.json()["outcome"] == "already_done"
    assert len(_events(desk, desk.ppu_case)) == before
    # a step of another stage: 409, nothing recorded
    boss = client_as(desk, "pimpinan-ppu", office=PPU, role=Role.PIMPINAN)
    late = boss.post(f"{API}/perkara/{desk.ppu_case}/persetujuan", json={"approved": True})
    assert late.status_code == 409 and late.headers["content-type"] == "application/problem+json"
    assert "tahap" in late.json()["detail"]
    assert len(_events(desk, desk.ppu_case)) == before


def test_an_approval_that_leaves_the_letters_for_notifikasi(desk: Desk, sink: MailSink) -> None:
    """`kirim=false` (what `netra approve` sends the warm engine): approved, nothing mailed; the
    letters go out with `notifikasi`. Without it the desk's approval sends them at once."""
    from datetime import timedelta

    from benchmarks.pipeline import DAYS, FINDINGS, HEARD, SCHEDULE
    from models.inputs import VerificationChoice, VerificationDecision
    from services.clarification import invite_for_clarification, record_clarification
    from services.recommendation import recommend_sanction
    from services.verification import verify_case
    from tests.support.actors import staff

    case = str(desk.ppu_case)
    with Session(desk.deps.engine) as session:
        row = session.get(Case, desk.ppu_case)
        assert row is not None
        start = row.received_at + timedelta(hours=2)

    def at(step: str) -> Any:
        return start + timedelta(days=DAYS[step])

    clerk = staff("petugas")
    register = VerificationDecision(decision=VerificationChoice.REGISTER)
    verify_case(desk.deps, case, register, actor=clerk, now=at("verify"))
    invite_for_clarification(desk.deps, case, SCHEDULE, actor=clerk, now=at("clarify"))
    record_clarification(desk.deps, case, HEARD, actor=clerk, now=at("hearing"))
    recommend_sanction(desk.deps, case, FINDINGS, actor=clerk, now=at("recommend"))
    mailed = len(sink.received)

    boss = client_as(desk, "pimpinan-ppu", office=PPU, role=Role.PIMPINAN)
    approved = boss.post(
        f"{API}/perkara/{case}/persetujuan?kirim=false", json={"approved": True, "note": "ok"}
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["stage"] == Stage.APPROVED
    assert len(sink.received) == mailed  # nothing sent yet

    sent = boss.post(f"{API}/perkara/{case}/notifikasi")
    assert sent.status_code == 200, sent.text
    assert sent.json()["stage"] == Stage.REFERRED
    assert len(sink.received) > mailed
