"""Runtime settings, read from the environment (prefix NETRA_) or a `.env` file.

Settings are built by `get_settings()`, never imported as a global, so tests build their own.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

CONFIG_DIR = Path(__file__).resolve().parent
PROJECT_DIR = CONFIG_DIR.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NETRA_", env_file=".env", extra="ignore")

    var_dir: Path = Field(
        default=PROJECT_DIR / "var",
        description="Where the embedded database, letters and saved mail live.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the case database; default: SQLite file var/netra.db. "
        "Production: postgresql+psycopg://user@host/db.",
    )
    config_dir: Path = Field(
        default=CONFIG_DIR,
        description="Folder with the operator-edited data: offices, deadlines, catalogue, holidays.",
    )

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.var_dir / 'netra.db'}"


def get_settings(**overrides: object) -> Settings:
    """Build settings from the environment, with explicit overrides (used by tests)."""
    return Settings(**overrides)  # type: ignore[arg-type]
