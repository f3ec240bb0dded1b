"""letters as PDF too; a hearing's questions and answers; corrected texts with their originals;
outbox: a list of attachments, the office's zone, random Message-IDs

An email now carries the letter and its attachments (the referral and its kajian) together.
Existing rows keep their one attachment as a one-item list. Message-IDs already stored are
kept (retries of those rows send the same id); new rows draw a random one.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 11:00:00
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.tables.columns

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The outbox's columns this migration reads and writes (both shapes).
outbox = sa.table(
    "outbox",
    sa.column("id", sa.Integer()),
    sa.column("attachment_path", sa.String()),
    sa.column("attachment_name", sa.String()),
    sa.column("attachments", sa.JSON()),
)


def upgrade() -> None:
    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pdf_sha256", sa.String(length=64), nullable=True))
    with op.batch_alter_table("hearing", schema=None) as batch_op:
        batch_op.add_column(sa.Column("questions", sa.JSON(), nullable=True))
    op.create_table(
        "text_correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=60), nullable=False),
        sa.Column("original", sa.String(), nullable=False),
        sa.Column("corrected", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("at", models.tables.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_text_correction_case_id", "text_correction", ["case_id"], unique=False)
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attachments", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("zone", sa.String(length=40), nullable=False, server_default="Asia/Jakarta")
        )
        batch_op.alter_column(
            "message_id", existing_type=sa.String(length=100), type_=sa.String(length=200)
        )
    bind = op.get_bind()
    rows = bind.execute(sa.select(outbox.c.id, outbox.c.attachment_path, outbox.c.attachment_name))
    for row_id, path, name in rows.fetchall():
        files = [{"path": path, "name": name or path.rsplit("/", 1)[-1], "type": DOCX}] if path else []
        bind.execute(outbox.update().where(outbox.c.id == row_id).values(attachments=files))
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column("attachments", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column("attachment_path")
        batch_op.drop_column("attachment_name")


def downgrade() -> None:
    op.drop_index("ix_text_correction_case_id", table_name="text_correction")
    op.drop_table("text_correction")
    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.drop_column("pdf_sha256")
    with op.batch_alter_table("hearing", schema=None) as batch_op:
        batch_op.drop_column("questions")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attachment_path", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("attachment_name", sa.String(), nullable=True))
    bind = op.get_bind()
    for row_id, files in bind.execute(sa.select(outbox.c.id, outbox.c.attachments)).fetchall():
        files = json.loads(files) if isinstance(files, str) else files
        if files:
            first = files[0]
            bind.execute(
                outbox.update()
                .where(outbox.c.id == row_id)
                .values(attachment_path=first["path"], attachment_name=first["name"])
            )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("attachments")
        batch_op.drop_column("zone")
        batch_op.alter_column(
            "message_id", existing_type=sa.String(length=200), type_=sa.String(length=100)
        )
