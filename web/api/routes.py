"""The API's operations. Each acts as the token's user (`request.state.actor`, set by the API's
middleware) through the services and stage flows the desk uses: the register and one case
(`services.reading`, which limits them to the offices the user may read), intake of a report in
the contract's format (`services.submission` + the intake flow), the stage actions (the same
flows as `web.actions`), and letter and evidence files (checked against their SHA-256).

Another office's case answers exactly like a case that does not exist (404); a visible case
where the user's role does not allow the action answers 403."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from datetime import date
from types import ModuleType
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from adapters.db.search import MAX_CASE_ID
from models.access import Action, Actor, NotPermitted, require
from models.inputs import (
    ApprovalInput,
    FindingsInput,
    HearingOutcome,
    HearingSchedule,
    PpkDecisionInput,
    VerificationDecision,
)
from models.outcomes import StageOutcome, StageResult
from models.problems import Problem, ReportRejected
from models.report.model import Report
from models.report.parse import parse_report
from models.stages import Stage
from models.statistics import RecapFilter, parse_election
from models.tables.columns import utcnow
from services.audit import LetterTampered
from services.case_file import CaseFileRefused
from services.deps import Deps
from services.intake import validate_for_intake
from services.reading import (
    CaseSearch,
    FileMissing,
    evidence_download,
    letter_download,
    read_case,
    readable_offices,
    search_cases,
)
from services.statistics import recap
from services.submission import submit_report
from web.actions import REFUSALS, outcome_message, run_flow, stage_flows
from web.api.problems import ApiProblem, responses
from web.api.schemas import CaseDetail, CaseList, CaseSummary, Links, StageAnswer, Statistics
from web.pages import attachment, case_file_response

router = APIRouter()
T = TypeVar("T")
MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000
NOT_FOUND = "Perkara tidak ditemukan."
INTAKE_PATH = "/laporan"

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="Token akses pribadi (netra tokens add): `Authorization: Bearer netra_...`",
)


def acting(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor:
    """The token's user (checked by the API's middleware before any route runs)."""
    actor: Actor = request.state.actor
    return actor


def deps_of(request: Request) -> Deps:
    deps: Deps = request.app.state.deps
    return deps


Acting = Annotated[Actor, Depends(acting)]
Dependencies = Annotated[Deps, Depends(deps_of)]
CaseId = Annotated[int, Path(ge=1, le=MAX_CASE_ID, description="Nomor urut perkara (id)")]
FileId = Annotated[int, Path(ge=1, le=MAX_CASE_ID)]


def base_of(request: Request) -> str:
    """The API's own prefix as the caller reached it (`/api/v1`)."""
    return str(request.scope.get("root_path", "")).rstrip("/")


@contextmanager
def not_found_unless_permitted() -> Iterator[None]:
    """Another office's case, or none: the same 404 (and a missing file: its own message)."""
    try:
        yield
    except FileMissing as error:
        raise ApiProblem(404, str(error)) from None
    except (NotPermitted, LookupError):
        raise ApiProblem(404, NOT_FOUND) from None


# --- the register and one case ---------------------------------------------------------------


@router.get(
    "/perkara",
    response_model=CaseList,
    responses=responses(422),
    summary="Daftar perkara (dengan pencarian dan halaman)",
)
async def list_cases(
    request: Request,
    actor: Acting,
    deps: Dependencies,
    q: Annotated[
        str, Query(max_length=200, description="Nomor perkara, #id, nama pihak atau NIP")
    ] = "",
    tahap: Annotated[Stage | None, Query(description="Tahap perkara")] = None,
    kantor: Annotated[str | None, Query(max_length=100, description="Kunci kantor")] = None,
    dari: Annotated[date | None, Query(description="Diterima sejak (TTTT-BB-HH)")] = None,
    sampai: Annotated[date | None, Query(description="Diterima sampai (TTTT-BB-HH)")] = None,
    terbuka: Annotated[bool, Query(description="Hanya perkara yang belum selesai")] = False,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 25,
) -> CaseList:
    search = CaseSearch(
        text=q.replace("\x00", ""),
        stage=tahap,
        office=kantor.replace("\x00", "") if kantor else None,
        received_from=dari,
        received_to=sampai,
        open_only=terbuka,
    )
    found = await run_in_threadpool(search_cases, deps, actor, search, page, per_page)
    query = {k: v for k, v in request.query_params.items() if k != "page"}

    def link(number: int) -> str:
        return f"{base_of(request)}/perkara?{urlencode({**query, 'page': number})}"

    return CaseList(
        items=[CaseSummary.of(case, deadline) for case, deadline in found.rows],
        page=found.page,
        per_page=found.size,
        total=found.total,
        pages=found.pages,
        links=Links(
            self=link(found.page),
            first=link(1),
            last=link(found.pages),
            prev=link(found.page - 1) if found.page > 1 else None,
            next=link(found.page + 1) if found.page < found.pages else None,
        ),
    )


