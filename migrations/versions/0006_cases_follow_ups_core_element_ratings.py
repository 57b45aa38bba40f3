"""cases, follow-ups, core element ratings

Pseudonymous cases per intervention (citizen_case; "case" is an SQL keyword), their § 70
follow-ups, the organisation's problem categories (seed 002's six to start) and the
append-only ratings of core elements per case and phase (the latest row of a cell counts).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 13:05:53.577319

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('problem_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_problem_category_organization_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problem_category')),
    sa.UniqueConstraint('organization_id', 'key', name=op.f('uq_problem_category_organization_id'))
    )
    with op.batch_alter_table('problem_category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_problem_category_organization_id'), ['organization_id'], unique=False)

    op.create_table('citizen_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intervention_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('practitioner_id', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('phase_id', sa.Integer(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('followup_cadence_months', sa.Integer(), nullable=True),
    sa.Column('goal_attainment', sa.String(length=20), nullable=True),
    sa.Column('problem_grade', sa.String(length=20), nullable=True),
    sa.Column('reflected_adjustment', sa.String(length=20), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['intervention_id'], ['intervention.id'], name=op.f('fk_citizen_case_intervention_id_intervention')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_citizen_case_organization_id_organization')),
    sa.ForeignKeyConstraint(['phase_id'], ['phase.id'], name=op.f('fk_citizen_case_phase_id_phase')),
    sa.ForeignKeyConstraint(['practitioner_id'], ['user.id'], name=op.f('fk_citizen_case_practitioner_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_citizen_case')),
    sa.UniqueConstraint('intervention_id', 'code', name=op.f('uq_citizen_case_intervention_id'))
    )
    with op.batch_alter_table('citizen_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_citizen_case_intervention_id'), ['intervention_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_citizen_case_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_citizen_case_practitioner_id'), ['practitioner_id'], unique=False)

    op.create_table('case_follow_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['citizen_case.id'], name=op.f('fk_case_follow_up_case_id_citizen_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_case_follow_up_organization_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_follow_up'))
    )
    with op.batch_alter_table('case_follow_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_follow_up_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_follow_up_organization_id'), ['organization_id'], unique=False)

    op.create_table('case_problem_category',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('problem_category_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['citizen_case.id'], name=op.f('fk_case_problem_category_case_id_citizen_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['problem_category_id'], ['problem_category.id'], name=op.f('fk_case_problem_category_problem_category_id_problem_category')),
    sa.PrimaryKeyConstraint('case_id', 'problem_category_id', name=op.f('pk_case_problem_category'))
    )
    op.create_table('core_element_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('phase_id', sa.Integer(), nullable=False),
    sa.Column('core_element_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('rater_id', sa.Integer(), nullable=True),
    sa.Column('rated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['citizen_case.id'], name=op.f('fk_core_element_rating_case_id_citizen_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['core_element_id'], ['core_element.id'], name=op.f('fk_core_element_rating_core_element_id_core_element')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_core_element_rating_organization_id_organization')),
    sa.ForeignKeyConstraint(['phase_id'], ['phase.id'], name=op.f('fk_core_element_rating_phase_id_phase')),
    sa.ForeignKeyConstraint(['rater_id'], ['user.id'], name=op.f('fk_core_element_rating_rater_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_element_rating'))
    )
    with op.batch_alter_table('core_element_rating', schema=None) as batch_op:
        batch_op.create_index('ix_core_element_rating_cell', ['case_id', 'phase_id', 'core_element_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_element_rating_core_element_id'), ['core_element_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_element_rating_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_element_rating_phase_id'), ['phase_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_element_rating_rater_id'), ['rater_id'], unique=False)



def downgrade():
    with op.batch_alter_table('core_element_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_element_rating_rater_id'))
        batch_op.drop_index(batch_op.f('ix_core_element_rating_phase_id'))
        batch_op.drop_index(batch_op.f('ix_core_element_rating_organization_id'))
        batch_op.drop_index(batch_op.f('ix_core_element_rating_core_element_id'))
        batch_op.drop_index('ix_core_element_rating_cell')

    op.drop_table('core_element_rating')
    op.drop_table('case_problem_category')
    with op.batch_alter_table('case_follow_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_follow_up_organization_id'))
        batch_op.drop_index(batch_op.f('ix_case_follow_up_case_id'))

    op.drop_table('case_follow_up')
    with op.batch_alter_table('citizen_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_citizen_case_practitioner_id'))
        batch_op.drop_index(batch_op.f('ix_citizen_case_organization_id'))
        batch_op.drop_index(batch_op.f('ix_citizen_case_intervention_id'))

    op.drop_table('citizen_case')
    with op.batch_alter_table('problem_category', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_problem_category_organization_id'))

    op.drop_table('problem_category')
