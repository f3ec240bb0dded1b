"""*Lacak laporan*: a laporan filed online, followed by its receipt number and lookup code: the
office, the stage in words and the dates of its steps; never a name. An unknown number and a
wrong code get the same page, status and words; failures are throttled per address and per
number (`services.public.look_up`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from models.tables.columns import utcnow
from services.public import LookupRefused, look_up
from web.desk import deps_of, render
from web.forms import text
from web.public.report import client_address

router = APIRouter()


@router.get("/lacak")
def lookup_form(request: Request, nomor: str = "") -> Response:
    return render(request, "lacak.html", number=nomor[:40], tracking=None, refusal=None)


@router.post("/lacak")
async def lookup(request: Request) -> Response:
    form = await request.form()
    number = text(form, "nomor")[:40]
    try:
        tracking = await run_in_threadpool(
            look_up,
            deps_of(request),
            number,
            text(form, "kode"),
            address=client_address(request),
            now=utcnow(),
        )
    except LookupRefused as refusal:
        status = 429 if refusal.throttled else 404
        return render(
            request,
            "lacak.html",
            status_code=status,
            number=number,
            tracking=None,
            refusal=str(refusal),
        )
    return render(request, "lacak.html", number="", tracking=tracking, refusal=None)
