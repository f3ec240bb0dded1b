"""Prefect's settings for a Netra process, applied before `prefect` is first imported.

The values live in `pyproject.toml` under `[tool.prefect]` (no telemetry, a patient temporary
server, quiet logs, no UI), which Prefect reads by itself from the working folder. A `netra`
command started from any other folder gets the same values through the environment of its own
process; a value the operator already set in the environment wins. Prefect's state stays under
var/ (`PREFECT_HOME`) unless the operator points it elsewhere.
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Iterator, Mapping
from typing import Any

from config.settings import CONFIG_DIR, PROJECT_DIR, Settings


def prefect_defaults() -> dict[str, str]:
    """`[tool.prefect]` of the project's pyproject.toml as PREFECT_* environment names."""
    path = PROJECT_DIR / "pyproject.toml"
    if not path.is_file():  # an installed copy without the project folder
        return {}
    table = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("prefect", {})
    return dict(_flatten(table, "PREFECT"))


def _flatten(table: Mapping[str, Any], prefix: str) -> Iterator[tuple[str, str]]:
    for key, value in table.items():
        name = f"{prefix}_{key.upper()}"
        if isinstance(value, Mapping):
            yield from _flatten(value, name)
        else:
            yield name, str(value).lower() if isinstance(value, bool) else str(value)


def configure_prefect(settings: Settings) -> None:
    home = settings.var_dir / "prefect"
    home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(home))
    os.environ.setdefault("PREFECT_LOGGING_SETTINGS_PATH", str(CONFIG_DIR / "prefect_logging.yml"))
    for name, value in prefect_defaults().items():
        os.environ.setdefault(name, value)


class NoEngineTracebacks(logging.Filter):
    """On the command line a refused stage is said once, in Indonesian, by the command itself.
    Prefect's own report of the failed run (an English traceback) stays in the run's log, which
    the UI shows; the console leaves it out."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("prefect"):
            return True
        if record.exc_info is not None:
            return False
        return not record.getMessage().startswith("Finished in state Failed")
