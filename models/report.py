"""The report format of CONTRACTS.md §1 (Formulir Model B.1 as JSON or YAML).

Rules that depend on `kind` (a laporan names its reporter and the day the incident became known)
are checked in `models.report_parsing`, so they are listed together with every other problem.

Parsing never stops at the first problem: `parse_report` returns the report or raises
`ReportRejected` with every problem, each naming its field and saying in Indonesian what is wrong.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from models.enums import ElectionType, Employment, ReportKind


class _Part(BaseModel):
    # Unknown keys are kept (the contract may grow) but never interpreted.
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)


NonEmpty = Field(min_length=1)


class Election(_Part):
    type: ElectionType
    year: int = Field(ge=2004, le=2100)
    region: str = NonEmpty


class Reporter(_Part):
    name: str | None = None
    address: str | None = None
    birth_place: str | None = None
    birth_date: date | None = None
    sex: Literal["L", "P"] | None = None
    occupation: str | None = None
    nationality: str | None = None
    phone: str | None = None
    email: EmailStr | None = None


class Ppk(_Part):
    title: str = NonEmpty
    name: str | None = None
    email: EmailStr | None = None


class ReportedPerson(_Part):
    name: str = NonEmpty
    employment: Employment
    nip: str | None = None
    position: str | None = None
    agency: str | None = None
    address: str | None = None
    email: EmailStr | None = None
    phone: str | None = None
    ppk: Ppk | None = None


class Incident(_Part):
    summary: str = NonEmpty
    place: str = NonEmpty
    occurred_on: date
    known_on: date | None = None
    account: str = NonEmpty


class Witness(_Part):
    name: str = NonEmpty
    address: str | None = None
    phone: str | None = None


class EvidenceItem(_Part):
    description: str = NonEmpty
    file: str | None = None


class Report(_Part):
    kind: ReportKind
    election: Election
    office: str = NonEmpty
    received_at: datetime
    reporter: Reporter
    reported: list[ReportedPerson] = Field(min_length=1)
    incident: Incident
    witnesses: list[Witness] = Field(default_factory=list)
    evidence: list[EvidenceItem] = Field(default_factory=list)
    references: dict[str, str] = Field(default_factory=dict)

    @field_validator("received_at")
    @classmethod
    def _must_be_aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive_datetime")
        return value

    @property
    def discovered_on(self) -> date:
        """The day the 7-day window starts: known_on, or the event date for a temuan without one."""
        return self.incident.known_on or self.incident.occurred_on
