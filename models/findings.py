"""The kajian's conclusion (CONTRACTS.md §2): which acts were proven, on which date."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator

from models.report.model import CASE_YEARS, within


class Findings(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    acts: list[str] = Field(min_length=1, description="Kode pelanggaran, mis. PP94-5n-1")
    act_date: date | None = Field(
        default=None, description="Tanggal perbuatan; bawaan: incident.occurred_on"
    )
    reasoning: str = Field(default="", description="Pertimbangan kajian")
    contest: str | None = Field(
        default=None,
        description="Kontestasi Pemilu yang didukung (legislatif, presiden); bawaan: tanggal "
        "penetapan calon paling awal",
    )

    @field_validator("act_date")
    @classmethod
    def _plausible(cls, value: date | None) -> date | None:
        return within(CASE_YEARS, value)
