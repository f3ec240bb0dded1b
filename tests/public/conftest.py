"""The public site on a real SQLite database, with an anonymous client; a laporan's Formulir
B.1 fields whose personal details are distinctive enough to be searched for in every page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.datastructures import FormData

from config.settings import Settings
from models.access import PUBLIC
from models.public import receipt_number
from models.report.parse import parse_report
from services.deps import Deps, forget_settings
from services.intake import intake_report
from services.public import issue_lookup_code
from web.forms import report_document
from web.public.app import create_public_app

PPU = "bawaslu-kab-penajam-paser-utara"
PKP = "bawaslu-kota-pangkalpinang"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')

# What no public page may ever show: every personal detail of the report's parties.
PERSONAL = {
    "reporter_name": "Zulkarnaen Wiryawan",
    "reporter_address": "Jl. Anggrek Ungu 77, Penajam",
    "reporter_birth_place": "Tanjung Selor",
    "reporter_phone": "081299887766",
    "reporter_email": "zulkarnaen.pelapor@example.org",
    "reporter_occupation": "Nelayan Tuna",
    "reported_0_name": "Bambang Sutrisnoputro",
    "reported_0_nip": "198101012005011009",
    "reported_0_position": "Kepala Seksi Ketenteraman Waru",
    "reported_0_agency": "Kecamatan Waru Contoh Instansi",
    "reported_0_address": "Jl. Terlapor Indah 12",
    "reported_0_email": "bambang.terlapor@example.go.id",
    "reported_0_phone": "081311223344",
    "reported_0_ppk_name": "Hartono Pejabatkepegawaian",
    "reported_0_ppk_email": "ppk.rahasia@example.go.id",
    "witness_0_name": "Sumiyati Saksiutama",
    "witness_0_address": "RT 09 Kelurahan Saksi",
    "witness_0_phone": "085277665544",
}


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def report_fields(office: str = PPU, **changes: str) -> dict[str, str]:
    """A laporan as a citizen fills in the form: an incident two days ago."""
    today = datetime.now(UTC).date()
    fields = {
        "office": office,
        "election_type": "pilkada",
        "election_year": str(today.year),
        "election_region": "Kabupaten Penajam Paser Utara",
        **PERSONAL,
        "reporter_sex": "L",
        "reporter_nationality": "WNI",
        "reported_0_employment": "PNS",
        "reported_0_ppk_title": "Bupati Penajam Paser Utara",
        "incident_summary": "Terlapor mengunggah ajakan memilih pasangan calon",
        "incident_place": "Kecamatan Waru",
        "incident_occurred_on": (today - timedelta(days=2)).isoformat(),
        "incident_known_on": (today - timedelta(days=1)).isoformat(),
        "incident_account": "Terlapor mengunggah foto bersama pasangan calon, mengajak memilih.",
        "evidence_0_description": "Tangkapan layar unggahan",
    }
    return {**fields, **changes}


@pytest.fixture
def public_overrides() -> dict[str, Any]:
    """Settings a test module changes for its public site (e.g. the throttles' limits)."""
    return {}


@pytest.fixture
def public_settings(tmp_path: Path, public_overrides: dict[str, Any]) -> Iterator[Settings]:
    yield Settings(var_dir=tmp_path / "var", **public_overrides)
    forget_settings()


@pytest.fixture
def public_client(public_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_public_app(public_settings)) as client:
        yield client


@dataclass(frozen=True)
class Filed:
    case_id: int
    number: str
    code: str


def file_online(deps: Deps, fields: dict[str, str] | None = None) -> Filed:
    """A laporan filed as the public site files it (Formulir B.1 through the desk's own parser,
    by the public channel), without the Prefect run around it; its receipt and lookup code."""
    form = FormData(list({**(fields or report_fields()), "kind": "laporan"}.items()))
    office = deps.rulebook.offices[str(form["office"])]
    report = parse_report(report_document(form, office.timezone, {}))
    outcome = intake_report(deps, report, actor=PUBLIC, now=datetime.now(UTC))
    assert outcome.created and outcome.case.id is not None
    code = issue_lookup_code(deps, outcome.case.id, now=datetime.now(UTC))
    assert code is not None
    return Filed(outcome.case.id, receipt_number(outcome.case.id), code)
