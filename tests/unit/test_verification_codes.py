"""Verification codes as a person types them and as letters print them."""

from __future__ import annotations

import pytest

from models.letters.kinds import LETTER_MODELS, RECORD_KINDS
from models.letters.verification import (
    ALPHABET,
    VERIFIABLE_KINDS,
    code_from_symbols,
    normalize_code,
    verification_url,
)


def test_the_alphabet_has_32_symbols_without_look_alikes() -> None:
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert not set("01OI") & set(ALPHABET)


def test_a_code_is_three_groups_of_four() -> None:
    assert code_from_symbols(list(range(12))) == "2345-6789-ABCD"
    assert code_from_symbols([31] * 12) == "ZZZZ-ZZZZ-ZZZZ"
    with pytest.raises(ValueError):
        code_from_symbols([0] * 11)
    with pytest.raises(ValueError):
        code_from_symbols([32] + [0] * 11)


@pytest.mark.parametrize(
    "typed",
    ["7KQM-X2RD-9FHA", "7kqm-x2rd-9fha", " 7KQM X2RD 9FHA ", "7KQMX2RD9FHA", "7kqm_x2rd.9fha"],
)
def test_what_a_person_types_is_read_back(typed: str) -> None:
    assert normalize_code(typed) == "7KQM-X2RD-9FHA"


@pytest.mark.parametrize(
    "typed",
    ["", "7KQM-X2RD-9FH", "7KQM-X2RD-9FHAA", "7KQM-X2RD-9FH0", "IKQM-X2RD-9FHA", "../../etc"],
)
def test_what_cannot_be_a_code_is_none(typed: str) -> None:
    assert normalize_code(typed) is None


def test_every_document_sent_out_carries_a_code_and_no_record_kept_inside() -> None:
    assert frozenset(LETTER_MODELS) - RECORD_KINDS == VERIFIABLE_KINDS
    assert {"kajian_awal", "berita_acara_klarifikasi", "kajian_dugaan_pelanggaran"} == RECORD_KINDS
    assert {"laporan_disamarkan", "kajian_dugaan_pelanggaran_disamarkan"} <= VERIFIABLE_KINDS


def test_the_url_of_a_code() -> None:
    assert (
        verification_url("https://lapor.example.go.id/", "7KQM-X2RD-9FHA")
        == "https://lapor.example.go.id/verifikasi/7KQM-X2RD-9FHA"
    )
