"""Runtime settings, read from the environment (prefix NETRA_) or a `.env` file.

Settings are built by `get_settings()`, never imported as a global, so tests build their own.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

CONFIG_DIR = Path(__file__).resolve().parent
PROJECT_DIR = CONFIG_DIR.parent


class SmtpSecurity(StrEnum):
    NONE = "none"  # plain SMTP (the demo's local server)
    STARTTLS = "starttls"  # upgrade on port 587
    TLS = "tls"  # implicit TLS on port 465


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
    prefect_database_url: str | None = Field(
        default=None,
        description="Database of the Prefect server `netra serve` starts; default: SQLite under "
        "var/prefect. Production: postgresql+asyncpg://user@host/prefect (steadier under load).",
    )
    config_dir: Path = Field(
        default=CONFIG_DIR,
        description="Folder with the operator-edited data: offices, deadlines, catalogue, "
        "holidays.",
    )
    templates_dir: Path | None = Field(
        default=None,
        description="The office's own letter templates (.docx edited in a word processor) and "
        "emblem; a file missing there falls back to the one shipped with Netra.",
    )
    pdf: Literal["auto", "off"] = Field(
        default="auto",
        description="auto: every issued letter is also rendered to PDF by LibreOffice when it "
        "is installed (outsiders receive the PDF); off: .docx only.",
    )
    uno_python: str | None = Field(
        default=None,
        description="The Python with LibreOffice's UNO bridge (default: /usr/bin/python3).",
    )
    letter_lint: Literal["error", "warn", "off"] = Field(
        default="warn",
        description="What a letter failing the letter lint does: error refuses to issue it "
        "(tests), warn logs it (production), off skips the check.",
    )

    smtp_host: str = Field(default="127.0.0.1", description="SMTP server for outgoing letters.")
    smtp_port: int = Field(default=8025, description="SMTP port (587 STARTTLS, 465 TLS).")
    smtp_security: SmtpSecurity = Field(default=SmtpSecurity.NONE)
    smtp_username: str | None = Field(default=None, description="SMTP AUTH user, if required.")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP AUTH password.")
    smtp_timeout: float = Field(default=30.0, description="Seconds to wait for the SMTP server.")
    smtp_validate_certs: bool = Field(default=True, description="Verify the server certificate.")
    mail_from: str = Field(
        default="Netra Bawaslu <netra@localhost>", description="From: address of every letter sent."
    )
    mail_max_attempts: int = Field(
        default=4, description="Tries per message on transient failures (connection errors, 4xx)."
    )
    mail_retry_base_seconds: float = Field(
        default=0.5, description="First back-off delay; doubles each try."
    )

    operator: str = Field(
        default="operator",
        description="The user account the command line acts as (created on first run with the "
        "roles pemeriksa, pimpinan and admin in every office; narrow them with `netra users`).",
    )
    use_engine: bool = Field(
        default=True,
        description="Stage commands hand their work to the `netra serve` running on this data "
        "folder (its desk, which keeps Prefect and the templates loaded); false: always run here.",
    )
    engine_url: str | None = Field(
        default=None,
        description="A Netra desk's API (https://netra.example/api/v1) that stage commands hand "
        "their work to, with NETRA_ENGINE_TOKEN (a personal token: `netra tokens add`).",
    )
    engine_token: SecretStr | None = Field(default=None, description="Token for NETRA_ENGINE_URL.")
    login_max_failures: int = Field(
        default=5, description="Failed logins for one user name before the desk waits."
    )
    login_max_failures_per_address: int = Field(
        default=20, description="Failed logins from one address before the desk waits."
    )
    login_lock_minutes: int = Field(
        default=15, description="How long the desk refuses a throttled user name or address."
    )

    web_secure_cookies: bool = Field(
        default=False,
        description="Mark the desk's session cookie Secure on every response (behind a TLS proxy "
        "that does not pass X-Forwarded-Proto); it is Secure anyway on a request served over "
        "https.",
    )
    web_session_hours: float = Field(
        default=12, gt=0, description="How long a desk login lasts without activity."
    )

    reminder_lead_working_days: int = Field(
        default=1, description="Remind the office this many working days before a deadline."
    )

    approval_wait_seconds: int = Field(
        default=3600,
        description="How long a served recommendation run waits in the UI for the supervisor; "
        "after it the case stays 'awaiting approval' and the supervisor is reminded.",
    )
    evidence_inbox: Path | None = Field(
        default=None,
        description="Where evidence files named by a report or an evidence form are read from "
        "(a relative `file` is resolved here and must stay inside); default: the current "
        "directory. The command line sets it to the report's own folder.",
    )
    evidence_max_mb: float = Field(
        default=25, gt=0, description="Largest evidence file accepted, in megabytes (MiB)."
    )
    evidence_types: str = Field(
        default="pdf,jpg,jpeg,png,mp4,docx,txt",
        description="File extensions accepted as evidence, comma-separated.",
    )

    letters_base_url: str | None = Field(
        default=None,
        description="Base URL under which the letters folder is served (set by `netra serve`); "
        "without it the UI links letters as local files.",
    )

    public_url: str = Field(
        default="http://127.0.0.1:8081",
        description="Where the public site (`netra publik`) is reached from outside: the address "
        "printed in letters' verification QR codes and in the reporter's receipt.",
    )

    public_reports_per_hour: int = Field(
        default=5,
        description="Reports the public site takes from one address in an hour (accepted or "
        "refused alike); more are refused until the hour has passed.",
    )
    public_lookups_per_hour: int = Field(
        default=10,
        description="Failed lookups (unknown number or wrong code) from one address in an hour "
        "before the public site's lookup waits.",
    )
    public_lookups_per_receipt: int = Field(
        default=5,
        description="Failed lookups of one receipt number in an hour before its lookup waits.",
    )

    alert_email: str | None = Field(
        default=None,
        description="Where alerts about Netra itself go (a failed or crashed run, a missed "
        "sweep); default: the address of the case's office, or of every office when the alert "
        "concerns no case.",
    )
    prefect_ui_url: str | None = Field(
        default=None,
        description="The Prefect UI's address as the office reaches it (e.g. "
        "https://prefect.bawaslu.example); alerts then link the run.",
    )

    @property
    def letters_dir(self) -> Path:
        return self.var_dir / "letters"

    @property
    def evidence_dir(self) -> Path:
        """The content-addressed evidence store: <var>/evidence/<aa>/<sha256>."""
        return self.var_dir / "evidence"

    @property
    def evidence_inbox_dir(self) -> Path:
        return self.evidence_inbox or Path.cwd()

    @property
    def mail_dir(self) -> Path:
        return self.var_dir / "mail"

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.var_dir / 'netra.db'}"


def get_settings(**overrides: object) -> Settings:
    """Build settings from the environment, with explicit overrides (used by tests)."""
    return Settings(**overrides)  # type: ignore[arg-type]
