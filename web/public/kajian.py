"""*Hasil kajian awal*: the offices that publish them (config/offices.yaml `publish_kajian`),
and per office its cases' kajian awal results, newest first, a page at a time: the case number,
dates and registered or not. No person, no reason text."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from services.public import kajian_page, publishing_offices
from web.desk import deps_of, render

router = APIRouter()


@router.get("/kajian-awal")
def offices(request: Request) -> Response:
    return render(request, "kajian_kantor.html", offices=publishing_offices(deps_of(request)))


@router.get("/kajian-awal/{office_key}")
async def results(request: Request, office_key: str, halaman: int = 1) -> Response:
    try:
        page = await run_in_threadpool(kajian_page, deps_of(request), office_key, halaman)
    except LookupError:
        raise HTTPException(status_code=404) from None
    return render(request, "kajian.html", page=page)
