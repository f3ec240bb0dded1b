"""Prefect's settings for a Netra process, applied before `prefect` is first imported.

The values live in `pyproject.toml` under `[tool.prefect]` (no telemetry, a patient temporary
server, quiet logs, no UI), which Prefect reads by itself from the working folder. A `netra`
command started from any other folder gets the same values through the environment of its own
process; a value the operator already set in the environment wins. Prefect's state stays under
var/ (`PREFECT_HOME`) unless the operator points it elsewhere. The login of the Prefect server
that `netra serve` starts (`var/prefect-login`, see `ensure_login`) is given to Prefect's client
(`PREFECT_API_AUTH_STRING`), so every command and every served run sends it; while `netra serve`
runs on the same data folder, its Prefect server is the commands' (`cli.engine`), so no command
starts a temporary one.
"""

from __future__ import annotations

import logging
import os
import secrets
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cli.engine import published
from cli.lifeline import guard_temporary_server

if TYPE_CHECKING:
    from config.settings import Settings


def prefect_defaults() -> dict[str, str]:
    """`[tool.prefect]` of the project's pyproject.toml as PREFECT_* environment names."""
    from config.settings import PROJECT_DIR

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
    from config.settings import CONFIG_DIR

    home = settings.var_dir / "prefect"
    home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(home))
    os.environ.setdefault("PREFECT_LOGGING_SETTINGS_PATH", str(CONFIG_DIR / "prefect_logging.yml"))
    for name, value in prefect_defaults().items():
        os.environ.setdefault(name, value)
    if "PREFECT_API_URL" not in os.environ and (served := published(settings)):
        # `netra serve` runs on this data folder: its Prefect server, not a temporary one
        os.environ["PREFECT_API_URL"] = str(served["prefect_api_url"])
    if login := read_login(settings):  # the client side of `netra serve`'s login
        os.environ.setdefault("PREFECT_API_AUTH_STRING", login)
    guard_temporary_server()  # Prefect's temporary server ends with this process (cli/lifeline)


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


LOGIN_FILE = "prefect-login"  # in the data folder: `netra:<secret>`, readable by its owner only
LOGIN_USER = "netra"


def login_path(settings: Settings) -> Path:
    return settings.var_dir / LOGIN_FILE


def read_login(settings: Settings) -> str | None:
    """The Prefect UI's credential (`user:password`): the environment's, else the data folder's."""
    if value := os.environ.get("PREFECT_API_AUTH_STRING"):
        return value
    path = login_path(settings)
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8").strip() or None


def ensure_login(settings: Settings) -> tuple[str, bool]:
    """The credential of the Prefect server `netra serve` starts, created on the first run with a
    random password in a file only its owner may read; and whether it was created just now."""
    if value := os.environ.get("PREFECT_SERVER_API_AUTH_STRING") or read_login(settings):
        return value, False
    path = login_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    value = f"{LOGIN_USER}:{secrets.token_urlsafe(18)}"
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another `netra serve` created it a moment ago
        return read_login(settings) or value, False
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(value + "\n")
    return value, True
