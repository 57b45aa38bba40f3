"""The shared questionnaire is named as shared: "egen version" is the app's word for an
organisation's own version. Migration 0014 renames it in an existing database (and back),
leaves an organisation's own version of the old name alone, and the seed then finds the
renamed one instead of adding a second."""

import uuid
from datetime import UTC, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, func, select, text

from improvement import create_app, seeding
from improvement.assessments.service import parse_instrument
from improvement.extensions import db
from improvement.models import AssessmentInstrument
from tests.conftest import BACKENDS, _pg_admin_url

OLD = "Lovende praksis – egen version 1"
NEW = "Lovende praksis – fælles spørgeskema, version 1"


def test_the_seed_names_the_shared_questionnaire_as_shared(app):
    source = (seeding.SEEDS / "assessment_instrument.yaml").read_text(encoding="utf-8")
    data, errors = parse_instrument(source)
    assert errors == []
    assert data["version"] == NEW
    assert "egen" not in data["version"].lower()


@pytest.fixture(params=BACKENDS)
def empty_database(request, tmp_path):
    """A database of its own, with no schema yet, on each backend the suite runs on."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrate.sqlite'}"
        return
    admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"test_migrate_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield _pg_admin_url().set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _names() -> list[tuple[int | None, str]]:
    rows = db.session.execute(
        text("SELECT organization_id, name FROM assessment_instrument ORDER BY id")
    )
    return [tuple(row) for row in rows]


def test_migration_renames_the_shared_questionnaire_only_and_back(empty_database):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "TESTING": True})
    with app.app_context():
        upgrade(revision="0013")
        # A database from before: the shared version and an organisation's own version that
        # an admin gave the same name. Plain SQL, as the models describe the newest schema.
        now = datetime(2026, 12, 1, tzinfo=UTC)
        db.session.execute(
            text(
                "INSERT INTO organization (id, name, kind, created_at, updated_at)"
                " VALUES (1, 'Nord', 'kommune', :now, :now)"
            ),
            {"now": now},
        )
        for org_id in (None, 1):
            db.session.execute(
                text(
                    "INSERT INTO assessment_instrument"
                    " (organization_id, name, description, scale, created_at, updated_at)"
                    " VALUES (:org, :name, '', '[]', :now, :now)"
                ),
                {"org": org_id, "name": OLD, "now": now},
            )
        db.session.commit()

        upgrade()
        assert _names() == [(None, NEW), (1, OLD)]

        # The seed finds the renamed version, also when run again: still one shared one.
        seeding.load_reference()
        db.session.commit()
        seeding.load_reference()
        db.session.commit()
        shared = db.session.scalar(
            select(func.count())
            .select_from(AssessmentInstrument)
            .where(AssessmentInstrument.organization_id.is_(None))
        )
        assert shared == 1
        assert _names() == [(None, NEW), (1, OLD)]

        db.session.remove()
        downgrade(revision="0013")
        assert _names() == [(None, OLD), (1, OLD)]
        db.session.remove()
        db.engine.dispose()
