"""The case forms that record something about a case wherever it stands (issue 11): the completed
report, the reporter's consent, a text correction, the authority's reply, added evidence and
links to related cases. Each runs the same flow as its command line (`netra complete`,
`consent`, `correct`, `reply`, `evidence add`, `link`/`unlink`) as the logged-in user; a refusal
is said in Indonesian on the case page and nothing of it is recorded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from models.access import Action, Actor, NotPermitted, require
from models.inputs import ConsentInput, ReplyInput
from models.links import LinkAction
from models.outcomes import StageOutcome, StageResult
from models.problems import Problem, ReportRejected
from models.report.parse import decode_report_text, parse_report
from models.tables.columns import utcnow
from services.intake import validate_for_intake
from services.reading import read_case
from services.submission import submit_report
from web.actions import REFUSALS, outcome_message, run_flow, stage_action, stage_flows
from web.desk import actor_of, deps_of, flash
from web.forms import safe_name, save_uploads, text
from web.pages import not_found_unless_permitted

router = APIRouter()
REPORT_FILE_MAX_BYTES = 2 * 1024 * 1024  # a report is text: far below this


def _problems_text(problems: list[Problem]) -> str:
    return "; ".join(f"{p.field}: {p.message}" for p in problems)


async def _checked_case(request: Request, case_id: int, action: Action) -> str | None:
    """404 unless the reader may see the case; the Indonesian refusal when they may not take
    `action` there, else None."""
    actor = actor_of(request)
    with not_found_unless_permitted():
        view = await run_in_threadpool(read_case, deps_of(request), actor, str(case_id))
    try:
        require(actor, action, view.case.office_key)
    except NotPermitted as error:
        return str(error)
    return None


def _said(request: Request, result: StageResult) -> None:
    kind, message = outcome_message(result)
    flash(request, message, kind)


# --- the completed report (`netra complete`) -------------------------------------------------


def _point_at_uploads(data: object, names: dict[str, str]) -> object:
    """The report's evidence files named as uploaded with the form (by their file name) point
    at the stored uploads; any other name is looked up in the desk's inbox, where it is not
    found (the intake check says so)."""
    if not isinstance(data, dict) or not isinstance(data.get("evidence"), list):
        return data
    for item in data["evidence"]:
        if isinstance(item, dict) and isinstance(item.get("file"), str):
            name = safe_name(PurePosixPath(item["file"].replace("\\", "/")).name)
            if name in names:
                item["file"] = names[name]
    return data


def _refused_report(request: Request, error: ReportRejected, back: Response) -> Response:
    problems = _problems_text(error.problems)
    flash(request, f"Laporan ditolak, tidak ada yang dicatat. {problems}", "error")
    return back


@router.post("/perkara/{case_id}/kelengkapan")
async def complete(request: Request, case_id: int) -> Response:
    back = RedirectResponse(f"/perkara/{case_id}", status_code=303)
    if refusal := await _checked_case(request, case_id, Action.RECORD):
        flash(request, refusal, "error")
        return back
    actor, deps = actor_of(request), deps_of(request)
    form = await request.form()
    upload = form.get("report_file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        flash(request, "Pilih berkas laporan yang telah dilengkapi (JSON atau YAML).", "error")
        return back
    raw = await upload.read(REPORT_FILE_MAX_BYTES + 1)
    if len(raw) > REPORT_FILE_MAX_BYTES:
        flash(request, "Berkas laporan terlalu besar; tidak ada yang dicatat.", "error")
        return back
    uploads = await save_uploads(form, deps)
    names = {PurePosixPath(stored).name: stored for stored in uploads.names.values()}
    try:
        try:
            decoded = decode_report_text(raw.decode("utf-8"), filename=upload.filename)
            report = parse_report(_point_at_uploads(decoded, names))
            validate_for_intake(report, deps.rulebook, uploads.problems)
            submission = await run_in_threadpool(submit_report, deps, report, now=utcnow())
        except UnicodeDecodeError:
            flash(request, "Berkas laporan bukan teks UTF-8; tidak ada yang dicatat.", "error")
            return back
        except ReportRejected as error:
            return _refused_report(request, error, back)
        flows = stage_flows()
        try:
            result = await run_flow(
                lambda: flows.completion_flow(str(case_id), submission, actor.username)
            )
        except ReportRejected as error:
            return _refused_report(request, error, back)
        except REFUSALS as error:
            flash(request, f"Ditolak, tidak ada yang dicatat: {error}", "error")
            return back
    finally:
        uploads.remove()
    _said(request, result)
    return back


# --- evidence added to the case (`netra evidence add`) ---------------------------------------


@router.post("/perkara/{case_id}/bukti")
async def add_evidence(request: Request, case_id: int) -> Response:
    back = RedirectResponse(f"/perkara/{case_id}", status_code=303)
    if refusal := await _checked_case(request, case_id, Action.RECORD):
        flash(request, refusal, "error")
        return back
    actor, deps = actor_of(request), deps_of(request)
    form = await request.form()
    description = text(form, "evidence_0_description")
    uploads = await save_uploads(form, deps)
    try:
        if uploads.problems:
            flash(request, f"Bukti ditolak. {_problems_text(uploads.problems)}", "error")
            return back
        if 0 not in uploads.names:
            flash(request, "Pilih berkas bukti yang ditambahkan.", "error")
            return back
        flows = stage_flows()
        try:
            result = await run_flow(
                lambda: flows.evidence_flow(
                    str(case_id), uploads.names[0], description, actor.username
                )
            )
        except ReportRejected as error:
            flash(request, f"Bukti ditolak. {_problems_text(error.problems)}", "error")
            return back
        except REFUSALS as error:
            flash(request, f"Ditolak, tidak ada yang dicatat: {error}", "error")
            return back
    finally:
        uploads.remove()
    if result.outcome is StageOutcome.ALREADY_DONE:
        flash(request, "Berkas ini sudah tercatat sebagai bukti perkara; tidak dicatat dua kali.")
    else:
        flash(request, f"Bukti dicatat pada perkara {result.label}.", "success")
    return back


# --- the reporter's consent (`netra consent`) --------------------------------------------------


@dataclass(frozen=True)
class ConsentForm:
    consent: ConsentInput | None
    withdraw: bool
    reason: str


def _consent(form: FormData) -> ConsentForm:
    if text(form, "withdraw") == "ya":
        return ConsentForm(None, True, text(form, "reason"))
    consent = ConsentInput.model_validate(
        {
            "scope": text(form, "scope"),
            "given_on": text(form, "given_on"),
            "means": text(form, "means"),
        }
    )
    return ConsentForm(consent, False, "")


@router.post("/perkara/{case_id}/persetujuan-pelapor")
async def consent(request: Request, case_id: int) -> Response:
    return await stage_action(
        request,
        case_id,
        Action.RECORD,
        _consent,
        lambda f, ref, x, who: f.consent_flow(ref, x.consent, x.withdraw, x.reason, who),
    )


# --- a text correction (`netra correct`) ------------------------------------------------------


@dataclass(frozen=True)
class CorrectionForm:
    target: str
    text: str
    reason: str


def _correction(form: FormData) -> CorrectionForm:
    return CorrectionForm(text(form, "target"), text(form, "text"), text(form, "reason"))


@router.post("/perkara/{case_id}/koreksi")
async def correct(request: Request, case_id: int) -> Response:
    return await stage_action(
        request,
        case_id,
        Action.RECORD,
        _correction,
        lambda f, ref, x, who: f.correction_flow(ref, x.target, x.text, x.reason, who),
    )


# --- the authority's reply (`netra reply`) ----------------------------------------------------


def _reply(form: FormData) -> ReplyInput:
    fields = ("kind", "date", "reference", "number", "sanction", "reason")
    data: dict[str, Any] = {name: text(form, name) for name in fields}
    data["authority"] = text(form, "authority") or None
    return ReplyInput.model_validate(data)


@router.post("/perkara/{case_id}/tanggapan")
async def reply(request: Request, case_id: int) -> Response:
    return await stage_action(
        request,
        case_id,
        Action.RECORD,
        _reply,
        lambda f, ref, x, who: f.reply_flow(ref, x, who),
    )


# --- links between related cases (`netra link`, `netra unlink`) --------------------------------


@dataclass(frozen=True)
class LinkForm:
    other: str
    reason: str
    action: LinkAction


def _link(form: FormData) -> LinkForm:
    try:
        action = LinkAction(text(form, "action") or LinkAction.LINK.value)
    except ValueError:
        raise ValueError("pilih tautkan atau lepaskan") from None
    other = text(form, "other")
    if not other:
        raise ValueError("isi nomor perkara lain")
    return LinkForm(other, text(form, "reason"), action)


def _other_case_readable(request: Request) -> Any:
    """Another office's case is named like one that does not exist (as its page is)."""

    def vet(actor: Actor, parsed: LinkForm) -> str | None:
        try:
            read_case(deps_of(request), actor, parsed.other)
        except (NotPermitted, LookupError):
            return f"perkara '{parsed.other}' tidak ditemukan"
        return None

    return vet


def _link_start(flows: Any, ref: str, x: LinkForm, who: str) -> Any:
    del flows
    from flows.links import link_flow

    return link_flow(ref, x.other, x.reason, x.action, who)


@router.post("/perkara/{case_id}/tautan")
async def link(request: Request, case_id: int) -> Response:
    return await stage_action(
        request, case_id, Action.RECORD, _link, _link_start, vet=_other_case_readable(request)
    )
