"""Loading the operator-edited calendar data: deadline rules and yearly holiday overrides.

Every error in a file raises ValueError naming the file and the entry, so an operator can fix it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from config.yaml_files import read_yaml
from models.rules.calendar import HolidayOverride, WorkCalendar, build_calendar
from models.rules.deadlines import DeadlineRulebook

CONFIG_DIR = Path(__file__).resolve().parent
DEFAULT_RULEBOOK = CONFIG_DIR / "deadlines.yaml"
DEFAULT_HOLIDAYS_DIR = CONFIG_DIR / "holidays"

_OVERRIDE_KEYS = {"date", "name", "action", "cuti_bersama"}


def load_deadline_rulebook(path: Path | None = None) -> DeadlineRulebook:
    """The deadline rules of `path` (default: config/deadlines.yaml)."""
    path = path or DEFAULT_RULEBOOK
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping with 'cuti_bersama_is_holiday' and 'rules'")
    try:
        return DeadlineRulebook.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"entry {'.'.join(str(part) for part in err['loc']) or '(top level)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ValueError(f"{path}: {problems}") from exc


def _parse_override(path: Path, index: int, entry: Any) -> HolidayOverride:
    where = f"{path}: entry {index}"
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: expected a mapping with date, name, action, cuti_bersama")
    if isinstance(entry.get("date"), date):
        where = f"{where} ({entry['date']})"
    unknown = set(entry) - _OVERRIDE_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown keys: {', '.join(sorted(map(str, unknown)))}")
    missing = sorted(key for key in ("date", "name", "action") if key not in entry)
    if missing:
        raise ValueError(f"{where}: missing keys: {', '.join(missing)}")
    day = entry["date"]
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day)
        except ValueError:
            raise ValueError(f"{where}: date {day!r} is not YYYY-MM-DD") from None
    if not isinstance(day, date):
        raise ValueError(f"{where}: date must be YYYY-MM-DD, got {day!r}")
    if path.stem.isdigit() and day.year != int(path.stem):
        raise ValueError(f"{where}: date {day} is not in {path.stem}, the year of the file")
    name = entry["name"]
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{where}: name must be a non-empty text")
    action = entry["action"]
    if action not in ("add", "remove"):
        raise ValueError(f"{where}: action must be 'add' or 'remove', got {action!r}")
    cuti = entry.get("cuti_bersama", False)
    if not isinstance(cuti, bool):
        raise ValueError(f"{where}: cuti_bersama must be true or false, got {cuti!r}")
    return HolidayOverride(day=day, name=name.strip(), action=action, is_cuti_bersama=cuti)


def load_overrides(folder: Path | None = None) -> list[HolidayOverride]:
    """All entries of the `*.yaml` files in `folder` (default: config/holidays/), by date."""
    folder = folder or DEFAULT_HOLIDAYS_DIR
    if not folder.is_dir():
        raise ValueError(f"{folder}: holiday override folder not found")
    found: dict[date, tuple[Path, int, HolidayOverride]] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = read_yaml(path)
        if data is None:
            continue
        if not isinstance(data, list):
            raise ValueError(f"{path}: expected a list of entries (or [] for none)")
        for index, entry in enumerate(data, start=1):
            override = _parse_override(path, index, entry)
            if override.day in found:
                other_path, other_index, _ = found[override.day]
                raise ValueError(
                    f"{path}: entry {index} ({override.day}): the same date is already in "
                    f"{other_path.name} entry {other_index}; keep one entry per date"
                )
            found[override.day] = (path, index, override)
    return [found[day][2] for day in sorted(found)]


def load_calendar(
    years: Iterable[int],
    *,
    rulebook: DeadlineRulebook,
    folder: Path | None = None,
) -> WorkCalendar:
    """The working-day calendar of `years`, with the operator overrides and the rulebook's
    cuti bersama switch. Include every year a deadline may reach (e.g. the next one too)."""
    return build_calendar(
        years,
        include_cuti_bersama=rulebook.cuti_bersama_is_holiday,
        overrides=load_overrides(folder),
    )
