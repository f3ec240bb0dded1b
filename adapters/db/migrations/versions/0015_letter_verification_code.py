"""a verification code on each letter that leaves the office (letter.verification_code, unique):
printed on the letter with a QR code of its page on the public site. Letters issued before
carry none (nothing was printed on them), so nothing is filled here.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("letter") as batch:
        batch.add_column(sa.Column("verification_code", sa.String(length=14), nullable=True))
    op.create_index(
        "ix_letter_verification_code", "letter", ["verification_code"], unique=True
    )


def downgrade() -> None:
    op.drop_index("ix_letter_verification_code", table_name="letter")
    with op.batch_alter_table("letter") as batch:
        batch.drop_column("verification_code")
