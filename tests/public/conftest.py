"""The public site on a real SQLite database, with an anonymous client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from config.settings import Settings
from services.deps import forget_settings
from web.public.app import create_public_app


@pytest.fixture
def public_settings(tmp_path: Path) -> Iterator[Settings]:
    yield Settings(var_dir=tmp_path / "var")
    forget_settings()


@pytest.fixture
def public_client(public_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_public_app(public_settings)) as client:
        yield client
