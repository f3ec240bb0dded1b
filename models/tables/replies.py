"""What the other side answered after the referral: KASN/BKN's acknowledgement (with its SBT or
SIAPNET number) and recommendation, and a PPK's refusal. One row per (case, kind, party); the
PPK's decree stays on `CaseDecision` (it closes the case)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.enums import Authority
from models.inputs import ReplyKind
from models.tables.columns import enum_type, timestamp


class AuthorityReply(SQLModel, table=True):
    __tablename__ = "authority_reply"
    __table_args__ = (UniqueConstraint("case_id", "kind", "authority"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    kind: ReplyKind = Field(sa_type=enum_type(ReplyKind))
    authority: Authority = Field(
        sa_type=enum_type(Authority), description="Who replied: KASN, BKN, or the PPK (a refusal)"
    )
    replied_on: date = Field(description="The date of the reply (its letter, or the portal's)")
    reference: str | None = Field(default=None, description="SBT (BKN) or SIAPNET (KASN) number")
    number: str | None = Field(default=None, description="The recommendation's letter number")
    sanction: str | None = Field(default=None, description="The sanction recommended")
    reason: str | None = Field(default=None, description="Why the PPK refused")
    recorded_by: str
    recorded_at: datetime = timestamp(nullable=False)
