"""each case's next due date on the case row (cases.next_due, cases.next_due_rule) with a
partial index: the register and `netra list` page through it instead of ranking every open
deadline; filled here from the deadline table in one UPDATE

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FIRST_OPEN = (
    "(SELECT d.{column} FROM deadline AS d WHERE d.case_id = cases.id AND d.status = 'open' "
    "ORDER BY d.due_on, d.id LIMIT 1)"
)


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("next_due", sa.Date(), nullable=True))
        batch.add_column(sa.Column("next_due_rule", sa.String(), nullable=True))
    op.execute(
        f"UPDATE cases SET next_due = {_FIRST_OPEN.format(column='due_on')}, "
        f"next_due_rule = {_FIRST_OPEN.format(column='rule')}"
    )
    op.create_index(
        "ix_cases_next_due",
        "cases",
        ["next_due", "id"],
        postgresql_where=sa.text("next_due IS NOT NULL"),
        sqlite_where=sa.text("next_due IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_cases_next_due", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("next_due_rule")
        batch.drop_column("next_due")
