"""The stage forms: each runs its stage's Prefect flow in this process as the logged-in user
(so the run shows in the Prefect UI, named after the case, like the command line's), then goes
back to the case page with what happened. A refusal (wrong input, a rule, a permission) is said
in Indonesian; the stage's transaction was rolled back, so nothing of it was recorded."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from types import ModuleType
from typing import Any, TypeVar

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from models.access import Action, Actor, NotPermitted, require
from models.enums import Employment, ReportKind
from models.inputs import (
    ApprovalInput,
    FindingsInput,
    HearingOutcome,
    HearingSchedule,
    PpkDecisionInput,
    VerificationChoice,
    VerificationDecision,
)
from models.outcomes import StageOutcome, StageResult
from models.problems import Problem, ReportRejected
from models.report.parse import parse_report, problems_from
from models.rules.office import Office
from models.tables.columns import utcnow
from services.deps import Deps
from services.evidence import policy_of
from services.intake import validate_for_intake
from services.reading import read_case, readable_offices
from services.submission import submit_report
from web.desk import actor_of, deps_of, flash, render
from web.forms import (
    EVIDENCE_ROWS,
    REPORTED_ROWS,
    WITNESS_ROWS,
    report_document,
    save_uploads,
    text,
)
from web.pages import not_found_unless_permitted

router = APIRouter()
log = logging.getLogger("netra.web")
T = TypeVar("T")
REFUSALS = (ValueError, LookupError, PermissionError, RuntimeError)


def stage_flows() -> ModuleType:
    """The stage flows, imported on first use (Prefect is slow to import)."""
    import flows.stages

    return flows.stages


def _run(start: Callable[[], Coroutine[Any, Any, T]]) -> T:
    return asyncio.run(start())


async def run_flow(start: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a flow to its end in a worker thread with its own event loop (a stage's service is
    synchronous and may take seconds: the desk keeps answering meanwhile)."""
    return await run_in_threadpool(_run, start)


def outcome_message(result: StageResult) -> tuple[str, str]:
    where = f"Perkara {result.label}: tahap {result.stage.label}."
    if result.outcome is StageOutcome.ALREADY_DONE:
        return "info", f"{where} Langkah ini sudah dilakukan sebelumnya; tidak ada yang diulang."
    if result.outcome is StageOutcome.WAITING:
        return "warning", f"{where} Sebagian surel belum terkirim; kirim ulang nanti."
    if result.outcome is StageOutcome.ELSEWHERE:
        return "error", f"Tidak ada yang berubah: perkara berada pada tahap '{result.stage.label}'."
    return "success", where


async def stage_action(
    request: Request,
    case_id: int,
    action: Action,
    build: Callable[[FormData], Any],
    start: Callable[[ModuleType, str, Any, str], Coroutine[Any, Any, StageResult]],
    vet: Callable[[Actor, Any], str | None] | None = None,
) -> Response:
    """Check the reader may see the case (404 otherwise) and take `action` there (the service
    checks again), parse the form, run the flow, and report on the case page. `vet`: a check
    of the parsed form against the database (run in a worker thread), its refusal or None."""
    actor = actor_of(request)
    deps = deps_of(request)
    case_ref = str(case_id)
    with not_found_unless_permitted():
        view = await run_in_threadpool(read_case, deps, actor, case_ref)
    back = RedirectResponse(f"/perkara/{case_id}", status_code=303)
    try:
        require(actor, action, view.case.office_key)
        form = await request.form()
        parsed = build(form)
    except NotPermitted as error:
        flash(request, str(error), "error")
        return back
    except ValidationError as error:
        problems = "; ".join(f"{p.field}: {p.message}" for p in problems_from(error))
        flash(request, f"Isian tidak valid, tidak ada yang dicatat. {problems}", "error")
        return back
    except ValueError as error:
        flash(request, f"Isian tidak valid, tidak ada yang dicatat. {error}", "error")
        return back
    if vet is not None and (refusal := await run_in_threadpool(vet, actor, parsed)):
        flash(request, f"Ditolak, tidak ada yang dicatat: {refusal}", "error")
        return back
    flows = stage_flows()
    try:
        result = await run_flow(lambda: start(flows, case_ref, parsed, actor.username))
    except REFUSALS as error:
        flash(request, f"Ditolak, tidak ada yang dicatat: {error}", "error")
        return back
    kind, message = outcome_message(result)
    flash(request, message, kind)
    return back


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _verification(form: FormData) -> VerificationDecision:
    return VerificationDecision(
        decision=VerificationChoice(text(form, "decision")),
        reason=text(form, "reason"),
        forward_to=text(form, "forward_to") or None,
        forward_email=text(form, "forward_email") or None,
        missing_items=_lines(text(form, "missing_items")),
    )


