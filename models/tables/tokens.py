"""Personal access tokens of the API (`/api/v1`): a token acts as the user who owns it. Only the
SHA-256 of a token is stored; the token itself is shown once, when it is made."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.tables.columns import UTCDateTime, utcnow


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    name: str = Field(max_length=100, description="What the token is for (a system's name)")
    token_hash: str = Field(
        unique=True, index=True, max_length=64, description="SHA-256 (hex) of the token"
    )
    prefix: str = Field(max_length=16, description="The token's first characters, to tell it")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
