"""ids of deletable audited rows are never handed out again on SQLite

The audit trail names a row by its model and id. SQLite gives a table without AUTOINCREMENT
the next id after the highest one there, so deleting the newest row frees its id for the
next insert: a follow-up registered on the wrong day, removed and registered again got the
removed one's id, and the case's history named the removed follow-up by the new one's day
(a meeting's action items, deleted and added, likewise). The audited tables whose rows
people delete are rebuilt with AUTOINCREMENT (models/base.py NO_ID_REUSE); an id already
reused before this migration stays mixed in the trail. PostgreSQL's sequences never reuse
an id: nothing changes there.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 18:00:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# The audited models a view deletes rows of: a case's follow-ups, a meeting and its action
# items, a test of change still planned, a theory of change's boxes, arrows, assumptions and
# their references, a workflow step, an organisational prerequisite, a team member and a
# self-assessment's respondent.
TABLES = (
    "case_follow_up",
    "meeting",
    "action_item",
    "pdsa_cycle",
    "change_theory_item",
    "change_theory_link",
    "assumption",
    "assumption_reference",
    "workflow_step",
    "organisational_prerequisite",
    "team_member",
    "assessment_respondent",
)


def _rebuild(autoincrement: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    # A rebuild drops each old table. With foreign keys enforced, that drop would first
    # delete its rows and so cascade into the tables referring to it (an assumption's
    # references, a box's arrows); the app never turns them on, and the rebuild refuses to
    # run where something did.
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("Turn SQLite's foreign_keys pragma off before this migration.")
    for table in TABLES:
        # Reflected, so its columns, indexes, foreign keys and unique constraints are kept
        # as they are; only the table option changes. SQLite writes an AUTOINCREMENT key
        # inline, without its name: the convention names it again on the way down.
        with op.batch_alter_table(
            table,
            recreate="always",
            table_kwargs={"sqlite_autoincrement": autoincrement},
            naming_convention={"pk": "pk_%(table_name)s"},
        ):
            pass


def upgrade():
    _rebuild(autoincrement=True)


def downgrade():
    _rebuild(autoincrement=False)
