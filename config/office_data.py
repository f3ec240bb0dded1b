"""Loads `offices.yaml` and `elections.yaml`."""

from __future__ import annotations

from pathlib import Path

from config.settings import CONFIG_DIR
from config.yaml_files import ConfigError, read_yaml, validate_as
from models.letters.specs import LetterBook
from models.rules.elections import ElectionBook
from models.rules.office import Office
from models.statistics import PositionBook


def load_offices(path: Path | None = None) -> dict[str, Office]:
    path = path or CONFIG_DIR / "offices.yaml"
    data = read_yaml(path)
    offices: dict[str, Office] = {}
    for index, raw in enumerate((data or {}).get("offices", [])):
        office = validate_as(Office, raw, path=path, entry=f"offices[{index}]")
        if office.key in offices:
            raise ConfigError(f"{path}: office key '{office.key}' appears twice")
        offices[office.key] = office
    return offices


def load_elections(path: Path | None = None) -> ElectionBook:
    path = path or CONFIG_DIR / "elections.yaml"
    return validate_as(ElectionBook, read_yaml(path), path=path)


def load_letter_book(path: Path | None = None) -> LetterBook:
    path = path or CONFIG_DIR / "letters.yaml"
    return validate_as(LetterBook, read_yaml(path), path=path)


def load_positions(path: Path | None = None) -> PositionBook:
    """The position categories of the recap statistics (`positions.yaml`; a configuration
    folder without one uses the shipped file)."""
    shipped = CONFIG_DIR / "positions.yaml"
    path = path if path is not None and path.is_file() else shipped  # older config folders
    return validate_as(PositionBook, read_yaml(path), path=path)
