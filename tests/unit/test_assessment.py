"""`assess` on real 2023–2024 situations: what the law says, checked against dates worked by hand.

2024 calendar facts used below (SKB 855/3/4 of 2023, Keppres 10/2024): 8 Feb Isra Mi'raj,
9 Feb cuti bersama Imlek, 14 Feb Pemilu voting day, 29 Mar Good Friday, 8–15 Apr Idul Fitri with
cuti bersama (8, 9, 12, 15 Apr), 27 Nov Pilkada voting day.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from models.findings import Findings
from models.report.model import Report
from models.report.parse import parse_report
from models.rules.assessment import assess
from models.rules.rulebook import Rulebook
from tests.conftest import SAMPLES


def _data(name: str) -> dict[str, Any]:
    data = json.loads((SAMPLES / "reports" / name).read_text())
    assert isinstance(data, dict)
    return data


def _report(name: str, **changes: Any) -> Report:
    data = _data(name)
    for dotted, value in changes.items():
        target: Any = data
        *path, last = dotted.split("__")
        for key in path:
            target = target[int(key)] if key.isdigit() else target[key]
        target[last] = value
    return parse_report(data)


def _due(result: dict[str, Any], rule: str) -> str:
    return str(next(d["due"] for d in result["deadlines"] if d["rule"] == rule))


def test_output_has_the_contract_shape(rulebook: Rulebook) -> None:
    result = assess(
        _report("report-ppu-camat.json"),
        rulebook,
        as_of=date(2024, 10, 20),
        findings=Findings(acts=["PP94-5n-1"]),
    )
    assert {"admissible", "problems", "election", "deadlines", "reported"} <= set(result)
    assert [d["rule"] for d in result["deadlines"]][:3] == [
        "report_window",
        "kajian_awal",
        "decision",
    ]
    assert all({"rule", "due", "unit", "basis"} <= set(d) for d in result["deadlines"])
    person = result["reported"][0]
    assert {"name", "employment", "nip_valid", "authority", "recommendation"} <= set(person)
    assert {"regime", "band", "sanctions", "basis", "confirmed"} <= set(person["recommendation"])
    json.dumps(result)  # serialisable as is


def test_pilkada_laporan_counts_calendar_days(rulebook: Rulebook) -> None:
    result = assess(_report("report-ppu-camat.json"), rulebook, as_of=date(2024, 10, 20))
    assert result["admissible"] is True
    assert result["election"] == "pilkada"
    # known 11 Oct + 7 days; received 14 Oct + 2 days; registered (assumed 14 Oct) + 3 days
    assert _due(result, "report_window") == "2024-10-18"
    assert _due(result, "kajian_awal") == "2024-10-16"
    assert _due(result, "decision") == "2024-10-17"
    assert _due(result, "decision_extension") == "2024-10-19"  # + 2 days (Pasal 134(6))
    assert all(d["unit"] == "calendar" for d in result["deadlines"])
    assert "recommendation" not in result["reported"][0]


def test_pemilu_report_window_counts_working_days_across_a_weekend(rulebook: Rulebook) -> None:
    # known Sat 27 Jan 2024: 29, 30, 31 Jan, 1, 2, 5, 6 Feb are the 7 working days
    result = assess(_report("report-pangkalpinang-lurah.json"), rulebook, as_of=date(2024, 2, 5))
    assert _due(result, "report_window") == "2024-02-06"
    assert result["admissible"] is True


def test_pemilu_window_across_isra_miraj_imlek_and_voting_day(rulebook: Rulebook) -> None:
    # known Mon 5 Feb: 6, 7, (8 Isra Mi'raj, 9 cuti bersama), 12, 13, (14 voting day), 15, 16, 19
    report = _report("report-pemilu-late-guru.json")
    result = assess(report, rulebook, as_of=date(2024, 2, 20))
    assert _due(result, "report_window") == "2024-02-19"
    assert result["admissible"] is False  # received 20 Feb: one working day late
    problem = next(p for p in result["problems"] if p["code"] == "ketepatan_waktu")
    assert "19 Februari 2024" in problem["message"]
    on_time = _report("report-pemilu-late-guru.json", received_at="2024-02-19T15:00:00+07:00")
    assert assess(on_time, rulebook, as_of=date(2024, 2, 20))["admissible"] is True


def test_pemilu_window_across_good_friday_and_idul_fitri(rulebook: Rulebook) -> None:
    # known Wed 27 Mar: 28 Mar, (29 Good Friday, weekend), 1–5 Apr, (8–15 Apr Idul Fitri and
    # cuti bersama, weekends) → the 7th working day is Tue 16 Apr.
    report = _report(
        "report-pangkalpinang-lurah.json",
        incident__occurred_on="2024-03-27",
        incident__known_on="2024-03-27",
        received_at="2024-04-16T08:00:00+07:00",
    )
    result = assess(report, rulebook, as_of=date(2024, 4, 16))
    assert _due(result, "report_window") == "2024-04-16"
    assert result["admissible"] is True


def test_pemilu_extension_is_fourteen_working_days_from_registration(rulebook: Rulebook) -> None:
    # registered (assumed on receipt) Thu 1 Feb 2024: 2, 5, 6, 7, 12, 13, 15, 16, 19, 20, 21,
    # 22, 23, 26 Feb (8 Isra Mi'raj, 9 cuti bersama, 14 voting day skipped)
    result = assess(_report("report-pangkalpinang-lurah.json"), rulebook, as_of=date(2024, 2, 1))
    assert _due(result, "decision") == "2024-02-08"
    assert _due(result, "decision_extension") == "2024-02-26"


def test_pilkada_voting_day_does_not_move_calendar_day_deadlines(rulebook: Rulebook) -> None:
    report = _report(
        "report-pilkada-kepala-desa.json",
        incident__known_on="2024-11-25",
        incident__occurred_on="2024-11-25",
        received_at="2024-11-26T10:00:00+08:00",
    )
    result = assess(report, rulebook, as_of=date(2024, 11, 26))
    assert _due(result, "report_window") == "2024-12-02"  # 25 Nov + 7 calendar days
    assert _due(result, "kajian_awal") == "2024-11-28"  # 27 Nov voting day still counts


def test_received_date_is_the_offices_local_date(rulebook: Rulebook) -> None:
    # 23:30 WIB on 15 Oct is 00:30 WITA on 16 Oct in Penajam (Asia/Makassar)
    report = _report("report-ppu-camat.json", received_at="2024-10-15T23:30:00+07:00")
    assert _due(assess(report, rulebook, as_of=date(2024, 10, 20)), "kajian_awal") == "2024-10-18"


def test_temuan_uses_the_temuan_window(rulebook: Rulebook) -> None:
    result = assess(_report("temuan-balikpapan-pppk.json"), rulebook, as_of=date(2024, 10, 5))
    assert _due(result, "temuan_window") == "2024-10-07"  # discovered 30 Sep + 7 days
    assert result["admissible"] is True
    person = result["reported"][0]
    assert (person["employment"], person["nip_valid"], person["authority"]) == ("PPPK", True, "BKN")


@pytest.mark.parametrize(
    ("as_of", "authority"),
    [
        (date(2024, 2, 10), "KASN"),
        (date(2024, 9, 3), "KASN"),
        (date(2024, 9, 4), "BKN"),
        (date(2025, 1, 6), "BKN"),
    ],
)
def test_referral_goes_to_kasn_before_the_switch_and_bkn_after(
    rulebook: Rulebook, as_of: date, authority: str
) -> None:
    result = assess(_report("report-pangkalpinang-lurah.json"), rulebook, as_of=as_of)
    assert result["reported"][0]["authority"] == authority


def test_pns_joining_a_campaign_is_a_medium_discipline_case(rulebook: Rulebook) -> None:
    result = assess(
        _report("report-pangkalpinang-lurah.json"),
        rulebook,
        as_of=date(2024, 2, 10),
        findings=Findings(acts=["PP94-5n-1"]),
    )
    rec = result["reported"][0]["recommendation"]
    assert (rec["regime"], rec["band"], rec["confirmed"]) == ("disiplin", "sedang", True)
    assert any("25%" in s for s in rec["sanctions"])
    assert any("Pasal 5" in b for b in rec["basis"])


def test_state_facilities_is_heavy_and_party_membership_is_ptdh(rulebook: Rulebook) -> None:
    report = _report("report-ppu-camat.json")
    heavy = assess(
        report,
        rulebook,
        as_of=date(2024, 10, 20),
        findings=Findings(acts=["PP94-5n-1", "PP94-5n-4"]),
    )
    assert heavy["reported"][0]["recommendation"]["band"] == "berat"
    party = assess(
        report, rulebook, as_of=date(2024, 10, 20), findings=Findings(acts=["UU20-52-3j"])
    )
    rec = party["reported"][0]["recommendation"]
    assert rec["band"] == "ptdh" and any("52" in b for b in rec["basis"])


def test_ethics_before_candidacy_and_phase_warning_after(rulebook: Rulebook) -> None:
    report = _report(
        "temuan-balikpapan-pppk.json",
        incident__occurred_on="2024-09-10",
        incident__known_on="2024-09-11",
        received_at="2024-09-12T10:00:00+08:00",
    )
    before = assess(report, rulebook, as_of=date(2024, 9, 15), findings=Findings(acts=["SKB-A4"]))
    assert before["reported"][0]["recommendation"]["band"] == "moral"
    assert not [p for p in before["problems"] if p["code"] == "fase_tidak_sesuai"]
    after = assess(
        _report("temuan-balikpapan-pppk.json"),
        rulebook,
        as_of=date(2024, 10, 5),
        findings=Findings(acts=["SKB-A4"]),
    )  # 28 Sep 2024: candidates determined
    warning = next(p for p in after["problems"] if p["code"] == "fase_tidak_sesuai")
    assert warning["severity"] == "warning"


def test_non_asn_staff_go_to_their_own_agency(rulebook: Rulebook) -> None:
    result = assess(
        _report("report-pilkada-ppnpn-honorer.json"),
        rulebook,
        as_of=date(2024, 11, 6),
        findings=Findings(acts=["SKB-B8"]),
    )
    person = result["reported"][0]
    assert person["authority"] == "PPK" and person["nip_valid"] is None
    assert (person["recommendation"]["regime"], person["recommendation"]["band"]) == (
        "kontrak",
        "kontrak",
    )


def test_village_head_is_not_a_civil_service_referral(rulebook: Rulebook) -> None:
    result = assess(
        _report("report-pilkada-kepala-desa.json"),
        rulebook,
        as_of=date(2024, 11, 13),
        findings=Findings(acts=["SKB-B8"]),
    )
    person = result["reported"][0]
    assert person["authority"] == "LAINNYA"
    assert person["recommendation"]["band"] == "diteruskan"


def test_an_election_crime_goes_to_gakkumdu(rulebook: Rulebook) -> None:
    result = assess(
        _report("report-ppu-camat.json"),
        rulebook,
        as_of=date(2024, 10, 20),
        findings=Findings(acts=["UU10-71-1"]),
    )
    assert result["reported"][0]["authority"] == "GAKKUMDU"


def test_invalid_nip_is_flagged_without_printing_it(rulebook: Rulebook) -> None:
    report = _report("report-ppu-camat.json", reported__0__nip="197813452006041003")
    result = assess(report, rulebook, as_of=date(2024, 10, 20))
    assert result["reported"][0]["nip_valid"] is False
    problem = next(p for p in result["problems"] if p["code"] == "nip_tidak_valid")
    assert "197813452006041003" not in json.dumps(result["problems"])
    assert problem["field"] == "reported[0].nip"


def test_report_without_evidence_is_not_admissible(rulebook: Rulebook) -> None:
    report = _report("report-ppu-camat.json", evidence=[])
    result = assess(report, rulebook, as_of=date(2024, 10, 20))
    assert result["admissible"] is False
    assert [p["code"] for p in result["problems"]] == ["bukti"]


def test_known_after_receipt_is_not_admissible(rulebook: Rulebook) -> None:
    report = _report("report-ppu-camat.json", incident__known_on="2024-10-15")
    result = assess(report, rulebook, as_of=date(2024, 10, 20))
    assert result["admissible"] is False
    assert any(p["code"] == "tanggal_tidak_runtut" for p in result["problems"])


def _phase_codes(result: dict[str, Any]) -> list[str]:
    return [p["code"] for p in result["problems"] if p.get("severity") == "warning"]


@pytest.mark.parametrize(
    ("act_date", "contest", "warned"),
    [
        # Pemilu 2024: DCT set 3 Nov 2023, presidential pairs 13 Nov 2023 (DOMAIN §4)
        (date(2023, 11, 2), None, False),  # before every determination: a bakal calon
        (date(2023, 11, 5), None, True),  # no contest named: the earliest date counts
        (date(2023, 11, 5), "legislatif", True),
        (date(2023, 11, 5), "presiden", False),  # pairs not yet set: still a bakal calon
        (date(2023, 11, 13), "presiden", True),
    ],
)
def test_pemilu_phase_follows_the_contest_named_in_the_finding(
    rulebook: Rulebook, act_date: date, contest: str | None, warned: bool
) -> None:
    report = _report("report-pangkalpinang-lurah.json")
    findings = Findings(acts=["SKB-A2"], act_date=act_date, contest=contest)
    result = assess(report, rulebook, as_of=date(2024, 2, 10), findings=findings)
    assert ("fase_tidak_sesuai" in _phase_codes(result)) is warned


def test_an_unknown_contest_is_a_warning_and_the_earliest_date_counts(rulebook: Rulebook) -> None:
    report = _report("report-pangkalpinang-lurah.json")
    findings = Findings(acts=["SKB-A2"], act_date=date(2023, 11, 5), contest="dpd-kota")
    result = assess(report, rulebook, as_of=date(2024, 2, 10), findings=findings)
    assert _phase_codes(result) == ["kontestasi_tidak_dikenal", "fase_tidak_sesuai"]
    assert result["admissible"] is True  # warnings never refuse
