"""the completed report's predecessor (report_amendment); the reporter's consent to disclosure

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.tables.columns

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_amendment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("previous", sa.JSON(), nullable=False),
        sa.Column(
            "submitted_at", models.tables.columns.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("at", models.tables.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_report_amendment_case_id", "report_amendment", ["case_id"], unique=False)
    op.create_table(
        "reporter_consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "scope",
            sa.Enum("nama", "identitas", name="consentscope", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("means", sa.String(), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.Column(
            "recorded_at", models.tables.columns.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "withdrawn_at", models.tables.columns.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("withdrawn_by", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_reporter_consent_case_id", "reporter_consent", ["case_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_reporter_consent_case_id", table_name="reporter_consent")
    op.drop_table("reporter_consent")
    op.drop_index("ix_report_amendment_case_id", table_name="report_amendment")
    op.drop_table("report_amendment")
