"""What every stage needs, built from settings: the database, the rulebook, the folders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from adapters.db.cases import get_case
from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from config.rulebook import load_rulebook
from config.settings import Settings, get_settings
from models.rules.rulebook import Rulebook
from models.tables.case import Case, Party, PartyRole

_engines: dict[str, Engine] = {}


@dataclass(frozen=True)
class Deps:
    settings: Settings
    engine: Engine
    rulebook: Rulebook

    @property
    def letters_dir(self) -> Path:
        return self.settings.letters_dir


def build_deps(settings: Settings | None = None) -> Deps:
    """One migrated engine per database URL per process (flows run many times per process)."""
    settings = settings or get_settings()
    url = settings.effective_database_url
    if url not in _engines:
        engine = make_engine(url)
        upgrade(engine)
        _engines[url] = engine
    return Deps(settings, _engines[url], load_rulebook(settings))


def resolve_now(now: datetime | None) -> datetime:
    """The stage's clock: the caller's (the demo replays each case's own timeline) or UTC now."""
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("waktu harus mencantumkan zona waktu")
    return now


@dataclass(frozen=True)
class CaseParties:
    reporter: Party
    reported: list[Party]
    witnesses: list[Party]


def load_case(session: Session, ref: str) -> tuple[Case, CaseParties]:
    case = get_case(session, ref)
    parties = list(
        session.exec(
            select(Party)
            .where(Party.case_id == case.id)
            .order_by(col(Party.role), col(Party.position))
        ).all()
    )
    return case, CaseParties(
        reporter=next(p for p in parties if p.role is PartyRole.REPORTER),
        reported=[p for p in parties if p.role is PartyRole.REPORTED],
        witnesses=[p for p in parties if p.role is PartyRole.WITNESS],
    )
