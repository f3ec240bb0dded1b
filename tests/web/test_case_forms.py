"""The case forms that run a flow as the logged-in user (under a Prefect test server): the
completed report, the reporter's consent, a text correction, the authority's reply, added
evidence and links. Each: the form is offered where role and stage allow, the happy path changes
the case, and a reader without the role is refused in Indonesian with nothing changed."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from cli.local.mail_sink import MailSink
from config.settings import SmtpSecurity
from models.access import ALL_OFFICES, Role
from models.inputs import VerificationChoice, VerificationDecision
from models.stages import Stage
from models.tables import AuthorityReply, Case, Evidence, ReporterConsent
from services.verification import verify_case
from tests.services.helpers import events, run_sample
from tests.web.conftest import PPU, RECORDER, Desk, csrf_of, logged_in, staff

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


def _case(desk: Desk, case_id: int) -> Case:
    with Session(desk.deps.engine) as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case


def _auditor(desk: Desk) -> TestClient:
    staff(desk.deps, "auditor-ppu", PPU, Role.AUDITOR)
    return logged_in(desk.app, "auditor-ppu")


def _post(client: TestClient, case_id: int, path: str, data: dict[str, str], **kw: Any) -> str:
    """Post a case form with the page's CSRF token; the case page it leads back to."""
    page = client.get(f"/perkara/{case_id}")
    assert page.status_code == 200
    response = client.post(
        f"/perkara/{case_id}/{path}", data={**data, "csrf": csrf_of(page.text)}, **kw
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/perkara/{case_id}"
    return str(client.get(response.headers["location"]).text)


def _refused_for_an_auditor(
    desk: Desk, case_id: int, path: str, data: dict[str, str], **kw: Any
) -> None:
    auditor = _auditor(desk)
    before = events(desk.deps, str(case_id))
    assert f'action="/perkara/{case_id}/{path}"' not in auditor.get(f"/perkara/{case_id}").text
    page = _post(auditor, case_id, path, data, **kw)
    assert "tidak berwenang" in page
    assert events(desk.deps, str(case_id)) == before  # nothing recorded


def test_completed_report_upload_resumes_the_kajian_awal(desk: Desk) -> None:
    case = _case(desk, desk.ppu_case)
    ask = VerificationDecision(
        decision=VerificationChoice.COMPLETE, missing_items=["alamat lengkap pelapor"]
    )
    verify_case(desk.deps, str(case.id), ask, actor=RECORDER, now=case.received_at + timedelta(1))
    completed = dict(case.report)
    completed["incident"] = {**completed["incident"], "account": "Uraian yang telah dilengkapi."}
    completed["evidence"] = [{"description": "Foto tambahan", "file": "foto baru.txt"}]
    body = json.dumps(completed).encode()
    files = {
        "report_file": ("laporan-lengkap.json", body, "application/json"),
        "evidence_0_file": ("foto baru.txt", b"foto tambahan\n", "text/plain"),
    }
    _refused_for_an_auditor(desk, desk.ppu_case, "kelengkapan", {}, files=files)
    client = logged_in(desk.app, "pemeriksa-ppu")
    assert (
        f'action="/perkara/{desk.ppu_case}/kelengkapan"'
        in client.get(f"/perkara/{desk.ppu_case}").text
    )
    # a report that is not one is refused on the page, nothing recorded
    bad = {"report_file": ("laporan.json", b"{bukan json", "application/json")}
    page = _post(client, desk.ppu_case, "kelengkapan", {}, files=bad)
    assert "Laporan ditolak" in page
    assert _case(desk, desk.ppu_case).stage is Stage.NEEDS_COMPLETION
    page = _post(client, desk.ppu_case, "kelengkapan", {}, files=files)
    assert "tahap" in page
    after = _case(desk, desk.ppu_case)
    assert after.stage is Stage.RECEIVED
    assert after.incident_account == "Uraian yang telah dilengkapi."
    with Session(desk.deps.engine) as session:
        added = session.exec(
            select(Evidence).where(
                col(Evidence.case_id) == desk.ppu_case, col(Evidence.description) == "Foto tambahan"
            )
        ).one()
        assert added.sha256 and added.added_by.endswith("(pemeriksa-ppu)")
    assert not any(desk.deps.settings.evidence_inbox_dir.iterdir())  # uploads removed


def test_reporter_consent_is_recorded_then_withdrawn(desk: Desk) -> None:
    form = {"withdraw": "tidak", "scope": "nama", "given_on": "2024-10-15", "means": "surat"}
    _refused_for_an_auditor(desk, desk.ppu_case, "persetujuan-pelapor", form)
    client = logged_in(desk.app, "pemeriksa-ppu")
    page = _post(client, desk.ppu_case, "persetujuan-pelapor", {**form, "given_on": "kemarin"})
    assert "Isian tidak valid" in page
    _post(client, desk.ppu_case, "persetujuan-pelapor", form)
    with Session(desk.deps.engine) as session:
        consent = session.exec(select(ReporterConsent)).one()
        assert consent.withdrawn_at is None and consent.recorded_by.endswith("(pemeriksa-ppu)")
    _post(client, desk.ppu_case, "persetujuan-pelapor", {"withdraw": "ya", "reason": "diminta"})
    with Session(desk.deps.engine) as session:
        assert session.exec(select(ReporterConsent)).one().withdrawn_at is not None
    assert events(desk.deps, str(desk.ppu_case))[-2:] == [
        "ReporterConsented",
        "ReporterConsentWithdrawn",
    ]


def test_text_correction_replaces_the_text(desk: Desk) -> None:
    form = {"target": "place", "text": "Balai Desa Sepaku", "reason": "salah ketik"}
    _refused_for_an_auditor(desk, desk.ppu_case, "koreksi", form)
    client = logged_in(desk.app, "pemeriksa-ppu")
    page = _post(client, desk.ppu_case, "koreksi", {**form, "reason": ""})
    assert "alasan koreksi wajib diisi" in page
    _post(client, desk.ppu_case, "koreksi", form)
    assert _case(desk, desk.ppu_case).incident_place == "Balai Desa Sepaku"
    assert events(desk.deps, str(desk.ppu_case))[-1] == "TextCorrected"


def test_evidence_upload_is_added_to_the_case(desk: Desk) -> None:
    form = {"evidence_0_description": "Rekaman suara"}
    files = {"evidence_0_file": ("rekaman.txt", b"transkrip rekaman\n", "text/plain")}
    _refused_for_an_auditor(desk, desk.ppu_case, "bukti", form, files=files)
    client = logged_in(desk.app, "pemeriksa-ppu")
    page = _post(client, desk.ppu_case, "bukti", form, files=files)
    assert "Bukti dicatat" in page and "Rekaman suara" in page
    again = _post(client, desk.ppu_case, "bukti", form, files=files)
    assert "tidak dicatat dua kali" in again
    with Session(desk.deps.engine) as session:
        rows = session.exec(
            select(Evidence).where(col(Evidence.description) == "Rekaman suara")
        ).all()
        assert len(rows) == 1 and rows[0].original_name == "rekaman.txt"
    assert not any(desk.deps.settings.evidence_inbox_dir.iterdir())


def test_cases_are_linked_and_unlinked_within_ones_offices(desk: Desk) -> None:
    ppu, pkp = desk.ppu_case, desk.pkp_case
    form = {"action": "tautkan", "other": str(pkp), "reason": "terlapor bersaudara"}
    _refused_for_an_auditor(desk, ppu, "tautan", form)
    # another office's case is named like one that does not exist
    local = logged_in(desk.app, "pemeriksa-ppu")
    page = _post(local, ppu, "tautan", form)
    assert f"perkara &#39;{pkp}&#39; tidak ditemukan" in page
    assert "CaseLinked" not in events(desk.deps, str(ppu))
    staff(desk.deps, "pusat", ALL_OFFICES, Role.PEMERIKSA)
    client = logged_in(desk.app, "pusat")
    page = _post(client, ppu, "tautan", form)
    assert f'href="/perkara/{pkp}"' in page
    assert events(desk.deps, str(ppu))[-1] == events(desk.deps, str(pkp))[-1] == "CaseLinked"
    page = _post(client, ppu, "tautan", {**form, "action": "lepaskan", "reason": "keliru"})
    assert f'href="/perkara/{pkp}"' not in page
    assert events(desk.deps, str(ppu))[-1] == "CaseUnlinked"


def test_authority_reply_is_recorded_on_a_referred_case(desk: Desk) -> None:
    referred = asyncio.run(run_sample(desk.deps, "report-ppu-camat"))
    assert referred.stage is Stage.REFERRED
    case_id = referred.case_id
    form = {
        "kind": "acknowledged",
        "date": "2024-10-17",
        "authority": "BKN",
        "reference": "SBT-2024-10-0099",
    }
    _refused_for_an_auditor(desk, case_id, "tanggapan", form)
    client = logged_in(desk.app, "pemeriksa-ppu")
    assert f'action="/perkara/{case_id}/tanggapan"' in client.get(f"/perkara/{case_id}").text
    page = _post(client, case_id, "tanggapan", {**form, "date": "2099-01-01"})
    assert "Ditolak, tidak ada yang dicatat" in page
    _post(client, case_id, "tanggapan", form)
    with Session(desk.deps.engine) as session:
        reply = session.exec(select(AuthorityReply)).one()
        assert reply.reference == "SBT-2024-10-0099"
        assert reply.recorded_by.endswith("(pemeriksa-ppu)")
