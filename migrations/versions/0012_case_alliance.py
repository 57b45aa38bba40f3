"""the professional alliance coded for a case

Seed 002's table 4 counts, per goal attainment group, the cases whose journal describes
negative or positive alliance, professional doubt and relationship work. citizen_case.alliance holds
the dimensions coded for a case, as space-separated keys ("" when none).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 21:30:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("citizen_case", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("alliance", sa.String(length=120), server_default="", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("citizen_case", schema=None) as batch_op:
        batch_op.drop_column("alliance")
