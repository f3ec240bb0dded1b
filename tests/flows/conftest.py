"""Flows run under Prefect (one test server for the session) against a real SMTP server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

from cli.local.mail_sink import MailSink
from config.settings import Settings, SmtpSecurity
from services.deps import forget_settings, use_settings
from tests.support.actors import seed_staff


@pytest.fixture(scope="session", autouse=True)
def prefect_server() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[MailSink]:
    with MailSink(tmp_path / "received", port=0) as server:
        yield server


@pytest.fixture
def netra_env(tmp_path: Path, sink: MailSink) -> Iterator[Path]:
    """The settings the flows run with: a fresh var/ (SQLite), the recording SMTP server."""
    var = tmp_path / "var"
    deps = use_settings(
        Settings(
            var_dir=var,
            smtp_port=sink.port,
            smtp_security=SmtpSecurity.NONE,
            mail_retry_base_seconds=0.01,
        )
    )
    seed_staff(deps)  # the flows take a user name: these users exist
    yield var
    forget_settings()


@pytest.fixture
def cli_env(netra_env: Path, sink: MailSink, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The same settings where the command line reads them: the environment."""
    monkeypatch.setenv("NETRA_VAR_DIR", str(netra_env))
    monkeypatch.delenv("NETRA_DATABASE_URL", raising=False)
    monkeypatch.setenv("NETRA_SMTP_PORT", str(sink.port))
    monkeypatch.setenv("NETRA_SMTP_SECURITY", "none")
    monkeypatch.setenv("NETRA_MAIL_RETRY_BASE_SECONDS", "0.01")
    monkeypatch.setenv("NETRA_OPERATOR", "petugas")  # one of the users seeded above
    return netra_env


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """The kill test's figures (tests/flows/test_chaos_kills.py), for the record."""
    from tests.chaos import CHAOS_FIGURES

    for figures in config.stash.get(CHAOS_FIGURES, []):
        terminalreporter.write_line(
            "chaos {database}: {kills} kills over {cases} cases in {seconds} s "
            "(whole run {baseline_seconds} s, idle resume {resume_seconds} s, {runs} commands, "
            "{runs_ended_before_the_kill} ended before their kill); stages hit {stages_hit}; "
            "mid-letter {kills_mid_letter}, mid-email {kills_mid_email}, before any change "
            "{kills_before_any_change}; emails decided by a person {emails_resolved_by_a_person}; "
            "{letters} letters, {emails} emails; {verdict}".format(
                **figures,
                verdict="every invariant held" if figures["invariants_held"] else "FAILED",
            )
        )
