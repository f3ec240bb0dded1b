"""The user tables: find a user with their memberships, write users and memberships, count
recent failed logins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from models.access import Actor, Membership, Role
from models.tables import AppUser, LoginFailure, UserOffice


def user_by_name(session: Session, username: str) -> AppUser | None:
    return session.exec(select(AppUser).where(AppUser.username == username)).first()


def user_memberships(session: Session, user_id: int) -> frozenset[Membership]:
    rows = session.exec(select(UserOffice).where(UserOffice.user_id == user_id)).all()
    return frozenset(Membership(row.office_key, row.role) for row in rows)


def actor_of(session: Session, user: AppUser) -> Actor:
    assert user.id is not None
    return Actor(
        username=user.username,
        name=user.name,
        memberships=user_memberships(session, user.id),
        user_id=user.id,
    )


def all_users(session: Session) -> list[tuple[AppUser, frozenset[Membership]]]:
    users = session.exec(select(AppUser).order_by(col(AppUser.username))).all()
    return [(u, user_memberships(session, u.id)) for u in users if u.id is not None]


def count_users(session: Session) -> int:
    return session.exec(select(func.count()).select_from(AppUser)).one()


def grant(session: Session, user_id: int, office_key: str, role: Role) -> bool:
    """Add the membership; False when the user already holds it."""
    exists = session.exec(
        select(UserOffice).where(
            UserOffice.user_id == user_id,
            UserOffice.office_key == office_key,
            UserOffice.role == role,
        )
    ).first()
    if exists is not None:
        return False
    session.add(UserOffice(user_id=user_id, office_key=office_key, role=role))
    return True


def revoke(session: Session, user_id: int, office_key: str, role: Role) -> bool:
    result = session.execute(
        delete(UserOffice).where(
            col(UserOffice.user_id) == user_id,
            col(UserOffice.office_key) == office_key,
            col(UserOffice.role) == role,
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def recent_failures(
    session: Session, *, username: str, address: str, since: datetime
) -> tuple[int, int]:
    """Failed logins since `since`: for this user name, and from this address."""
    recent = select(func.count()).select_from(LoginFailure).where(col(LoginFailure.at) >= since)
    by_user = session.exec(recent.where(LoginFailure.username == username)).one()
    by_address = session.exec(recent.where(LoginFailure.address == address)).one()
    return by_user, by_address


def clear_failures(session: Session, username: str) -> None:
    session.execute(delete(LoginFailure).where(col(LoginFailure.username) == username))
