"""What happens to a registered case: the clarification hearing and the decision (kajian)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.enums import DecisionOutcome
from models.rules.catalogue import RECOMMENDATIONS, PersonRecommendation
from models.tables.columns import UTCDateTime, enum_type, utcnow


class Hearing(SQLModel, table=True):
    """One person's clarification: invited for a time and place, then attended or not."""

    __tablename__ = "hearing"
    __table_args__ = (UniqueConstraint("case_id", "party_id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    party_id: int = Field(foreign_key="party.id")
    scheduled_at: datetime = Field(sa_type=UTCDateTime)
    place: str
    attended: bool | None = None
    oath_taken: bool | None = None
    statement: str | None = None
    questions: list[dict[str, str]] | None = Field(
        default=None,
        sa_column=Column(JSON, nullable=True),
        description="The examiners' questions and the answers: [{question, answer}]",
    )
    recorded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class CaseDecision(SQLModel, table=True):
    """The kajian's conclusion with the rulebook's recommendation per reported person."""

    __tablename__ = "case_decision"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", unique=True)
    outcome: DecisionOutcome = Field(sa_type=enum_type(DecisionOutcome))
    acts: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    act_date: date | None = None
    reasoning: str = ""
    recommendations: list[dict[str, Any]] = Field(
        default_factory=list,
        sa_column=Column(JSON, nullable=False),
        description="Per reported person: party key, authority and the CONTRACTS §3 object "
        "(`PersonRecommendation`; read and written through `rows`/`set_rows`)",
    )
    decided_by: str
    decided_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    approved_by: str | None = None
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    return_note: str | None = None
    ppk_sanction: str | None = Field(default=None, description="Sanction the PPK imposed")
    ppk_decree_number: str | None = Field(default=None, description="Nomor keputusan PPK")
    ppk_decree_date: date | None = None
    ppk_recorded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def rows(self) -> list[PersonRecommendation]:
        """The recommendation per reported person, typed."""
        return RECOMMENDATIONS.validate_python(self.recommendations)

    def set_rows(self, rows: Sequence[PersonRecommendation]) -> None:
        self.recommendations = RECOMMENDATIONS.dump_python(list(rows), mode="json")


class TextCorrection(SQLModel, table=True):
    """A recorded text corrected by a person, with the original kept: the incident account, a
    hearing statement or the kajian's reasoning. Internal: the texts may name the reporter."""

    __tablename__ = "text_correction"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    target: str = Field(max_length=60, description="account | statement:<party> | reasoning")
    original: str
    corrected: str
    reason: str
    actor: str
    at: datetime = Field(sa_type=UTCDateTime)
