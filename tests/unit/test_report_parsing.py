"""The report format of CONTRACTS.md §1: examples accepted as they are, bad input fully listed."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import yaml

from models.enums import Employment, ReportKind
from models.problems import ReportRejected
from models.report.parse import parse_report, parse_report_text
from models.report.validation import date_problems, text_problems
from tests.conftest import SAMPLES

CONTRACT_EXAMPLES = [
    "report-ppu-camat.json",
    "report-pangkalpinang-lurah.json",
    "temuan-balikpapan-pppk.json",
]


def _load(name: str) -> dict[str, object]:
    data = json.loads((SAMPLES / "reports" / name).read_text())
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("name", CONTRACT_EXAMPLES)
def test_contract_examples_are_accepted_as_they_are(name: str) -> None:
    report = parse_report_text((SAMPLES / "reports" / name).read_text(), filename=name)
    assert report.reported[0].name == _load(name)["reported"][0]["name"]  # type: ignore[index]


def test_example_fields_are_typed() -> None:
    report = parse_report(_load("report-ppu-camat.json"))
    assert report.kind is ReportKind.LAPORAN
    assert report.incident.known_on == date(2024, 10, 11)
    assert report.reported[0].employment is Employment.PNS
    assert report.received_at.utcoffset() is not None


def test_yaml_is_accepted() -> None:
    text = yaml.safe_dump(_load("temuan-balikpapan-pppk.json"), allow_unicode=True)
    report = parse_report_text(text, filename="temuan.yaml")
    assert report.kind is ReportKind.TEMUAN
    assert report.reported[0].employment is Employment.PPPK


def test_every_problem_is_listed_with_field_and_indonesian_message() -> None:
    data = _load("report-ppu-camat.json")
    data["kind"] = "pengaduan"
    data["received_at"] = "kemarin"
    del data["incident"]["place"]  # type: ignore[attr-defined]
    data["reported"][0]["employment"] = "HONORER"  # type: ignore[index]
    with pytest.raises(ReportRejected) as caught:
        parse_report(data)
    by_field = {p.field: p.message for p in caught.value.problems}
    assert by_field["kind"].startswith("harus salah satu dari")
    assert "waktu yang valid" in by_field["received_at"]
    assert by_field["incident.place"] == "wajib diisi"
    assert "PPNPN" in by_field["reported[0].employment"]
    assert len(caught.value.problems) == 4


def test_laporan_needs_reporter_identity_and_known_date() -> None:
    data = _load("report-ppu-camat.json")
    data["reporter"] = {"name": "Tanpa Alamat"}
    del data["incident"]["known_on"]  # type: ignore[attr-defined]
    with pytest.raises(ReportRejected) as caught:
        parse_report(data)
    fields = sorted(p.field for p in caught.value.problems)
    assert fields == ["incident.known_on", "reporter.address"]


def test_temuan_needs_no_personal_reporter() -> None:
    data = _load("temuan-balikpapan-pppk.json")
    data["reporter"] = {"name": "Panwaslu Kecamatan"}
    assert parse_report(data).reporter.address is None


def test_received_at_must_carry_an_offset() -> None:
    data = _load("report-ppu-camat.json")
    data["received_at"] = "2024-10-14T09:15:00"
    with pytest.raises(ReportRejected) as caught:
        parse_report(data)
    assert caught.value.problems[0].field == "received_at"
    assert "zona waktu" in caught.value.problems[0].message


def test_no_reported_person_and_bad_email() -> None:
    data = _load("report-ppu-camat.json")
    data["reported"] = []
    data["reporter"]["email"] = "bukan-email"  # type: ignore[index]
    with pytest.raises(ReportRejected) as caught:
        parse_report(data)
    messages = {p.field: p.message for p in caught.value.problems}
    assert messages["reported"] == "harus berisi paling sedikit 1 entri"
    assert messages["reporter.email"] == "alamat email tidak valid"


def test_unreadable_text_is_one_clear_problem() -> None:
    with pytest.raises(ReportRejected) as caught:
        parse_report_text('{"kind": "laporan",', filename="x.json")
    assert caught.value.problems[0].code == "berkas_tidak_terbaca"
    with pytest.raises(ReportRejected):
        parse_report_text("- just\n- a list\n", filename="x.yaml")


def test_names_and_addresses_must_be_one_line() -> None:
    report = parse_report_text((SAMPLES / "reports" / "report-ppu-camat.json").read_text())
    assert text_problems(report) == []
    reporter = report.reporter.model_copy(update={"name": "Rahmat\r\nHidayat"})
    problems = text_problems(report.model_copy(update={"reporter": reporter}))
    assert [(p.code, p.field) for p in problems] == [("karakter_kendali", "reporter.name")]


def test_an_incident_after_the_report_arrived_is_incoherent() -> None:
    report = parse_report_text((SAMPLES / "reports" / "report-ppu-camat.json").read_text())
    known, occurred = report.incident.known_on, report.incident.occurred_on
    assert known is not None and date_problems(report, received_on=known) == []
    fields = [p.field for p in date_problems(report, received_on=occurred - timedelta(days=1))]
    assert "incident.occurred_on" in fields
