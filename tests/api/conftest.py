"""The API on the desk of tests/web (a real SQLite database, two offices' cases recorded by the
intake service, staff users of one office each), with tokens made by the token service."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient

from models.access import Role
from services.deps import Deps
from services.tokens import create_token
from tests.web.conftest import PKP, PPU, ROOT, Desk, desk, desk_settings, staff

__all__ = ["PKP", "PPU", "Desk", "client_as", "desk", "desk_settings", "token_for"]

API = "/api/v1"


def token_for(deps: Deps, username: str, **kw: Any) -> str:
    """A new token of `username`, made by an admin through the service."""
    return create_token(deps, ROOT, "uji", owner=username, now=datetime.now(UTC), **kw).token


def client_as(
    desk: Desk, username: str, *, office: str | None = None, role: Role | None = None
) -> TestClient:
    """A client sending `username`'s token (the user is made first when `office` is given)."""
    if office is not None and role is not None:
        staff(desk.deps, username, office, role)
    token = token_for(desk.deps, username)
    return TestClient(
        desk.app,
        headers={"Authorization": f"Bearer {token}"},
        follow_redirects=False,
        raise_server_exceptions=False,
    )
