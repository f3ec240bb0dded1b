"""What every command needs: settings, the rulebook, the database."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING

from config.settings import Settings, get_settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from models.rules.rulebook import Rulebook


@dataclass
class Context:
    settings: Settings

    @cached_property
    def rulebook(self) -> Rulebook:
        from config.rulebook import load_rulebook

        return load_rulebook(self.settings)

    @cached_property
    def engine(self) -> Engine:
        """The case database, migrated to the newest schema on first use."""
        from adapters.db.engine import make_engine
        from adapters.db.migrate import upgrade

        engine = make_engine(self.settings.effective_database_url)
        upgrade(engine)
        return engine

    @property
    def actor(self) -> str:
        return os.environ.get("NETRA_ACTOR") or getpass.getuser()

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)


def build_context() -> Context:
    return Context(get_settings())
