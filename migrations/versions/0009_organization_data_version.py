"""the organisation's data version

organization.data_version is raised by every committed write to the organisation's data.
Pages put it in their ETag, so a browser that asks again for a page nothing has changed
on gets 304 Not Modified instead of a new render.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 18:30:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("data_version", sa.BigInteger(), server_default="0", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_column("data_version")
