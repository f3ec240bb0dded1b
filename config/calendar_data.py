"""Loading the operator-edited calendar data: deadline rules and yearly holiday overrides.

Every error in a file raises ValueError naming the file and the entry, so an operator can fix it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError

from config.settings import CONFIG_DIR
from config.yaml_files import ConfigError, read_yaml
from models.rules.calendar import HolidayOverride, WorkCalendar, build_calendar
from models.rules.deadlines import DeadlineRulebook

DEFAULT_RULEBOOK = CONFIG_DIR / "deadlines.yaml"
DEFAULT_HOLIDAYS_DIR = CONFIG_DIR / "holidays"


class OverrideEntry(BaseModel):
    """One entry of a holiday override file, as the operator writes it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    day: date = Field(alias="date")
    name: str = Field(min_length=1)
    action: Literal["add", "remove"]
    cuti_bersama: StrictBool = False


def load_deadline_rulebook(path: Path | None = None) -> DeadlineRulebook:
    """The deadline rules of `path` (default: config/deadlines.yaml)."""
    path = path or DEFAULT_RULEBOOK
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with 'cuti_bersama_is_holiday' and 'rules'")
    try:
        return DeadlineRulebook.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {_described(exc, prefix='entry ')}") from exc


def _described(error: ValidationError, *, prefix: str = "") -> str:
    """Each problem as `<field path>: <message>`, for an operator reading the file."""
    return "; ".join(
        f"{prefix}{'.'.join(str(part) for part in err['loc']) or '(top level)'}: {err['msg']}"
        for err in error.errors()
    )


def _parse_override(path: Path, index: int, entry: Any) -> HolidayOverride:
    where = f"{path}: entry {index}"
    if isinstance(entry, dict) and isinstance(entry.get("date"), date):
        where = f"{where} ({entry['date']})"
    try:
        parsed = OverrideEntry.model_validate(entry)
    except ValidationError as exc:
        raise ConfigError(f"{where}: {_described(exc)}") from exc
    if path.stem.isdigit() and parsed.day.year != int(path.stem):
        raise ConfigError(f"{where}: date {parsed.day} is not in {path.stem}, the year of the file")
    return HolidayOverride(
        day=parsed.day, name=parsed.name, action=parsed.action, is_cuti_bersama=parsed.cuti_bersama
    )


def load_overrides(folder: Path | None = None) -> list[HolidayOverride]:
    """All entries of the `*.yaml` files in `folder` (default: config/holidays/), by date."""
    folder = folder or DEFAULT_HOLIDAYS_DIR
    if not folder.is_dir():
        raise ConfigError(f"{folder}: holiday override folder not found")
    found: dict[date, tuple[Path, int, HolidayOverride]] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = read_yaml(path)
        if data is None:
            continue
        if not isinstance(data, list):
            raise ConfigError(f"{path}: expected a list of entries (or [] for none)")
        for index, entry in enumerate(data, start=1):
            override = _parse_override(path, index, entry)
            if override.day in found:
                other_path, other_index, _ = found[override.day]
                raise ConfigError(
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
