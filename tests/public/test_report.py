"""Lapor daring: Formulir B.1 on the public site. A valid laporan becomes a case of the office
chosen (filed by the public channel, audited from the visitor's address), with a tanda terima
whose code then works in /lacak; a malformed one is refused in Indonesian with nothing kept;
no CSRF token, no report; the address's reports are counted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from config.settings import Settings
from models.access import PUBLIC
from models.public import CODE_ALPHABET, RECEIPT_PREFIX
from models.stages import Stage
from models.tables import (
    AuditEntry,
    Case,
    Evidence,
    OutboxMessage,
    PublicReceipt,
    ReportSubmission,
    StageEvent,
)
from services.deps import get_deps
from tests.public.conftest import PERSONAL, PPU, csrf_of, report_fields

_FILES = {"evidence_0_file": ("unggahan.txt", b"isi bukti unggahan\n", "text/plain")}


@pytest.fixture(scope="module", autouse=True)
def prefect_server() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


def _nothing_recorded(settings: Settings) -> None:
    with Session(get_deps().engine) as session:
        assert session.exec(select(Case)).all() == []
        assert session.exec(select(ReportSubmission)).all() == []
        assert session.exec(select(Evidence)).all() == []
    inbox = get_deps().settings.evidence_inbox_dir
    assert inbox.is_relative_to(settings.var_dir)
    assert not inbox.exists() or not any(inbox.rglob("*")), "an upload was left behind"
    assert not (settings.var_dir / "evidence").exists() or not any(
        p for p in (settings.var_dir / "evidence").rglob("*") if p.is_file()
    )


def _receipt(page: str) -> tuple[str, str]:
    import re

    number = re.search(rf"{RECEIPT_PREFIX}-\d{{5,}}", page)
    code = re.search(rf"[{CODE_ALPHABET}]{{5}}-[{CODE_ALPHABET}]{{5}}", page)
    assert number and code, page
    return number.group(0), code.group(0)


@pytest.mark.prefect
def test_a_valid_report_is_recorded_and_its_code_follows_it(
    public_client: TestClient, public_settings: Settings
) -> None:
    form = public_client.get("/lapor")
    assert form.status_code == 200 and "Formulir Model B.1" in form.text
    assert 'name="kind"' not in form.text and 'name="received_at"' not in form.text
    sent = public_client.post(
        "/lapor",
        data={**report_fields(), "csrf": csrf_of(form.text), "kind": "temuan"},
        files=_FILES,
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    shown = public_client.get(sent.headers["location"])
    number, code = _receipt(shown.text)
    assert "/lacak" in shown.text and public_settings.public_url in shown.text
    again = public_client.get(sent.headers["location"])  # shown once
    assert code not in again.text and number not in again.text

    deps = get_deps()
    with Session(deps.engine) as session:
        case = session.exec(select(Case)).one()
        assert case.id is not None and number == f"{RECEIPT_PREFIX}-{case.id:05d}"
        assert case.office_key == PPU and case.stage is Stage.RECEIVED
        assert case.kind.value == "laporan"  # a temuan is the officers' own: never online
        event = session.exec(select(StageEvent).where(StageEvent.case_id == case.id)).one()
        assert event.actor == PUBLIC.label
        stored = session.get(PublicReceipt, case.id)
        assert stored is not None and code.replace("-", "") not in stored.code_hash
        audit = session.exec(select(AuditEntry).where(AuditEntry.case_id == case.id)).all()
        assert audit and all(a.origin == "publik testclient" for a in audit)
        evidence = session.exec(select(Evidence).where(col(Evidence.case_id) == case.id)).one()
        assert evidence.original_name == "unggahan.txt" and evidence.sha256
        mail = session.exec(
            select(OutboxMessage).where(OutboxMessage.recipient_role == "pelapor")
        ).one()
    # The tanda terima's email tells the reporter where to follow the report, never the code.
    assert mail.to_address == PERSONAL["reporter_email"]
    assert f"{public_settings.public_url}/lacak" in mail.body_text and number in mail.body_text
    assert code not in mail.body_text and code.replace("-", "") not in mail.body_text

    page = public_client.get("/lacak")
    found = public_client.post(
        "/lacak", data={"csrf": csrf_of(page.text), "nomor": number, "kode": code.lower()}
    )
    assert found.status_code == 200
    assert Stage.RECEIVED.label in found.text and "Laporan diterima" in found.text
    assert "Bawaslu Kabupaten Penajam Paser Utara" in found.text


@pytest.mark.prefect
@pytest.mark.parametrize("public_overrides", [{"evidence_max_mb": 0.001}])
def test_a_malformed_report_is_refused_in_indonesian_and_nothing_is_kept(
    public_client: TestClient, public_settings: Settings
) -> None:
    csrf = csrf_of(public_client.get("/lapor").text)
    refused = public_client.post(
        "/lapor",
        data={**report_fields(incident_occurred_on="kemarin", election_year=""), "csrf": csrf},
        files=_FILES,
    )
    assert refused.status_code == 400
    assert "Laporan ditolak, tidak ada yang dicatat" in refused.text
    assert "incident.occurred_on" in refused.text and "tanggal" in refused.text
    # what was typed stays in the form
    assert PERSONAL["reported_0_name"] in refused.text
    _nothing_recorded(public_settings)
    oversize = public_client.post(
        "/lapor",
        data={**report_fields(), "csrf": csrf},
        files={"evidence_0_file": ("besar.txt", b"x" * (_max_bytes(public_settings) + 1))},
    )
    assert oversize.status_code == 400 and "lebih besar dari" in oversize.text
    _nothing_recorded(public_settings)


def _max_bytes(settings: Settings) -> int:
    return int(settings.evidence_max_mb * 1024 * 1024)


def test_a_report_without_the_csrf_token_is_refused(
    public_client: TestClient, public_settings: Settings
) -> None:
    public_client.get("/lapor")  # the session exists: only the token is missing
    answer = public_client.post("/lapor", data=report_fields(), files=_FILES)
    assert answer.status_code == 403 and "Formulir ini kedaluwarsa" in answer.text
    _nothing_recorded(public_settings)


@pytest.mark.parametrize("public_overrides", [{"public_reports_per_hour": 2}])
def test_reports_from_one_address_are_throttled_after_the_limit(
    public_client: TestClient, public_settings: Settings, tmp_path: Path
) -> None:
    csrf = csrf_of(public_client.get("/lapor").text)
    bad = {**report_fields(incident_occurred_on="kemarin"), "csrf": csrf}
    for _ in range(2):  # refused reports count as much as accepted ones
        assert public_client.post("/lapor", data=bad).status_code == 400
    third = public_client.post("/lapor", data={**report_fields(), "csrf": csrf}, files=_FILES)
    assert third.status_code == 429
    assert "Terlalu banyak laporan" in third.text and "Laporan ditolak" not in third.text
    _nothing_recorded(public_settings)
