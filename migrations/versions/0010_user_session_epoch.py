"""the user's session epoch

user.session_epoch is part of the id each login session carries. A new password or "log
out on every device" raises it, so sessions opened before (copied cookies too) end.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 18:40:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_epoch", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("session_epoch")
