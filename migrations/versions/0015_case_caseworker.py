"""the authority caseworker on a case

Serviceloven § 70's follow-up is the authority's duty, and seed 004 counts changes of
caseworker among the key figures, but a case named only its responsible practitioner.
citizen_case.caseworker_id is the authority's caseworker (myndighedssagsbehandler) on the
case, one of the team's authority caseworkers; NULL when not chosen, as for every case
until now.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 12:00:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("citizen_case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("caseworker_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_citizen_case_caseworker_id_user"), "user", ["caseworker_id"], ["id"]
        )
        batch_op.create_index(
            batch_op.f("ix_citizen_case_caseworker_id"), ["caseworker_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("citizen_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_citizen_case_caseworker_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_citizen_case_caseworker_id_user"), type_="foreignkey"
        )
        batch_op.drop_column("caseworker_id")
