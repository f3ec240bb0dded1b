"""Personal access tokens for the API (`/api/v1`): made for a user (by themselves, or by an
admin for them), listed, revoked, and turned back into the user's `Actor` on every request. A
token acts as its owner with the owner's roles, exactly as they would at the desk.

A token is `netra_` followed by 43 random URL-safe characters (256 bits). Only its SHA-256 is
stored: a random secret that long needs no slow, salted hash (there is no dictionary to guess
from), and a plain digest lets a request find its token by an indexed lookup. The token is
returned once, when made; nobody can read it back. Making and revoking are rows of the audit
trail; the token never is.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from adapters.db import users as user_table
from adapters.db.audit import append_audit
from adapters.db.engine import unit_of_work
from models.access import Action, Actor, may_anywhere
from models.audit import AuditAction
from models.tables import ApiToken, AppUser
from services.deps import Deps
from services.users import UserProblem

TOKEN_PREFIX = "netra_"
DEFAULT_DAYS = 90
MAX_DAYS = 3650
NAME_MAX = 100
LAST_USED_EVERY = timedelta(minutes=1)  # `last_used_at` is written at most this often


class TokenRefused(UserProblem):
    """The token is unknown, revoked, expired, or its owner may no longer act (one message for
    all: a caller learns nothing of which)."""


@dataclass(frozen=True)
class IssuedToken:
    """A token just made: `token` is shown once and never stored."""

    id: int
    token: str
    owner: str
    name: str
    expires_at: datetime | None


@dataclass(frozen=True)
class TokenView:
    id: int
    owner: str
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    def status(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "dicabut"
        if self.expires_at is not None and _aware(self.expires_at) <= now:
            return "kedaluwarsa"
        return "aktif"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _may_manage(by: Actor, owner: AppUser) -> bool:
    """Your own tokens, or anyone's for an admin."""
    return by.user_id == owner.id or may_anywhere(by, Action.MANAGE_USERS)


def _audit(session: Session, by: Actor, action: AuditAction, detail: str, now: datetime) -> None:
    append_audit(
        session,
        actor_id=by.user_id,
        actor=by.label,
        action=action,
        case_id=None,
        detail=detail,
        now=now,
    )


def create_token(
    deps: Deps,
    by: Actor,
    name: str,
    *,
    owner: str | None = None,
    days: int | None = DEFAULT_DAYS,
    now: datetime,
) -> IssuedToken:
    """A new token for `owner` (default: `by` themselves) valid `days` days (None: until
    revoked). Only an admin makes a token for someone else."""
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise UserProblem(f"Nama token wajib diisi, paling panjang {NAME_MAX} karakter.")
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise UserProblem(f"Masa berlaku token 1 sampai {MAX_DAYS} hari.")
    username = (owner or by.username).strip().lower()
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = now + timedelta(days=days) if days is not None else None
    with unit_of_work(deps.engine) as session:
        user = user_table.user_by_name(session, username)
        if user is None or user.id is None:
            raise UserProblem(f"Pengguna '{username}' tidak dikenal.")
        if not _may_manage(by, user):
            raise UserProblem("Anda hanya dapat membuat token untuk akun Anda sendiri.")
        if not user.active:
            raise UserProblem(f"Pengguna '{username}' dinonaktifkan.")
        row = ApiToken(
            user_id=user.id,
            name=name,
            token_hash=token_digest(token),
            prefix=token[: len(TOKEN_PREFIX) + 4],
            created_at=now,
            expires_at=expires,
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        _audit(session, by, AuditAction.TOKEN_CREATED, f"token {row.id} '{name}' {username}", now)
        return IssuedToken(row.id, token, username, name, expires)


def list_tokens(deps: Deps, by: Actor, *, owner: str | None = None) -> list[TokenView]:
    """`by`'s own tokens; an admin: `owner`'s, or everyone's when `owner` is None."""
    admin = may_anywhere(by, Action.MANAGE_USERS)
    query = select(ApiToken, AppUser).join(AppUser, col(AppUser.id) == col(ApiToken.user_id))
    if not admin:
        if owner is not None and owner.strip().lower() != by.username:
            raise UserProblem("Anda hanya dapat melihat token akun Anda sendiri.")
        query = query.where(ApiToken.user_id == by.user_id)
    elif owner is not None:
        query = query.where(AppUser.username == owner.strip().lower())
    with Session(deps.engine) as session:
        rows = session.exec(query.order_by(col(ApiToken.id))).all()
        return [_view(token, user) for token, user in rows]


def _view(token: ApiToken, user: AppUser) -> TokenView:
    assert token.id is not None
    return TokenView(
        token.id,
        user.username,
        token.name,
        token.prefix,
        token.created_at,
        token.last_used_at,
        token.expires_at,
        token.revoked_at,
    )


def revoke_token(deps: Deps, by: Actor, token_id: int, *, now: datetime) -> bool:
    """Revoke token `token_id` (one's own, or anyone's for an admin); False when it was
    revoked already."""
    with unit_of_work(deps.engine) as session:
        row = session.get(ApiToken, token_id)
        user = session.get(AppUser, row.user_id) if row is not None else None
        if row is None or user is None or not _may_manage(by, user):
            raise UserProblem(f"Token nomor {token_id} tidak ditemukan.")
        if row.revoked_at is not None:
            return False
        row.revoked_at = now
        session.add(row)
        _audit(session, by, AuditAction.TOKEN_REVOKED, f"token {token_id} '{row.name}'", now)
        return True


def actor_for_token(deps: Deps, token: str, *, now: datetime) -> Actor:
    """The active user the token belongs to, when the token is known, not revoked and not
    expired; `TokenRefused` otherwise. Notes when it was used (at most once a minute)."""
    refused = TokenRefused("Token tidak valid, kedaluwarsa, atau telah dicabut.")
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise refused
    with unit_of_work(deps.engine) as session:
        row = session.exec(
            select(ApiToken).where(ApiToken.token_hash == token_digest(token))
        ).first()
        if row is None or row.revoked_at is not None:
            raise refused
        if row.expires_at is not None and _aware(row.expires_at) <= now:
            raise refused
        user = session.get(AppUser, row.user_id)
        if user is None or not user.active:
            raise refused
        if row.last_used_at is None or _aware(row.last_used_at) + LAST_USED_EVERY <= now:
            row.last_used_at = now
            session.add(row)
        return user_table.actor_of(session, user)
