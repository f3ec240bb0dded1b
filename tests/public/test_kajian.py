"""Hasil kajian awal: listed only for the offices whose `publish_kajian` is on, newest first,
a page at a time; an office that does not publish answers as an unknown page."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from config.settings import CONFIG_DIR, Settings
from models.inputs import VerificationChoice, VerificationDecision
from services import public
from services.deps import forget_settings, get_deps
from services.verification import verify_case
from tests.public.conftest import PKP, PPU, file_online, report_fields
from tests.support.actors import staff
from web.public.app import create_public_app


def _register(count: int) -> list[int]:
    deps = get_deps()
    ids = []
    for i in range(count):
        filed = file_online(deps, report_fields(incident_summary=f"Peristiwa nomor {i}"))
        verify_case(
            deps,
            str(filed.case_id),
            VerificationDecision(decision=VerificationChoice.REGISTER),
            actor=staff("petugas"),
            now=datetime.now(UTC),
        )
        ids.append(filed.case_id)
    return ids


def test_the_offices_that_publish_list_their_results_a_page_at_a_time(
    public_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(public, "PAGE_SIZE", 2)
    assert public_client.get("/").status_code == 200
    _register(3)
    index = public_client.get("/kajian-awal").text
    assert f"/kajian-awal/{PPU}" in index and f"/kajian-awal/{PKP}" not in index
    first = public_client.get(f"/kajian-awal/{PPU}").text
    second = public_client.get(f"/kajian-awal/{PPU}?halaman=2").text
    assert "3 hasil" in first and "halaman 1 dari 2" in first and "halaman=2" in first
    assert first.count("Diregistrasi") == 2 and second.count("Diregistrasi") == 1
    assert "003/LP/" in first and "001/LP/" in second  # newest first
    assert public_client.get(f"/kajian-awal/{PPU}?halaman=99999999999999999999").status_code in (
        200,
        404,
    )
    assert public_client.get(f"/kajian-awal/{PKP}").status_code == 404
    assert public_client.get("/kajian-awal/kantor-tak-dikenal").status_code == 404


def test_an_office_switched_off_publishes_nothing(tmp_path: Path) -> None:
    config = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, config)
    offices = config / "offices.yaml"
    text = offices.read_text(encoding="utf-8")
    assert "publish_kajian: true" in text
    offices.write_text(text.replace("publish_kajian: true", "publish_kajian: false"), "utf-8")
    settings = Settings(var_dir=tmp_path / "var", config_dir=config)
    try:
        with TestClient(create_public_app(settings)) as client:
            assert "Belum ada kantor" in client.get("/kajian-awal").text
            assert client.get(f"/kajian-awal/{PPU}").status_code == 404
    finally:
        forget_settings()
