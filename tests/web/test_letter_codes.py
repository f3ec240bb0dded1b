"""The desk's case page lists each letter's verification code, linked to its public page."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from models.tables import Letter
from tests.web.conftest import Desk, logged_in

PUBLIC = "https://lapor.bawaslu-ppu.example.go.id"


@pytest.fixture
def desk_settings() -> dict[str, Any]:
    return {"public_url": PUBLIC + "/"}


def test_the_case_page_shows_each_letters_verification_code(desk: Desk) -> None:
    with Session(desk.deps.engine) as session:
        letter = session.get(Letter, desk.ppu_letter)
        assert letter is not None and letter.verification_code is not None
    page = logged_in(desk.app, "pemeriksa-ppu").get(f"/perkara/{desk.ppu_case}").text
    assert f'href="{PUBLIC}/verifikasi/{letter.verification_code}"' in page
    assert page.count(letter.verification_code) == 2  # the link's address and its text
