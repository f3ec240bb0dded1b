"""The service tier: every stage service called directly, without Prefect, on a fixed clock,
against a real database (SQLite, and PostgreSQL where the `engine` fixture's both parameters run)
and a recording SMTP server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy.engine import Engine

from cli.local.mail_sink import MailSink
from config.settings import Settings, SmtpSecurity

if TYPE_CHECKING:
    from models.rules.rulebook import Rulebook
    from services.deps import Deps


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[MailSink]:
    """The recording SMTP server the services' mail goes to."""
    with MailSink(tmp_path / "received", port=0) as server:
        yield server


@pytest.fixture
def deps(engine: Engine, rulebook: Rulebook, tmp_path: Path, sink: MailSink) -> Deps:
    """The root `deps`, with its mail going to `sink` (retries a few milliseconds apart)."""
    from services.deps import Deps

    settings = Settings(
        var_dir=tmp_path / "var",
        smtp_port=sink.port,
        smtp_security=SmtpSecurity.NONE,
        mail_retry_base_seconds=0.01,
    )
    return Deps(settings, engine, rulebook)


@pytest.fixture(autouse=True)
def next_due_kept(request: pytest.FixtureRequest) -> Iterator[None]:
    """After every service test: `cases.next_due` agrees with the deadline table, whatever
    path the test took (a service that wrote a deadline around the session fails here)."""
    if "deps" not in request.fixturenames:
        yield
        return
    from tests.support.next_due import stale_next_due

    deps: Deps = request.getfixturevalue("deps")  # torn down after this fixture
    yield
    assert stale_next_due(deps.engine) == {}, "cases.next_due differs from the deadlines"
