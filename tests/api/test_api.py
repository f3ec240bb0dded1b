"""The API against the real desk app on SQLite: tokens, 401/403/404, the register with pages, one
case, files, validation as problem details, no traceback; nothing here runs a stage flow (those
are in test_api_flows.py)."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import zipfile
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from models.access import ALL_OFFICES, Role
from models.audit import AuditAction
from models.tables import ApiToken, AuditEntry, Case, Letter
from services.tokens import (
    TokenRefused,
    actor_for_token,
    create_token,
    list_tokens,
    revoke_token,
)
from services.users import UserProblem, actor_named, set_active
from tests.api.conftest import API, PKP, PPU, Desk, client_as, token_for
from tests.conftest import SAMPLES
from tests.web.conftest import ROOT, logged_in

_PARAM = re.compile(r"\{(\w+)\}")
PROBLEM = "application/problem+json"


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert "Traceback" not in response.text
    return body


def _report(name: str = "report-ppu-camat.json") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAMPLES / "reports" / name).read_text(encoding="utf-8"))
    data.pop("evidence", None)
    return data


# --- tokens ------------------------------------------------------------------------------------


def test_a_token_is_stored_only_as_its_hash_and_acts_as_its_user_until_revoked(
    desk: Desk,
) -> None:
    deps = desk.deps
    now = datetime.now(UTC)
    issued = create_token(deps, ROOT, "SIGAP", owner="pemeriksa-ppu", now=now)
    assert issued.token.startswith("netra_") and len(issued.token) > 40
    with Session(deps.engine) as session:
        row = session.get(ApiToken, issued.id)
        assert row is not None
        assert row.token_hash == hashlib.sha256(issued.token.encode()).hexdigest()
        stored = " ".join(str(v) for v in row.model_dump().values())
        assert issued.token not in stored  # nothing but the digest and a short prefix
        assert row.expires_at is not None and row.expires_at > now + timedelta(days=89)
    actor = actor_for_token(deps, issued.token, now=now)
    assert actor.username == "pemeriksa-ppu" and actor.roles_in(PPU) == {Role.PEMERIKSA}
    assert actor_for_token(deps, issued.token, now=now).user_id == actor.user_id
    with Session(deps.engine) as session:
        row = session.get(ApiToken, issued.id)
        assert row is not None and row.last_used_at is not None
    # a user sees and revokes their own; not another's
    own = actor_named(deps, "pemeriksa-ppu")
    assert [t.id for t in list_tokens(deps, own)] == [issued.id]
    other = actor_named(deps, "pimpinan-pkp")
    with pytest.raises(UserProblem):
        revoke_token(deps, other, issued.id, now=now)
    with pytest.raises(UserProblem):
        create_token(deps, other, "x", owner="pemeriksa-ppu", now=now)
    assert revoke_token(deps, own, issued.id, now=now) is True
    assert revoke_token(deps, own, issued.id, now=now) is False
    with pytest.raises(TokenRefused):
        actor_for_token(deps, issued.token, now=now)
    with Session(deps.engine) as session:
        actions = session.exec(select(AuditEntry.action, AuditEntry.detail)).all()
    assert (AuditAction.TOKEN_CREATED, f"token {issued.id} 'SIGAP' pemeriksa-ppu") in actions
    assert any(a == AuditAction.TOKEN_REVOKED for a, _ in actions)
    assert not any(issued.token in d for _, d in actions)


def test_an_expired_token_a_disabled_user_and_a_guessed_token_are_refused(desk: Desk) -> None:
    deps, now = desk.deps, datetime.now(UTC)
    short = create_token(deps, ROOT, "sebentar", owner="pemeriksa-ppu", days=1, now=now)
    assert actor_for_token(deps, short.token, now=now + timedelta(hours=23)).username
    with pytest.raises(TokenRefused):
        actor_for_token(deps, short.token, now=now + timedelta(days=1, seconds=1))
    boss = create_token(deps, ROOT, "pimpinan", owner="pimpinan-pkp", now=now)
    set_active(deps, ROOT, "pimpinan-pkp", active=False, now=now)
    with pytest.raises(TokenRefused):
        actor_for_token(deps, boss.token, now=now)
    with pytest.raises(TokenRefused):
        actor_for_token(deps, short.token[:-1] + ("A" if short.token[-1] != "A" else "B"), now=now)


def test_every_operation_answers_401_without_a_valid_token(desk: Desk) -> None:
    anonymous = TestClient(desk.app, follow_redirects=False)
    document = anonymous.get(f"{API}/openapi.json").json()
    revoked = create_token(desk.deps, ROOT, "lama", owner="pemeriksa-ppu", now=datetime.now(UTC))
    revoke_token(desk.deps, ROOT, revoked.id, now=datetime.now(UTC))
    operations = [(p, m) for p, item in document["paths"].items() for m in item]
    assert len(operations) >= 14
    for path, method in operations:
        url = API + _PARAM.sub("1", path)
        for headers in (
            {},
            {"Authorization": "Bearer netra_tebakan"},
            {"Authorization": f"Basic {revoked.token}"},
            {"Authorization": f"Bearer {revoked.token}"},
        ):
            response = anonymous.request(method.upper(), url, headers=headers, json={})
            body = _problem(response, 401)
            assert response.headers["www-authenticate"].startswith("Bearer"), (path, method)
            assert "token" in body["detail"].lower()
        # every operation declares it (and 500) in the OpenAPI document
        declared = document["paths"][path][method]["responses"]
        assert {"401", "500"} <= set(declared), (path, method)
        assert PROBLEM in declared["401"]["content"]
    assert document["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


def test_the_desk_session_does_not_open_the_api_nor_a_token_the_desk(desk: Desk) -> None:
    browser = logged_in(desk.app, "pemeriksa-ppu")
    _problem(browser.get(f"{API}/perkara"), 401)
    token = token_for(desk.deps, "pemeriksa-ppu")
    page = TestClient(desk.app, follow_redirects=False).get(
        "/perkara", headers={"Authorization": f"Bearer {token}"}
    )
    assert page.status_code == 303 and page.headers["location"].startswith("/masuk")


# --- reading -----------------------------------------------------------------------------------


def test_the_register_lists_only_the_users_offices_with_pages_and_links(desk: Desk) -> None:
    own = client_as(desk, "pemeriksa-ppu")
    body = own.get(f"{API}/perkara").json()
    assert [c["id"] for c in body["items"]] == [desk.ppu_case]
    assert body["total"] == 1 and body["items"][0]["office"] == PPU
    # the other office's case, searched for by its own text: not there
    with Session(desk.deps.engine) as session:
        other = session.get(Case, desk.pkp_case)
        assert other is not None
    found = own.get(f"{API}/perkara", params={"q": other.incident_place[:12]}).json()
    assert found["items"] == [] and found["total"] == 0
    # an auditor of every office reads both, one per page
    everyone = client_as(desk, "auditor", office=ALL_OFFICES, role=Role.AUDITOR)
    first = everyone.get(f"{API}/perkara", params={"per_page": 1}).json()
    assert (first["total"], first["pages"], first["per_page"]) == (2, 2, 1)
    assert first["links"]["prev"] is None and first["links"]["next"].endswith("page=2")
    second = everyone.get(first["links"]["next"]).json()
    assert second["page"] == 2 and second["links"]["next"] is None
    assert {first["items"][0]["id"], second["items"][0]["id"]} == {desk.ppu_case, desk.pkp_case}
    narrowed = everyone.get(f"{API}/perkara", params={"kantor": PKP, "tahap": "diterima"}).json()
    assert [c["id"] for c in narrowed["items"]] == [desk.pkp_case]


def test_a_page_out_of_range_and_a_bad_date_are_422_with_the_field_named(desk: Desk) -> None:
    client = client_as(desk, "pemeriksa-ppu")
    body = _problem(client.get(f"{API}/perkara", params={"page": 0, "dari": "kemarin"}), 422)
    paths = {e["path"]: e["message"] for e in body["errors"]}
    assert paths.keys() == {"page", "dari"}
    assert "paling kecil 1" in paths["page"] and "tanggal" in paths["dari"]


def test_one_case_shows_what_the_desk_shows_and_another_offices_case_is_an_unknown_one(
    desk: Desk,
) -> None:
    client = client_as(desk, "pemeriksa-ppu")
    response = client.get(f"{API}/perkara/{desk.ppu_case}")
    assert response.status_code == 200
    case = response.json()
    assert case["id"] == desk.ppu_case and case["stage"] == "diterima"
    roles = {p["role"] for p in case["parties"]}
    assert {"pelapor", "terlapor"} <= roles
    for party in case["parties"]:  # never a contact detail
        assert not {"address", "phone", "email", "birth_date"} & party.keys()
    report = _report()
    assert report["reporter"]["phone"] not in response.text
    letter = case["letters"][0]
    assert letter["id"] == desk.ppu_letter
    assert letter["docx"] == f"{API}/perkara/{desk.ppu_case}/surat/{desk.ppu_letter}.docx"
    assert case["evidence"][0]["download"].endswith(f"/bukti/{desk.ppu_evidence}")
    # the other office's case answers exactly as one that does not exist
    other = client.get(f"{API}/perkara/{desk.pkp_case}")
    unknown = client.get(f"{API}/perkara/999999")
    assert _problem(other, 404) == _problem(unknown, 404)
    # the read is in the audit trail, by the token's user, from the API
    with Session(desk.deps.engine) as session:
        row = session.exec(
            select(AuditEntry)
            .where(AuditEntry.action == AuditAction.CASE_READ)
            .order_by(col(AuditEntry.id).desc())
        ).first()
    assert row is not None and row.case_id == desk.ppu_case
    assert "pemeriksa-ppu" in row.actor and row.origin.startswith("api ")


def test_letters_and_evidence_are_the_stored_bytes_and_other_offices_files_are_404(
    desk: Desk,
) -> None:
    client = client_as(desk, "pemeriksa-ppu")
    own, other = desk.ppu_case, desk.pkp_case
    docx = client.get(f"{API}/perkara/{own}/surat/{desk.ppu_letter}.docx")
    assert docx.status_code == 200
    with Session(desk.deps.engine) as session:
        letter = session.get(Letter, desk.ppu_letter)
        assert letter is not None
    assert hashlib.sha256(docx.content).hexdigest() == letter.sha256
    assert docx.headers["content-disposition"].startswith("attachment")
    evidence = client.get(f"{API}/perkara/{own}/bukti/{desk.ppu_evidence}")
    assert evidence.status_code == 200 and b"<script>" in evidence.content
    assert evidence.headers["content-type"].startswith("text/plain")
    assert evidence.headers["x-content-type-options"] == "nosniff"
    # no PDF was made (NETRA_PDF=off): a 404 naming the letter, not a server error
    _problem(client.get(f"{API}/perkara/{own}/surat/{desk.ppu_letter}.pdf"), 404)
    for path in (
        f"/perkara/{other}/surat/{desk.pkp_letter}.docx",
        f"/perkara/{other}/bukti/{desk.pkp_evidence}",
        f"/perkara/{own}/surat/{desk.pkp_letter}.docx",
        f"/perkara/{own}/bukti/{desk.pkp_evidence}",
    ):
        _problem(client.get(API + path), 404)


def test_the_case_file_zip_is_handed_out_checked_and_only_for_the_users_office(
    desk: Desk,
) -> None:
    client = client_as(desk, "pemeriksa-ppu")
    answer = client.get(f"{API}/perkara/{desk.ppu_case}/berkas.zip")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        sums: dict[str, str] = {}
        for line in archive.read("SHA256SUMS").decode().splitlines():
            digest, name = line.split("  ", 1)
            sums[name] = digest
        assert sums, "SHA256SUMS lists the files"
        for name, digest in sums.items():
            assert hashlib.sha256(archive.read(name)).hexdigest() == digest, name
    with Session(desk.deps.engine) as session:
        letter = session.get(Letter, desk.ppu_letter)
        assert letter is not None
    assert letter.sha256 in sums.values(), "the tanda terima as issued is in the file"
    _problem(client.get(f"{API}/perkara/{desk.pkp_case}/berkas.zip"), 404)
    (desk.deps.letters_dir / letter.path).write_bytes(b"bukan surat aslinya")
    body = _problem(client.get(f"{API}/perkara/{desk.ppu_case}/berkas.zip"), 409)
    assert letter.number in body["detail"] or letter.path.rsplit("/", 1)[-1] in body["detail"]


def test_an_altered_letter_is_not_handed_out(desk: Desk) -> None:
    with Session(desk.deps.engine) as session:
        letter = session.get(Letter, desk.ppu_letter)
        assert letter is not None
    (desk.deps.letters_dir / letter.path).write_bytes(b"bukan surat aslinya")
    client = client_as(desk, "pemeriksa-ppu")
    body = _problem(client.get(f"{API}/perkara/{desk.ppu_case}/surat/{letter.id}.docx"), 409)
    assert "berubah" in body["detail"]


# --- refusals before any flow runs --------------------------------------------------------------


def test_a_role_without_the_action_is_403_on_a_case_it_can_read(desk: Desk) -> None:
    auditor = client_as(desk, "auditor-ppu", office=PPU, role=Role.AUDITOR)
    body = _problem(
        auditor.post(f"{API}/perkara/{desk.ppu_case}/kajian-awal", json={"decision": "register"}),
        403,
    )
    assert "tidak berwenang" in body["detail"]
    examiner = client_as(desk, "pemeriksa-ppu")
    _problem(
        examiner.post(f"{API}/perkara/{desk.ppu_case}/persetujuan", json={"approved": True}), 403
    )
    # and on another office's case: the 404 of a case that does not exist
    _problem(
        examiner.post(f"{API}/perkara/{desk.pkp_case}/kajian-awal", json={"decision": "register"}),
        404,
    )
    with Session(desk.deps.engine) as session:
        case = session.get(Case, desk.ppu_case)
        assert case is not None and case.stage.value == "diterima"


def test_an_invalid_stage_input_is_422_in_indonesian(desk: Desk) -> None:
    client = client_as(desk, "pimpinan-pkp")
    body = _problem(
        client.post(f"{API}/perkara/{desk.pkp_case}/persetujuan", json={"approved": False}), 422
    )
    assert any("catatan wajib diisi" in e["message"] for e in body["errors"])
    body = _problem(
        client.post(f"{API}/perkara/{desk.pkp_case}/keputusan-ppk", json={"sanction": ""}), 422
    )
    assert {e["path"] for e in body["errors"]} == {"sanction", "decree_number", "decree_date"}
    # a list at the top (the hearing's outcomes): the row and field named
    body = _problem(
        client.post(f"{API}/perkara/{desk.pkp_case}/berita-acara", json=[{"party": ""}]), 422
    )
    assert [e["path"] for e in body["errors"]] == ["[0].attended"]
    body = _problem(
        client.post(
            f"{API}/perkara/{desk.pkp_case}/kajian-awal",
            content=b"{bukan json",
            headers={"Content-Type": "application/json"},
        ),
        422,
    )
    assert body["errors"][0]["message"] == "isi permintaan bukan JSON yang valid"


def test_an_invalid_report_lists_every_problem_with_its_field(desk: Desk) -> None:
    client = client_as(desk, "pemeriksa-ppu")
    report = _report()
    report["reported"][0]["nip"] = "123"
    report["reported"][0]["employment"] = "PRESIDEN"
    del report["reporter"]["name"]
    body = _problem(client.post(f"{API}/laporan", json=report), 422)
    paths = {e["path"] for e in body["errors"]}
    assert {"reported[0].employment", "reporter.name"} <= paths, paths
    assert all(e["message"] and e["code"] for e in body["errors"])
    # an office the user does not record for: 403; a file named in the report: 422
    pkp = _report("report-pangkalpinang-lurah.json")
    _problem(client.post(f"{API}/laporan", json=pkp), 403)
    with_file = _report()
    with_file["evidence"] = [{"description": "foto", "file": "../../etc/passwd"}]
    body = _problem(client.post(f"{API}/laporan", json=with_file), 422)
    assert body["errors"][0]["path"] == "evidence[0].file"
    with Session(desk.deps.engine) as session:
        assert len(session.exec(select(Case)).all()) == 2  # nothing recorded


def test_an_unexpected_error_is_a_500_problem_logged_without_a_traceback(
    desk: Desk, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("rahasia internal")

    monkeypatch.setattr("web.api.routes.search_cases", broken)
    client = client_as(desk, "pemeriksa-ppu")
    with caplog.at_level(logging.ERROR, logger="netra.api"):
        response = client.get(f"{API}/perkara")
    body = _problem(response, 500)
    assert "rahasia" not in response.text and "kesalahan" in body["detail"].lower()
    assert any("rahasia internal" in (r.exc_text or "") for r in caplog.records)
    assert response.headers["cache-control"] == "no-store"


def test_unknown_paths_and_methods_are_problems_too(desk: Desk) -> None:
    client = client_as(desk, "pemeriksa-ppu")
    _problem(client.get(f"{API}/tidak-ada"), 404)
    _problem(client.get(f"{API}/perkara/a%0Ab/bukti/1"), 404)  # matched by no route at all
    _problem(client.delete(f"{API}/perkara"), 405)
    _problem(client.get(f"{API}/perkara/abc"), 422)
    with pytest.raises(UserProblem):
        create_token(desk.deps, ROOT, "", owner="pemeriksa-ppu", now=datetime.now(UTC))


def test_statistics_count_only_the_users_offices(desk: Desk) -> None:
    """The desk fixture records one laporan in each of two offices, neither verified yet."""
    own = client_as(desk, "pemeriksa-ppu").get(f"{API}/statistik")
    assert own.status_code == 200, own.text
    body = own.json()
    assert body["funnel"]["received"] == 1 and body["funnel"]["laporan"] == 1
    assert body["funnel"]["registered"] == 0 and body["funnel"]["followup_rate"] is None
    other = client_as(desk, "pemeriksa-ppu").get(f"{API}/statistik", params={"kantor": PKP})
    assert other.json()["funnel"]["received"] == 0
    everyone = client_as(desk, "auditor-semua", office=ALL_OFFICES, role=Role.AUDITOR)
    assert everyone.get(f"{API}/statistik").json()["funnel"]["received"] == 2
    later = everyone.get(f"{API}/statistik", params={"dari": "2100-01-01"})
    assert later.json()["funnel"]["received"] == 0
    _problem(everyone.get(f"{API}/statistik", params={"dari": "kemarin"}), 422)
