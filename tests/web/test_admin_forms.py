"""The desk's forms that call a service directly (no flow): a case's refused and interrupted email,
and user administration; and the CSRF token every POST route of the desk requires."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from adapters.db.audit import audit_rows
from models.access import Role
from models.tables import AppUser, OutboxMessage, OutboxStatus
from services.users import log_in
from tests.web.conftest import PASSWORD, PPU, Desk, csrf_of, logged_in, staff
from web.app import route_table

_PARAM = re.compile(r"\{(\w+)(:\w+)?\}")


def _mail(desk: Desk, status: OutboxStatus, *, claimed_ago: timedelta | None = None) -> str:
    """The PPU case's first email put in `status` (as a refusal or a crash would leave it)."""
    with Session(desk.deps.engine) as session:
        row = session.exec(
            select(OutboxMessage).where(col(OutboxMessage.case_id) == desk.ppu_case)
        ).first()
        assert row is not None, "intake queues the tanda terima"
        row.status = status
        row.last_error = "550 mailbox unavailable" if status is OutboxStatus.FAILED else ""
        row.claimed_at = datetime.now(UTC) - claimed_ago if claimed_ago else None
        session.add(row)
        session.commit()
        return row.key


def _trail(desk: Desk, action: str) -> list[str]:
    """Who did `action`, as the audit trail names them."""
    with Session(desk.deps.engine) as session:
        return [r.actor for r in audit_rows(session) if r.action == action]


def _status(desk: Desk, key: str) -> OutboxStatus:
    with Session(desk.deps.engine) as session:
        row = session.exec(select(OutboxMessage).where(col(OutboxMessage.key) == key)).one()
        return row.status


def _case_post(client: TestClient, case_id: int, path: str, data: dict[str, str]) -> str:
    page = client.get(f"/perkara/{case_id}")
    response = client.post(f"/perkara/{case_id}/{path}", data={**data, "csrf": csrf_of(page.text)})
    assert response.status_code == 303, response.text
    return str(client.get(response.headers["location"]).text)


def test_a_case_page_offers_the_forms_its_stage_and_the_readers_role_allow(desk: Desk) -> None:
    def forms(client: TestClient) -> set[str]:
        page = client.get(f"/perkara/{desk.ppu_case}").text
        found = re.findall(rf'action="/perkara/{desk.ppu_case}/([^"]+)"', page)
        return set(found)

    received = {"kajian-awal", "persetujuan-pelapor", "koreksi", "bukti", "tautan"}
    assert forms(logged_in(desk.app, "pemeriksa-ppu")) == received  # a laporan, just received
    staff(desk.deps, "auditor-ppu", PPU, Role.AUDITOR)
    assert forms(logged_in(desk.app, "auditor-ppu")) == set()
    staff(desk.deps, "pimpinan-ppu", PPU, Role.PIMPINAN)
    _mail(desk, OutboxStatus.FAILED)
    assert forms(logged_in(desk.app, "pimpinan-ppu")) == received | {"surel/kirim-ulang"}


def test_refused_email_is_queued_again_by_staff_only(desk: Desk) -> None:
    key = _mail(desk, OutboxStatus.FAILED)
    staff(desk.deps, "auditor-ppu", PPU, Role.AUDITOR)
    auditor = logged_in(desk.app, "auditor-ppu")
    assert "surel/kirim-ulang" not in auditor.get(f"/perkara/{desk.ppu_case}").text
    page = _case_post(auditor, desk.ppu_case, "surel/kirim-ulang", {})
    assert "tidak berwenang" in page
    assert _status(desk, key) is OutboxStatus.FAILED
    client = logged_in(desk.app, "pemeriksa-ppu")
    assert "550 mailbox unavailable" in client.get(f"/perkara/{desk.ppu_case}").text
    page = _case_post(client, desk.ppu_case, "surel/kirim-ulang", {})
    assert "1 surel yang ditolak diantrekan" in page
    assert _status(desk, key) is OutboxStatus.PENDING
    assert _trail(desk, "mail_retry")[-1].endswith("(pemeriksa-ppu)")


def test_interrupted_email_is_decided_by_a_pimpinan_only(desk: Desk) -> None:
    key = _mail(desk, OutboxStatus.SENDING, claimed_ago=timedelta(hours=1))
    client = logged_in(desk.app, "pemeriksa-ppu")
    assert "surel/putuskan" not in client.get(f"/perkara/{desk.ppu_case}").text
    page = _case_post(client, desk.ppu_case, "surel/putuskan", {"key": key, "delivered": "ya"})
    assert "tidak berwenang" in page
    assert _status(desk, key) is OutboxStatus.SENDING
    staff(desk.deps, "pimpinan-ppu", PPU, Role.PIMPINAN)
    boss = logged_in(desk.app, "pimpinan-ppu")
    assert "surel/putuskan" in boss.get(f"/perkara/{desk.ppu_case}").text
    # only an email of this case, by this case's page
    page = _case_post(boss, desk.ppu_case, "surel/putuskan", {"key": "lain", "delivered": "ya"})
    assert "tidak ada pada perkara ini" in page
    page = _case_post(boss, desk.ppu_case, "surel/putuskan", {"key": key, "delivered": "ya"})
    assert "dicatat terkirim" in page
    assert _status(desk, key) is OutboxStatus.SENT
    assert _trail(desk, "mail_resolved")[-1].endswith("(pimpinan-ppu)")


def _admin(desk: Desk) -> TestClient:
    staff(desk.deps, "admin-ppu", PPU, Role.ADMIN)
    return logged_in(desk.app, "admin-ppu")


