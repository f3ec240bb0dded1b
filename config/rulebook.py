"""Builds the `Rulebook` from the operator-edited files in the configuration folder."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path

from config.calendar_data import load_calendar, load_deadline_rulebook
from config.catalogue_data import load_catalogue
from config.office_data import load_elections, load_letter_book, load_offices, load_positions
from config.settings import Settings
from models.rules.rulebook import Rulebook

FIRST_CALENDAR_YEAR = 2019  # Pemilu 2019: the oldest cases Netra is expected to hold


def load_rulebook(settings: Settings, *, today: date | None = None) -> Rulebook:
    return _load(settings.config_dir, (today or datetime.now(UTC).date()).year)


@lru_cache(maxsize=4)
def _load(folder: Path, this_year: int) -> Rulebook:
    deadlines = load_deadline_rulebook(folder / "deadlines.yaml")
    years = range(FIRST_CALENDAR_YEAR, this_year + 3)
    return Rulebook(
        offices=load_offices(folder / "offices.yaml"),
        elections=load_elections(folder / "elections.yaml"),
        deadlines=deadlines,
        catalogue=load_catalogue(folder / "catalogue.yaml"),
        calendar=load_calendar(years, rulebook=deadlines, folder=folder / "holidays"),
        letters=load_letter_book(folder / "letters.yaml"),
        positions=load_positions(folder / "positions.yaml"),
    )
