"""*Lapor daring*: Formulir Model B.1 on the public site. The desk's form, rules and messages
(templates/shared/b1.html, `web.actions.record_report`), for a laporan received now, filed by
the public site's channel (`models.access.PUBLIC`; the audit rows' origin is "publik <address>").
Counted per client address, accepted or refused alike. On success the tanda terima: the receipt
number and a lookup code shown once (stored hashed)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from models.access import PUBLIC
from models.enums import Employment, ReportKind
from models.problems import Problem, ReportRejected
from models.public import lookup_url, receipt_number, shown_code
from models.tables.columns import utcnow
from services.evidence import policy_of
from services.public import admit_report, issue_lookup_code
from web.actions import record_report
from web.desk import deps_of, render, session_of
from web.forms import EVIDENCE_ROWS, REPORTED_ROWS, WITNESS_ROWS, text

router = APIRouter()

TOO_MANY_REPORTS = (
    "Terlalu banyak laporan dikirim dari alamat jaringan Anda dalam satu jam terakhir. Silakan "
    "coba lagi nanti, atau sampaikan laporan langsung ke kantor Bawaslu."
)
_STAFF_ONLY = ("kind", "received_at")  # a laporan, received when it arrives


def client_address(request: Request) -> str:
    """The visitor's address (behind a trusted proxy, the one it forwarded)."""
    return request.client.host if request.client else "-"


def _form_page(
    request: Request, values: dict[str, str], problems: list[Problem], status_code: int = 200
) -> Response:
    deps = deps_of(request)
    return render(
        request,
        "lapor.html",
        status_code=status_code,
        values=values,
        problems=problems,
        offices=deps.rulebook.offices,
        kinds=[ReportKind.LAPORAN],
        employments=list(Employment),
        staff=False,
        policy=policy_of(deps),
        reported_rows=range(REPORTED_ROWS),
        witness_rows=range(WITNESS_ROWS),
        evidence_rows=range(EVIDENCE_ROWS),
    )


@router.get("/lapor")
def report_form(request: Request) -> Response:
    return _form_page(request, {}, [])


@router.post("/lapor")
async def report(request: Request) -> Response:
    deps = deps_of(request)
    if not await run_in_threadpool(admit_report, deps, client_address(request), now=utcnow()):
        return render(request, "error.html", status_code=429, message=TOO_MANY_REPORTS)
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str) and k not in ("csrf", "kind")}
    office = deps.rulebook.offices.get(text(form, "office"))
    if office is None:
        problem = Problem(
            code="kantor_tidak_valid", field="office", message="pilih kantor Bawaslu tujuan laporan"
        )
        return _form_page(request, values, [problem], 400)
    online = FormData(
        [(k, v) for k, v in form.multi_items() if k not in _STAFF_ONLY]
        + [("kind", ReportKind.LAPORAN.value)]
    )
    try:
        case_id = await record_report(online, deps, office, PUBLIC.username)
    except ReportRejected as error:
        return _form_page(request, values, error.problems, 400)
    code = await run_in_threadpool(issue_lookup_code, deps, case_id, now=utcnow())
    # Shown once on the next page (the browser's reload cannot send the report again).
    session_of(request)["receipt"] = {
        "number": receipt_number(case_id),
        "code": shown_code(code) if code else None,
        "office": office.short_name,
    }
    return RedirectResponse("/lapor/tanda-terima", status_code=303)


@router.get("/lapor/tanda-terima")
def receipt(request: Request) -> Response:
    shown = session_of(request).pop("receipt", None)
    return render(
        request,
        "tanda_terima.html",
        receipt=shown,
        lookup=lookup_url(deps_of(request).settings.public_url),
    )
