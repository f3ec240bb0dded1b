"""User administration for an admin (`netra users`): the list, adding a user with one role,
disabling and enabling, a new one-time password, granting and revoking a role. Every service
call checks MANAGE_USERS itself; anyone else gets 404 here, as for a page that does not exist.

A one-time password is shown once, on the page that answers the form: never in a redirect's
message (the session cookie is signed, not encrypted)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from models.access import ALL_OFFICES, PERSON_ROLES, Action, Actor, NotPermitted, may_anywhere
from models.tables.columns import utcnow
from services.users import (
    UserProblem,
    add_user,
    change_roles,
    list_users,
    parse_membership,
    reset_password,
    set_active,
)
from web.desk import actor_of, deps_of, flash, render
from web.forms import text

router = APIRouter()
BACK = "/pengguna"


def _admin(request: Request) -> Actor:
    actor = actor_of(request)
    if not may_anywhere(actor, Action.MANAGE_USERS):
        raise HTTPException(status_code=404)
    return actor


async def _page(request: Request, actor: Actor, status_code: int = 200, **extra: Any) -> Response:
    deps = deps_of(request)
    users = await run_in_threadpool(list_users, deps, actor)
    return render(
        request,
        "users.html",
        status_code=status_code,
        users=users,
        offices=deps.rulebook.offices,
        all_offices=ALL_OFFICES,
        roles=PERSON_ROLES,
        values=extra.pop("values", {}),
        error=extra.pop("error", None),
    )


@router.get("/pengguna")
async def users_page(request: Request) -> Response:
    return await _page(request, _admin(request))


def _password_page(request: Request, username: str, password: str, *, added: bool) -> Response:
    return render(request, "user_password.html", username=username, password=password, added=added)


@router.post("/pengguna")
async def add(request: Request) -> Response:
    actor = _admin(request)
    deps = deps_of(request)
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}
    username = text(form, "username").lower()
    try:
        membership = parse_membership(
            f"{text(form, 'office')}:{text(form, 'role')}", deps.rulebook.offices
        )
        password = await run_in_threadpool(
            lambda: add_user(
                deps,
                actor,
                username,
                text(form, "name"),
                [membership],
                can_log_in=text(form, "no_login") != "1",
            )
        )
    except (UserProblem, NotPermitted) as error:
        return await _page(request, actor, 400, values=values, error=str(error))
    if password is None:
        flash(request, f"Pengguna {username} ditambahkan (tanpa login).", "success")
        return RedirectResponse(BACK, status_code=303)
    return _password_page(request, username, password, added=True)


async def _act(request: Request, call: Callable[[], object], done: str) -> Response:
    try:
        await run_in_threadpool(call)
    except (UserProblem, NotPermitted) as error:
        flash(request, f"Ditolak: {error}", "error")
    else:
        flash(request, done, "success")
    return RedirectResponse(BACK, status_code=303)


@router.post("/pengguna/{username}/nonaktifkan")
async def disable(request: Request, username: str) -> Response:
    actor = _admin(request)
    deps = deps_of(request)
    return await _act(
        request,
        lambda: set_active(deps, actor, username, active=False, now=utcnow()),
        f"Pengguna {username} dinonaktifkan.",
    )


@router.post("/pengguna/{username}/aktifkan")
async def enable(request: Request, username: str) -> Response:
    actor = _admin(request)
    deps = deps_of(request)
    return await _act(
        request,
        lambda: set_active(deps, actor, username, active=True, now=utcnow()),
        f"Pengguna {username} diaktifkan.",
    )


@router.post("/pengguna/{username}/sandi-baru")
async def new_password(request: Request, username: str) -> Response:
    actor = _admin(request)
    deps = deps_of(request)
    try:
        password = await run_in_threadpool(reset_password, deps, actor, username)
    except (UserProblem, NotPermitted) as error:
        flash(request, f"Ditolak: {error}", "error")
        return RedirectResponse(BACK, status_code=303)
    return _password_page(request, username, password, added=False)


@router.post("/pengguna/{username}/peran")
async def roles(request: Request, username: str) -> Response:
    actor = _admin(request)
    deps = deps_of(request)
    form = await request.form()
    granted = text(form, "change") != "cabut"
    role = f"{text(form, 'office')}:{text(form, 'role')}"
    try:
        membership = parse_membership(role, deps.rulebook.offices)
        changed = await run_in_threadpool(
            lambda: change_roles(deps, actor, username, membership, granted=granted)
        )
    except (UserProblem, NotPermitted) as error:
        flash(request, f"Ditolak: {error}", "error")
        return RedirectResponse(BACK, status_code=303)
    what = "diberikan kepada" if granted else "dicabut dari"
    flash(
        request,
        f"Peran {role} {what} {username}." if changed else "Tidak ada yang berubah.",
        "success" if changed else "info",
    )
    return RedirectResponse(BACK, status_code=303)
