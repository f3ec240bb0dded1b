"""The case and what belongs to it: parties, evidence, deadlines, and the event log.

The current stage lives on the case; every move, and every other fact of its history (a missed
deadline, an escalation), is a `StageEvent` row.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from models.enums import Authority, DayUnit, ElectionType, Employment, ReportKind
from models.enums import DeadlineStatus as DeadlineStatus
from models.stages import Stage
from models.tables.columns import enum_type, timestamp, utcnow


class PartyRole(StrEnum):
    REPORTER = "pelapor"
    REPORTED = "terlapor"
    WITNESS = "saksi"


class CaseBase(SQLModel):
    kind: ReportKind = Field(sa_type=enum_type(ReportKind))
    election_type: ElectionType = Field(sa_type=enum_type(ElectionType))
    election_year: int
    election_region: str
    office_key: str = Field(index=True)
    received_on: date = Field(description="Office-local date of receipt; deadlines count from it")
    incident_summary: str
    incident_place: str
    occurred_on: date
    known_on: date | None = None
    incident_account: str
    admissible: bool = Field(description="Result of the kajian awal checks at intake")


class Case(CaseBase, table=True):
    __tablename__ = "cases"
    # The register pages through the cases by their next due date.
    __table_args__ = (
        Index(
            "ix_cases_next_due",
            "next_due",
            "id",  # the ties in the order the pages use: no sort of a day's cases
            postgresql_where=text("next_due IS NOT NULL"),
            sqlite_where=text("next_due IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    source_hash: str = Field(
        unique=True,
        index=True,
        max_length=64,
        description="SHA-256 of the canonical report: the same report twice is recognised",
    )
    case_number: str | None = Field(default=None, unique=True, index=True)
    stage: Stage = Field(sa_type=enum_type(Stage), index=True)
    version: int = Field(default=1, description="Compare-and-set guard for stage moves")
    received_at: datetime = timestamp(nullable=False)
    created_at: datetime = timestamp(nullable=False, default=utcnow)
    updated_at: datetime = timestamp(nullable=False, default=utcnow)
    references: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON))
    next_due: date | None = Field(
        default=None,
        description="Due date of the earliest open deadline, None when none is open; kept by "
        "every flush that writes deadlines (adapters/db/next_due.py)",
    )
    next_due_rule: str | None = Field(default=None, description="That deadline's rule")
    report: dict[str, Any] = Field(
        default_factory=dict,
        sa_column=Column(JSON, nullable=False),
        description="The report as received (personal data)",
    )


class Party(SQLModel, table=True):
    __tablename__ = "party"
    __table_args__ = (UniqueConstraint("case_id", "role", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    role: PartyRole = Field(sa_type=enum_type(PartyRole))
    position: int = Field(description="Order within the role, from the report")
    name: str
    employment: Employment | None = Field(default=None, sa_type=enum_type(Employment))
    nip: str | None = None
    job_title: str | None = None
    agency: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    birth_place: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    occupation: str | None = None
    nationality: str | None = None
    ppk_title: str | None = None
    ppk_name: str | None = None
    ppk_email: str | None = None
    authority: Authority | None = Field(default=None, sa_type=enum_type(Authority))


class Evidence(SQLModel, table=True):
    """One item of evidence: its description, and the file when one was given, stored once
    by content under `<var>/evidence/<aa>/<sha256>` (personal data: never sent out)."""

    __tablename__ = "evidence"
    # The same file is recorded once per case (descriptions without a file have no hash).
    __table_args__ = (UniqueConstraint("case_id", "sha256", name="uq_evidence_case_sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    position: int
    description: str
    file: str | None = Field(default=None, description="The path as the report or form named it")
    sha256: str | None = Field(default=None, max_length=64, index=True)
    size: int | None = Field(default=None, description="Bytes")
    media_type: str | None = Field(default=None, max_length=100)
    original_name: str | None = Field(default=None, description="The file's own name")
    added_at: datetime = timestamp(nullable=False, default=utcnow)
    added_by: str


class CaseDeadline(SQLModel, table=True):
    __tablename__ = "deadline"
    __table_args__ = (UniqueConstraint("case_id", "rule"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    rule: str
    basis: str
    unit: DayUnit = Field(sa_type=enum_type(DayUnit))
    start_event: str
    start_on: date
    due_on: date = Field(index=True)
    calendar_version: str
    confirmed: bool
    status: DeadlineStatus = Field(
        default=DeadlineStatus.OPEN, index=True, sa_type=enum_type(DeadlineStatus)
    )


class StageEvent(SQLModel, table=True):
    __tablename__ = "stage_event"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    event: str = Field(description="Past-tense name, e.g. CaseReceived, CaseRegistered")
    from_stage: Stage | None = Field(default=None, sa_type=enum_type(Stage))
    to_stage: Stage = Field(sa_type=enum_type(Stage))
    at: datetime = timestamp(nullable=False)
    actor: str  # the acting user as the record names them, "Nama (username)"
    actor_id: int | None = Field(default=None, foreign_key="app_user.id")
    reason: str = ""