@router.get(
    "/perkara/{case_id}",
    response_model=CaseDetail,
    responses=responses(404, 422),
    summary="Satu perkara: pihak, tenggat, riwayat, surat dan bukti",
)
async def one_case(request: Request, actor: Acting, deps: Dependencies, case_id: CaseId) -> Any:
    with not_found_unless_permitted():
        view = await run_in_threadpool(read_case, deps, actor, str(case_id))
    return CaseDetail.of_view(view, base_of(request))


# --- intake ----------------------------------------------------------------------------------


def body_problems(request: Request, error: RequestValidationError) -> list[Problem]:
    """A report that is not one: every problem Netra's own parser finds in it (the same list
    `netra submit` gives); [] for any other request."""
    if request.method != "POST" or not request.url.path.endswith(INTAKE_PATH):
        return []
    try:
        parse_report(error.body)
    except ReportRejected as rejected:
        return rejected.problems
    return []


def _no_files(report: Report) -> None:
    problems = [
        Problem(
            code="berkas_tidak_didukung",
            field=f"evidence[{i}].file",
            message="berkas bukti tidak dapat dikirim lewat API; catat bukti tanpa berkas, "
            "lalu tambahkan berkasnya di meja kerja atau dengan netra evidence add",
        )
        for i, item in enumerate(report.evidence)
        if item.file
    ]
    if problems:
        raise ApiProblem(422, "Laporan ditolak; tidak ada yang dicatat.", errors=problems)


@router.post(
    INTAKE_PATH,
    status_code=201,
    response_model=CaseDetail,
    responses=responses(400, 403, 409, 422),
    summary="Catat laporan atau temuan baru (Formulir Model B.1, CONTRACTS §1)",
)
async def intake(
    request: Request,
    actor: Acting,
    deps: Dependencies,
    report: Annotated[Report, Body(description="Laporan dalam format kontrak (JSON)")],
) -> Any:
    """The same report twice is recognised: the case recorded the first time is returned."""
    try:
        # Netra's own parser on the document as sent (it adds the rules of a laporan)
        parsed = parse_report(await request.json())
        _no_files(parsed)
        validate_for_intake(parsed, deps.rulebook)
    except ReportRejected as error:
        raise ApiProblem(
            422, "Laporan ditolak; tidak ada yang dicatat.", errors=error.problems
        ) from None
    offices = readable_offices(actor, Action.RECORD)
    if offices is not None and parsed.office not in offices:
        raise NotPermitted(actor, Action.RECORD, parsed.office)
    flows = stage_flows()
    try:
        submission = await run_in_threadpool(submit_report, deps, parsed, now=utcnow())
        case_id = await run_flow(lambda: flows.intake_flow(submission, actor.username))
    except ReportRejected as error:
        raise ApiProblem(
            422, "Laporan ditolak; tidak ada yang dicatat.", errors=error.problems
        ) from None
    except NotPermitted:
        raise
    except REFUSALS as error:
        raise ApiProblem(409, f"Ditolak, tidak ada yang dicatat: {error}") from None
    with not_found_unless_permitted():
        view = await run_in_threadpool(read_case, deps, actor, str(case_id))
    base = base_of(request)
    return JSONResponse(
        CaseDetail.of_view(view, base).model_dump(mode="json"),
        status_code=201,
        headers={"Location": f"{base}/perkara/{case_id}"},
    )


# --- the stage actions -----------------------------------------------------------------------

Start = Callable[[ModuleType, str, Any, str], Coroutine[Any, Any, StageResult]]


