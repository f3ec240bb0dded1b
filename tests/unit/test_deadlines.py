"""Deadline rules: the shipped YAML, its loader, and due dates on real 2024 dates.

Expected dates were counted by hand on a 2024 calendar (1 Jan 2024 = Monday; 2024 is a leap
year) with the SKB 855/3/4 Tahun 2023 holidays and cuti bersama plus both voting days; each test
shows the count.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from config.calendar_data import load_calendar, load_deadline_rulebook, load_overrides
from models.enums import DayUnit, ElectionType
from models.rules.calendar import WorkCalendar
from models.rules.deadlines import (
    RULE_IDS,
    DeadlineRule,
    DeadlineRulebook,
    compute_deadline,
    is_met,
)

PEMILU = ElectionType.PEMILU
PILKADA = ElectionType.PILKADA


@pytest.fixture(scope="module")
def book() -> DeadlineRulebook:
    return load_deadline_rulebook()


@pytest.fixture(scope="module")
def cal(book: DeadlineRulebook) -> WorkCalendar:
    return load_calendar([2024, 2025], rulebook=book)


# --- the shipped data -----------------------------------------------------------------------


def test_shipped_rulebook_is_complete_with_bases(book: DeadlineRulebook) -> None:
    assert book.cuti_bersama_is_holiday is True
    for election in ElectionType:
        assert set(book.rules[election]) == set(RULE_IDS)
        for rule_id in RULE_IDS:
            rule = book.rule(election, rule_id)
            assert rule.rule == rule_id
            assert rule.basis.strip(), f"{election}.{rule_id} has no basis"
            if not rule.confirmed:
                assert rule.note, f"{election}.{rule_id} is unconfirmed without a note"


@pytest.mark.parametrize(
    ("election", "rule_id", "days", "unit", "start_event", "confirmed"),
    [
        (PEMILU, "report_window", 7, DayUnit.WORKING, "known_on", True),
        (PEMILU, "temuan_window", 7, DayUnit.CALENDAR, "known_on", False),
        (PEMILU, "kajian_awal", 2, DayUnit.CALENDAR, "received_at", False),
        (PEMILU, "decision", 7, DayUnit.CALENDAR, "registered", False),
        (PEMILU, "decision_extension", 14, DayUnit.WORKING, "registered", True),
        (PILKADA, "report_window", 7, DayUnit.CALENDAR, "known_on", True),
        (PILKADA, "temuan_window", 7, DayUnit.CALENDAR, "known_on", True),
        (PILKADA, "kajian_awal", 2, DayUnit.CALENDAR, "received_at", False),
        (PILKADA, "decision", 3, DayUnit.CALENDAR, "received_at", True),  # Pasal 134(5)
        (PILKADA, "decision_extension", 2, DayUnit.CALENDAR, "decision_due", True),
        (PEMILU, "ppk_followup", 14, DayUnit.CALENDAR, "referred", False),
        (PILKADA, "ppk_followup", 14, DayUnit.CALENDAR, "referred", False),
        (PILKADA, "bkn_verification", 7, DayUnit.CALENDAR, "referred", False),
        (PILKADA, "bawaslu_validation", 3, DayUnit.WORKING, "validation_requested", False),
    ],
)
def test_shipped_rules_match_domain_table(
    book: DeadlineRulebook,
    election: ElectionType,
    rule_id: str,
    days: int,
    unit: DayUnit,
    start_event: str,
    confirmed: bool,
) -> None:
    rule = book.rule(election, rule_id)
    assert (rule.days, rule.unit, rule.start_event, rule.confirmed) == (
        days,
        unit,
        start_event,
        confirmed,
    )


def test_bases_cite_the_right_law(book: DeadlineRulebook) -> None:
    assert "Pasal 454 ayat (6)" in book.rule(PEMILU, "report_window").basis
    assert "hari kerja" in book.rule(PEMILU, "report_window").basis
    assert "Pasal 134" in book.rule(PILKADA, "report_window").basis
    assert "Pasal 454 ayat (8)" in book.rule(PEMILU, "decision_extension").basis


def test_unknown_rule_is_a_clear_key_error(book: DeadlineRulebook) -> None:
    with pytest.raises(KeyError, match=r"no_such_rule.*pilkada"):
        book.rule(PILKADA, "no_such_rule")


def test_shipped_overrides_pin_the_2024_voting_days() -> None:
    days = {o.day for o in load_overrides() if o.action == "add"}
    assert {date(2024, 2, 14), date(2024, 11, 27)} <= days


# --- due dates ------------------------------------------------------------------------------


def due(book: DeadlineRulebook, cal: WorkCalendar, e: ElectionType, rule: str, d: date) -> date:
    return compute_deadline(book.rule(e, rule), d, cal).due


def test_pilkada_report_window_counts_calendar_days(
    book: DeadlineRulebook, cal: WorkCalendar
) -> None:
    # known Fri 11 Oct 2024 + 7 calendar days = Fri 18 Oct 2024 (the CONTRACTS.md example)
    deadline = compute_deadline(book.rule(PILKADA, "report_window"), date(2024, 10, 11), cal)
    assert deadline.due == date(2024, 10, 18)
    assert deadline.unit is DayUnit.CALENDAR
    assert deadline.start_event == "known_on"
    assert deadline.start == date(2024, 10, 11)
    assert deadline.calendar_version == cal.version
    assert deadline.basis == book.rule(PILKADA, "report_window").basis
    assert is_met(deadline, date(2024, 10, 18))
    assert not is_met(deadline, date(2024, 10, 19))


def test_pilkada_report_window_counts_voting_day(book: DeadlineRulebook, cal: WorkCalendar) -> None:
    # known Fri 22 Nov + 7 calendar days = Fri 29 Nov; voting day 27 Nov is counted.
    assert due(book, cal, PILKADA, "report_window", date(2024, 11, 22)) == date(2024, 11, 29)


def test_pemilu_report_window_across_voting_day(book: DeadlineRulebook, cal: WorkCalendar) -> None:
    # known Wed 7 Feb; 8 Isra Mikraj, 9 cuti Imlek, 10-11 weekend (10 Imlek), 14 voting day:
    # 12, 13, 15, 16, 19, 20, 21 -> Wed 21 Feb.
    deadline = compute_deadline(book.rule(PEMILU, "report_window"), date(2024, 2, 7), cal)
    assert deadline.due == date(2024, 2, 21)
    assert deadline.confirmed is True
    assert not is_met(deadline, date(2024, 2, 22))


def test_pemilu_report_window_across_idul_fitri(book: DeadlineRulebook, cal: WorkCalendar) -> None:
    # known Fri 5 Apr; 8-15 Apr are cuti bersama, Idul Fitri and a weekend:
    # 16, 17, 18, 19, 22, 23, 24 -> Wed 24 Apr.
    assert due(book, cal, PEMILU, "report_window", date(2024, 4, 5)) == date(2024, 4, 24)


def test_cuti_bersama_switch_comes_from_the_rulebook(book: DeadlineRulebook) -> None:
    # Same window with cuti bersama as working days: 8, 9, 12, 15, 16, 17, 18 -> Thu 18 Apr.
    off = book.model_copy(update={"cuti_bersama_is_holiday": False})
    cal_off = load_calendar([2024], rulebook=off)
    assert due(off, cal_off, PEMILU, "report_window", date(2024, 4, 5)) == date(2024, 4, 18)
    assert "+nocb" in cal_off.version


def test_pemilu_decision_and_extension(book: DeadlineRulebook, cal: WorkCalendar) -> None:
    registered = date(2024, 2, 7)
    # decision: 7 calendar days -> Wed 14 Feb (calendar days count the voting day)
    assert due(book, cal, PEMILU, "decision", registered) == date(2024, 2, 14)
    # extension: 14 hari kerja from registration, skipping 8, 9, 10-11, 14, 17-18, 24-25 Feb:
    # 12,13,15,16,19,20,21,22,23,26,27,28,29 Feb, 1 Mar -> Fri 1 Mar (2024 has 29 Feb).
    assert due(book, cal, PEMILU, "decision_extension", registered) == date(2024, 3, 1)


def test_pilkada_kajian_decision_extension_chain(book: DeadlineRulebook, cal: WorkCalendar) -> None:
    # received Mon 14 Oct -> kajian awal by Wed 16 Oct; the decision counts from receipt too
    # (Pasal 134(5)): by Thu 17 Oct (calendar days); extension +2 from that due date -> Sat 19.
    assert due(book, cal, PILKADA, "kajian_awal", date(2024, 10, 14)) == date(2024, 10, 16)
    decision_due = due(book, cal, PILKADA, "decision", date(2024, 10, 14))
    assert decision_due == date(2024, 10, 17)
    assert due(book, cal, PILKADA, "decision_extension", decision_due) == date(2024, 10, 19)


def test_follow_up_after_referral(book: DeadlineRulebook, cal: WorkCalendar) -> None:
    referred = date(2024, 10, 21)
    # ppk_followup: 14 calendar days -> Mon 4 Nov; bkn_verification: 7 -> Mon 28 Oct
    assert due(book, cal, PILKADA, "ppk_followup", referred) == date(2024, 11, 4)
    assert due(book, cal, PILKADA, "bkn_verification", referred) == date(2024, 10, 28)
    # bawaslu_validation: 3 hari kerja from Fri 22 Nov: 25, 26, (27 voting day), 28 -> Thu 28 Nov
    assert due(book, cal, PILKADA, "bawaslu_validation", date(2024, 11, 22)) == date(2024, 11, 28)


# --- loader errors --------------------------------------------------------------------------


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_rulebook_error_names_file_and_entry(tmp_path: Path) -> None:
    text = (Path(__file__).parents[2] / "config" / "deadlines.yaml").read_text(encoding="utf-8")
    bad = text.replace("unit: working", "unit: weekly", 1)
    path = _write(tmp_path / "bad-deadlines.yaml", bad)
    with pytest.raises(ValueError, match=r"bad-deadlines\.yaml.*pemilu\.report_window\.unit"):
        load_deadline_rulebook(path)


def test_rulebook_missing_rule_is_rejected(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "d.yaml",
        "cuti_bersama_is_holiday: true\nrules:\n  pemilu: {}\n  pilkada: {}\n",
    )
    with pytest.raises(ValueError, match="missing rules: report_window"):
        load_deadline_rulebook(path)


def test_rule_rejects_unknown_start_event() -> None:
    with pytest.raises(ValueError, match="start_event"):
        DeadlineRule(
            rule="x",
            days=1,
            unit=DayUnit.CALENDAR,
            start_event="sunrise",
            basis="b",
            confirmed=True,
        )


def test_override_errors_name_file_and_entry(tmp_path: Path) -> None:
    _write(
        tmp_path / "2024.yaml",
        "- {date: 2024-07-16, name: Libur Daerah, action: add}\n"
        "- {date: 2024-07-17, name: Libur Lain, action: move}\n",
    )
    with pytest.raises(ValueError, match=r"2024\.yaml: entry 2 \(2024-07-17\): action"):
        load_overrides(tmp_path)


def test_override_in_wrong_year_file_is_rejected(tmp_path: Path) -> None:
    _write(tmp_path / "2025.yaml", "- {date: 2024-07-16, name: Libur Daerah, action: add}\n")
    with pytest.raises(ValueError, match=r"2025\.yaml: entry 1.*not in 2025"):
        load_overrides(tmp_path)


def test_duplicate_override_across_files_is_rejected(tmp_path: Path) -> None:
    _write(tmp_path / "2024.yaml", "- {date: 2024-07-16, name: A, action: add}\n")
    _write(tmp_path / "extra.yaml", "- {date: 2024-07-16, name: B, action: remove}\n")
    with pytest.raises(ValueError, match=r"extra\.yaml: entry 1.*2024\.yaml entry 1"):
        load_overrides(tmp_path)


def test_override_folder_feeds_the_calendar(tmp_path: Path, book: DeadlineRulebook) -> None:
    _write(tmp_path / "2024.yaml", "- {date: 2024-07-16, name: Libur Daerah, action: add}\n")
    _write(tmp_path / "2025.yaml", "[]\n")
    cal = load_calendar([2024], rulebook=book, folder=tmp_path)
    # Thu 11 Jul: 12, 15, (16 off), 17, 18, 19, 22, 23 -> Tue 23 Jul
    assert due(book, cal, PEMILU, "report_window", date(2024, 7, 11)) == date(2024, 7, 23)
    assert cal.holiday_name(date(2024, 7, 16)) == "Libur Daerah"
