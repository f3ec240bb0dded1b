"""Recap statistics as KASN/BKN publish them (DOMAIN.md §2.7, §8): how many reports and findings
came in, how many were registered, proven, referred to KASN/BKN, recommended on by KASN/BKN and
acted on by the PPK; the PPK follow-up rate; the median days each stage took; the deadlines the
office missed; and the same funnel broken down by violation code, employment type, position
category and office.

Pure: the figures are counted in SQL (`adapters.db.statistics`, one GROUP BY per table); this
module defines what is counted (the milestones), the arithmetic on the counted rows (median of a
day histogram, the rate) and the tables every output shows (page, CSV, XLSX, CLI, Prefect
artifact), with their Indonesian headers. Definitions: docs/decisions.md "Recap statistics".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from models.indonesian import tanggal
from models.rules.deadlines import REPORTER_WINDOWS
from models.stages import CaseEvent


class Milestone(StrEnum):
    """A step of a case, dated by the first event of its kinds in the case's history."""

    RECEIVED = "received"
    REGISTERED = "registered"
    DECIDED = "decided"  # the kajian concluded: violation drafted, dismissed or to Gakkumdu
    PROVEN = "proven"  # the supervisor approved the violation and its recommendation
    REFERRED = "referred"
    RECOMMENDED = "recommended"  # KASN/BKN's recommendation to the PPK recorded
    ACTED = "acted"  # the PPK's decree recorded


MILESTONE_EVENTS: dict[Milestone, frozenset[CaseEvent]] = {
    Milestone.RECEIVED: frozenset({CaseEvent.RECEIVED}),
    Milestone.REGISTERED: frozenset({CaseEvent.REGISTERED}),
    Milestone.DECIDED: frozenset(
        {CaseEvent.RECOMMENDATION_DRAFTED, CaseEvent.DISMISSED, CaseEvent.SENT_TO_GAKKUMDU}
    ),
    Milestone.PROVEN: frozenset({CaseEvent.RECOMMENDATION_APPROVED}),
    Milestone.REFERRED: frozenset({CaseEvent.REFERRED}),
    Milestone.RECOMMENDED: frozenset({CaseEvent.AUTHORITY_RECOMMENDED}),
    Milestone.ACTED: frozenset({CaseEvent.PPK_DECISION_RECORDED}),
}

# Deadlines that bind the reporter (a late report is not a late office) are not counted missed.
OFFICE_DEADLINES_ONLY: frozenset[str] = frozenset(REPORTER_WINDOWS)


@dataclass(frozen=True)
class Span:
    """A stage measured from one milestone to the next. `start` lists milestones in order of
    preference: the first one the case has dated is where the stage began."""

    key: str
    label: str
    start: tuple[Milestone, ...]
    end: Milestone


SPANS: tuple[Span, ...] = (
    Span("kajian_awal", "Diterima → diregistrasi", (Milestone.RECEIVED,), Milestone.REGISTERED),
    Span("kajian", "Diregistrasi → kajian selesai", (Milestone.REGISTERED,), Milestone.DECIDED),
    Span("penerusan", "Kajian selesai → diteruskan", (Milestone.DECIDED,), Milestone.REFERRED),
    Span(
        "rekomendasi",
        "Diteruskan → rekomendasi KASN/BKN",
        (Milestone.REFERRED,),
        Milestone.RECOMMENDED,
    ),
    Span(
        "tindak_lanjut",
        "Rekomendasi (atau penerusan) → tindak lanjut PPK",
        (Milestone.RECOMMENDED, Milestone.REFERRED),
        Milestone.ACTED,
    ),
)


