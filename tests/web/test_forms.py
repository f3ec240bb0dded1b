"""The desk's forms run the stage flows in-process as the logged-in user (under a Prefect test
server): intake through Formulir B.1 with an uploaded file, then the kajian awal."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session, col, select

from models.access import Role
from models.stages import Stage
from models.tables import Case, Evidence
from tests.web.conftest import PPU, Desk, csrf_of, logged_in, staff


@pytest.fixture(scope="module", autouse=True)
def prefect_server() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.mark.prefect
def test_intake_form_records_the_report_with_its_upload_then_verification(desk: Desk) -> None:
    client = logged_in(desk.app, "pemeriksa-ppu")
    csrf = csrf_of(client.get("/penerimaan").text)
    form = {
        "csrf": csrf,
        "kind": "temuan",
        "office": PPU,
        "received_at": "2024-10-14T09:15",
        "election_type": "pilkada",
        "election_year": "2024",
        "election_region": "Kabupaten Penajam Paser Utara",
        "reported_0_name": "Budi Santoso",
        "reported_0_employment": "PNS",
        "reported_0_nip": "197805122006041003",
        "reported_0_position": "Lurah Nenang",
        "reported_0_agency": "Pemerintah Kabupaten Penajam Paser Utara",
        "incident_summary": "Lurah mengunggah ajakan memilih pasangan calon",
        "incident_place": "Kelurahan Nenang",
        "incident_occurred_on": "2024-10-10",
        "incident_known_on": "2024-10-11",
        "incident_account": "Terlapor mengunggah ajakan memilih di media sosial.",
        "evidence_0_description": "Tangkapan layar unggahan",
    }
    refused = client.post("/penerimaan", data={**form, "incident_occurred_on": "kemarin"})
    assert refused.status_code == 400 and "Laporan ditolak" in refused.text
    with Session(desk.deps.engine) as session:
        before = len(session.exec(select(Case)).all())
    files = {"evidence_0_file": ("foto.txt", b"isi bukti\n", "text/plain")}
    response = client.post("/penerimaan", data=form, files=files)
    assert response.status_code == 303, response.text
    case_id = int(response.headers["location"].rsplit("/", 1)[1])
    with Session(desk.deps.engine) as session:
        assert len(session.exec(select(Case)).all()) == before + 1
        stored = session.exec(select(Evidence).where(col(Evidence.case_id) == case_id)).one()
        assert stored.sha256 and stored.added_by.endswith("(pemeriksa-ppu)")
        assert stored.original_name == "foto.txt"  # the user's own file name, nothing added
    assert not any((desk.deps.settings.evidence_inbox_dir).iterdir())  # upload folder removed
    page = client.get(f"/perkara/{case_id}")
    assert "Tangkapan layar unggahan" in page.text
    verified = client.post(
        f"/perkara/{case_id}/kajian-awal",
        data={"csrf": csrf_of(page.text), "decision": "register"},
    )
    assert verified.status_code == 303
    with Session(desk.deps.engine) as session:
        case = session.get(Case, case_id)
        assert case is not None and case.stage is Stage.REGISTERED
    # an auditor may read but not decide: refused in Indonesian, nothing changed
    staff(desk.deps, "auditor-ppu", PPU, Role.AUDITOR)
    auditor = logged_in(desk.app, "auditor-ppu")
    page = auditor.get(f"/perkara/{desk.ppu_case}")
    assert page.status_code == 200 and "kajian-awal" not in page.text
    refused = auditor.post(
        f"/perkara/{desk.ppu_case}/kajian-awal",
        data={"csrf": csrf_of(page.text), "decision": "register"},
    )
    assert "tidak berwenang" in auditor.get(refused.headers["location"]).text
