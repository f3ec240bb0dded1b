"""The people who use Netra: a user, their memberships (an office and a role in it), and the
failed logins the desk counts to slow down password guessing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.access import Role
from models.tables.columns import UTCDateTime, enum_type, utcnow


class AppUser(SQLModel, table=True):
    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True, max_length=64)
    name: str
    password_hash: str | None = Field(
        default=None, description="Argon2; None: cannot log in (the CLI operator account)"
    )
    must_change_password: bool = False
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    disabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class UserOffice(SQLModel, table=True):
    """A role held by a user in one office ("*": every office)."""

    __tablename__ = "user_office"
    __table_args__ = (UniqueConstraint("user_id", "office_key", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    office_key: str
    role: Role = Field(sa_type=enum_type(Role))


class LoginFailure(SQLModel, table=True):
    """A failed login (by username and by address): the desk throttles on recent rows."""

    __tablename__ = "login_failure"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True)
    address: str = Field(index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
