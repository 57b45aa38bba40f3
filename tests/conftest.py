"""Fixtures: a migrated database per backend, a fresh app per test, and login helpers.

Every test runs on SQLite; when TEST_DATABASE_URL is set, every test runs on PostgreSQL too.
Each run gets its own PostgreSQL database (created from TEST_DATABASE_URL's server and
dropped afterwards), so parallel runs on one server never see each other's rows.
"""

import os
import uuid

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

os.environ.setdefault("SECRET_KEY", "test-secret")

from improvement import create_app  # noqa: E402
from improvement.extensions import db  # noqa: E402

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def _pg_admin_url():
    url = make_url(os.environ["TEST_DATABASE_URL"])
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A database with the schema built by the migrations (so they are tested too)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        dropper = None
    else:
        admin_url = _pg_admin_url()
        name = f"test_improvement_{uuid.uuid4().hex[:10]}"
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = admin_url.set(database=name).render_as_string(hide_password=False)

        def dropper():
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield url
    if dropper:
        dropper()


@pytest.fixture
def app(database_url, request):
    """A fresh app on the migrated database; CSRF is off unless the test is marked `csrf`."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "TESTING": True,
            "WTF_CSRF_ENABLED": request.node.get_closest_marker("csrf") is not None,
        }
    )
    with app.app_context():
        yield app
        db.session.remove()
        # Empty every table, children first, so the next test starts clean.
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.engine.dispose()


class FreshContextClient(FlaskClient):
    """Each request runs in its own app context, as in production.

    Otherwise requests would share the test's app context, and with it `g`, the cached
    locale and the database session, hiding bugs that only show across requests.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        # The test's own session must see what the request wrote.
        db.session.expire_all()
        return response


@pytest.fixture
def client(app):
    app.test_client_class = FreshContextClient
    return app.test_client()


@pytest.fixture
def browser(app):
    """browser(user, org): a logged-in client of its own, as a second person (or a second
    tab) has, each request in its own app context as in production: in the test's shared
    one, the history would record every save as the first user served."""

    def open_browser(user, org):
        client = FreshContextClient(app, app.response_class, use_cookies=True)
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
            session["org_id"] = org.id
        return client

    return open_browser


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login(client):
    """login(user, org=None): a logged-in session without the cost of password hashing."""

    def do_login(user, org=None):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
            if org is not None:
                session["org_id"] = org.id
        return client

    return do_login