@dataclass(frozen=True)
class RecapFilter:
    """What the recap counts: cases received between `received_from` and `received_to`
    (inclusive; None: open-ended), of one election (`election_type` and `election_year`), of the
    office `office`, of a region (`region`: a Kemendagri code, a province "64" or a
    kabupaten/kota "64.09", matched against the offices' codes)."""

    received_from: date | None = None
    received_to: date | None = None
    election_type: str | None = None
    election_year: int | None = None
    office: str | None = None
    region: str | None = None

    def describe(self, office_names: Mapping[str, str]) -> str:
        """The filter in words, for the page and the exports."""
        parts: list[str] = []
        if self.election_type or self.election_year:
            kind = {"pemilu": "Pemilu", "pilkada": "Pilkada"}.get(self.election_type or "", "")
            parts.append(f"Pemilihan: {kind} {self.election_year or ''}".rstrip())
        if self.office:
            parts.append(f"Kantor: {office_names.get(self.office, self.office)}")
        if self.region:
            parts.append(f"Wilayah: {self.region}")
        if self.received_from or self.received_to:
            start = tanggal(self.received_from) if self.received_from else "awal"
            end = tanggal(self.received_to) if self.received_to else "sekarang"
            parts.append(f"Diterima: {start} s.d. {end}")
        return "; ".join(parts) or "Semua perkara"


def offices_in_region(region: str, codes: Mapping[str, str]) -> frozenset[str]:
    """The office keys whose region code (`codes`: key → "64.09") is `region` or lies in it
    ("64" holds "64" itself, "64.09" and "64.71")."""
    wanted = region.strip()
    return frozenset(
        key for key, code in codes.items() if code == wanted or code.startswith(wanted + ".")
    )


@dataclass(frozen=True)
class Funnel:
    """The counts of one row: cases that reached each milestone (a case counts once per row)."""

    received: int = 0
    laporan: int = 0
    temuan: int = 0
    registered: int = 0
    proven: int = 0
    referred: int = 0  # referred with at least one reported person going to KASN or BKN
    recommended: int = 0
    acted: int = 0
    recommended_and_acted: int = 0

    @property
    def followup_rate(self) -> float | None:
        """Share of KASN/BKN recommendations the PPK acted on; None: none recommended."""
        return rate(self.recommended_and_acted, self.recommended)


def rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


def median_days(histogram: Mapping[int, int]) -> float | None:
    """The median of whole days given as {days: how many cases}; an even count takes the mean
    of the two middle values. None when empty."""
    total = sum(histogram.values())
    if total == 0:
        return None
    ordered = sorted(histogram.items())

    def nth(index: int) -> int:  # the index-th value (0-based) of the sorted sample
        seen = 0
        for days, count in ordered:
            seen += count
            if index < seen:
                return days
        raise IndexError(index)

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


@dataclass(frozen=True)
class SpanFigure:
    span: Span
    cases: int  # cases that completed the stage
    median: float | None


@dataclass(frozen=True)
class MissedDeadline:
    rule: str
    label: str
    count: int


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str
    heading: str  # the first column's header
    rows: tuple[tuple[str, Funnel], ...]
    note: str = ""


@dataclass(frozen=True)
class Recap:
    filter: RecapFilter
    scope: str  # the filter (and the reader's offices) in words
    funnel: Funnel
    spans: tuple[SpanFigure, ...]
    missed: tuple[MissedDeadline, ...]
    cases_missing_deadlines: int
    breakdowns: tuple[Breakdown, ...] = field(default=())

    def breakdown(self, key: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.key == key)


