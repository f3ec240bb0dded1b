"""The report format of CONTRACTS.md §1 (Formulir Model B.1 as JSON or YAML).

Rules that depend on `kind` (a laporan names its reporter and the day the incident became known)
are checked in `models.report.parse`, so they are listed together with every other problem.

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


class Election(_Part):
    type: ElectionType = Field(title="Jenis pemilihan")
    year: int = Field(ge=2004, le=2100, title="Tahun")
    region: str = Field(min_length=1, title="Wilayah")


# Dates a report can carry: Netra handles elections from 2004 on; a date outside these years is
# a typing slip, and at Python's limits it would break every date computed from it.
CASE_YEARS = range(2000, 2101)
BIRTH_YEARS = range(1900, 2101)


def within(years: range, value: date | None) -> date | None:
    """`value`, when its year is one a report can carry; else the `date_out_of_range` error."""
    if value is not None and value.year not in years:
        raise ValueError("date_out_of_range")
    return value


class Reporter(_Part):
    name: str | None = Field(default=None, title="Nama pelapor")
    address: str | None = Field(default=None, title="Alamat")
    birth_place: str | None = Field(default=None, title="Tempat lahir")
    birth_date: date | None = Field(default=None, title="Tanggal lahir")
    sex: Literal["L", "P"] | None = Field(default=None, title="Jenis kelamin (L/P)")
    occupation: str | None = Field(default=None, title="Pekerjaan")
    nationality: str | None = Field(default=None, title="Kewarganegaraan")
    phone: str | None = Field(default=None, title="Telepon")
    email: EmailStr | None = Field(default=None, title="Surel")

    @field_validator("birth_date")
    @classmethod
    def _plausible_birth(cls, value: date | None) -> date | None:
        return within(BIRTH_YEARS, value)


class Ppk(_Part):
    title: str = Field(min_length=1, title="Jabatan PPK")
    name: str | None = Field(default=None, title="Nama PPK")
    email: EmailStr | None = Field(default=None, title="Surel PPK")


class ReportedPerson(_Part):
    name: str = Field(min_length=1, title="Nama terlapor")
    employment: Employment = Field(title="Status kepegawaian")
    nip: str | None = Field(default=None, title="NIP / nomor pegawai")
    position: str | None = Field(default=None, title="Jabatan")
    agency: str | None = Field(default=None, title="Instansi")
    address: str | None = Field(default=None, title="Alamat")
    email: EmailStr | None = Field(default=None, title="Surel")
    phone: str | None = Field(default=None, title="Telepon")
    ppk: Ppk | None = Field(default=None, title="Pejabat Pembina Kepegawaian (PPK)")


class Incident(_Part):
    summary: str = Field(min_length=1, title="Ringkasan peristiwa")
    place: str = Field(min_length=1, title="Tempat kejadian")
    occurred_on: date = Field(title="Tanggal kejadian")
    known_on: date | None = Field(default=None, title="Tanggal diketahui")
    account: str = Field(min_length=1, title="Uraian kejadian")

    @field_validator("occurred_on", "known_on")
    @classmethod
    def _plausible(cls, value: date | None) -> date | None:
        return within(CASE_YEARS, value)


class Witness(_Part):
    name: str = Field(min_length=1, title="Nama saksi")
    address: str | None = Field(default=None, title="Alamat")
    phone: str | None = Field(default=None, title="Telepon")


class EvidenceItem(_Part):
    description: str = Field(min_length=1, title="Keterangan bukti")
    file: str | None = Field(default=None, title="Berkas")


class Report(_Part):
    kind: ReportKind = Field(title="Jenis (laporan/temuan)")
    election: Election = Field(title="Pemilihan")
    office: str = Field(min_length=1, title="Kantor Bawaslu (kunci)")
    received_at: datetime = Field(title="Waktu diterima (dengan zona waktu)")
    reporter: Reporter = Field(title="Pelapor")
    reported: list[ReportedPerson] = Field(min_length=1, title="Terlapor")
    incident: Incident = Field(title="Peristiwa")
    witnesses: list[Witness] = Field(default_factory=list, title="Saksi")
    evidence: list[EvidenceItem] = Field(default_factory=list, title="Bukti")
    references: dict[str, str] = Field(default_factory=dict, title="Rujukan")

    @field_validator("received_at")
    @classmethod
    def _must_be_aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive_datetime")
        within(CASE_YEARS, value.date())
        return value

    @property
    def discovered_on(self) -> date:
        """The day the 7-day window starts: known_on, or the event date for a temuan without one."""
        return self.incident.known_on or self.incident.occurred_on
