"""Recap statistics on the desk: `/statistik` (filter form, tables, charts drawn on the server),
and the same figures as `/statistik.csv` and `/statistik.xlsx`. Counted only over the offices the
user may read (`services.statistics`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from adapters.spreadsheet import xlsx_bytes
from models.access import NotPermitted
from models.statistics import (
    FUNNEL_HEADERS,
    Recap,
    RecapFilter,
    csv_text,
    parse_election,
    percent,
    recap_tables,
)
from services.deps import Deps
from services.reading import readable_offices
from services.statistics import recap
from web.charts import bar_chart
from web.desk import actor_of, deps_of, render

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIELDS = ("pemilihan", "kantor", "wilayah", "dari", "sampai")


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def recap_filter(
    pemilihan: str = "", kantor: str = "", wilayah: str = "", dari: str = "", sampai: str = ""
) -> RecapFilter:
    """The filter from the query string (the form's fields); unreadable dates are ignored."""
    election_type, election_year = parse_election(pemilihan)
    return RecapFilter(
        received_from=_date(dari),
        received_to=_date(sampai),
        election_type=election_type,
        election_year=election_year,
        office=kantor[:120] or None,
        region=wilayah[:20] or None,
    )


Filter = Annotated[RecapFilter, Depends(recap_filter)]


async def _recap(request: Request, wanted: RecapFilter) -> Recap:
    try:
        return await run_in_threadpool(recap, deps_of(request), actor_of(request), wanted)
    except NotPermitted:
        raise HTTPException(
            status_code=403, detail="Anda tidak berwenang membaca perkara."
        ) from None


def _choices(deps: Deps, visible: frozenset[str] | None) -> dict[str, Any]:
    offices = {
        key: office
        for key, office in deps.rulebook.offices.items()
        if visible is None or key in visible
    }
    regions: dict[str, str] = {}
    for office in offices.values():
        province = office.region_code.split(".")[0]
        regions.setdefault(province, f"Provinsi (kode {province})")
        if office.level.value == "Prov":
            regions[province] = office.region_name
    for office in offices.values():
        if "." in office.region_code:
            regions[office.region_code] = office.region_name
    elections = [
        (f"{e.type.value}-{e.year}", f"{e.type.value.title()} {e.year}")
        for e in deps.rulebook.elections.elections
    ]
    return {"offices": offices, "regions": dict(sorted(regions.items())), "elections": elections}


def charts(found: Recap) -> dict[str, Markup]:
    """The charts, by the key of the table that holds their numbers (shown beside it)."""
    f = found.funnel
    drawn = {
        "Ringkasan": bar_chart(
            "Alur penanganan (perkara)",
            list(FUNNEL_HEADERS[:6]),  # the counts; the seventh header is the rate
            [f.received, f.registered, f.proven, f.referred, f.recommended, f.acted],
        )
    }
    spans = [s for s in found.spans if s.median is not None]
    if spans:
        drawn["Lama tahapan"] = bar_chart(
            "Median lama tahapan (hari)",
            [s.span.label for s in spans],
            [s.median or 0 for s in spans],
        )
    for key in ("kode", "kepegawaian"):
        breakdown = found.breakdown(key)
        if breakdown.rows:
            drawn[breakdown.title] = bar_chart(
                f"{breakdown.title}: diterima dan terbukti melanggar",
                [label for label, _ in breakdown.rows],
                [funnel.received for _, funnel in breakdown.rows],
            )
    return drawn


@router.get("/statistik")
async def statistics_page(request: Request, wanted: Filter) -> Response:
    deps = deps_of(request)
    found = await _recap(request, wanted)
    query = {name: request.query_params.get(name, "") for name in FIELDS}
    drawn = await run_in_threadpool(charts, found)
    return render(
        request,
        "statistics.html",
        recap=found,
        tables=recap_tables(found),
        charts=drawn,
        search=query,
        rate=percent(found.funnel.followup_rate),
        **_choices(deps, readable_offices(actor_of(request))),
    )


def _download(data: bytes, media_type: str, filename: str) -> Response:
    response = Response(data, media_type=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get("/statistik.csv")
async def statistics_csv(request: Request, wanted: Filter) -> Response:
    found = await _recap(request, wanted)
    # With a byte-order mark: spreadsheet programs then read the file as UTF-8.
    data = ("\ufeff" + csv_text(recap_tables(found))).encode("utf-8")
    return _download(data, "text/csv; charset=utf-8", "statistik-netra.csv")


@router.get("/statistik.xlsx")
async def statistics_xlsx(request: Request, wanted: Filter) -> Response:
    found = await _recap(request, wanted)
    data = await run_in_threadpool(
        xlsx_bytes, recap_tables(found), title="Statistik penanganan netralitas ASN"
    )
    return _download(data, XLSX, "statistik-netra.xlsx")
