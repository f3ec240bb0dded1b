"""The staff desk: server-rendered pages (FastAPI + Jinja2, no JavaScript) over the same
services and stage flows as the command line.

Every route except the login page, the health check, the stylesheet and the API (web/api,
mounted at /api/v1, which checks a bearer token itself) requires a logged-in user: the
middleware below refuses anonymous requests before any route runs (a GET is sent to the login
page, anything else gets 401), and forces a password change first when the password was a
one-time one. Every POST carries the session's CSRF token (`web.desk.csrf_protect`, an
app-wide dependency).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Mount, Route

from adapters.db.audit import set_origin
from config.settings import Settings
from services.deps import use_settings
from services.users import UserProblem, actor_named
from web import actions, auth, mail, pages, records, statistics, users
from web.api import PREFIX, create_api
from web.api.problems import problem_response
from web.desk import Desk, csrf_protect, environment, render, secure
from web.session import COOKIE, SessionCodec, new_csrf_token, secret_key

STATIC_DIR = Path(__file__).resolve().parent / "static"
PUBLIC_PATHS = frozenset({"/masuk", "/sehat"})
PUBLIC_PREFIXES = ("/static/",)
API_PREFIX = "/api/"  # the API (web/api) authenticates its own requests with tokens
PASSWORD_PATHS = frozenset({"/sandi", "/keluar"})  # reachable while a password must change
UPLOAD_FOLDER = "unggahan"  # <var>/unggahan: the desk's evidence inbox (uploads, removed after)


log = logging.getLogger("netra.web")


def is_public(path: str) -> bool:
    """Needs no desk login (the API's own token check aside)."""
    return path in PUBLIC_PATHS or path.startswith((*PUBLIC_PREFIXES, API_PREFIX))


def with_upload_inbox(settings: Settings, folder: str = UPLOAD_FOLDER) -> Settings:
    """`settings` with <var>/`folder` as the evidence inbox: where a form's uploads wait until
    the intake has stored them (then removed)."""
    return settings.model_copy(update={"evidence_inbox": (settings.var_dir / folder).resolve()})


def create_app(settings: Settings) -> FastAPI:
    """The desk for `settings` (its case database migrated; the process's stage flows use the
    same settings, with the desk's upload folder as their evidence inbox)."""
    deps = use_settings(with_upload_inbox(settings))
    codec = SessionCodec(secret_key(settings.var_dir), settings.web_session_hours * 3600)
    templates = Jinja2Templates(env=environment())
    app = FastAPI(
        title="Netra",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf_protect)],
    )
    app.state.desk = Desk(deps, codec, templates)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount(PREFIX, create_api(deps), name="api")
    app.include_router(auth.router)
    app.include_router(pages.router)
    app.include_router(actions.router)
    app.include_router(records.router)
    app.include_router(mail.router)
    app.include_router(users.router)
    app.include_router(statistics.router)

    @app.get("/sehat", include_in_schema=False)
    def health() -> PlainTextResponse:
        return PlainTextResponse("ok")

    @app.middleware("http")
    async def session_and_login(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.url.path.startswith(API_PREFIX):
            # no session, cookie or CSRF token: the API checks a bearer token on every request
            # and answers unknown /api/ paths itself (web/api)
            return await call_next(request)
        # every audit row written for this request says from where (behind a proxy, uvicorn's
        # --forwarded-allow-ips gives the client's own address)
        set_origin(f"desk {request.client.host if request.client else '-'}")
        session = codec.load(request.cookies.get(COOKIE))
        before = dict(session)
        session.setdefault("csrf", new_csrf_token())
        request.state.session = session
        request.state.actor = None
        if username := session.get("user"):
            try:
                request.state.actor = await run_in_threadpool(actor_named, deps, username)
            except UserProblem:  # disabled or removed since: logged out
                session.clear()
                session["csrf"] = new_csrf_token()
        path = request.url.path
        if not is_public(path):
            if request.state.actor is None:
                response: Response = _refuse_anonymous(request)
            elif session.get("must_change") and path not in PASSWORD_PATHS:
                response = RedirectResponse("/sandi", status_code=303)
            else:
                response = await call_next(request)
        else:
            response = await call_next(request)
        _save(request, response, session, changed=session != before, codec=codec, settings=settings)
        return secure(response, cacheable=path.startswith(PUBLIC_PREFIXES))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        if not hasattr(request.state, "session"):  # outside the middleware (never, in practice)
            return PlainTextResponse(str(error.detail), status_code=error.status_code)
        message = {404: "Halaman atau perkara tidak ditemukan."}.get(
            error.status_code, str(error.detail)
        )
        return render(request, "error.html", status_code=error.status_code, message=message)

    @app.exception_handler(StarletteHTTPException)
    async def routing_error(request: Request, error: StarletteHTTPException) -> Response:
        """A path no route (nor the API's mount) matches: the API's problem under /api/, the
        desk's page elsewhere."""
        if request.url.path.startswith(API_PREFIX):
            return problem_response(error.status_code, "Alamat tidak ditemukan.")
        return await http_error(request, HTTPException(error.status_code, str(error.detail)))

    @app.exception_handler(RequestValidationError)
    async def malformed(request: Request, error: RequestValidationError) -> Response:
        """A path or query that is not what the route takes (`/perkara/abc`): not found."""
        return await http_error(request, HTTPException(status_code=404))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        log.exception("desk error on %s", request.url.path)
        return PlainTextResponse(
            "Terjadi kesalahan pada Netra; tidak ada yang dicatat dari permintaan ini. "
            "Hubungi admin bila berulang.",
            status_code=500,
        )

    return app


def route_table(routes: Sequence[BaseRoute]) -> list[tuple[str, frozenset[str]]]:
    """Every path the app answers with its methods (mounted static files as GET), included
    routers flattened: what the security tests walk, so a new route cannot be left out."""
    table: list[tuple[str, frozenset[str]]] = []
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            table += route_table(included.routes)
        elif isinstance(route, Mount):
            table.append((route.path + "/{path}", frozenset({"GET"})))
        elif isinstance(route, Route):
            table.append((route.path, frozenset(route.methods or ())))
    return table


def _refuse_anonymous(request: Request) -> Response:
    if request.method == "GET":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/masuk?lanjut={quote(target, safe='')}", status_code=303)
    return PlainTextResponse("Silakan masuk terlebih dahulu.", status_code=401)


def _save(
    request: Request,
    response: Response,
    session: dict[str, object],
    *,
    changed: bool,
    codec: SessionCodec,
    settings: Settings,
) -> None:
    """Set the cookie when the session changed, and on every page of a logged-in user (the
    session lasts `web_session_hours` from the last request)."""
    if not changed and "user" not in session:
        return
    secure = settings.web_secure_cookies or request.url.scheme == "https"
    response.set_cookie(
        COOKIE,
        codec.dump(dict(session)),
        max_age=codec.max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure,
    )
