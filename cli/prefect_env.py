"""Prefect's local mode on embedded defaults: set before `prefect` is first imported."""

from __future__ import annotations

import os

from config.settings import Settings

# Offline machines: no telemetry; the temporary local API server may take a while to start on a
# loaded 2-core machine (measured ~10 s fresh), so give it room before Prefect gives up.
PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_UI_ENABLED": "false",
}


def configure_prefect(settings: Settings) -> None:
    """Keep Prefect's own state under var/ unless the operator points it elsewhere."""
    home = settings.var_dir / "prefect"
    home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(home))
    for name, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(name, value)
