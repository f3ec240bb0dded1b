"""the public site: the hashed lookup code of a laporan filed online, and the counted requests
that throttle online reports and lookups

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.tables.columns

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "public_receipt",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("issued_at", models.tables.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("case_id"),
    )
    op.create_table(
        "throttle_hit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("at", models.tables.columns.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("throttle_hit", schema=None) as batch_op:
        batch_op.create_index(
            "ix_throttle_hit_scope_key_at", ["scope", "key", "at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_throttle_hit_at"), ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("throttle_hit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_throttle_hit_at"))
        batch_op.drop_index("ix_throttle_hit_scope_key_at")
    op.drop_table("throttle_hit")
    op.drop_table("public_receipt")
