"""indexes for national scale

Foreign keys that pages filter or join on and that had no index: the owner filters of
the board and the action items, the meeting an item was closed in (standup panel), a
case's current phase, a round's instrument, and the cases of a problem category.
Checked with EXPLAIN ANALYZE on PostgreSQL against `flask seed-scale --size national`.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 14:15:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

INDEXES = [
    ('pdsa_cycle', 'owner_id'),
    ('action_item', 'owner_id'),
    ('action_item', 'closed_in_meeting_id'),
    ('citizen_case', 'phase_id'),
    ('assessment_round', 'instrument_id'),
    ('case_problem_category', 'problem_category_id'),
]


def upgrade():
    for table, column in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(f'ix_{table}_{column}', [column], unique=False)


def downgrade():
    for table, column in reversed(INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_{column}')
