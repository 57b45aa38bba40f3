"""organisational prerequisites of an intervention

Seed 004 describes, beside the core elements, the organisational prerequisites
(organisatoriske forudsætninger) that must be in place for the core elements to be
delivered. Each has a name (unique within the intervention, archived ones included), what
it covers, how the team judges it to be in place now (a code: not_assessed, in_place,
partly, missing) and what is missing, an order and an archived flag.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 23:45:42

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "organisational_prerequisite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("intervention_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("gap", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["intervention_id"],
            ["intervention.id"],
            name=op.f("fk_organisational_prerequisite_intervention_id_intervention"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_organisational_prerequisite_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisational_prerequisite")),
    )
    with op.batch_alter_table("organisational_prerequisite", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisational_prerequisite_intervention_id"),
            ["intervention_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_organisational_prerequisite_organization_id"),
            ["organization_id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("organisational_prerequisite", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisational_prerequisite_organization_id"))
        batch_op.drop_index(batch_op.f("ix_organisational_prerequisite_intervention_id"))
    op.drop_table("organisational_prerequisite")
