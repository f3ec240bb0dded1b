"""links between related cases (issue 10, Build 6)

One row per link, the lower case id first; at most one link in force per pair (a partial unique
index: removed links stay as history).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.tables.columns

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("other_case_id", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("automatic", sa.Boolean(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("at", models.tables.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("removed_at", models.tables.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column("removed_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("removed_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.CheckConstraint("case_id < other_case_id", name="ck_case_link_ordered"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.ForeignKeyConstraint(["other_case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("case_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_link_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_case_link_other_case_id"), ["other_case_id"], unique=False
        )
        batch_op.create_index(
            "uq_case_link_active",
            ["case_id", "other_case_id"],
            unique=True,
            sqlite_where=sa.text("removed_at IS NULL"),
            postgresql_where=sa.text("removed_at IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("case_link", schema=None) as batch_op:
        batch_op.drop_index("uq_case_link_active")
        batch_op.drop_index(batch_op.f("ix_case_link_other_case_id"))
        batch_op.drop_index(batch_op.f("ix_case_link_case_id"))
    op.drop_table("case_link")
