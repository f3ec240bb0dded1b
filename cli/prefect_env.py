"""Prefect's own state under var/ (the embedded default), set before `prefect` is first imported.

Prefect's other settings for Netra (no telemetry, a patient temporary server, quiet logs) are in
`pyproject.toml` under `[tool.prefect]`, which Prefect reads from the working folder.
"""

from __future__ import annotations

import os

from config.settings import Settings


def configure_prefect(settings: Settings) -> None:
    """Keep Prefect's own state under var/ unless the operator points it elsewhere."""
    home = settings.var_dir / "prefect"
    home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(home))
