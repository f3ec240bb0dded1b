"""Links between related cases (issue 10, Build 6). Never a merge: each case keeps its own
number, deadlines and letters. A removed link is kept, marked with who removed it, when and why;
linking the pair again adds a new row."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, text
from sqlmodel import Field, SQLModel

from models.tables.columns import UTCDateTime


class CaseLink(SQLModel, table=True):
    """One link between two cases, stored once with the lower case id first (a link has no
    direction: each case shows the other)."""

    __tablename__ = "case_link"
    __table_args__ = (
        CheckConstraint("case_id < other_case_id", name="ck_case_link_ordered"),
        # At most one link in force per pair; removed ones stay as history.
        Index(
            "uq_case_link_active",
            "case_id",
            "other_case_id",
            unique=True,
            sqlite_where=text("removed_at IS NULL"),
            postgresql_where=text("removed_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    other_case_id: int = Field(foreign_key="cases.id", index=True)
    reason: str = Field(description="'terlapor sama (NIP): ...', 'kejadian sama: ...', a person's")
    automatic: bool = Field(description="Linked at intake by the matching rule, not by a person")
    actor: str
    at: datetime = Field(sa_type=UTCDateTime)
    removed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    removed_by: str | None = None
    removed_reason: str | None = None
