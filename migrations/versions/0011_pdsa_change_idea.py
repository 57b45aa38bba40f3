"""the change idea a test of change tries

The PDSA worksheet asks which change idea the test tries; the Model for Improvement of the
development point lists the ideas. pdsa_cycle.change_idea holds the one this test tries.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 21:05:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("pdsa_cycle", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("change_idea", sa.String(length=500), server_default="", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("pdsa_cycle", schema=None) as batch_op:
        batch_op.drop_column("change_idea")
