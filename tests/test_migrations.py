"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from improvement.extensions import db

# Audited models no view deletes a row of (archived, closed or kept instead), so their ids
# are never freed. A model that gets a delete leaves this list for NO_ID_REUSE.
NEVER_DELETED = {
    "AssessmentInstrument",
    "AssessmentRound",
    "Case",
    "ChangeTheory",
    "CoreElement",
    "DescriptionVersion",
    "DevelopmentPoint",
    "ImprovementPlan",
    "Intervention",
    "Phase",
    "ProblemCategory",
    "ProgressScore",
}


def test_models_and_migrations_agree(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def _audited():
    return {
        mapper.class_.__name__: mapper.class_
        for mapper in db.Model.registry.mappers
        if getattr(mapper.class_, "__audited__", False)
    }


def test_an_audited_model_that_can_be_deleted_never_hands_its_ids_out_again(app):
    """The audit trail names a row by model and id: an id freed by a delete and given to
    the next row (SQLite without AUTOINCREMENT) mixes two rows' histories."""
    reusing = {
        name
        for name, model in _audited().items()
        if not model.__table__.dialect_options["sqlite"]["autoincrement"]
    }
    assert reusing == NEVER_DELETED


def test_the_migrated_tables_never_hand_an_id_out_twice(app):
    """compare_metadata does not compare table options: AUTOINCREMENT is read from the
    schema the migrations built (the tests' database, as an installation's)."""
    described = {
        table.name
        for table in db.metadata.tables.values()
        if table.dialect_options["sqlite"]["autoincrement"]
    }
    if db.engine.dialect.name != "sqlite":
        # PostgreSQL needs no option: these tables' ids come from a sequence, which never
        # hands an id out twice.
        with db.engine.connect() as conn:
            from_sequence = {
                name
                for name, default, identity in conn.execute(
                    text(
                        "SELECT table_name, column_default, is_identity"
                        " FROM information_schema.columns"
                        " WHERE table_schema = current_schema() AND column_name = 'id'"
                    )
                )
                if identity == "YES" or (default or "").startswith("nextval(")
            }
        assert described <= from_sequence
        return
    with db.engine.connect() as conn:
        built = {
            name
            for name, sql in conn.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
            )
            if "AUTOINCREMENT" in sql
        }
    assert built == described
    assert {"case_follow_up", "action_item"} <= built
