"""Per-election facts the rulebook needs: the KASN→BKN switch and candidate determination dates."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from models.enums import ElectionType


class ElectionFacts(BaseModel):
    type: ElectionType
    year: int
    candidates_determined_on: date | None = Field(
        default=None,
        description="From this date acts concern a 'calon' (SKB Huruf B), "
        "before it a 'bakal calon'.",
    )
    confirmed: bool = False
    basis: str = ""


class ElectionBook(BaseModel):
    referral_switch_date: date = Field(
        description="Referrals sent on or after this date go to BKN, before it to KASN."
    )
    referral_switch_basis: str
    elections: list[ElectionFacts] = Field(default_factory=list)

    def facts(self, election: ElectionType, year: int) -> ElectionFacts | None:
        for item in self.elections:
            if item.type is election and item.year == year:
                return item
        return None
