"""The people who use Netra: the first accounts, adding and disabling users, their roles per
office, passwords, logging in (throttled), and turning a user name into the `Actor` every other
service is given. Messages are Indonesian; nothing here prints."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from adapters.db import users as table
from adapters.db.audit import append_audit
from adapters.db.engine import unit_of_work
from adapters.passwords import hash_password, one_time_password, verify_password
from models.access import (
    ALL_OFFICES,
    CHANNELS,
    PERSON_ROLES,
    SYSTEM,
    Action,
    Actor,
    Membership,
    Role,
    require_anywhere,
)
from models.audit import AuditAction
from models.tables import AppUser, LoginFailure
from models.tables.columns import utcnow
from services.deps import DatabaseDeps

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 10
ADMIN_USERNAME = "admin"


class UserProblem(ValueError):
    """A user request that cannot be done; the message is Indonesian."""


class LoginRefused(UserProblem):
    pass


def _audit(
    session: Session, by: Actor, action: AuditAction, detail: str, now: datetime | None = None
) -> None:
    """User administration and logins are rows of the audit trail too (no case)."""
    append_audit(
        session,
        actor_id=by.user_id,
        actor=by.label,
        action=action,
        case_id=None,
        detail=detail,
        now=now or utcnow(),
    )


@dataclass(frozen=True)
class FirstRun:
    """The accounts created on a database's first run, and the admin's one-time password (it
    is printed once and never stored in clear)."""

    admin_username: str
    admin_password: str
    operator_username: str


@dataclass(frozen=True)
class UserView:
    username: str
    name: str
    active: bool
    can_log_in: bool
    must_change_password: bool
    memberships: frozenset[Membership]


def ensure_accounts(deps: DatabaseDeps) -> FirstRun | None:
    """On a database without users: the first admin (a one-time password) and the command
    line's operator account (no password: it cannot log in to the desk). None afterwards."""
    operator = deps.settings.operator
    with unit_of_work(deps.engine) as session:
        if table.count_users(session) > 0:
            return None
        password = one_time_password()
        admin = AppUser(
            username=ADMIN_USERNAME,
            name="Administrator",
            password_hash=hash_password(password),
            must_change_password=True,
        )
        session.add(admin)
        session.flush()
        assert admin.id is not None
        table.grant(session, admin.id, ALL_OFFICES, Role.ADMIN)
        if operator != ADMIN_USERNAME:
            account = AppUser(username=operator, name="Operator CLI")
            session.add(account)
            session.flush()
            assert account.id is not None
            for role in (Role.PEMERIKSA, Role.PIMPINAN, Role.ADMIN):
                table.grant(session, account.id, ALL_OFFICES, role)
        _audit(session, SYSTEM, AuditAction.ACCOUNTS_CREATED, f"admin, {operator}")
    return FirstRun(ADMIN_USERNAME, password, operator)


def actor_named(deps: DatabaseDeps, username: str) -> Actor:
    """The active user `username` as an Actor ("sistem": Netra itself, "publik": the public
    site's channel); an Indonesian refusal otherwise."""
    for channel in CHANNELS:
        if username == channel.username:
            return channel
    if not username.strip():
        raise UserProblem("Nama pengguna Netra yang bertindak wajib diisi.")
    with unit_of_work(deps.engine) as session:
        user = table.user_by_name(session, username.strip())
        if user is None:
            raise UserProblem(
                f"Pengguna '{username}' tidak dikenal. Daftar pengguna: netra users list."
            )
        if not user.active:
            raise UserProblem(f"Pengguna '{username}' dinonaktifkan.")
        return table.actor_of(session, user)


def parse_membership(text: str, offices: Iterable[str]) -> Membership:
    """`KANTOR:PERAN` (or `*:PERAN` for every office) as given on the command line or a form."""
    office, _, role = text.partition(":")
    known = sorted(offices)
    if not role:
        raise UserProblem(f"'{text}': tulis sebagai KANTOR:PERAN, misalnya {known[0]}:pemeriksa.")
    if office != ALL_OFFICES and office not in known:
        raise UserProblem(f"Kantor '{office}' tidak dikenal. Kantor: {', '.join(known)}, atau *.")
    try:
        parsed = Role(role)
    except ValueError:
        parsed = None
    if parsed not in PERSON_ROLES:
        names = ", ".join(r.value for r in PERSON_ROLES)
        raise UserProblem(f"Peran '{role}' tidak dikenal. Peran: {names}.")
    assert parsed is not None
    return Membership(office, parsed)


def add_user(
    deps: DatabaseDeps,
    by: Actor,
    username: str,
    name: str,
    memberships: Iterable[Membership],
    *,
    can_log_in: bool = True,
) -> str | None:
    """A new user with their roles; returns their one-time password (None: no login)."""
    require_anywhere(by, Action.MANAGE_USERS)
    username = username.strip().lower()
    if not USERNAME.match(username) or username in {c.username for c in CHANNELS}:
        raise UserProblem(
            f"Nama pengguna '{username}' tidak valid: 2-64 huruf kecil, angka, titik, "
            "garis bawah atau tanda hubung, diawali huruf atau angka."
        )
    if not name.strip():
        raise UserProblem("Nama lengkap pengguna wajib diisi.")
    roles = list(memberships)
    if not roles:
        raise UserProblem("Beri pengguna sedikitnya satu peran: --role KANTOR:PERAN.")
    password = one_time_password() if can_log_in else None
    with unit_of_work(deps.engine) as session:
        if table.user_by_name(session, username) is not None:
            raise UserProblem(f"Pengguna '{username}' sudah ada.")
        user = AppUser(
            username=username,
            name=name.strip(),
            password_hash=hash_password(password) if password else None,
            must_change_password=password is not None,
        )
        session.add(user)
        session.flush()
        assert user.id is not None
        for membership in roles:
            table.grant(session, user.id, membership.office_key, membership.role)
        granted = ", ".join(f"{m.office_key}:{m.role.value}" for m in sorted(roles))
        _audit(session, by, AuditAction.USER_ADDED, f"{username} ({granted})")
    return password


