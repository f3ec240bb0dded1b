"""evidence files: stored once by content (SHA-256), with size, media type, original name,
when and by whom each was added; the same file once per case

Rows recorded before this revision named a file without storing it: they keep their `file`
and get no hash. `added_at`/`added_by` of those rows are the case's creation time and the
actor who recorded it (the CaseReceived event), or "-" when that is not on record.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.tables.columns

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

evidence = sa.table(
    "evidence",
    sa.column("case_id", sa.Integer()),
    sa.column("added_at", models.tables.columns.UTCDateTime(timezone=True)),
    sa.column("added_by", sa.String()),
)
cases = sa.table(
    "cases",
    sa.column("id", sa.Integer()),
    sa.column("created_at", models.tables.columns.UTCDateTime(timezone=True)),
)
stage_event = sa.table(
    "stage_event",
    sa.column("id", sa.Integer()),
    sa.column("case_id", sa.Integer()),
    sa.column("event", sa.String()),
    sa.column("actor", sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("size", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("media_type", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("original_name", sa.String(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "added_at", models.tables.columns.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(sa.Column("added_by", sa.String(), nullable=True))
    created = (
        sa.select(cases.c.created_at).where(cases.c.id == evidence.c.case_id).scalar_subquery()
    )
    receiver = (
        sa.select(stage_event.c.actor)
        .where(stage_event.c.case_id == evidence.c.case_id, stage_event.c.event == "CaseReceived")
        .order_by(stage_event.c.id)
        .limit(1)
        .scalar_subquery()
    )
    op.get_bind().execute(
        evidence.update().values(added_at=created, added_by=sa.func.coalesce(receiver, "-"))
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.alter_column(
            "added_at",
            existing_type=models.tables.columns.UTCDateTime(timezone=True),
            nullable=False,
        )
        batch_op.alter_column("added_by", existing_type=sa.String(), nullable=False)
        batch_op.create_index("ix_evidence_sha256", ["sha256"], unique=False)
        batch_op.create_unique_constraint("uq_evidence_case_sha256", ["case_id", "sha256"])


def downgrade() -> None:
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_constraint("uq_evidence_case_sha256", type_="unique")
        batch_op.drop_index("ix_evidence_sha256")
        for column in ("added_by", "added_at", "original_name", "media_type", "size", "sha256"):
            batch_op.drop_column(column)
