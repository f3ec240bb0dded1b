"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, DateTime
from sqlalchemy import Enum as SAEnum
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and returns them aware (SQLite would drop the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """The one clock of the application (tests pass their own `now` instead)."""
    return datetime.now(UTC)


def enum_type(enum_cls: type[StrEnum]) -> SAEnum:
    """Store a StrEnum by its value as VARCHAR (no native PG enum: new stages need no DDL)."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        length=40,
        create_constraint=False,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def timestamp(**column: Any) -> Any:
    """A UTC timestamp column (`nullable`, `default` go to the column)."""
    return Field(sa_column=Column(UTCDateTime(), **column))


def optional_timestamp(**column: Any) -> Any:
    """A UTC timestamp column whose attribute is None until set."""
    return Field(default=None, sa_column=Column(UTCDateTime(), **column))