def list_users(deps: DatabaseDeps, by: Actor) -> list[UserView]:
    require_anywhere(by, Action.MANAGE_USERS)
    with unit_of_work(deps.engine) as session:
        return [
            UserView(
                user.username,
                user.name,
                user.active,
                user.password_hash is not None,
                user.must_change_password,
                memberships,
            )
            for user, memberships in table.all_users(session)
        ]


def _existing(deps: DatabaseDeps, by: Actor, username: str) -> None:
    require_anywhere(by, Action.MANAGE_USERS)
    with unit_of_work(deps.engine) as session:
        if table.user_by_name(session, username) is None:
            raise UserProblem(f"Pengguna '{username}' tidak dikenal.")


def set_active(
    deps: DatabaseDeps, by: Actor, username: str, *, active: bool, now: datetime
) -> None:
    """Disable (or enable again) a user: a disabled user cannot log in or act."""
    _existing(deps, by, username)
    if not active and username == by.username:
        raise UserProblem("Anda tidak dapat menonaktifkan akun Anda sendiri.")
    with unit_of_work(deps.engine) as session:
        user = table.user_by_name(session, username)
        assert user is not None
        user.active = active
        user.disabled_at = None if active else now
        session.add(user)
        action = AuditAction.USER_ENABLED if active else AuditAction.USER_DISABLED
        _audit(session, by, action, username, now)


def reset_password(deps: DatabaseDeps, by: Actor, username: str) -> str:
    """A new one-time password for `username`, to be changed at their next login."""
    _existing(deps, by, username)
    password = one_time_password()
    with unit_of_work(deps.engine) as session:
        user = table.user_by_name(session, username)
        assert user is not None
        user.password_hash = hash_password(password)
        user.must_change_password = True
        session.add(user)
        table.clear_failures(session, username)
        _audit(session, by, AuditAction.PASSWORD_RESET, username)
    return password


def change_roles(
    deps: DatabaseDeps, by: Actor, username: str, membership: Membership, *, granted: bool
) -> bool:
    """Grant or revoke one role in one office; False when nothing changed."""
    _existing(deps, by, username)
    with unit_of_work(deps.engine) as session:
        user = table.user_by_name(session, username)
        assert user is not None and user.id is not None
        if granted:
            changed = table.grant(session, user.id, membership.office_key, membership.role)
        else:
            changed = table.revoke(session, user.id, membership.office_key, membership.role)
        if changed:
            action = AuditAction.ROLE_GRANTED if granted else AuditAction.ROLE_REVOKED
            _audit(session, by, action, f"{username} {membership.office_key}:{membership.role}")
        return changed


def change_password(deps: DatabaseDeps, username: str, current: str, new: str) -> None:
    """The user's own new password (required after a one-time password)."""
    if len(new) < MIN_PASSWORD:
        raise UserProblem(f"Kata sandi baru minimal {MIN_PASSWORD} karakter.")
    if new == current:
        raise UserProblem("Kata sandi baru harus berbeda dari yang lama.")
    with unit_of_work(deps.engine) as session:
        user = table.user_by_name(session, username)
        if user is None or not verify_password(current, user.password_hash):
            raise UserProblem("Kata sandi lama salah.")
        user.password_hash = hash_password(new)
        user.must_change_password = False
        session.add(user)
        _audit(session, table.actor_of(session, user), AuditAction.PASSWORD_CHANGED, username)


@dataclass(frozen=True)
class Login:
    actor: Actor
    must_change_password: bool


def log_in(
    deps: DatabaseDeps, username: str, password: str, *, address: str, now: datetime
) -> Login:
    """The user, when the password is right and neither the user name nor the address has
    failed too often lately; the same refusal for an unknown user and a wrong password."""
    settings = deps.settings
    username = username.strip().lower()
    since = now - timedelta(minutes=settings.login_lock_minutes)
    with unit_of_work(deps.engine) as session:
        by_user, by_address = table.recent_failures(
            session, username=username, address=address, since=since
        )
        if (
            by_user >= settings.login_max_failures
            or by_address >= settings.login_max_failures_per_address
        ):
            raise LoginRefused(
                "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam "
                f"{settings.login_lock_minutes} menit."
            )
        user = table.user_by_name(session, username)
        stored = user.password_hash if user is not None and user.active else None
        if user is not None and verify_password(password, stored):
            table.clear_failures(session, username)
            actor = table.actor_of(session, user)
            _audit(session, actor, AuditAction.LOGIN, f"dari {address}", now)
            return Login(actor, user.must_change_password)
        session.add(LoginFailure(username=username, address=address, at=now))
        _audit(session, SYSTEM, AuditAction.LOGIN_REFUSED, f"{username} dari {address}", now)
    raise LoginRefused("Nama pengguna atau kata sandi salah.")  # after the failure is kept
