"""Logging in (throttled by `services.users.log_in`), the forced password change, logging out."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from services.users import UserProblem, change_password, log_in
from web.desk import actor_of, deps_of, flash, render, session_of
from web.session import new_csrf_token

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only a path of this site (never `//host` or a full URL) is followed after login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/masuk")
def login_page(request: Request, lanjut: str | None = None) -> Response:
    if getattr(request.state, "actor", None) is not None:
        return RedirectResponse(safe_next(lanjut), status_code=303)
    return render(request, "login.html", lanjut=safe_next(lanjut), username="", error=None)


@router.post("/masuk")
async def login(request: Request) -> Response:
    form = await request.form()
    username = str(form.get("username", ""))
    password = str(form.get("password", ""))
    target = safe_next(str(form.get("lanjut", "")))
    address = request.client.host if request.client else "unknown"
    try:
        result = await run_in_threadpool(
            lambda: log_in(
                deps_of(request), username, password, address=address, now=datetime.now(UTC)
            )
        )
    except UserProblem as error:
        return render(
            request,
            "login.html",
            status_code=401,
            lanjut=target,
            username=username,
            error=str(error),
        )
    session = session_of(request)
    session.clear()  # a new session: a new CSRF token, nothing of before
    session.update(user=result.actor.username, csrf=new_csrf_token())
    if result.must_change_password:
        session["must_change"] = True
        return RedirectResponse("/sandi", status_code=303)
    return RedirectResponse(target, status_code=303)


@router.post("/keluar")
def logout(request: Request) -> Response:
    session = session_of(request)
    session.clear()
    session["csrf"] = new_csrf_token()
    return RedirectResponse("/masuk", status_code=303)


@router.get("/sandi")
def password_page(request: Request) -> Response:
    actor_of(request)
    forced = bool(session_of(request).get("must_change"))
    return render(request, "password.html", forced=forced, error=None)


@router.post("/sandi")
async def password_change(request: Request) -> Response:
    actor = actor_of(request)
    form = await request.form()
    current, new, again = (str(form.get(k, "")) for k in ("current", "new", "again"))
    forced = bool(session_of(request).get("must_change"))
    error: str | None = None
    if new != again:
        error = "Kata sandi baru dan ulangannya tidak sama."
    else:
        try:
            await run_in_threadpool(change_password, deps_of(request), actor.username, current, new)
        except UserProblem as problem:
            error = str(problem)
    if error:
        return render(request, "password.html", status_code=400, forced=forced, error=error)
    session_of(request).pop("must_change", None)
    flash(request, "Kata sandi telah diganti.")
    return RedirectResponse("/", status_code=303)