async def stage_action(
    deps: Deps, actor: Actor, case_id: int, action: Action, payload: Any, start: Start
) -> StageAnswer:
    """404 unless the user may read the case, 403 unless they may take `action` there, then
    the stage's flow as the user; a refusal of the stage (rolled back) is 409."""
    ref = str(case_id)
    with not_found_unless_permitted():
        view = await run_in_threadpool(read_case, deps, actor, ref)
    require(actor, action, view.case.office_key)
    flows = stage_flows()
    try:
        result = await run_flow(lambda: start(flows, ref, payload, actor.username))
    except NotPermitted:
        raise
    except REFUSALS as error:
        raise ApiProblem(409, f"Ditolak, tidak ada yang dicatat: {error}") from None
    _, message = outcome_message(result)
    if result.outcome is StageOutcome.ELSEWHERE:
        raise ApiProblem(409, message)
    return StageAnswer.of(result, message)


STAGE_RESPONSES = responses(400, 403, 404, 409, 422)


class ExtensionInput(BaseModel):
    reason: str = Field(min_length=1, max_length=2000, title="Alasan perpanjangan")


def _stage_route(path: str, summary: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
    return router.post(
        f"/perkara/{{case_id}}/{path}",
        response_model=StageAnswer,
        responses=STAGE_RESPONSES,
        summary=summary,
    )


@_stage_route("kajian-awal", "Keputusan kajian awal")
async def verify(
    actor: Acting, deps: Dependencies, case_id: CaseId, decision: VerificationDecision
) -> StageAnswer:
    return await stage_action(
        deps,
        actor,
        case_id,
        Action.VERIFY,
        decision,
        lambda f, ref, x, who: f.verification_flow(ref, x, who),
    )


@_stage_route("undangan", "Jadwal klarifikasi dan undangan")
async def clarify(
    actor: Acting, deps: Dependencies, case_id: CaseId, schedule: HearingSchedule
) -> StageAnswer:
    return await stage_action(
        deps,
        actor,
        case_id,
        Action.CLARIFY,
        schedule,
        lambda f, ref, x, who: f.clarification_flow(ref, x, who),
    )


@_stage_route("berita-acara", "Hasil klarifikasi (berita acara)")
async def hearing(
    actor: Acting,
    deps: Dependencies,
    case_id: CaseId,
    outcomes: Annotated[list[HearingOutcome], Body(min_length=1)],
) -> StageAnswer:
    return await stage_action(
        deps,
        actor,
        case_id,
        Action.CLARIFY,
        outcomes,
        lambda f, ref, x, who: f.clarification_record_flow(ref, x, who),
    )


@_stage_route("rekomendasi", "Kajian dan rekomendasi (CONTRACTS §2)")
async def recommend(
    actor: Acting, deps: Dependencies, case_id: CaseId, findings: FindingsInput
) -> StageAnswer:
    return await stage_action(
        deps,
        actor,
        case_id,
        Action.RECOMMEND,
        findings,
        lambda f, ref, x, who: f.recommendation_flow(ref, x, who),
    )


@_stage_route("persetujuan", "Persetujuan pimpinan atas rekomendasi")
async def approve(
    actor: Acting,
    deps: Dependencies,
    case_id: CaseId,
    approval: ApprovalInput,
    kirim: Annotated[
        bool, Query(description="Langsung kirim surat setelah disetujui (false: `notifikasi`)")
    ] = True,
) -> StageAnswer:
    return await stage_action(
        deps,
        actor,
        case_id,
        Action.APPROVE,
        approval,
        lambda f, ref, x, who: f.approval_flow(ref, x, who, send_letters=x.approved and kirim),
    )


@_stage_route("notifikasi", "Kirim surat yang telah disetujui")
async def notify(actor: Acting, deps: Dependencies, case_id: CaseId) -> StageAnswer:
    return await stage_action(
        deps,
        actor,
        case_id,
        Action.SEND_MAIL,
        None,
        lambda f, ref, x, who: f.notification_flow(ref, who),
    )


@_stage_route("keputusan-ppk", "Keputusan PPK (menutup perkara)")
async def ppk_decision(
    actor: Acting, deps: Dependencies, case_id: CaseId, decision: PpkDecisionInput
) -> StageAnswer:
    return await stage_action(
        deps,
        actor,
        case_id,
        Action.PPK_DECISION,
        decision,
        lambda f, ref, x, who: f.ppk_decision_flow(ref, x, who),
    )


@_stage_route("perpanjangan", "Perpanjangan tenggat")
async def extend(
    actor: Acting, deps: Dependencies, case_id: CaseId, extension: ExtensionInput
) -> StageAnswer:
    return await stage_action(
        deps,
        actor,
        case_id,
        Action.EXTEND,
        extension.reason,
        lambda f, ref, x, who: f.extension_flow(ref, x, who),
    )


# --- files -----------------------------------------------------------------------------------

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_BINARY = {"schema": {"type": "string", "format": "binary"}}


def _file_responses(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {"description": description, "content": {media_type: _BINARY}},
        **responses(404, 409, 422),
    }


async def _letter(deps: Deps, actor: Actor, case_id: int, letter_id: int, pdf: bool) -> Response:
    with not_found_unless_permitted():
        try:
            download = await run_in_threadpool(
                lambda: letter_download(deps, actor, str(case_id), letter_id, pdf=pdf)
            )
        except LetterTampered:
            raise ApiProblem(
                409,
                "Berkas surat ini berubah sejak diterbitkan dan tidak diberikan; hubungi admin.",
            ) from None
    return attachment(download)


@router.get(
    "/perkara/{case_id}/surat/{letter_id}.docx",
    response_class=Response,
    responses=_file_responses(DOCX, "Surat (.docx) sebagaimana diterbitkan"),
    summary="Unduh surat (.docx)",
)
async def letter_docx(
    actor: Acting, deps: Dependencies, case_id: CaseId, letter_id: FileId
) -> Response:
    return await _letter(deps, actor, case_id, letter_id, pdf=False)


@router.get(
    "/perkara/{case_id}/surat/{letter_id}.pdf",
    response_class=Response,
    responses=_file_responses("application/pdf", "Surat (.pdf) sebagaimana diterbitkan"),
    summary="Unduh surat (.pdf)",
)
async def letter_pdf(
    actor: Acting, deps: Dependencies, case_id: CaseId, letter_id: FileId
) -> Response:
    return await _letter(deps, actor, case_id, letter_id, pdf=True)


@router.get(
    "/perkara/{case_id}/bukti/{evidence_id}",
    response_class=Response,
    responses=_file_responses(
        "*/*", "Berkas bukti (jenis berkasnya, atau application/octet-stream)"
    ),
    summary="Unduh berkas bukti",
)
async def evidence_file(
    actor: Acting, deps: Dependencies, case_id: CaseId, evidence_id: FileId
) -> Response:
    with not_found_unless_permitted():
        download = await run_in_threadpool(
            evidence_download, deps, actor, str(case_id), evidence_id
        )
    return attachment(download)


@router.get(
    "/perkara/{case_id}/berkas.zip",
    response_class=Response,
    responses=_file_responses(
        "application/zip",
        "Berkas perkara untuk diserahkan: surat (.docx dan .pdf), bukti, indeks HTML dan CSV, "
        "jejak audit, SHA256SUMS",
    ),
    summary="Unduh berkas perkara (ZIP)",
)
async def case_file(
    actor: Acting,
    deps: Dependencies,
    case_id: CaseId,
    samarkan: Annotated[
        bool, Query(description="Tanpa identitas pelapor, walau pengguna berwenang melihatnya")
    ] = False,
) -> Response:
    with not_found_unless_permitted():
        try:
            return await case_file_response(deps, actor, case_id, redact=samarkan)
        except CaseFileRefused as error:
            raise ApiProblem(409, str(error)) from None


@router.get(
    "/statistik",
    response_model=Statistics,
    responses=responses(403, 422),
    summary="Rekap statistik (kantor yang boleh dibaca pengguna)",
)
async def statistics(
    actor: Acting,
    deps: Dependencies,
    dari: Annotated[date | None, Query(description="Diterima sejak (TTTT-BB-HH)")] = None,
    sampai: Annotated[date | None, Query(description="Diterima sampai (TTTT-BB-HH)")] = None,
    kantor: Annotated[str | None, Query(max_length=120, description="Kunci kantor")] = None,
    wilayah: Annotated[
        str | None, Query(max_length=20, description="Kode wilayah Kemendagri, mis. 64 atau 64.09")
    ] = None,
    pemilihan: Annotated[
        str | None, Query(max_length=20, description="pemilu-2024, pilkada-2024, pilkada, 2024")
    ] = None,
) -> Statistics:
    election_type, election_year = parse_election(pemilihan or "")
    wanted = RecapFilter(
        received_from=dari,
        received_to=sampai,
        election_type=election_type,
        election_year=election_year,
        office=kantor.replace("\x00", "") if kantor else None,
        region=wilayah.replace("\x00", "") if wilayah else None,
    )
    try:
        found = await run_in_threadpool(recap, deps, actor, wanted)
    except NotPermitted as error:
        raise ApiProblem(403, str(error)) from None
    return Statistics.of(found)