def _approval(form: FormData) -> ApprovalInput:
    return ApprovalInput(approved=text(form, "approved") == "ya", note=text(form, "note"))


def _schedule(form: FormData) -> HearingSchedule:
    return HearingSchedule.model_validate(
        {
            "date": text(form, "date"),
            "time": text(form, "time"),
            "place": text(form, "place"),
            "invite_reporter": bool(text(form, "invite_reporter")),
        }
    )


def _hearing(form: FormData) -> list[HearingOutcome]:
    """One row per party key the form lists (`party` fields): attended, statement."""
    outcomes = []
    for key in form.getlist("party"):
        if not isinstance(key, str):
            continue
        outcomes.append(
            HearingOutcome(
                party=key,
                attended=bool(text(form, f"attended_{key}")),
                oath_taken=bool(text(form, f"oath_{key}")),
                statement=text(form, f"statement_{key}"),
            )
        )
    return outcomes


def _findings(form: FormData) -> FindingsInput:
    return FindingsInput.model_validate(
        {
            "violation": text(form, "violation") == "ya",
            "acts": [a.strip() for a in text(form, "acts").replace(",", " ").split() if a.strip()],
            "act_date": text(form, "act_date") or None,
            "reasoning": text(form, "reasoning"),
            "contest": text(form, "contest") or None,
        }
    )


def _ppk(form: FormData) -> PpkDecisionInput:
    return PpkDecisionInput.model_validate(
        {
            "sanction": text(form, "sanction"),
            "decree_number": text(form, "decree_number"),
            "decree_date": text(form, "decree_date"),
        }
    )


def _reason(form: FormData) -> str:
    reason = text(form, "reason")
    if not reason:
        raise ValueError("keterangan wajib diisi")
    return reason


@router.post("/perkara/{case_id}/kajian-awal")
async def verify(request: Request, case_id: int) -> Response:
    return await stage_action(
        request,
        case_id,
        Action.VERIFY,
        _verification,
        lambda f, ref, x, who: f.verification_flow(ref, x, who),
    )


@router.post("/perkara/{case_id}/undangan")
async def clarify(request: Request, case_id: int) -> Response:
    return await stage_action(
        request,
        case_id,
        Action.CLARIFY,
        _schedule,
        lambda f, ref, x, who: f.clarification_flow(ref, x, who),
    )


@router.post("/perkara/{case_id}/berita-acara")
async def hearing(request: Request, case_id: int) -> Response:
    return await stage_action(
        request,
        case_id,
        Action.CLARIFY,
        _hearing,
        lambda f, ref, x, who: f.clarification_record_flow(ref, x, who),
    )


@router.post("/perkara/{case_id}/rekomendasi")
async def recommend(request: Request, case_id: int) -> Response:
    return await stage_action(
        request,
        case_id,
        Action.RECOMMEND,
        _findings,
        lambda f, ref, x, who: f.recommendation_flow(ref, x, who),
    )


@router.post("/perkara/{case_id}/persetujuan")
async def approve(request: Request, case_id: int) -> Response:
    return await stage_action(
        request,
        case_id,
        Action.APPROVE,
        _approval,
        lambda f, ref, x, who: f.approval_flow(ref, x, who, send_letters=x.approved),
    )


