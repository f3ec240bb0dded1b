"""reports as they arrive, before a flow records them (report_submission): Prefect's run
parameters carry the submission's id, never the report

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.tables.columns

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("received_at", models.tables.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "submitted_at", models.tables.columns.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("menunggu", "dicatat", "ditolak", name="submissionstatus", native_enum=False,
                    length=40),
            nullable=False,
        ),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("settled_at", models.tables.columns.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_report_submission_case_id", "report_submission", ["case_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_report_submission_case_id", table_name="report_submission")
    op.drop_table("report_submission")
