"""The public site's frame: reachable without an account, with the desk's security headers, its
own cookie and no desk page behind it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from web.public.app import COOKIE
from web.session import COOKIE as DESK_COOKIE


def test_front_page_needs_no_login_and_carries_security_headers(
    public_client: TestClient,
) -> None:
    page = public_client.get("/")
    assert page.status_code == 200
    assert "netralitas" in page.text
    assert page.headers["x-frame-options"] == "DENY"
    assert "script-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    assert COOKIE in page.cookies and DESK_COOKIE not in page.cookies


def test_desk_pages_are_not_part_of_the_public_site(public_client: TestClient) -> None:
    for path in ("/perkara", "/masuk", "/pengguna", "/menunggu"):
        answer = public_client.get(path, follow_redirects=False)
        assert answer.status_code == 404, path
        assert "Halaman tidak ditemukan." in answer.text
