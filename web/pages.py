"""Reading pages: what waits for me, the register with search, one case, its files. A case of an
office the user may not read is answered exactly like a case that does not exist (404)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from adapters.db.cases import case_label
from adapters.db.views import decision_view
from models.access import Action, Actor, NotPermitted
from models.rules.calendar import local_date
from models.stages import Stage
from models.tables import PartyRole
from services.case_file import CaseFileRefused, export_case_file
from services.deps import Deps
from services.reading import (
    CaseSearch,
    Download,
    evidence_download,
    letter_download,
    read_case,
    readable_offices,
    search_cases,
    waiting_for,
)
from web.desk import actor_of, deps_of, render
from web.forms import correction_targets, interrupted_mail, refused_mail, stage_forms

router = APIRouter()


@contextmanager
def not_found_unless_permitted() -> Iterator[None]:
    """Another office's case, or none: the same 404."""
    try:
        yield
    except (NotPermitted, LookupError):
        raise HTTPException(status_code=404) from None


@router.get("/")
def home() -> Response:
    return RedirectResponse("/menunggu", status_code=303)


@router.get("/menunggu")
async def waiting(request: Request) -> Response:
    actor = actor_of(request)
    deps = deps_of(request)
    found = await run_in_threadpool(waiting_for, deps, actor, datetime.now(UTC))
    return render(
        request,
        "waiting.html",
        waiting=found,
        offices=deps.rulebook.offices,
        case_label=case_label,
    )


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@router.get("/perkara")
async def register(
    request: Request,
    q: str = "",
    tahap: str = "",
    kantor: str = "",
    dari: str = "",
    sampai: str = "",
    terbuka: str = "",
    halaman: int = 1,
) -> Response:
    actor = actor_of(request)
    deps = deps_of(request)
    stage = Stage(tahap) if tahap in {s.value for s in Stage} else None
    search = CaseSearch(
        text=q[:200],
        stage=stage,
        office=kantor or None,
        received_from=_date(dari),
        received_to=_date(sampai),
        open_only=bool(terbuka),
    )
    page = await run_in_threadpool(search_cases, deps, actor, search, halaman)
    visible = readable_offices(actor)
    offices = {
        key: office
        for key, office in deps.rulebook.offices.items()
        if visible is None or key in visible
    }
    query = {"q": q, "tahap": tahap, "kantor": kantor, "dari": dari, "sampai": sampai}
    if terbuka:
        query["terbuka"] = "1"
    return render(
        request,
        "register.html",
        page=page,
        search=query,
        stages=list(Stage),
        offices=offices,
        all_offices=deps.rulebook.offices,
        case_label=case_label,
    )


@router.get("/perkara/{case_id}")
async def case_page(request: Request, case_id: int) -> Response:
    actor = actor_of(request)
    deps = deps_of(request)
    with not_found_unless_permitted():
        view = await run_in_threadpool(read_case, deps, actor, str(case_id))
    case = view.case
    office = deps.rulebook.offices.get(case.office_key)
    zone = office.timezone if office else "Asia/Jakarta"
    now = datetime.now(UTC)
    today = local_date(now, zone)
    decision = None
    if case.stage is Stage.AWAITING_APPROVAL:
        decision = await run_in_threadpool(decision_view, deps.engine, view.case_id)
    return render(
        request,
        "case.html",
        view=view,
        case=case,
        case_title=case_label(case),
        office=office,
        zone=zone,
        today=today,
        decision=decision,
        forms=stage_forms(actor, view, now),
        refused=refused_mail(view),
        interrupted=interrupted_mail(view, now),
        correctable=correction_targets(view),
        reporter_role=PartyRole.REPORTER,
        case_label=case_label,
        public_url=deps.settings.public_url.rstrip("/"),
        Action=Action,
    )


def _asattachment(filename: str) -> str:
    """The Content-Disposition FileResponse writes, for bytes held in memory."""
    quoted = quote(filename)
    if quoted != filename:
        return f"attachment; filename*=utf-8''{quoted}"
    return f'attachment; filename="{filename}"'


def attachment(download: Download) -> Response:
    """A file to save, never to show in the browser: attachment, its declared type only, and
    no sniffing."""
    response: Response
    if download.data is not None:  # a letter: the bytes checked against its SHA-256
        response = Response(download.data, media_type=download.media_type)
        response.headers["Content-Disposition"] = _asattachment(download.filename)
    else:
        response = FileResponse(
            download.path,
            media_type=download.media_type,
            filename=download.filename,
            content_disposition_type="attachment",
        )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@router.get("/perkara/{case_id}/surat/{letter_id}.{fmt}")
async def letter_file(request: Request, case_id: int, letter_id: int, fmt: str) -> Response:
    if fmt not in ("docx", "pdf"):
        raise HTTPException(status_code=404)
    with not_found_unless_permitted():
        download = await run_in_threadpool(
            lambda: letter_download(
                deps_of(request), actor_of(request), str(case_id), letter_id, pdf=fmt == "pdf"
            )
        )
    return attachment(download)


@router.get("/perkara/{case_id}/bukti/{evidence_id}")
async def evidence_file(request: Request, case_id: int, evidence_id: int) -> Response:
    with not_found_unless_permitted():
        download = await run_in_threadpool(
            evidence_download, deps_of(request), actor_of(request), str(case_id), evidence_id
        )
    return attachment(download)


@router.get("/perkara/{case_id}/berkas.zip")
async def case_file(request: Request, case_id: int, samarkan: str = "") -> Response:
    """The case file (one ZIP) to hand over; `?samarkan=1` leaves the reporter out even for a
    reader allowed to see them."""
    try:
        with not_found_unless_permitted():
            return await case_file_response(
                deps_of(request), actor_of(request), case_id, redact=bool(samarkan)
            )
    except CaseFileRefused as error:
        return render(request, "error.html", status_code=409, message=str(error))


async def case_file_response(deps: Deps, actor: Actor, case_id: int, *, redact: bool) -> Response:
    """The case file written to a temporary folder, streamed, then removed (the desk's and the
    API's download). Raises what `export_case_file` raises, the folder removed."""
    folder = Path(tempfile.mkdtemp(prefix="netra-berkas-"))
    target = folder / "berkas.zip"
    try:
        made = await run_in_threadpool(
            lambda: export_case_file(
                deps, actor, str(case_id), target, redact=redact, now=datetime.now(UTC)
            )
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    response = FileResponse(
        made.path,
        media_type="application/zip",
        filename=made.filename,
        content_disposition_type="attachment",
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
