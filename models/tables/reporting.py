"""What the reporter gives after intake: a completed report (the one it replaced kept) and
consent to disclose their identity in letters that leave Bawaslu; and every report as it arrived,
before a flow records it (`ReportSubmission`)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from models.enums import ConsentScope
from models.tables.columns import UTCDateTime, enum_type


class ReportAmendment(SQLModel, table=True):
    """The reporter completed an incomplete report: the report as it was before is kept here,
    the case carries the completed one."""

    __tablename__ = "report_amendment"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    previous: dict[str, Any] = Field(
        sa_column=Column(JSON, nullable=False), description="The report before completion"
    )
    submitted_at: datetime = Field(
        sa_type=UTCDateTime, description="When the completed report reached the office"
    )
    actor: str
    at: datetime = Field(sa_type=UTCDateTime)


class ReporterConsent(SQLModel, table=True):
    """The reporter's consent to disclose their identity (Perbawaslu 1/2022 Pasal 18(2)(b): the
    identity is excluded information unless they consent). Withdrawn consent is kept, marked."""

    __tablename__ = "reporter_consent"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    scope: ConsentScope = Field(sa_type=enum_type(ConsentScope))
    given_on: date = Field(description="The day the reporter consented")
    means: str = Field(description="How: e.g. surat pernyataan, berita acara klarifikasi")
    recorded_by: str
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_by: str | None = None


class SubmissionStatus(StrEnum):
    PENDING = "menunggu"  # stored, not yet recorded (or the run was stopped before it was)
    RECORDED = "dicatat"  # recorded as a case (intake) or on its case (completion)
    REFUSED = "ditolak"  # refused: the report it carried has been erased


class ReportSubmission(SQLModel, table=True):
    """A report as it reached the office, kept in the case database before any flow runs: the
    flows take its id, so Prefect's store (run parameters, logs) never holds the report.
    A refused report is erased here (`report` emptied) and never becomes a case."""

    __tablename__ = "report_submission"

    id: int | None = Field(default=None, primary_key=True)
    received_at: datetime = Field(
        sa_type=UTCDateTime, description="When the report reached the office (its received_at)"
    )
    submitted_at: datetime = Field(sa_type=UTCDateTime, description="When it was stored here")
    report: dict[str, Any] | None = Field(
        default=None,
        sa_column=Column(JSON, nullable=True),
        description="The report (CONTRACTS §1); emptied when it is refused",
    )
    status: SubmissionStatus = Field(
        default=SubmissionStatus.PENDING, sa_type=enum_type(SubmissionStatus)
    )
    case_id: int | None = Field(default=None, foreign_key="cases.id", index=True)
    settled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