@router.post("/perkara/{case_id}/notifikasi")
async def notify(request: Request, case_id: int) -> Response:
    return await stage_action(
        request,
        case_id,
        Action.SEND_MAIL,
        lambda form: None,
        lambda f, ref, x, who: f.notification_flow(ref, who),
    )


@router.post("/perkara/{case_id}/keputusan-ppk")
async def ppk_decision(request: Request, case_id: int) -> Response:
    return await stage_action(
        request,
        case_id,
        Action.PPK_DECISION,
        _ppk,
        lambda f, ref, x, who: f.ppk_decision_flow(ref, x, who),
    )


@router.post("/perkara/{case_id}/perpanjangan")
async def extend(request: Request, case_id: int) -> Response:
    return await stage_action(
        request,
        case_id,
        Action.EXTEND,
        _reason,
        lambda f, ref, x, who: f.extension_flow(ref, x, who),
    )


# Intake (Formulir Model B.1)


def _intake_offices(actor: Actor, deps: Any) -> dict[str, Any]:
    offices = readable_offices(actor, Action.RECORD)
    return {
        key: office
        for key, office in deps.rulebook.offices.items()
        if offices is None or key in offices
    }


def _intake_page(
    request: Request, values: dict[str, str], problems: list[Problem], status_code: int = 200
) -> Response:
    actor = actor_of(request)
    return render(
        request,
        "intake.html",
        status_code=status_code,
        values=values,
        problems=problems,
        offices=_intake_offices(actor, deps_of(request)),
        kinds=list(ReportKind),
        employments=list(Employment),
        staff=True,
        policy=policy_of(deps_of(request)),
        reported_rows=range(REPORTED_ROWS),
        witness_rows=range(WITNESS_ROWS),
        evidence_rows=range(EVIDENCE_ROWS),
    )


@router.get("/penerimaan")
def intake_form(request: Request) -> Response:
    if not _intake_offices(actor_of(request), deps_of(request)):
        raise HTTPException(status_code=403, detail="Anda tidak berwenang mencatat laporan.")
    return _intake_page(request, {}, [])


@router.post("/penerimaan")
async def intake(request: Request) -> Response:
    actor = actor_of(request)
    deps = deps_of(request)
    offices = _intake_offices(actor, deps)
    if not offices:
        raise HTTPException(status_code=403, detail="Anda tidak berwenang mencatat laporan.")
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}
    office = offices.get(text(form, "office"))
    if office is None:
        problem = Problem(
            code="kantor_tidak_valid",
            field="office",
            message="pilih kantor tempat Anda berwenang mencatat laporan",
        )
        return _intake_page(request, values, [problem], 400)
    try:
        case_id = await record_report(form, deps, office, actor.username)
    except ReportRejected as error:
        return _intake_page(request, values, error.problems, 400)
    flash(request, f"Laporan dicatat sebagai perkara #{case_id}.", "success")
    return RedirectResponse(f"/perkara/{case_id}", status_code=303)


async def record_report(form: FormData, deps: Deps, office: Office, actor: str) -> int:
    """Formulir B.1 with its uploaded evidence recorded as a case of `office` by `actor` (a user
    name): the report parsed and validated, stored as a submission, then the intake flow run.
    Every refusal is a `ReportRejected` with its problems, and leaves no case and no file."""
    uploads = await save_uploads(form, deps)
    try:
        document = report_document(form, office.timezone, uploads.names)
        report = parse_report(document)
        validate_for_intake(report, deps.rulebook, uploads.problems)
        flows = stage_flows()
        # Prefect sees the submission's number only; the report stays in the case database.
        submission = await run_in_threadpool(submit_report, deps, report, now=utcnow())
        try:
            return await run_flow(lambda: flows.intake_flow(submission, actor))
        except ReportRejected:
            raise
        except REFUSALS as error:
            refusal = Problem(code="ditolak", field="(laporan)", message=str(error))
            raise ReportRejected([refusal]) from error
    finally:
        uploads.remove()
