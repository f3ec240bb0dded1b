"""The desk on a real SQLite database: two offices' cases recorded by the intake service, staff
users with roles in one office each, and a client that logs in through the login form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cli.reading import read_report
from config.settings import Settings
from models.access import ALL_OFFICES, Actor, Role, memberships
from models.report.model import Report
from services.deps import Deps, forget_settings, with_evidence_inbox
from services.intake import intake_report
from services.users import add_user, change_password
from tests.conftest import SAMPLES
from web.app import create_app

PPU = "bawaslu-kab-penajam-paser-utara"
PKP = "bawaslu-kota-pangkalpinang"
PASSWORD = "kata-sandi-uji-123"
SCRIPT = "<script>alert(1)</script>"
JINJA = "X{{ 7*7 }}Y"
ROOT = Actor("root", "Root", memberships([(ALL_OFFICES, Role.ADMIN)]))
RECORDER = Actor("pencatat", "Pencatat", memberships([(ALL_OFFICES, Role.PEMERIKSA)]))
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Desk:
    app: FastAPI
    deps: Deps
    ppu_case: int
    pkp_case: int
    ppu_evidence: int
    ppu_letter: int
    pkp_evidence: int
    pkp_letter: int


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def staff(deps: Deps, username: str, office: str, role: Role) -> None:
    """A user with one role in one office and a known password (the one-time one changed)."""
    first = add_user(deps, ROOT, username, username.title(), memberships([(office, role)]))
    assert first is not None
    change_password(deps, username, first, PASSWORD)


def _report(stem: str, *, with_file: str, tainted: bool) -> Report:
    report = read_report(SAMPLES / "reports" / f"{stem}.json")
    data: dict[str, Any] = report.model_dump(mode="json")
    data["evidence"] = [{"description": "Tangkapan layar", "file": with_file}]
    if tainted:  # every kind of field a page shows, with markup and template syntax in it
        data["incident"]["summary"] = f"{SCRIPT} {JINJA} ringkasan"
        data["incident"]["place"] = f"Balai {SCRIPT}"
        data["reported"][0]["name"] = f"Agus {SCRIPT} {JINJA}"
        data["reporter"]["name"] = f"Rahmat {SCRIPT}"
    return Report.model_validate(data)


def _record(deps: Deps, report: Report, inbox: Path) -> int:
    outcome = intake_report(
        with_evidence_inbox(deps, inbox),
        report,
        actor=RECORDER,
        now=report.received_at + timedelta(hours=1),
    )
    assert outcome.case.id is not None
    return outcome.case.id


@pytest.fixture
def desk_settings() -> dict[str, Any]:
    """Settings a test module changes for its desk (e.g. its mail sent to a recording server)."""
    return {}


@pytest.fixture
def desk(tmp_path: Path, desk_settings: dict[str, Any]) -> Iterator[Desk]:
    yield build_desk(tmp_path, desk_settings)
    forget_settings()


def build_desk(tmp_path: Path, desk_settings: dict[str, Any]) -> Desk:
    """The desk app with its two cases and two staff users (the caller forgets the settings
    when done: `forget_settings`)."""
    # The letter lint takes the report's own "{{ 7*7 }}" in the tanda terima for leftover
    # template syntax (it is text, rendered as such): warn, as in production, instead of error.
    settings = Settings(
        var_dir=tmp_path / "var", login_max_failures=3, letter_lint="warn", **desk_settings
    )
    app = create_app(settings)
    deps: Deps = app.state.desk.deps
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    # A text file whose content is HTML: it must never be served as a page.
    (inbox / "bukti.txt").write_text(f"<html><body>{SCRIPT}</body></html>\n", encoding="utf-8")
    (inbox / "lain.txt").write_text("bukti kantor lain\n", encoding="utf-8")
    ppu = _record(deps, _report("report-ppu-camat", with_file="bukti.txt", tainted=True), inbox)
    pkp = _record(
        deps, _report("report-pangkalpinang-lurah", with_file="lain.txt", tainted=False), inbox
    )
    staff(deps, "pemeriksa-ppu", PPU, Role.PEMERIKSA)
    staff(deps, "pimpinan-pkp", PKP, Role.PIMPINAN)
    from adapters.db.views import case_view

    ppu_view, pkp_view = case_view(deps.engine, str(ppu)), case_view(deps.engine, str(pkp))
    assert ppu_view.letters and pkp_view.letters, "intake issues a tanda terima"
    assert ppu_view.evidence[0].id is not None and pkp_view.evidence[0].id is not None
    assert ppu_view.letters[0].id is not None and pkp_view.letters[0].id is not None
    return Desk(
        app,
        deps,
        ppu,
        pkp,
        ppu_view.evidence[0].id,
        ppu_view.letters[0].id,
        pkp_view.evidence[0].id,
        pkp_view.letters[0].id,
    )


def logged_in(app: FastAPI, username: str, *, base_url: str = "http://testserver") -> TestClient:
    client = TestClient(app, base_url=base_url, follow_redirects=False)
    page = client.get("/masuk")
    response = client.post(
        "/masuk",
        data={"username": username, "password": PASSWORD, "csrf": csrf_of(page.text)},
    )
    assert response.status_code == 303, response.text
    return client
