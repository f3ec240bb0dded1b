"""The audit trail: one row per action on, or read of, a case file or letter; append-only.

Each row carries the hash of the row before it (`models.audit`). The rows are numbered by the
writer (the number is part of the hash), not by the database. Triggers refuse UPDATE and DELETE
(migration 0009); `netra audit verify` finds what was changed by other means.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.tables.columns import UTCDateTime


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    at: datetime = Field(sa_type=UTCDateTime)
    actor_id: int | None = Field(default=None, description="The user's id, when known")
    actor: str = Field(description="Who, as a person reads it (user name or 'sistem')")
    action: str = Field(max_length=60, description="A case event's name, or an AuditAction")
    case_id: int | None = Field(default=None, index=True, description="No foreign key: kept")
    detail: str = ""
    origin: str = Field(max_length=120, description="From where: cli, prefect, desk <ip>...")
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
