"""Conditional GET: repeat views get 304 until something the page shows may have changed."""

from datetime import UTC, datetime

from flask import flash, g, render_template, template_rendered
from sqlalchemy import select, update

from improvement import revalidation
from improvement.extensions import db
from improvement.models import (
    AssessmentInstrument,
    Intervention,
    LoginThrottle,
    Membership,
    Organization,
)
from tests.helpers import gen_intervention, gen_org, gen_user
from tests.pdsa.factories import gen_cycle, gen_point
from tests.querycount import count_queries


def _setup():
    org = gen_org("Nordby Kommune")
    leader = gen_user(org, role="leader", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    db.session.commit()
    return org, leader, intervention


def _versions():
    db.session.expire_all()
    return dict(db.session.execute(select(Organization.id, Organization.data_version)).all())


def _signed_in(app, user, org):
    other = app.test_client()
    with other.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["org_id"] = org.id
    return other


def _view(client, path):
    # The first page of a session creates its CSRF token, which changes the session.
    client.get(path)
    return client.get(path)


def _again(client, path, response, **headers):
    return client.get(path, headers={"If-None-Match": response.headers["ETag"], **headers})


def test_repeat_view_is_304_without_a_render(client, login, app):
    org, leader, intervention = _setup()
    login(leader, org)
    path = f"/indsatser/{intervention.id}"
    first = _view(client, path)
    assert first.status_code == 200
    assert first.headers["ETag"].startswith('W/"')
    assert first.headers["Cache-Control"] == "private, no-cache"
    assert "HX-Request" in first.headers["Vary"]

    rendered = []
    template_rendered.connect(lambda _app, template, **_: rendered.append(template), app)
    with count_queries() as statements:
        again = _again(client, path, first)
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert rendered == []
    # Only the signed-in user (with memberships and organisation versions) is read.
    assert len(statements) == 1 and "WHERE user.id" in statements[0].replace('"', "")


def test_a_write_through_the_app_by_someone_else_renders_again(client, login, app):
    org, leader, intervention = _setup()
    colleague = gen_user(org, role="practitioner")
    cycle = gen_cycle(
        gen_point(intervention), title="Gennemgang", owner=leader, objective="Mål", prediction="Gæt"
    )
    db.session.commit()
    path = f"/indsatser/{intervention.id}/tavle"
    login(leader, org)
    first = _view(client, path)

    other = _signed_in(app, colleague, org)
    moved = other.post(
        f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}/flyt",
        data={"to": "do", "version": cycle.version},
        headers={"HX-Request": "true"},
    )
    assert moved.status_code == 200

    again = _again(client, path, first)
    assert again.status_code == 200
    assert again.headers["ETag"] != first.headers["ETag"]
    assert _again(client, path, again).status_code == 304


def test_another_organisations_writes_leave_the_page_current(client, login):
    org, leader, intervention = _setup()
    elsewhere = gen_org("Sydby Kommune")
    db.session.commit()
    login(leader, org)
    path = f"/indsatser/{intervention.id}"
    first = _view(client, path)

    gen_intervention(elsewhere, name="Sydbys indsats")
    db.session.commit()
    assert _again(client, path, first).status_code == 304

    intervention.name = "Spædbarnsindsatsen"
    db.session.commit()
    again = _again(client, path, first)
    assert again.status_code == 200
    assert "Spædbarnsindsatsen" in again.get_data(as_text=True)


def test_the_tag_belongs_to_the_user_the_session_and_the_request(client, login, app):
    org, leader, intervention = _setup()
    colleague = gen_user(org, role="evaluator")
    db.session.commit()
    path = f"/indsatser/{intervention.id}"
    login(leader, org)
    first = _view(client, path)

    # Another user (other role, other buttons) never gets the leader's page.
    other = _signed_in(app, colleague, org)
    assert _again(other, path, first).status_code == 200

    # An HTMX partial is not the page, another query string is not the same page.
    assert _again(client, path, first, **{"HX-Request": "true"}).status_code == 200
    assert (
        client.get(path + "?x=1", headers={"If-None-Match": first.headers["ETag"]}).status_code
        == 200
    )

    # A change to the user's own settings shows at once.
    assert client.post("/profil", data={"locale": "en"}).status_code == 302
    english = _again(client, path, first)
    assert english.status_code == 200
    assert "Interventions" in english.get_data(as_text=True)


def test_a_new_role_release_or_setting_renders_again(client, login, app, monkeypatch):
    org, leader, intervention = _setup()
    login(leader, org)
    path = f"/indsatser/{intervention.id}"
    first = _view(client, path)

    app.config["BOARD_REFRESH_SECONDS"] = 10
    first = _again(client, path, first)
    assert first.status_code == 200
    monkeypatch.setattr(revalidation, "release_digest", lambda: "next release")
    first = _again(client, path, first)
    assert first.status_code == 200
    assert _again(client, path, first).status_code == 304

    leader.memberships[0].role = "evaluator"
    db.session.commit()
    read_only = _again(client, path, first)
    assert read_only.status_code == 200
    assert "Evaluator (kun læseadgang)" in read_only.get_data(as_text=True)


