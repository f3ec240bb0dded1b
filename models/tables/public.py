"""What the public site keeps: the lookup code of a laporan filed online (hashed, never in
clear) and the recent requests of an address or receipt number it counts to slow down abuse."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from models.tables.columns import UTCDateTime, utcnow


class PublicReceipt(SQLModel, table=True):
    """A laporan filed on the public site: its lookup code, hashed with Argon2 like a password
    (shown once to the reporter; who holds the receipt number and the code sees the stage)."""

    __tablename__ = "public_receipt"

    case_id: int = Field(foreign_key="cases.id", primary_key=True)
    code_hash: str
    issued_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ThrottleHit(SQLModel, table=True):
    """One counted request: `scope` says what was tried (a report sent, a lookup refused),
    `key` by whom or on what (a client address, a receipt number). Rows older than the scope's
    window are deleted as new ones come."""

    __tablename__ = "throttle_hit"
    __table_args__ = (Index("ix_throttle_hit_scope_key_at", "scope", "key", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=40)
    key: str = Field(max_length=100)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
