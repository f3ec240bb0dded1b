"""The public site's app: no login, no personal data. Every POST carries the CSRF token of a
small signed cookie (its own name and salt, apart from the desk's session); every answer carries
the desk's security headers. Routers add the pages; `route_table` walks them for the tests that
check that no public page shows personal data."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from adapters.db.audit import set_origin
from config.settings import PROJECT_DIR, Settings
from services.deps import use_settings
from web.app import STATIC_DIR, with_upload_inbox
from web.desk import Desk, csrf_protect, environment, render, secure
from web.public import home, kajian, report, track, verification
from web.session import SessionCodec, new_csrf_token, secret_key

PUBLIC_TEMPLATES_DIR = PROJECT_DIR / "templates" / "publik"
COOKIE = "netra_publik"
UPLOAD_FOLDER = "unggahan-publik"  # <var>/unggahan-publik: online reports' uploads, removed after
SESSION_HOURS = 2  # long enough to fill in a report form

log = logging.getLogger("netra.publik")


def create_public_app(settings: Settings) -> FastAPI:
    """The public site over the same case database as the desk (migrated on first use)."""
    deps = use_settings(with_upload_inbox(settings, UPLOAD_FOLDER))
    codec = SessionCodec(
        secret_key(settings.var_dir), SESSION_HOURS * 3600, salt="netra-publik-sesi"
    )
    app = FastAPI(
        title="Netra publik",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf_protect)],
    )
    app.state.desk = Desk(deps, codec, Jinja2Templates(env=environment(PUBLIC_TEMPLATES_DIR)))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(home.router)
    for service in (report, track, kajian, verification):
        app.include_router(service.router)
    app.middleware("http")(verification.upload_limit)  # inside session_only: it renders pages

    @app.get("/sehat", include_in_schema=False)
    def health() -> PlainTextResponse:
        return PlainTextResponse("ok")

    @app.middleware("http")
    async def session_only(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        set_origin(f"publik {request.client.host if request.client else '-'}")
        session = codec.load(request.cookies.get(COOKIE))
        before = dict(session)
        session.setdefault("csrf", new_csrf_token())
        request.state.session = session
        request.state.actor = None
        response = await call_next(request)
        if session != before:
            response.set_cookie(
                COOKIE,
                codec.dump(dict(session)),
                max_age=codec.max_age,
                path="/",
                httponly=True,
                samesite="lax",
                secure=settings.web_secure_cookies or request.url.scheme == "https",
            )
        return secure(response, cacheable=request.url.path.startswith("/static/"))

    @app.exception_handler(StarletteHTTPException)  # FastAPI's and the router's own 404/405
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if not hasattr(request.state, "session"):
            return PlainTextResponse(str(error.detail), status_code=error.status_code)
        message = {404: "Halaman tidak ditemukan."}.get(error.status_code, str(error.detail))
        return render(request, "error.html", status_code=error.status_code, message=message)

    @app.exception_handler(RequestValidationError)
    async def malformed(request: Request, error: RequestValidationError) -> Response:
        return await http_error(request, HTTPException(status_code=404))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        log.exception("public site error on %s", request.url.path)
        return PlainTextResponse(
            "Terjadi kesalahan pada Netra; tidak ada yang dicatat dari permintaan ini. "
            "Silakan coba lagi nanti.",
            status_code=500,
        )

    return app