def test_the_hour_turning_renders_again(client, login, monkeypatch):
    org, leader, intervention = _setup()
    login(leader, org)
    path = f"/indsatser/{intervention.id}"
    monkeypatch.setattr(revalidation, "clock", lambda: datetime(2026, 11, 23, 9, 59, tzinfo=UTC))
    first = _view(client, path)
    assert _again(client, path, first).status_code == 304
    monkeypatch.setattr(revalidation, "clock", lambda: datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    assert _again(client, path, first).status_code == 200


def test_a_pending_flash_message_is_always_shown(client, login):
    org, leader, intervention = _setup()
    login(leader, org)
    path = f"/indsatser/{intervention.id}"
    first = _view(client, path)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Gemt.")]
    shown = _again(client, path, first)
    assert shown.status_code == 200
    assert "Gemt." in shown.get_data(as_text=True)
    assert "ETag" not in shown.headers  # a page with a message is not kept
    assert _again(client, path, first).status_code == 304


def test_a_page_that_shows_a_message_it_flashed_is_not_tagged(client, login, app):
    @app.route("/_flash-and-show")
    def flash_and_show():
        flash("Gemt.", "success")
        return render_template("base.html")

    org, leader, _ = _setup()
    login(leader, org)
    shown = client.get("/_flash-and-show")
    assert "Gemt." in shown.get_data(as_text=True)
    assert "ETag" not in shown.headers


def test_only_signed_in_pages_that_answer_200_are_tagged(client, login):
    org, leader, intervention = _setup()
    practitioner = gen_user(org, role="practitioner")
    db.session.commit()
    assert "ETag" not in client.get("/login").headers
    login(practitioner, org)
    assert "ETag" not in client.get("/indsatser/999999").headers  # 404
    assert client.get("/organisation/medlemmer").status_code == 403
    assert "ETag" not in client.get("/organisation/medlemmer").headers
    assert "ETag" in client.get(f"/indsatser/{intervention.id}").headers


def test_writes_raise_the_versions_of_the_organisations_they_touch(app):
    org, leader, intervention = _setup()
    elsewhere = gen_org("Sydby Kommune")
    both = gen_user(elsewhere, role="practitioner")
    db.session.add(Membership(user_id=both.id, organization_id=org.id, role="practitioner"))
    third = gen_org("Vestby Kommune")
    db.session.commit()

    before = _versions()
    intervention.name = "Ny titel"
    gen_intervention(org, name="Endnu en")
    db.session.commit()
    after = _versions()
    assert after[org.id] == before[org.id] + 1  # one raise per commit, not per row
    assert after[elsewhere.id] == before[elsewhere.id]

    # A user's name shows in every organisation they belong to.
    before = after
    both.name = "Nyt navn"
    db.session.commit()
    after = _versions()
    assert (after[org.id], after[elsewhere.id], after[third.id]) == (
        before[org.id] + 1,
        before[elsewhere.id] + 1,
        before[third.id],
    )

    # A bulk statement's rows are not seen: inside a request it is the current
    # organisation's (access control confines it there), outside one it is everyone's.
    before = after
    with app.test_request_context():
        g.membership = db.session.get(Membership, leader.memberships[0].id)
        db.session.execute(
            update(Intervention).where(Intervention.id == intervention.id).values(name="A")
        )
        db.session.commit()
    after = _versions()
    assert (after[org.id], after[elsewhere.id]) == (before[org.id] + 1, before[elsewhere.id])

    # A row shared by every organisation raises them all, even when written in a request.
    before = after
    with app.test_request_context():
        g.membership = db.session.get(Membership, leader.memberships[0].id)
        db.session.add(AssessmentInstrument(organization_id=None, name="Fælles", scale=[]))
        db.session.commit()
    after = _versions()
    assert all(after[k] == before[k] + 1 for k in before)
    before = after
    db.session.execute(update(Intervention).values(name="B"))
    db.session.commit()
    after = _versions()
    assert all(after[k] == before[k] + 1 for k in before)

    # A released savepoint waits for the commit around it, which raises once.
    before = after
    with db.session.begin_nested():
        intervention.name = "I et savepoint"
    assert _versions() == before
    db.session.commit()
    after = _versions()
    assert after[org.id] == before[org.id] + 1

    # A rolled-back write, a value set to what it was, and rows no page shows raise nothing.
    before = after
    intervention.name = intervention.name
    db.session.commit()
    intervention.name = "Fortrudt"
    db.session.flush()
    db.session.rollback()
    db.session.add(LoginThrottle(email="x@example.test", failures=1))
    db.session.commit()
    assert _versions() == before
