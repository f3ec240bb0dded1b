"""The composition root: what every service needs, built once per process from `Settings`.

`get_deps()` gives the process's dependencies (built from the environment on first use: that is
how `netra serve`'s worker subprocesses receive their settings). A command, the demo or a test
that has its own `Settings` calls `use_settings(settings)` first; nothing writes `os.environ`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from config.settings import Settings, get_settings

if TYPE_CHECKING:
    from models.rules.rulebook import Rulebook

_engines: dict[str, Engine] = {}
_current: Deps | None = None


@dataclass(frozen=True)
class DatabaseDeps:
    """What a service that needs only the case database takes (the users, the audit trail):
    a reading command builds this alone, without the rulebook, whose holiday calendar is
    most of a second to import and build. Every `Deps` is one."""

    settings: Settings
    engine: Engine


@dataclass(frozen=True)
class Deps(DatabaseDeps):
    rulebook: Rulebook

    @property
    def letters_dir(self) -> Path:
        return self.settings.letters_dir


def migrated_engine(url: str) -> Engine:
    """One engine per database URL per process, migrated to the newest schema on first use."""
    if url not in _engines:
        engine = make_engine(url)
        upgrade(engine)
        _engines[url] = engine
    return _engines[url]


def build_deps(settings: Settings) -> Deps:
    from config.rulebook import load_rulebook  # the holiday calendar: only where it is used

    return Deps(settings, migrated_engine(settings.effective_database_url), load_rulebook(settings))


def with_evidence_inbox(deps: Deps, folder: Path) -> Deps:
    """The same dependencies reading evidence files from `folder` (a report's own folder)."""
    settings = deps.settings.model_copy(update={"evidence_inbox": folder.resolve()})
    return replace(deps, settings=settings)


def use_settings(settings: Settings) -> Deps:
    """Make `settings` the process's settings from now on; returns the dependencies built."""
    global _current
    _current = build_deps(settings)
    return _current


def forget_settings() -> None:
    """Back to the environment's settings on next use (tests end their override with this)."""
    global _current
    _current = None


def get_deps() -> Deps:
    """The process's dependencies (built from the environment the first time)."""
    return _current or use_settings(get_settings())


def resolve_now(now: datetime | None) -> datetime:
    """The stage's clock: the caller's (the demo replays each case's own timeline) or UTC now."""
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("waktu harus mencantumkan zona waktu")
    return now
