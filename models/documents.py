"""Issued letters and the gapless per-office, per-year number sequences.

A serial is taken inside the caller's transaction: if the transaction rolls back, so does the
serial, so numbers have no gaps; the row lock (PostgreSQL) or the database write lock (SQLite)
means two transactions never get the same number.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Field, Session, SQLModel, col, select

from models.db_types import UTCDateTime, utcnow

LETTER_SERIES = "surat"


class SequenceCounter(SQLModel, table=True):
    __tablename__ = "sequence_counter"

    office_key: str = Field(primary_key=True, max_length=100)
    year: int = Field(primary_key=True)
    series: str = Field(primary_key=True, max_length=40)
    last: int = Field(default=0)


def next_serial(session: Session, *, office_key: str, year: int, series: str) -> int:
    """Take the next number of a sequence, in the caller's transaction."""
    keys = {"office_key": office_key, "year": year, "series": series}
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(SequenceCounter).values(**keys, last=0).on_conflict_do_nothing())
    bumped = session.execute(
        update(SequenceCounter)
        .where(
            col(SequenceCounter.office_key) == office_key,
            col(SequenceCounter.year) == year,
            col(SequenceCounter.series) == series,
        )
        .values(last=col(SequenceCounter.last) + 1)
        .returning(col(SequenceCounter.last))
    ).scalar_one()
    return int(bumped)


class Letter(SQLModel, table=True):
    """One generated document. Never regenerated: the same (case, kind, recipient) returns it."""

    __tablename__ = "letter"
    __table_args__ = (UniqueConstraint("case_id", "kind", "recipient_key"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    kind: str = Field(max_length=40)
    recipient_key: str = Field(max_length=60, description="e.g. terlapor-0, saksi-1, otoritas")
    recipient_name: str
    number: str = Field(unique=True, max_length=80)
    issued_on: date
    template_version: str = Field(max_length=20)
    sha256: str = Field(max_length=64)
    path: str = Field(description="Relative to the letters folder")
    outbound: bool = Field(description="Leaves Bawaslu: must never name the reporter")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


def find_letter(session: Session, case_id: int, kind: str, recipient_key: str) -> Letter | None:
    return session.exec(
        select(Letter).where(
            Letter.case_id == case_id, Letter.kind == kind, Letter.recipient_key == recipient_key
        )
    ).first()


def case_letters(session: Session, case_id: int) -> list[Letter]:
    return list(
        session.exec(select(Letter).where(Letter.case_id == case_id).order_by(col(Letter.id))).all()
    )