# --- position categories ---------------------------------------------------------------------
class PositionCategory(BaseModel):
    """A category of position (jabatan), recognised by words in the reported person's free-text
    position; the first category whose word occurs wins (config/positions.yaml)."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1)
    words: tuple[str, ...] = Field(min_length=1)


class PositionBook(BaseModel):
    model_config = ConfigDict(frozen=True)

    categories: tuple[PositionCategory, ...] = ()


UNKNOWN_POSITION = "Tidak diisi"
OTHER_POSITION = "Lainnya"


def position_category(title: str | None, categories: Sequence[PositionCategory]) -> str:
    """The category of `title` by the same rule the SQL applies (tests and documentation)."""
    if not title or not title.strip():
        return UNKNOWN_POSITION
    lowered = title.lower()
    for category in categories:
        if any(word.lower() in lowered for word in category.words):
            return category.name
    return OTHER_POSITION


# --- the tables every output shows -----------------------------------------------------------
FUNNEL_HEADERS: tuple[str, ...] = (
    "Diterima",
    "Diregistrasi",
    "Terbukti melanggar",
    "Diteruskan ke KASN/BKN",
    "Direkomendasikan KASN/BKN",
    "Ditindaklanjuti PPK",
    "Tingkat tindak lanjut PPK (%)",
)

Cell = str | int | float | None


@dataclass(frozen=True)
class Table:
    key: str  # a sheet name / CSV section
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""


def percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def funnel_cells(funnel: Funnel) -> tuple[Cell, ...]:
    return (
        funnel.received,
        funnel.registered,
        funnel.proven,
        funnel.referred,
        funnel.recommended,
        funnel.acted,
        percent(funnel.followup_rate),
    )


def recap_tables(recap: Recap) -> tuple[Table, ...]:
    """The recap as tables with Indonesian headers, in the order every output shows them."""
    f = recap.funnel
    summary = Table(
        "Ringkasan",
        "Ringkasan penanganan",
        ("Uraian", "Jumlah"),
        (
            ("Laporan diterima", f.laporan),
            ("Temuan diterima", f.temuan),
            ("Jumlah diterima", f.received),
            ("Diregistrasi", f.registered),
            ("Terbukti melanggar (rekomendasi disetujui)", f.proven),
            ("Diteruskan ke KASN/BKN", f.referred),
            ("Direkomendasikan KASN/BKN kepada PPK", f.recommended),
            ("Ditindaklanjuti PPK", f.acted),
            ("Direkomendasikan dan ditindaklanjuti PPK", f.recommended_and_acted),
            ("Tingkat tindak lanjut PPK (%)", percent(f.followup_rate)),
            ("Perkara dengan tenggat terlewat", recap.cases_missing_deadlines),
        ),
        note=recap.scope,
    )
    spans = Table(
        "Lama tahapan",
        "Median lama tiap tahapan (hari)",
        ("Tahapan", "Perkara", "Median (hari)"),
        tuple((s.span.label, s.cases, s.median) for s in recap.spans),
        note="Hari penuh antara dua peristiwa yang tercatat pada riwayat perkara.",
    )
    missed = Table(
        "Tenggat terlewat",
        "Tenggat terlewat menurut jenis",
        ("Tenggat", "Jumlah"),
        tuple((m.label, m.count) for m in recap.missed),
    )
    tables = [summary, spans, missed]
    for b in recap.breakdowns:
        rows = tuple((label, *funnel_cells(funnel)) for label, funnel in b.rows)
        tables.append(Table(b.title, b.title, (b.heading, *FUNNEL_HEADERS), rows, b.note))
    return tuple(tables)


def cell_text(value: Cell) -> str:
    """A cell as text (CSV, terminal, Markdown): blanks as "-", decimals with a comma."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def markdown(tables: Iterable[Table]) -> str:
    """The tables as Markdown (the Prefect artifact)."""
    lines: list[str] = []
    for table in tables:
        lines.append(f"### {table.title}")
        if table.note:
            lines.append(f"_{table.note}_")
        lines.append("")
        lines.append("| " + " | ".join(table.headers) + " |")
        lines.append("|" + "---|" * len(table.headers))
        for row in table.rows:
            lines.append("| " + " | ".join(cell_text(c).replace("|", "/") for c in row) + " |")
        if not table.rows:
            lines.append("| " + " | ".join(["-"] * len(table.headers)) + " |")
        lines.append("")
    return "\n".join(lines)


def csv_text(tables: Iterable[Table]) -> str:
    """The tables as one CSV text: each table's title, its header row, its rows, a blank line
    (numbers as numbers, blanks empty)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for table in tables:
        writer.writerow([table.title])
        if table.note:
            writer.writerow([table.note])
        writer.writerow(table.headers)
        for row in table.rows:
            writer.writerow(["" if c is None else c for c in row])
        writer.writerow([])
    return buffer.getvalue()


def parse_election(text: str) -> tuple[str | None, int | None]:
    """ "pilkada-2024" → ("pilkada", 2024); "pemilu" → ("pemilu", None); "2024" → (None, 2024);
    anything else → (None, None)."""
    kind, _, year = text.strip().lower().partition("-")
    if kind.isdigit() and not year:
        return None, int(kind)
    if kind not in ("pemilu", "pilkada"):
        return None, None
    return kind, int(year) if year.isdigit() else None
