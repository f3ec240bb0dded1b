"""A person's decisions on a case's email (`netra mail-retry`, `netra mail-resolve`): send the
refused ones again, or say whether an interrupted one arrived (a pimpinan). Both services check
the role and write the audit trail themselves."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from models.access import NotPermitted
from models.tables.columns import utcnow
from services.notification import MailDecision, resolve_mail, retry_undelivered
from services.reading import read_case
from web.desk import actor_of, deps_of, flash
from web.forms import text
from web.pages import not_found_unless_permitted

router = APIRouter()


@router.post("/perkara/{case_id}/surel/kirim-ulang")
async def retry(request: Request, case_id: int) -> Response:
    actor, deps = actor_of(request), deps_of(request)
    back = RedirectResponse(f"/perkara/{case_id}", status_code=303)
    with not_found_unless_permitted():
        await run_in_threadpool(read_case, deps, actor, str(case_id))
    try:
        count = await run_in_threadpool(
            lambda: retry_undelivered(deps, str(case_id), actor=actor, now=utcnow())
        )
    except NotPermitted as error:
        flash(request, str(error), "error")
        return back
    if count:
        flash(request, f"{count} surel yang ditolak diantrekan untuk dikirim lagi.", "success")
    else:
        flash(request, "Tidak ada surel yang ditolak pada perkara ini.")
    return back


@router.post("/perkara/{case_id}/surel/putuskan")
async def resolve(request: Request, case_id: int) -> Response:
    actor, deps = actor_of(request), deps_of(request)
    back = RedirectResponse(f"/perkara/{case_id}", status_code=303)
    with not_found_unless_permitted():
        view = await run_in_threadpool(read_case, deps, actor, str(case_id))
    form = await request.form()
    key, answer = text(form, "key"), text(form, "delivered")
    if key not in {m.key for m in view.emails}:  # only this case's email, by this page
        flash(request, "Surel itu tidak ada pada perkara ini; tidak ada yang dicatat.", "error")
        return back
    if answer not in ("ya", "tidak"):
        flash(request, "Pilih: surel sudah diterima atau belum.", "error")
        return back
    try:
        decision, row = await run_in_threadpool(
            lambda: resolve_mail(deps, key, delivered=answer == "ya", actor=actor, now=utcnow())
        )
    except NotPermitted as error:
        flash(request, str(error), "error")
        return back
    if decision is MailDecision.RECORDED:
        said = "dicatat terkirim" if answer == "ya" else "diantrekan untuk dikirim lagi"
        flash(request, f"Surel kepada {row.to_address if row else key}: {said}.", "success")
    else:
        flash(request, "Surel itu tidak sedang terhenti; tidak ada yang dicatat.", "error")
    return back
