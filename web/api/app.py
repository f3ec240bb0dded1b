"""The REST API (`/api/v1`): a FastAPI application of its own, mounted by the desk. Every request
but the OpenAPI document and its docs page carries `Authorization: Bearer <token>` (a personal
access token, `services.tokens`): it acts as the token's user, with that user's roles, through
the same services and stage flows as the desk. Every answer that is not a success is problem
details (RFC 9457) in Indonesian; nothing else, and never a traceback, reaches the caller."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from adapters.db.audit import set_origin
from models.access import NotPermitted
from services.deps import Deps
from services.tokens import TokenRefused, actor_for_token
from web.api import routes
from web.api.problems import ApiProblem, problem_response, request_problems
from web.api.schemas import Problem

VERSION = "1.0.0"
PREFIX = "/api/v1"
PUBLIC = frozenset({"/openapi.json", "/docs", "/docs/oauth2-redirect"})
_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}
_NO_TOKEN = "Sertakan token akses: header 'Authorization: Bearer <token>' (netra tokens add)."

log = logging.getLogger("netra.api")


def create_api(deps: Deps) -> FastAPI:
    """The API over `deps` (the desk's: the same database, letters and evidence store)."""
    api = FastAPI(
        title="Netra API",
        version=VERSION,
        description=(
            "API Netra untuk sistem lain: penerimaan laporan (format Formulir Model B.1), "
            "daftar dan berkas perkara, tindakan tahapan, unduhan surat dan bukti. Setiap "
            "permintaan memakai token akses pribadi (`netra tokens add`) sebagai "
            "`Authorization: Bearer <token>`; token bertindak sebagai penggunanya, dengan "
            "peran dan kantornya. Kesalahan dijawab sebagai `application/problem+json`."
        ),
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    api.state.deps = deps
    api.include_router(routes.router)

    def openapi() -> dict[str, Any]:
        if api.openapi_schema is None:
            document = get_openapi(
                title=api.title,
                version=api.version,
                description=api.description,
                routes=api.routes,
                servers=api.servers,
            )
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(problem.pop("$defs", {}))
            schemas["Problem"] = problem
            api.openapi_schema = document
        return api.openapi_schema

    api.openapi = openapi  # type: ignore[method-assign]

    @api.middleware("http")
    async def token_and_safety(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        set_origin(f"api {request.client.host if request.client else '-'}")
        path = request.scope["path"][len(request.scope.get("root_path", "")) :]
        try:
            if path not in PUBLIC:
                request.state.actor = await _authenticate(request, deps)
            response = await call_next(request)
        except ApiProblem as problem:
            response = problem_response(
                problem.status, problem.detail, errors=problem.errors, headers=problem.headers
            )
        except Exception:
            log.exception("API error on %s %s", request.method, request.url.path)
            response = _unexpected()
        for name, value in _HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @api.exception_handler(ApiProblem)
    async def api_problem(request: Request, error: ApiProblem) -> Response:
        return problem_response(
            error.status, error.detail, errors=error.errors, headers=error.headers
        )

    @api.exception_handler(NotPermitted)
    async def not_permitted(request: Request, error: NotPermitted) -> Response:
        return problem_response(403, str(error))

    @api.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        detail = {
            400: "Isi permintaan tidak dapat dibaca; kirim JSON dalam UTF-8.",
            404: "Alamat atau perkara tidak ditemukan.",
            405: f"Metode {request.method} tidak diizinkan pada alamat ini.",
        }.get(error.status_code, str(error.detail))
        return problem_response(error.status_code, detail, headers=error.headers)

    @api.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        problems = routes.body_problems(request, error) or request_problems(error.errors())
        return problem_response(422, "Isian tidak valid; tidak ada yang dicatat.", errors=problems)

    return api


async def _authenticate(request: Request, deps: Deps) -> Any:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiProblem(401, _NO_TOKEN, headers={"WWW-Authenticate": "Bearer"})
    try:
        return await run_in_threadpool(actor_for_token, deps, token.strip(), now=datetime.now(UTC))
    except TokenRefused as error:
        raise ApiProblem(
            401, str(error), headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
        ) from None


def _unexpected() -> Response:
    return problem_response(
        500,
        "Terjadi kesalahan pada Netra; tidak ada yang dicatat dari permintaan ini. Hubungi "
        "admin bila berulang.",
    )
