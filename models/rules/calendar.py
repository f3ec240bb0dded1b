"""Working-day calendar for Indonesian government offices (DOMAIN.md §3). Pure: no file I/O.

Non-working days = Saturdays, Sundays, the `holidays` package's Indonesian public holidays
(voting days included), optionally its cuti bersama (`government` category), plus operator
overrides. Each calendar carries a `version` so a stored deadline says which data computed it.
The `holidays` package (~0.2 s to import) is imported when a calendar is built, not with this
module: reading a case or listing cases needs the types here, not the holidays.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from models.enums import DayUnit

OverrideAction = Literal["add", "remove"]


@dataclass(frozen=True)
class HolidayOverride:
    """One operator correction: a day to add to or remove from the non-working days."""

    day: date
    name: str
    action: OverrideAction
    is_cuti_bersama: bool = False

    def __post_init__(self) -> None:
        if self.action not in ("add", "remove"):
            raise ValueError(f"override {self.day}: action must be 'add' or 'remove'")
        if not self.name.strip():
            raise ValueError(f"override {self.day}: name must not be empty")

    def canonical(self) -> str:
        """Stable one-line text of the entry, used for the calendar version hash."""
        return f"{self.day.isoformat()}|{self.action}|{int(self.is_cuti_bersama)}|{self.name}"


@dataclass(frozen=True)
class WorkCalendar:
    """Non-working days (date -> Indonesian name) and the version of the data behind them.

    `years` lists the years whose holiday data is loaded; when it is non-empty, asking about a
    day outside them raises ValueError rather than silently treating it as holiday-free.
    """

    non_working: Mapping[date, str] = field(hash=False)
    version: str
    years: frozenset[int] = frozenset()

    def _check_covered(self, d: date) -> None:
        if self.years and d.year not in self.years:
            covered = ", ".join(str(y) for y in sorted(self.years))
            raise ValueError(
                f"{d.isoformat()} is outside the calendar's years ({covered}); "
                f"build the calendar with {d.year} included"
            )

    def is_working_day(self, d: date) -> bool:
        """Monday to Friday and not a holiday (or cuti bersama, when switched on)."""
        self._check_covered(d)
        return d.weekday() < 5 and d not in self.non_working

    def holiday_name(self, d: date) -> str | None:
        """The Indonesian name of the holiday on `d`, or None (weekends have no name)."""
        self._check_covered(d)
        return self.non_working.get(d)

    def add(self, start: date, days: int, unit: DayUnit) -> date:
        """The due date: the LAST day still on time for a period of `days` from `start`.

        Calendar unit: start + days. Working unit: the `days`-th working day strictly after
        `start` (start itself never counts, whether or not it is a working day).
        """
        if days < 0:
            raise ValueError(f"days must not be negative, got {days}")
        if unit == DayUnit.CALENDAR:
            return start + timedelta(days=days)
        if unit != DayUnit.WORKING:
            raise ValueError(f"unknown day unit: {unit!r}")
        current = start
        counted = 0
        while counted < days:
            current += timedelta(days=1)
            if self.is_working_day(current):
                counted += 1
        return current

    @staticmethod
    def days_left(due: date, today: date) -> int:
        """Calendar days from `today` to `due`: 0 on the due date, negative once missed."""
        return (due - today).days


def _overrides_hash(overrides: Sequence[HolidayOverride]) -> str:
    text = "\n".join(sorted(o.canonical() for o in overrides))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def calendar_version(include_cuti_bersama: bool, overrides: Sequence[HolidayOverride]) -> str:
    """E.g. `holidays-0.109+cb+ovr-1a2b3c4d` (`+nocb` when cuti bersama are working days)."""
    cb = "+cb" if include_cuti_bersama else "+nocb"
    return f"holidays-{holidays_version()}{cb}+ovr-{_overrides_hash(overrides)}"


@cache
def holidays_version() -> str:
    """The installed `holidays` package's version (from its metadata, without importing it)."""
    from importlib.metadata import version

    return version("holidays")


def build_calendar(
    years: Iterable[int],
    *,
    include_cuti_bersama: bool,
    overrides: Sequence[HolidayOverride] = (),
) -> WorkCalendar:
    """Indonesian holidays of `years` (names in Indonesian) with the overrides applied.

    An override marked `is_cuti_bersama` is only added when cuti bersama count as holidays.
    Two overrides for the same day are a data error (ValueError): the result must not depend
    on the order in which override files were read.
    """
    year_set = frozenset(years)
    if not year_set:
        raise ValueError("build_calendar needs at least one year")
    seen: dict[date, HolidayOverride] = {}
    for o in overrides:
        if o.day in seen:
            raise ValueError(f"two overrides for {o.day.isoformat()}: {seen[o.day]} and {o}")
        seen[o.day] = o

    import holidays

    categories = ("public", "government") if include_cuti_bersama else ("public",)
    found = holidays.country_holidays(
        "ID", years=sorted(year_set), categories=categories, language="id"
    )
    non_working: dict[date, str] = {d: str(name) for d, name in found.items()}

    for o in overrides:
        if o.day.year not in year_set:
            continue
        if o.action == "remove":
            non_working.pop(o.day, None)
        elif include_cuti_bersama or not o.is_cuti_bersama:
            non_working[o.day] = o.name

    return WorkCalendar(
        non_working=dict(sorted(non_working.items())),
        version=calendar_version(include_cuti_bersama, overrides),
        years=year_set,
    )


def local_date(ts: datetime, tz: str) -> date:
    """The office-local date of an aware timestamp, e.g. WIB 23:30 is the next day in WITA."""
    if ts.tzinfo is None or ts.utcoffset() is None:
        raise ValueError(f"timestamp {ts.isoformat()} has no UTC offset")
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone: {tz!r}") from exc
    return ts.astimezone(zone).date()
