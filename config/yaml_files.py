"""Reading operator-edited YAML files with errors that name the file and the entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class ConfigError(ValueError):
    """A configuration file is missing or malformed; the message names the file and entry."""


def read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML: {error}") from None


def validate_as(model: type[M], data: Any, *, path: Path, entry: str = "") -> M:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        where = f" entry {entry}" if entry else ""
        raise ConfigError(f"{path}{where}: {error}") from None
