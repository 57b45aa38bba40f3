"""the latest rating of each cell, stored

core_element_rating.is_latest marks the row of each (case, phase, core element) cell that
counts (latest rated_at, then the later row). The quality heat map ranked every revision
of the intervention per request (about 25 ms nationally); a partial index on the latest
rows, by case, makes its counting an index-only scan.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 10:30:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BACKFILL = """
UPDATE core_element_rating SET is_latest = TRUE WHERE id IN (
    SELECT id FROM (
        SELECT id, row_number() OVER (
            PARTITION BY case_id, phase_id, core_element_id ORDER BY rated_at DESC, id DESC
        ) AS rank
        FROM core_element_rating
    ) AS ranked
    WHERE rank = 1
)
"""


def upgrade():
    with op.batch_alter_table("core_element_rating", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_latest", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute(BACKFILL)
    with op.batch_alter_table("core_element_rating", schema=None) as batch_op:
        batch_op.create_index(
            "ix_core_element_rating_latest",
            ["case_id"],
            unique=False,
            postgresql_include=["phase_id", "core_element_id", "score", "rated_at"],
            postgresql_where=sa.text("is_latest"),
            sqlite_where=sa.text("is_latest"),
        )


def downgrade():
    with op.batch_alter_table("core_element_rating", schema=None) as batch_op:
        batch_op.drop_index("ix_core_element_rating_latest")
        batch_op.drop_column("is_latest")
