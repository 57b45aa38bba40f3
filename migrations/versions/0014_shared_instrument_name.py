"""the shared self-assessment questionnaire's name says it is shared

The questionnaire every organisation starts from was named "Lovende praksis – egen
version 1" (the statements are the project's own wording, not SFI's). In the app "egen
version" is an organisation's private version of the questionnaire, so an admin read it as
one the organisation already had. The shared version (organization_id NULL) gets the name
the seed file now gives it, which the seed finds it by; an organisation's own version that
carries the old name is the organisation's choice and keeps it. Data only: no schema change.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 09:30:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

OLD_NAME = "Lovende praksis – egen version 1"
NEW_NAME = "Lovende praksis – fælles spørgeskema, version 1"

instrument = sa.table(
    "assessment_instrument",
    sa.column("organization_id", sa.Integer),
    sa.column("name", sa.String),
)


def _rename_shared(old: str, new: str) -> None:
    op.execute(
        instrument.update()
        .where(instrument.c.organization_id.is_(None), instrument.c.name == old)
        .values(name=new)
    )


def upgrade():
    _rename_shared(OLD_NAME, NEW_NAME)


def downgrade():
    _rename_shared(NEW_NAME, OLD_NAME)
