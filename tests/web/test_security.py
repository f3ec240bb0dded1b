"""Issue 11, build 7: the desk's security, each property tested against the running app."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from models.stages import Stage
from models.tables import Case
from tests.web.conftest import (
    JINJA,
    PASSWORD,
    SCRIPT,
    Desk,
    csrf_of,
    logged_in,
)
from web.app import is_public, route_table

_PARAM = re.compile(r"\{(\w+)(:\w+)?\}")


def _concrete(path: str) -> str:
    return _PARAM.sub(lambda m: "docx" if m.group(1) == "fmt" else "1", path)


def test_every_staff_route_refuses_an_anonymous_request(desk: Desk) -> None:
    client = TestClient(desk.app, follow_redirects=False)
    routes = route_table(desk.app.routes)
    staff = [(p, m) for p, ms in routes for m in ms if not is_public(_concrete(p))]
    assert len(staff) >= 18, routes  # the walk found the included routers' routes
    for path, method in staff:
        response = client.request(method, _concrete(path), data={"csrf": "x"})
        if method == "GET":
            assert response.status_code == 303, (path, response.status_code)
            assert response.headers["location"].startswith("/masuk?lanjut="), path
        else:
            assert response.status_code == 401, (method, path, response.status_code)
    # and the public ones answer without a login
    assert client.get("/masuk").status_code == 200
    assert client.get("/sehat").text == "ok"
    assert client.get("/static/netra.css").status_code == 200


def test_a_user_of_one_office_gets_404_for_another_offices_case_letters_and_evidence(
    desk: Desk,
) -> None:
    client = logged_in(desk.app, "pemeriksa-ppu")
    own, other = desk.ppu_case, desk.pkp_case
    assert client.get(f"/perkara/{own}").status_code == 200
    assert client.get(f"/perkara/{own}/surat/{desk.ppu_letter}.docx").status_code == 200
    assert client.get(f"/perkara/{own}/bukti/{desk.ppu_evidence}").status_code == 200
    for path in (
        f"/perkara/{other}",
        f"/perkara/{other}/surat/{desk.pkp_letter}.docx",
        f"/perkara/{other}/bukti/{desk.pkp_evidence}",
        # the other office's files reached through one's own case
        f"/perkara/{own}/surat/{desk.pkp_letter}.docx",
        f"/perkara/{own}/bukti/{desk.pkp_evidence}",
        "/perkara/999999",  # and a case that does not exist: the same answer
    ):
        assert client.get(path).status_code == 404, path
    # nor does the register list it, whatever is searched
    with Session(desk.deps.engine) as session:
        other_case = session.get(Case, other)
        assert other_case is not None
    register = client.get("/perkara", params={"q": other_case.incident_place[:12]}).text
    assert f'href="/perkara/{other}"' not in register
    assert f'href="/perkara/{other}"' not in client.get("/perkara").text
    assert f'href="/perkara/{own}"' in client.get("/perkara").text
    # the supervisor of the other office sees theirs and not this one
    boss = logged_in(desk.app, "pimpinan-pkp")
    assert boss.get(f"/perkara/{other}").status_code == 200
    assert boss.get(f"/perkara/{own}").status_code == 404


def test_a_post_without_the_sessions_csrf_token_is_refused(desk: Desk) -> None:
    client = logged_in(desk.app, "pemeriksa-ppu")
    path = f"/perkara/{desk.ppu_case}/kajian-awal"
    for data in ({"decision": "not_register", "reason": "x"}, {"decision": "x", "csrf": "palsu"}):
        response = client.post(path, data=data)
        assert response.status_code == 403, response.text
        assert "kedaluwarsa" in response.text
    with Session(desk.deps.engine) as session:
        case = session.get(Case, desk.ppu_case)
        assert case is not None and case.stage is Stage.RECEIVED  # nothing happened
    # logging out and logging in are forms too
    assert client.post("/keluar").status_code == 403
    anonymous = TestClient(desk.app, follow_redirects=False)
    refused = anonymous.post("/masuk", data={"username": "pemeriksa-ppu", "password": PASSWORD})
    assert refused.status_code == 403


def test_every_case_field_is_rendered_escaped(desk: Desk) -> None:
    client = logged_in(desk.app, "pemeriksa-ppu")
    pages = {
        "register": client.get("/perkara").text,
        "search": client.get("/perkara", params={"q": "Agus"}).text,
        "case": client.get(f"/perkara/{desk.ppu_case}").text,
    }
    for name, html in pages.items():
        assert SCRIPT not in html, name
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, name
        assert "X49Y" not in html, name  # the template syntax was not evaluated...
        assert JINJA in html, name  # ...but shown as typed
    assert "Agus &lt;script&gt;" in pages["case"]  # the reported person's name
    assert "Balai &lt;script&gt;" in pages["case"]  # the place


def test_login_is_throttled_after_repeated_failures(desk: Desk) -> None:
    client = TestClient(desk.app, follow_redirects=False)
    csrf = csrf_of(client.get("/masuk").text)
    for _ in range(3):  # login_max_failures=3 in the fixture
        wrong = client.post(
            "/masuk", data={"username": "pemeriksa-ppu", "password": "salah", "csrf": csrf}
        )
        assert wrong.status_code == 401
        assert "salah" in wrong.text
    right = client.post(
        "/masuk", data={"username": "pemeriksa-ppu", "password": PASSWORD, "csrf": csrf}
    )
    assert right.status_code == 401
    assert "Terlalu banyak percobaan" in right.text
    assert client.get("/menunggu").status_code == 303  # still not logged in


def test_session_cookie_is_httponly_samesite_and_secure_over_tls(desk: Desk) -> None:
    plain = TestClient(desk.app, follow_redirects=False)
    csrf = csrf_of(plain.get("/masuk").text)
    response = plain.post(
        "/masuk", data={"username": "pemeriksa-ppu", "password": PASSWORD, "csrf": csrf}
    )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie.replace("samesite", "")
    tls = TestClient(desk.app, base_url="https://testserver", follow_redirects=False)
    csrf = csrf_of(tls.get("/masuk").text)
    response = tls.post(
        "/masuk", data={"username": "pemeriksa-ppu", "password": PASSWORD, "csrf": csrf}
    )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "; secure" in cookie


def test_a_tampered_cookie_is_no_login(desk: Desk) -> None:
    client = logged_in(desk.app, "pemeriksa-ppu")
    assert client.get("/menunggu").status_code == 200
    value = client.cookies["netra_meja"]
    client.cookies.set("netra_meja", value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert client.get("/menunggu").status_code == 303


def test_uploaded_evidence_is_never_served_inline_as_html(desk: Desk) -> None:
    client = logged_in(desk.app, "pemeriksa-ppu")
    response = client.get(f"/perkara/{desk.ppu_case}/bukti/{desk.ppu_evidence}")
    assert response.status_code == 200
    assert SCRIPT in response.text  # the file itself, byte for byte
    assert response.headers["content-disposition"].startswith("attachment")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "html" not in response.headers["content-type"]
    letter = client.get(f"/perkara/{desk.ppu_case}/surat/{desk.ppu_letter}.docx")
    assert letter.headers["content-disposition"].startswith("attachment")
    assert letter.content[:2] == b"PK"  # a .docx


def test_a_one_time_password_must_be_changed_before_anything_else(desk: Desk) -> None:
    from models.access import Role, memberships
    from services.users import add_user
    from tests.web.conftest import PPU, ROOT

    first = add_user(desk.deps, ROOT, "baru", "Baru", memberships([(PPU, Role.PEMERIKSA)]))
    assert first is not None
    client = TestClient(desk.app, follow_redirects=False)
    csrf = csrf_of(client.get("/masuk").text)
    response = client.post("/masuk", data={"username": "baru", "password": first, "csrf": csrf})
    assert response.headers["location"] == "/sandi"
    assert client.get(f"/perkara/{desk.ppu_case}").headers["location"] == "/sandi"
    csrf = csrf_of(client.get("/sandi").text)
    changed = client.post(
        "/sandi", data={"current": first, "new": PASSWORD, "again": PASSWORD, "csrf": csrf}
    )
    assert changed.status_code == 303
    assert client.get(f"/perkara/{desk.ppu_case}").status_code == 200
