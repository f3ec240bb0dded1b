"""authority replies: KASN/BKN acknowledgement and recommendation, the PPK's refusal

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.tables.columns

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "authority_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "acknowledged",
                "recommendation",
                "ppk-refused",
                name="replykind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "authority",
            sa.Enum(
                "KASN",
                "BKN",
                "PPK",
                "GAKKUMDU",
                "LAINNYA",
                name="authority",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("replied_on", sa.Date(), nullable=False),
        sa.Column("reference", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("sanction", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "recorded_at", models.tables.columns.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "kind", "authority"),
    )
    op.create_index("ix_authority_reply_case_id", "authority_reply", ["case_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_authority_reply_case_id", table_name="authority_reply")
    op.drop_table("authority_reply")
