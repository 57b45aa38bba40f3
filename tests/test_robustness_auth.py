"""Password checks under attack: bursts of attempts at once, addresses that grow when
lower-cased, and guessing the current password on the profile page."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from improvement.auth import throttle
from improvement.extensions import db
from improvement.models import LoginThrottle, Organization, User
from tests.helpers import PASSWORD, gen_org, gen_user

BURST = 30


@pytest.fixture
def frozen_now(monkeypatch):
    """The throttle's clock stands still, so a burst is decided by the count alone, however
    slowly the machine runs it (the first wait is only 2 s)."""
    moment = datetime.now(UTC)

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return moment

    monkeypatch.setattr(throttle, "datetime", Frozen)
    return moment


@pytest.fixture
def checked(monkeypatch):
    """Counts the passwords actually checked, from any thread."""
    calls = []
    lock = threading.Lock()
    original = User.check_password

    def counting(self, password):
        with lock:
            calls.append(password)
        return original(self, password)

    monkeypatch.setattr(User, "check_password", counting)
    return calls


def _burst(app, email: str, n: int = BURST) -> list[int]:
    """`n` wrong-password logins for one address, all sent at the same moment."""
    start = threading.Barrier(n)
    statuses: list = [None] * n

    def attempt(i):
        with app.app_context():
            browser = FlaskClient(app, use_cookies=True)
            start.wait()
            try:
                response = browser.post("/login", data={"email": email, "password": "forkert"})
                statuses[i] = response.status_code
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_a_burst_of_wrong_passwords_is_checked_only_as_often_as_the_count_allows(
    app, frozen_now, checked
):
    org = gen_org()
    gen_user(org, email="lise@example.test")
    db.session.commit()
    free = app.config["LOGIN_FREE_ATTEMPTS"]

    statuses = _burst(app, "lise@example.test")

    # No 500 (the count was a read, a check and a write: two attempts inserted the same
    # row), and of 30 attempts sent at once only the free ones had their password checked.
    assert sorted(statuses) == [200] * free + [429] * (BURST - free)
    assert len(checked) == free
    db.session.expire_all()
    assert db.session.get(LoginThrottle, "lise@example.test").failures == free


def test_the_count_is_raised_only_from_the_number_read(app, monkeypatch):
    # An attempt that read the count before another attempt raised it does not overwrite
    # the raise: its statement finds another number, and it reads again (the race above,
    # made to happen here on any database).
    db.session.add(LoginThrottle(email="a@example.test", failures=3, last_failure_at=None))
    db.session.commit()
    real_read = throttle._read
    reads = []

    def stale_first(key):
        reads.append(key)
        return (2, None) if len(reads) == 1 else real_read(key)

    monkeypatch.setattr(throttle, "_read", stale_first)
    assert throttle.claim("a@example.test") == 0
    assert len(reads) == 2
    db.session.expire_all()
    assert db.session.get(LoginThrottle, "a@example.test").failures == 4
    # A new address is inserted with one failure.
    assert throttle.claim("new@example.test") == 0
    assert db.session.get(LoginThrottle, "new@example.test").failures == 1


def test_counting_an_attempt_leaves_the_organisations_data_versions_alone(client):
    org = gen_org()
    gen_user(org, email="a@example.test")
    db.session.commit()
    before = db.session.scalar(select(Organization.data_version).where(Organization.id == org.id))
    client.post("/login", data={"email": "a@example.test", "password": "forkert"})
    client.post("/login", data={"email": "a@example.test", "password": PASSWORD})
    db.session.expire_all()
    after = db.session.scalar(select(Organization.data_version).where(Organization.id == org.id))
    assert after == before


def test_an_address_that_grows_when_lower_cased_is_a_wrong_login_not_a_server_error(client):
    # "İ".lower() is two characters: 200 of them passed the length check at 205 and then
    # were 405, more than the throttle's column holds (a 500 on PostgreSQL).
    email = "İ" * 200 + "@x.dk"
    response = client.post("/login", data={"email": email, "password": "forkert"})
    assert response.status_code == 200
    assert "Forkert e-mail eller adgangskode." in response.get_data(as_text=True)
    assert db.session.scalars(select(LoginThrottle)).all() == []
    # Typed too long to begin with: the form's own message.
    response = client.post("/login", data={"email": "a" * 250 + "@x.dk", "password": "x"})
    assert "Feltet må højst være 254 tegn langt." in response.get_data(as_text=True)


def test_guessing_the_current_password_on_the_profile_page_is_throttled(client, login, app):
    org = gen_org()
    user = gen_user(org, email="lise@example.test")
    db.session.commit()
    login(user, org)
    change = {"new": "en helt ny kode 42", "repeat": "en helt ny kode 42"}
    for _ in range(app.config["LOGIN_FREE_ATTEMPTS"]):
        response = client.post("/profil/adgangskode", data={"current": "gæt", **change})
        assert response.status_code == 422
        assert "Forkert adgangskode." in response.get_data(as_text=True)
    # Even the right one is not checked while the user must wait.
    response = client.post("/profil/adgangskode", data={"current": PASSWORD, **change})
    assert response.status_code == 429
    assert "For mange mislykkede forsøg" in response.get_data(as_text=True)
    assert db.session.get(User, user.id).check_password(PASSWORD)

    # Counted per user, apart from logins: the user's address is not held up.
    assert db.session.get(LoginThrottle, "lise@example.test") is None
    other = app.test_client()
    assert (
        other.post("/login", data={"email": "lise@example.test", "password": PASSWORD}).status_code
        == 302
    )

    # Once the wait is over the right password works, and the count is gone.
    row = db.session.get(LoginThrottle, throttle.user_key(user.id))
    row.last_failure_at = datetime.now(UTC) - timedelta(hours=1)
    db.session.commit()
    response = client.post("/profil/adgangskode", data={"current": PASSWORD, **change})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password("en helt ny kode 42")
    assert db.session.get(LoginThrottle, throttle.user_key(user.id)) is None


def test_failed_logins_with_an_address_do_not_hold_up_its_users_password_change(client, login, app):
    org = gen_org()
    user = gen_user(org, email="lise@example.test")
    db.session.commit()
    stranger = app.test_client()
    for _ in range(app.config["LOGIN_FREE_ATTEMPTS"] + 1):
        stranger.post("/login", data={"email": "Lise@example.test", "password": "gæt"})
    login(user, org)
    response = client.post(
        "/profil/adgangskode",
        data={"current": PASSWORD, "new": "en helt ny kode 42", "repeat": "en helt ny kode 42"},
    )
    assert response.status_code == 302
