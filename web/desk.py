"""What every page of the desk shares: the dependencies, the templates (autoescaped, with the
Indonesian filters), the logged-in user, one-time messages and the CSRF check."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from config.settings import PROJECT_DIR
from models import labels
from models.access import Action, Actor, permits
from models.indonesian import tanggal
from services.deps import Deps
from web.session import SessionCodec

TEMPLATES_DIR = PROJECT_DIR / "templates" / "web"
SHARED_TEMPLATES_DIR = PROJECT_DIR / "templates" / "shared"  # what the desk and public site share
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
}


def secure(response: Response, *, cacheable: bool) -> Response:
    """The security headers on every answer; nothing but static files kept in a cache."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if not cacheable:
        response.headers.setdefault("Cache-Control", "no-store")
    return response


@dataclass(frozen=True)
class Desk:
    deps: Deps
    codec: SessionCodec
    templates: Jinja2Templates


def environment(folder: Path = TEMPLATES_DIR) -> Environment:
    """Every value is escaped (autoescape on for every template, whatever its name); `folder`'s
    templates first, then the shared ones."""
    env = Environment(
        loader=FileSystemLoader([folder, SHARED_TEMPLATES_DIR]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tanggal"] = lambda d: tanggal(d) if isinstance(d, date) else "-"
    env.filters["waktu"] = lambda at, zone="Asia/Jakarta": labels.waktu(at, zone)
    env.globals["labels"] = labels
    env.globals["label"] = labels.label
    return env


def desk_of(request: Request) -> Desk:
    desk: Desk = request.app.state.desk
    return desk


def deps_of(request: Request) -> Deps:
    return desk_of(request).deps


def session_of(request: Request) -> dict[str, Any]:
    session: dict[str, Any] = request.state.session
    return session


def actor_of(request: Request) -> Actor:
    """The logged-in user (the middleware has refused anonymous requests before any route)."""
    actor: Actor | None = getattr(request.state, "actor", None)
    if actor is None:
        raise HTTPException(status_code=401, detail="Silakan masuk terlebih dahulu.")
    return actor


def flash(request: Request, text: str, kind: str = "info") -> None:
    """A message shown once, on the next page."""
    session_of(request).setdefault("flash", []).append([kind, text])


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    session = session_of(request)
    messages = session.pop("flash", [])
    actor: Actor | None = getattr(request.state, "actor", None)
    base = {
        "request": request,
        "actor": actor,
        "csrf": session.get("csrf", ""),
        "messages": messages,
        "may": (lambda action, office: actor is not None and permits(actor, action, office)),
        "Action": Action,
        "now": datetime.now(UTC),
    }
    return desk_of(request).templates.TemplateResponse(
        request, template, {**base, **context}, status_code=status_code
    )


async def csrf_protect(request: Request) -> None:
    """Every request that may change something carries the session's CSRF token (form field
    `csrf`, or the X-CSRF-Token header); refused with 403 otherwise. An app-wide dependency:
    no route can leave it out."""
    if request.method in SAFE_METHODS:
        return
    expected = session_of(request).get("csrf")
    sent: object = request.headers.get("x-csrf-token")
    if sent is None:
        form = await request.form()
        sent = form.get("csrf")
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise HTTPException(
            status_code=403,
            detail="Formulir ini kedaluwarsa atau tidak berasal dari Netra. Muat ulang halaman "
            "lalu kirim lagi.",
        )
