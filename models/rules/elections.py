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
    contests: dict[str, date] = Field(
        default_factory=dict,
        description="Per contest of a Pemilu (legislatif, presiden...), the date its "
        "participants were determined; the earliest counts when a finding names none.",
    )
    confirmed: bool = False
    basis: str = ""

    def determined_on(self, contest: str | None = None) -> date | None:
        """When candidates were determined for `contest`, or the earliest of all contests when
        it is None or unknown (an act is judged against the first candidacy of the election)."""
        if contest is not None and contest.strip().casefold() in self.contests:
            return self.contests[contest.strip().casefold()]
        dates = [d for d in (self.candidates_determined_on, *self.contests.values()) if d]
        return min(dates) if dates else None


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
