"""Every error of the API as RFC 9457 problem details (`application/problem+json`): a type URI,
a title and a detail in Indonesian, the status, and for invalid input every problem with the
field it names (`errors: [{path, message, code}]`, the paths Netra's report validation uses).
The responses each operation may give are declared here too, so the OpenAPI document lists
them all."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi.responses import JSONResponse

from models.problems import Problem
from models.report.parse import problems_from_errors
from web.api.schemas import ProblemField

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "urn:netra:masalah:"

TITLES: Mapping[int, str] = {
    400: "Permintaan tidak valid",
    401: "Perlu token akses",
    403: "Tidak berwenang",
    404: "Tidak ditemukan",
    405: "Metode tidak diizinkan",
    406: "Format jawaban tidak tersedia",
    409: "Tidak dapat dilakukan",
    413: "Permintaan terlalu besar",
    415: "Jenis isi tidak didukung",
    422: "Isian tidak valid",
    500: "Kesalahan pada Netra",
}
_SLUGS: Mapping[int, str] = {
    401: "token",
    403: "tidak-berwenang",
    404: "tidak-ditemukan",
    409: "ditolak",
    422: "isian-tidak-valid",
    500: "kesalahan-server",
}
_PLACES = frozenset({"body", "query", "path", "header", "cookie"})


class ApiProblem(Exception):
    """Raised anywhere in the API; answered as problem details."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: Sequence[Problem] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors
        self.headers = dict(headers or {})


def problem_response(
    status: int,
    detail: str,
    *,
    errors: Sequence[Problem] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"{TYPE_BASE}{_SLUGS[status]}" if status in _SLUGS else "about:blank",
        "title": TITLES.get(status) or _phrase(status),
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = [
            ProblemField(path=p.field, message=p.message, code=p.code).model_dump() for p in errors
        ]
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Kesalahan"


def request_problems(errors: Iterable[Mapping[str, Any]]) -> list[Problem]:
    """FastAPI's validation errors as Netra's: the field without its place (`body`, `query`)
    unless that is all there is, the message in Indonesian."""
    problems: list[Problem] = []
    for error in errors:
        loc = tuple(error.get("loc") or ())
        if str(error.get("type")) == "json_invalid":
            problems.append(
                Problem(
                    code="json_tidak_valid",
                    field="(isi)",
                    message="isi permintaan bukan JSON yang valid",
                )
            )
            continue
        if loc and loc[0] in _PLACES:
            loc = loc[1:]
        translated = problems_from_errors([{**error, "loc": loc}])
        problems += [p if p.field else p.model_copy(update={"field": "(isi)"}) for p in translated]
    return problems


def _problem_content(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The problem responses an operation declares (401 and 500 always)."""
    described = {
        400: "Isi permintaan tidak dapat dibaca (bukan JSON dalam UTF-8)",
        401: "Tanpa token, atau token tidak valid, kedaluwarsa atau dicabut",
        403: "Pengguna token tidak berwenang untuk tindakan ini",
        404: "Perkara (atau berkasnya) tidak ada, atau milik kantor lain",
        409: "Ditolak oleh aturan tahapan; tidak ada yang dicatat",
        422: "Isian tidak valid; setiap masalah disebut pada `errors`",
        500: "Kesalahan tak terduga pada Netra; tidak ada yang dicatat",
    }
    wanted = sorted({401, 500, *statuses})
    return {status: _problem_content(described[status]) for status in wanted}
