"""What a case produces on paper and by mail: letters, their number sequences, the outbox.

Only the tables; the queries that use them live in `adapters.db.letters` and `adapters.db.outbox`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.enums import OutboxStatus as OutboxStatus
from models.tables.columns import UTCDateTime, enum_type, optional_timestamp, utcnow


class SequenceCounter(SQLModel, table=True):
    __tablename__ = "sequence_counter"

    office_key: str = Field(primary_key=True, max_length=100)
    year: int = Field(primary_key=True)
    series: str = Field(primary_key=True, max_length=40)
    last: int = Field(default=0)


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
    pdf_sha256: str | None = Field(
        default=None, max_length=64, description="The PDF beside the .docx (same stem), if any"
    )
    outbound: bool = Field(description="Leaves Bawaslu: must never name the reporter")
    verification_code: str | None = Field(
        default=None,
        unique=True,
        index=True,
        max_length=14,
        description="XXXX-XXXX-XXXX printed on a letter that leaves the office, with the QR "
        "code of its public page (models.letters.verification); None on internal records "
        "and on letters issued before codes existed",
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(
        unique=True,
        index=True,
        max_length=200,
        description="One email per key, e.g. case-12/surat_penerusan/to-bkn",
    )
    case_id: int | None = Field(
        default=None,
        foreign_key="cases.id",
        index=True,
        description="None for an alert about Netra itself (a failed run, a missed sweep)",
    )
    letter_id: int | None = None
    recipient_role: str = Field(max_length=40, description="terlapor, ppk, otoritas, pelapor...")
    to_address: str
    to_name: str
    subject: str
    body_text: str
    body_html: str
    attachments: list[dict[str, str]] = Field(
        default_factory=list,
        sa_column=Column(JSON, nullable=False),
        description="Files the email carries: [{path, name, type}], the letter first",
    )
    zone: str = Field(
        default="Asia/Jakarta", max_length=40, description="The office's zone: the Date header"
    )
    message_id: str = Field(
        unique=True,
        max_length=200,
        description="Message-ID header, drawn once at enqueue: the same on every retry, "
        "unique across installations",
    )
    status: OutboxStatus = Field(
        default=OutboxStatus.PENDING, index=True, sa_type=enum_type(OutboxStatus)
    )
    attempts: int = Field(default=0, description="SMTP attempts (claims) so far")
    next_attempt_at: datetime | None = optional_timestamp(nullable=True)
    last_error: str = ""
    created_at: datetime = optional_timestamp(nullable=False, default=utcnow)
    claimed_at: datetime | None = optional_timestamp(nullable=True)
    sent_at: datetime | None = optional_timestamp(nullable=True)