def _user(desk: Desk, username: str) -> AppUser | None:
    with Session(desk.deps.engine) as session:
        return session.exec(select(AppUser).where(col(AppUser.username) == username)).first()


def test_users_page_is_not_found_for_non_admins_and_changes_nothing(desk: Desk) -> None:
    client = logged_in(desk.app, "pemeriksa-ppu")
    assert client.get("/pengguna").status_code == 404
    assert 'href="/pengguna"' not in client.get("/menunggu").text
    csrf = csrf_of(client.get("/menunggu").text)
    form = {"csrf": csrf, "username": "penyusup", "name": "P", "office": PPU, "role": "admin"}
    assert client.post("/pengguna", data=form).status_code == 404
    assert _user(desk, "penyusup") is None
    for action in ("nonaktifkan", "sandi-baru"):
        response = client.post(f"/pengguna/pimpinan-pkp/{action}", data={"csrf": csrf})
        assert response.status_code == 404
    grant = {"csrf": csrf, "change": "beri", "office": "*", "role": "admin"}
    assert client.post("/pengguna/pemeriksa-ppu/peran", data=grant).status_code == 404
    user = _user(desk, "pimpinan-pkp")
    assert user is not None and user.active
    log_in(desk.deps, "pimpinan-pkp", PASSWORD, address="uji", now=datetime.now(UTC))


def test_admin_adds_a_user_and_sees_the_one_time_password_once(desk: Desk) -> None:
    admin = _admin(desk)
    page = admin.get("/pengguna")
    assert page.status_code == 200 and "pimpinan-pkp" in page.text
    assert 'href="/pengguna"' in page.text
    form = {"username": "Staf-Baru", "name": "Staf Baru", "office": PPU, "role": "pemeriksa"}
    refused = admin.post("/pengguna", data={**form, "role": "raja", "csrf": csrf_of(page.text)})
    assert refused.status_code == 400 and "Peran &#39;raja&#39; tidak dikenal" in refused.text
    assert _user(desk, "staf-baru") is None
    added = admin.post("/pengguna", data={**form, "csrf": csrf_of(page.text)})
    assert added.status_code == 200
    password = re.search(r'<code class="password">([^<]+)</code>', added.text)
    assert password is not None
    assert "set-cookie" not in added.headers or password.group(1) not in added.headers["set-cookie"]
    assert log_in(
        desk.deps, "staf-baru", password.group(1), address="uji", now=datetime.now(UTC)
    ).must_change_password
    assert password.group(1) not in admin.get("/pengguna").text  # shown once


def test_admin_disables_resets_and_changes_roles(desk: Desk) -> None:
    admin = _admin(desk)
    csrf = csrf_of(admin.get("/pengguna").text)
    response = admin.post("/pengguna/pemeriksa-ppu/nonaktifkan", data={"csrf": csrf})
    assert response.status_code == 303
    user = _user(desk, "pemeriksa-ppu")
    assert user is not None and not user.active
    refused = admin.post("/pengguna/admin-ppu/nonaktifkan", data={"csrf": csrf})
    assert (
        "tidak dapat menonaktifkan akun Anda sendiri" in admin.get(refused.headers["location"]).text
    )
    admin.post("/pengguna/pemeriksa-ppu/aktifkan", data={"csrf": csrf})
    user = _user(desk, "pemeriksa-ppu")
    assert user is not None and user.active
    reset = admin.post("/pengguna/pemeriksa-ppu/sandi-baru", data={"csrf": csrf})
    password = re.search(r'<code class="password">([^<]+)</code>', reset.text)
    assert password is not None
    login = log_in(
        desk.deps, "pemeriksa-ppu", password.group(1), address="uji", now=datetime.now(UTC)
    )
    assert login.must_change_password
    grant = {"csrf": csrf, "change": "beri", "office": PPU, "role": "pimpinan"}
    admin.post("/pengguna/pemeriksa-ppu/peran", data=grant)
    login = log_in(
        desk.deps, "pemeriksa-ppu", password.group(1), address="uji", now=datetime.now(UTC)
    )
    assert login.actor.roles_in(PPU) == {Role.PEMERIKSA, Role.PIMPINAN}
    admin.post("/pengguna/pemeriksa-ppu/peran", data={**grant, "change": "cabut"})
    login = log_in(
        desk.deps, "pemeriksa-ppu", password.group(1), address="uji", now=datetime.now(UTC)
    )
    assert login.actor.roles_in(PPU) == {Role.PEMERIKSA}
    unknown = admin.post("/pengguna/tidak-ada/nonaktifkan", data={"csrf": csrf})
    assert "tidak dikenal" in admin.get(unknown.headers["location"]).text


def test_every_post_route_requires_the_sessions_csrf_token(desk: Desk) -> None:
    """Logged in as an admin who is also staff in the case's office: every POST of the desk,
    without the token or with a wrong one, is refused before it does anything."""
    admin = _admin(desk)
    staff(desk.deps, "pimpinan-ppu", PPU, Role.PIMPINAN)
    posts = [p for p, methods in route_table(desk.app.routes) if "POST" in methods]
    assert {"/perkara/{case_id}/kelengkapan", "/pengguna", "/perkara/{case_id}/tautan"} <= set(
        posts
    )
    concrete = {"case_id": str(desk.ppu_case), "username": "pemeriksa-ppu"}
    for path in posts:
        url = _PARAM.sub(lambda m: concrete.get(m.group(1), "1"), path)
        for data in ({}, {"csrf": "palsu"}):
            response = admin.post(url, data=data)
            assert response.status_code == 403, (path, response.status_code)
            assert "kedaluwarsa" in response.text
    user = _user(desk, "pemeriksa-ppu")
    assert user is not None and user.active  # nothing happened
