"""Working-day calendar on real 2024 dates.

Expected dates were worked out by hand on a printed 2024 calendar (1 Jan 2024 = Monday) and the
2024 holiday list of SKB 855/3/4 Tahun 2023 (17 holidays + 10 cuti bersama) plus both voting days;
each test spells out the counting so a reader can check it without running any code.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from models.enums import DayUnit
from models.rules.calendar import HolidayOverride, WorkCalendar, build_calendar, local_date

W = DayUnit.WORKING
C = DayUnit.CALENDAR


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    """2024 and 2025, cuti bersama skipped (the shipped default), no overrides."""
    return build_calendar([2024, 2025], include_cuti_bersama=True)


@pytest.fixture(scope="module")
def cal_no_cb() -> WorkCalendar:
    return build_calendar([2024, 2025], include_cuti_bersama=False)


# --- the 2024 data itself -------------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        date(2024, 2, 8),  # Isra Mikraj (Thu)
        date(2024, 2, 14),  # Pemilu voting day (Wed)
        date(2024, 3, 29),  # Wafat Isa Almasih / Good Friday
        date(2024, 4, 10),  # Idul Fitri (Wed)
        date(2024, 4, 11),  # Idul Fitri, second day (Thu)
        date(2024, 11, 27),  # Pilkada voting day (Wed)
        date(2024, 12, 25),  # Natal
    ],
)
def test_public_holidays_are_not_working_days(
    cal: WorkCalendar, cal_no_cb: WorkCalendar, day: date
) -> None:
    assert day.weekday() < 5  # a weekday, so only the holiday makes it non-working
    assert not cal.is_working_day(day)
    assert not cal_no_cb.is_working_day(day)
    assert cal.holiday_name(day)


@pytest.mark.parametrize(
    "day",
    # the 10 cuti bersama of 2024 that fall on weekdays (all of them do)
    [
        *(date(2024, 2, 9), date(2024, 3, 12), date(2024, 4, 8), date(2024, 4, 9)),
        *(date(2024, 4, 12), date(2024, 4, 15), date(2024, 5, 10), date(2024, 5, 24)),
        *(date(2024, 6, 18), date(2024, 12, 26)),
    ],
)
def test_cuti_bersama_follow_the_switch(
    cal: WorkCalendar, cal_no_cb: WorkCalendar, day: date
) -> None:
    assert not cal.is_working_day(day)
    assert "Cuti Bersama" in (cal.holiday_name(day) or "")
    assert cal_no_cb.is_working_day(day)
    assert cal_no_cb.holiday_name(day) is None


def test_names_are_indonesian(cal: WorkCalendar) -> None:
    assert cal.holiday_name(date(2024, 4, 10)) == "Hari Raya Idul Fitri"
    assert cal.holiday_name(date(2024, 2, 14)) == "Hari Pemilihan Umum"
    assert cal.holiday_name(date(2024, 7, 16)) is None  # an ordinary Tuesday


def test_weekends_are_not_working_days(cal: WorkCalendar) -> None:
    assert not cal.is_working_day(date(2024, 7, 13))  # Saturday
    assert not cal.is_working_day(date(2024, 7, 14))  # Sunday
    assert cal.is_working_day(date(2024, 7, 15))  # Monday, no holiday


# --- 7-working-day windows ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "with_cb", "without_cb"),
    [
        # Idul Fitri 2024. Fri 5 Apr; 6-7 weekend; 8, 9 cuti; 10, 11 Idul Fitri; 12 cuti;
        # 13-14 weekend; 15 cuti. With cuti: 16,17,18,19,22,23,24 -> Wed 24 Apr.
        # Without: 8,9,12,15,16,17,18 -> Thu 18 Apr.
        (date(2024, 4, 5), date(2024, 4, 24), date(2024, 4, 18)),
        # Good Friday. Tue 26 Mar: 27, 28, (29 Good Friday, 30-31 weekend), 1, 2, 3, 4, 5 Apr
        # -> Fri 5 Apr; no cuti bersama in between, so the switch changes nothing.
        (date(2024, 3, 26), date(2024, 4, 5), date(2024, 4, 5)),
        # Plain weekend. Thu 11 Jul: 12, (13-14), 15, 16, 17, 18, 19, (20-21), 22 -> Mon 22 Jul.
        (date(2024, 7, 11), date(2024, 7, 22), date(2024, 7, 22)),
        # Start on a Saturday: it is never counted. Sat 13 Jul: 15..19, 22, 23 -> Tue 23 Jul.
        (date(2024, 7, 13), date(2024, 7, 23), date(2024, 7, 23)),
        # Pemilu. Wed 7 Feb; 8 Isra Mikraj; 9 cuti Imlek; 10 Imlek (Sat); 11 Sun; 14 voting day.
        # With cuti: 12, 13, 15, 16, 19, 20, 21 -> Wed 21 Feb.
        # Without: 9, 12, 13, 15, 16, 19, 20 -> Tue 20 Feb.
        (date(2024, 2, 7), date(2024, 2, 21), date(2024, 2, 20)),
        # Pilkada voting day Wed 27 Nov. Fri 22 Nov: 25, 26, 28, 29, 2 Dec, 3, 4 -> Wed 4 Dec.
        (date(2024, 11, 22), date(2024, 12, 4), date(2024, 12, 4)),
        # Year end. Mon 23 Dec: 24, (25 Natal, 26 cuti), 27, 30, 31, (1 Jan), 2, 3, 6 Jan 2025.
        # Without cuti 26 Dec counts: 24, 26, 27, 30, 31, 2, 3 -> Fri 3 Jan 2025.
        (date(2024, 12, 23), date(2025, 1, 6), date(2025, 1, 3)),
    ],
)
def test_seven_working_days(
    cal: WorkCalendar, cal_no_cb: WorkCalendar, start: date, with_cb: date, without_cb: date
) -> None:
    assert cal.add(start, 7, W) == with_cb
    assert cal_no_cb.add(start, 7, W) == without_cb


def test_calendar_days_ignore_holidays(cal: WorkCalendar) -> None:
    # Pilkada counts calendar days: 11 Oct + 7 = 18 Oct; 22 Nov + 7 = 29 Nov (voting day counted).
    assert cal.add(date(2024, 10, 11), 7, C) == date(2024, 10, 18)
    assert cal.add(date(2024, 11, 22), 7, C) == date(2024, 11, 29)
    # Across the leap day: 25 Feb + 7 = 3 Mar (2024 has 29 Feb).
    assert cal.add(date(2024, 2, 25), 7, C) == date(2024, 3, 3)


def test_zero_and_negative_days(cal: WorkCalendar) -> None:
    assert cal.add(date(2024, 4, 10), 0, W) == date(2024, 4, 10)
    assert cal.add(date(2024, 4, 10), 1, W) == date(2024, 4, 16)  # first working day after
    with pytest.raises(ValueError, match="negative"):
        cal.add(date(2024, 4, 10), -1, W)


def test_outside_the_loaded_years_is_an_error() -> None:
    only_2024 = build_calendar([2024], include_cuti_bersama=True)
    with pytest.raises(ValueError, match="2025"):
        only_2024.add(date(2024, 12, 23), 7, W)  # reaches January 2025
    assert only_2024.add(date(2024, 12, 23), 14, C) == date(2025, 1, 6)  # no holidays needed


def test_hand_built_calendar_without_years_counts_only_its_days() -> None:
    cal = WorkCalendar(non_working={date(2024, 7, 16): "Libur"}, version="test")
    # Mon 15 Jul: 17, 18, 19, 22 (16 is the listed holiday, 20-21 weekend)
    assert cal.add(date(2024, 7, 15), 4, W) == date(2024, 7, 22)


def test_days_left(cal: WorkCalendar) -> None:
    assert cal.days_left(date(2024, 10, 18), date(2024, 10, 11)) == 7
    assert cal.days_left(date(2024, 10, 18), date(2024, 10, 18)) == 0
    assert cal.days_left(date(2024, 10, 18), date(2024, 10, 20)) == -2


# --- overrides and version ------------------------------------------------------------------


def test_override_adds_an_ad_hoc_holiday() -> None:
    extra = HolidayOverride(date(2024, 7, 16), "Libur Daerah (uji)", "add")
    cal = build_calendar([2024], include_cuti_bersama=True, overrides=[extra])
    assert cal.holiday_name(date(2024, 7, 16)) == "Libur Daerah (uji)"
    # Thu 11 Jul: 12, 15, (16 off), 17, 18, 19, 22, 23 -> Tue 23 Jul instead of Mon 22 Jul.
    assert cal.add(date(2024, 7, 11), 7, W) == date(2024, 7, 23)


def test_override_removes_a_day() -> None:
    back_to_work = HolidayOverride(date(2024, 4, 15), "Cuti bersama dibatalkan (uji)", "remove")
    cal = build_calendar([2024], include_cuti_bersama=True, overrides=[back_to_work])
    assert cal.is_working_day(date(2024, 4, 15))
    # Fri 5 Apr: 15, 16, 17, 18, 19, 22, 23 -> Tue 23 Apr instead of Wed 24 Apr.
    assert cal.add(date(2024, 4, 5), 7, W) == date(2024, 4, 23)


def test_cuti_bersama_override_follows_the_switch() -> None:
    cb = HolidayOverride(date(2024, 7, 16), "Cuti Bersama (uji)", "add", is_cuti_bersama=True)
    assert not build_calendar([2024], include_cuti_bersama=True, overrides=[cb]).is_working_day(
        date(2024, 7, 16)
    )
    assert build_calendar([2024], include_cuti_bersama=False, overrides=[cb]).is_working_day(
        date(2024, 7, 16)
    )


def test_two_overrides_for_one_day_are_rejected() -> None:
    a = HolidayOverride(date(2024, 7, 16), "A", "add")
    b = HolidayOverride(date(2024, 7, 16), "B", "remove")
    with pytest.raises(ValueError, match="2024-07-16"):
        build_calendar([2024], include_cuti_bersama=True, overrides=[a, b])


def test_bad_override_is_rejected() -> None:
    with pytest.raises(ValueError, match="action"):
        HolidayOverride(date(2024, 7, 16), "A", "move")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="name"):
        HolidayOverride(date(2024, 7, 16), " ", "add")


def test_version_identifies_the_data() -> None:
    extra = HolidayOverride(date(2024, 7, 16), "Libur Daerah (uji)", "add")
    base = build_calendar([2024], include_cuti_bersama=True).version
    assert base.startswith("holidays-") and "+cb+ovr-" in base
    assert build_calendar([2024], include_cuti_bersama=True).version == base  # stable
    assert build_calendar([2024], include_cuti_bersama=False).version != base
    with_override = build_calendar([2024], include_cuti_bersama=True, overrides=[extra]).version
    assert with_override != base
    assert len(with_override.rsplit("-", 1)[1]) == 8


# --- office-local dates ---------------------------------------------------------------------


def test_local_date_across_a_time_zone_boundary() -> None:
    wib = timezone(timedelta(hours=7))
    late_evening = datetime(2024, 10, 13, 23, 30, tzinfo=wib)  # 23:30 WIB = 00:30 WITA
    assert local_date(late_evening, "Asia/Jakarta") == date(2024, 10, 13)
    assert local_date(late_evening, "Asia/Makassar") == date(2024, 10, 14)
    # 16:30 UTC = 23:30 WIB = 01:30 WIT (UTC+9) of the next day
    utc = datetime(2024, 10, 13, 16, 30, tzinfo=UTC)
    assert local_date(utc, "Asia/Jayapura") == date(2024, 10, 14)
    assert local_date(utc, "Asia/Jakarta") == date(2024, 10, 13)


def test_local_date_rejects_naive_and_unknown() -> None:
    with pytest.raises(ValueError, match="offset"):
        local_date(datetime(2024, 10, 13, 23, 30), "Asia/Makassar")
    with pytest.raises(ValueError, match="time zone"):
        local_date(datetime(2024, 10, 13, 23, 30, tzinfo=UTC), "Asia/Atlantis")
