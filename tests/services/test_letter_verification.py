"""Verification codes as the stages issue letters: every letter that leaves the office carries
its own random code, printed at the foot of its pages with a QR code of its public page; the
records kept inside carry none."""

from __future__ import annotations

import re
import secrets
from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

import adapters.db.letters as letter_rows
from adapters.db.engine import unit_of_work
from cli.local.mail_sink import MailSink
from models.letters.kinds import RECORD_KINDS
from models.letters.verification import ALPHABET, VERIFIABLE_KINDS
from models.stages import Stage
from models.tables import Letter
from services.deps import Deps
from tests.adapters.test_outbox import make_case
from tests.services.helpers import ON_SQLITE, PPU, letters, run_sample, with_settings
from tests.support.qr import footer_text, qr_in_docx

CODE = re.compile(r"^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$")
PUBLIC = "https://lapor.bawaslu-ppu.example.go.id"


@ON_SQLITE
async def test_each_letter_sent_out_prints_its_code_and_the_qr_of_its_page(
    deps: Deps, sink: MailSink
) -> None:
    deps = with_settings(deps, public_url=PUBLIC)
    assert (await run_sample(deps, PPU)).stage is Stage.REFERRED
    issued = letters(deps)
    kinds = {x.kind for x in issued}
    assert kinds & RECORD_KINDS and kinds & VERIFIABLE_KINDS, kinds  # both sorts were issued
    for letter in issued:
        docx = (deps.letters_dir / letter.path).read_bytes()
        if letter.kind in RECORD_KINDS:
            assert letter.verification_code is None, letter.kind
            assert "verifikasi" not in footer_text(docx).lower(), letter.kind
            assert qr_in_docx(docx) == [], letter.kind
            continue
        code = letter.verification_code
        assert code is not None and CODE.match(code), (letter.kind, code)
        url = f"{PUBLIC}/verifikasi/{code}"
        footer = footer_text(docx)
        assert f"Kode verifikasi: {code}" in footer, letter.kind
        assert url in footer, letter.kind
        found = qr_in_docx(docx)
        assert found and set(found) == {url}, (letter.kind, found)
    codes = [x.verification_code for x in issued if x.verification_code]
    assert len(codes) == len(set(codes))
    # the code is the letter's own: not made of its number
    for letter in issued:
        if letter.verification_code:
            digits = re.sub(r"\D", "", letter.number)
            assert letter.verification_code.replace("-", "") not in digits


def test_thousands_of_codes_drawn_are_distinct_and_of_the_alphabet(engine: Engine) -> None:
    with Session(engine) as session:
        codes = [letter_rows.new_verification_code(session) for _ in range(5000)]
    assert len(set(codes)) == len(codes)
    assert all(CODE.match(code) for code in codes)
    # every symbol turns up: the draw covers the alphabet, not a part of it
    assert set("".join(codes).replace("-", "")) == set(ALPHABET)


def _letter(case_id: int, number: str, code: str | None) -> Letter:
    return Letter(
        case_id=case_id,
        kind="tanda_terima",
        recipient_key=f"pelapor-{number}",
        recipient_name="Pelapor",
        number=number,
        issued_on=date(2024, 10, 14),
        template_version="0" * 12,
        sha256="0" * 64,
        path=f"{number}.docx",
        outbound=False,
        verification_code=code,
    )


def test_the_database_holds_each_code_once(engine: Engine) -> None:
    case_id = make_case(engine)
    with unit_of_work(engine) as session:  # letters before codes existed: many without one
        session.add_all([_letter(case_id, "1", "2222-3333-4444"), _letter(case_id, "2", None)])
        session.add(_letter(case_id, "3", None))
    with pytest.raises(IntegrityError), unit_of_work(engine) as session:
        session.add(_letter(case_id, "4", "2222-3333-4444"))


def test_a_code_already_held_is_never_drawn_again(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = make_case(engine)
    with unit_of_work(engine) as session:
        session.add(_letter(case_id, "1", "2222-2222-2222"))
    # the random source first repeats the stored code, then gives another
    draws = iter([0] * 12 + [1] * 12)
    monkeypatch.setattr(secrets, "randbelow", lambda _n: next(draws))
    with Session(engine) as session:
        assert letter_rows.new_verification_code(session) == "3333-3333-3333"
