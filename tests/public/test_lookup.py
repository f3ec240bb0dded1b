"""Lacak laporan: the right receipt number and code show the stage and dates; an unknown number
and a wrong code get the very same answer; failures are throttled per address and per number,
and past the limit even the right code waits."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from models.public import receipt_number
from models.stages import Stage
from services.deps import get_deps
from tests.public.conftest import Filed, csrf_of, file_online

_TOKEN = re.compile(r'name="csrf" value="[^"]+"')


def _look(client: TestClient, number: str, code: str) -> tuple[int, str]:
    csrf = csrf_of(client.get("/lacak").text)
    answer = client.post("/lacak", data={"csrf": csrf, "nomor": number, "kode": code})
    return answer.status_code, _TOKEN.sub("", answer.text)


def _filed(client: TestClient) -> Filed:
    assert client.get("/").status_code == 200  # the app has set up the database
    return file_online(get_deps())


def test_the_right_code_shows_the_stage_and_its_dates(public_client: TestClient) -> None:
    filed = _filed(public_client)
    typed = filed.code.lower()[:5] + " " + filed.code[5:]  # as a person may type it
    status, page = _look(public_client, filed.number.replace("-", " ").lower(), typed)
    assert status == 200
    assert Stage.RECEIVED.label in page and "Laporan diterima" in page
    assert filed.number in page and "Bawaslu Kabupaten Penajam Paser Utara" in page


def test_unknown_number_and_wrong_code_get_the_same_answer(public_client: TestClient) -> None:
    filed = _filed(public_client)
    wrong_code = _look(public_client, filed.number, "AAAAA-BBBBB")
    unknown = _look(public_client, receipt_number(filed.case_id + 1), filed.code)
    not_a_number = _look(public_client, "nomor-asal", filed.code)
    assert wrong_code[0] == unknown[0] == not_a_number[0] == 404
    # the same page word for word (the number typed is echoed back in the form)
    assert wrong_code[1].replace(filed.number, "N") == unknown[1].replace(
        receipt_number(filed.case_id + 1), "N"
    )
    assert "tidak cocok" in wrong_code[1] and Stage.RECEIVED.label not in wrong_code[1]


@pytest.mark.parametrize("public_overrides", [{"public_lookups_per_receipt": 3}])
def test_wrong_codes_for_one_number_make_it_wait(public_client: TestClient) -> None:
    filed = _filed(public_client)
    for _ in range(3):
        assert _look(public_client, filed.number, "AAAAA-BBBBB")[0] == 404
    status, page = _look(public_client, filed.number, filed.code)  # even the right one waits
    assert status == 429 and "Terlalu banyak percobaan" in page
    # an unknown number is counted the same way: its wait looks the same
    for _ in range(3):
        _look(public_client, "NTR-999999", "AAAAA-BBBBB")
    assert _look(public_client, "NTR-999999", "AAAAA-BBBBB")[0] == 429


@pytest.mark.parametrize("public_overrides", [{"public_lookups_per_hour": 2}])
def test_wrong_codes_from_one_address_make_it_wait(public_client: TestClient) -> None:
    filed = _filed(public_client)
    assert _look(public_client, "NTR-00500", "AAAAA-BBBBB")[0] == 404
    assert _look(public_client, "NTR-00501", "AAAAA-BBBBB")[0] == 404
    assert _look(public_client, filed.number, filed.code)[0] == 429
