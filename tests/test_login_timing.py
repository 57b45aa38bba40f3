"""A failed login costs one password hash check whether or not the address is an account,
so the time taken to answer does not tell which addresses have one. Tested by counting
the checks, not by timing them."""

import re

import pytest
from werkzeug.security import check_password_hash

from improvement import create_app
from improvement.auth import views
from improvement.extensions import db
from improvement.models import organisations
from tests.helpers import PASSWORD, gen_org, gen_user

WRONG = "Forkert e-mail eller adgangskode."


@pytest.fixture
def hash_checks(monkeypatch):
    """The hashes checked, by the login view or by User.check_password."""
    checked = []

    def counting(pwhash, password):
        checked.append(pwhash)
        return check_password_hash(pwhash, password)

    monkeypatch.setattr(views, "check_password_hash", counting)
    monkeypatch.setattr(organisations, "check_password_hash", counting)
    return checked


def _failed_login(client, checked, email, password="forkert"):
    """Status, the page with the address and the CSRF token blanked out (the form shows
    the address again; the token is signed with the time), and the hashes checked."""
    checked.clear()
    response = client.post("/login", data={"email": email, "password": password})
    page = response.get_data(as_text=True).replace(email, "ADDRESS")
    page = re.sub(r'"X-CSRFToken": "[^"]*"', "TOKEN", page)
    return response.status_code, page, list(checked)


def test_every_failed_login_checks_one_hash_and_answers_alike(client, hash_checks):
    org = gen_org()
    known = gen_user(org, email="kendt@example.test")
    inactive = gen_user(org, email="inaktiv@example.test")
    inactive.active = False
    without_password = gen_user(org, email="uden@example.test")
    without_password.password_hash = ""
    db.session.commit()

    attempts = {
        "unknown": _failed_login(client, hash_checks, "ukendt@example.test"),
        "wrong password": _failed_login(client, hash_checks, "kendt@example.test"),
        # The right password of an inactive account is checked as any other.
        "inactive": _failed_login(client, hash_checks, "inaktiv@example.test", PASSWORD),
        "no password": _failed_login(client, hash_checks, "uden@example.test"),
        # Longer than any stored address once lower-cased: not counted, still one check.
        "too long": _failed_login(client, hash_checks, "İ" * 200 + "@x.dk"),
    }

    for name, (status, page, checked) in attempts.items():
        assert len(checked) == 1, name
        assert status == 200, name
        assert page.count(WRONG) == 1, name
    pages = {page for _status, page, _checked in attempts.values()}
    assert len(pages) == 1
    # The known address was checked against its own hash, the others against the dummy.
    assert attempts["wrong password"][2] == [known.password_hash]
    for name in ("unknown", "inactive", "no password", "too long"):
        assert attempts[name][2] == [views._dummy_hash()], name


def test_the_right_password_checks_one_hash_and_logs_in(client, hash_checks):
    gen_user(gen_org(), email="kendt@example.test")
    db.session.commit()
    response = client.post("/login", data={"email": "kendt@example.test", "password": PASSWORD})
    assert response.status_code == 302
    assert len(hash_checks) == 1


def test_the_dummy_hash_costs_what_a_real_one_costs(app):
    # Method and parameters (for scrypt: n, r, p) are what precedes the salt.
    user = organisations.User(email="x@example.test", name="X")
    user.set_password("et nyt kodeord")
    real_method = user.password_hash.split("$", 1)[0]
    assert views._dummy_hash().split("$", 1)[0] == real_method
    # Made once: each failed login checks against the same hash.
    assert views._dummy_hash() is views._dummy_hash()


def test_the_dummy_hash_is_made_with_the_app_not_by_a_login(database_url):
    # Made by the first login for no account, it would make that answer the slow one.
    views._dummy_hash.cache_clear()
    create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})
    assert views._dummy_hash.cache_info().currsize == 1
