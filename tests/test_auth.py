import re
from datetime import UTC, date, datetime, timedelta

import pytest

from improvement.extensions import db
from improvement.models import Intervention, LoginThrottle
from tests.helpers import PASSWORD, gen_org, gen_user


def test_login_page_is_danish(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "Log ind" in response.get_data(as_text=True)


def test_pages_require_login(client):
    response = client.get("/indsatser")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_htmx_request_without_login_redirects_whole_page(client):
    response = client.get("/indsatser", headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"].startswith("/login")
    # After logging in, back to the page the request came from, not to its fragment.
    response = client.get(
        "/indsatser/1/kerneelementer/1/rediger",
        headers={
            "HX-Request": "true",
            "HX-Current-URL": "http://localhost/indsatser/1/kerneelementer?vis=alle",
        },
    )
    assert response.headers["HX-Redirect"] == ("/login?next=/indsatser/1/kerneelementer?vis%3Dalle")
    # A page of another site is not followed.
    response = client.post(
        "/indsatser", headers={"HX-Request": "true", "HX-Current-URL": "http://evil.example/x"}
    )
    assert response.headers["HX-Redirect"] == "/login"


def test_login_and_logout(client, app):
    org = gen_org()
    user = gen_user(org, email="lise@example.test")
    db.session.commit()
    response = client.post("/login", data={"email": "Lise@Example.test", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/indsatser").status_code == 200
    response = client.post("/logout", follow_redirects=True)
    assert "Du er logget ud" in response.get_data(as_text=True)
    assert client.get("/indsatser").status_code == 302
    assert user.id


def test_wrong_password_is_neutral(client):
    org = gen_org()
    gen_user(org, email="a@example.test")
    db.session.commit()
    wrong_password = client.post("/login", data={"email": "a@example.test", "password": "nope"})
    unknown_user = client.post("/login", data={"email": "b@example.test", "password": "nope"})
    for response in (wrong_password, unknown_user):
        assert "Forkert e-mail eller adgangskode." in response.get_data(as_text=True)


def test_repeated_failures_are_slowed_down(client, app):
    org = gen_org()
    gen_user(org, email="a@example.test")
    db.session.commit()
    for _ in range(app.config["LOGIN_FREE_ATTEMPTS"]):
        client.post("/login", data={"email": "a@example.test", "password": "nope"})
    # Even the right password is not checked while the user must wait.
    response = client.post("/login", data={"email": "a@example.test", "password": PASSWORD})
    assert response.status_code == 429
    assert "For mange mislykkede forsøg" in response.get_data(as_text=True)
    # With the first wait (2 s) almost over, one second is left, in the singular.
    row = db.session.get(LoginThrottle, "a@example.test")
    row.last_failure_at = datetime.now(UTC) - timedelta(seconds=1.5)
    db.session.commit()
    response = client.post("/login", data={"email": "a@example.test", "password": PASSWORD})
    assert "Vent 1 sekund, og prøv igen." in response.get_data(as_text=True)
    # Once the wait is over, the right password works and the count is reset.
    row = db.session.get(LoginThrottle, "a@example.test")
    row.last_failure_at = datetime.now(UTC) - timedelta(hours=1)
    db.session.commit()
    response = client.post("/login", data={"email": "a@example.test", "password": PASSWORD})
    assert response.status_code == 302
    assert db.session.get(LoginThrottle, "a@example.test") is None


def test_login_validates_fields(client):
    response = client.post("/login", data={"email": "", "password": ""})
    body = response.get_data(as_text=True)
    assert body.count("Feltet skal udfyldes.") == 2


def test_next_only_goes_to_same_site(client):
    org = gen_org()
    gen_user(org, email="a@example.test")
    db.session.commit()
    for target in ("https://evil.example/x", "//evil.example/x", "/\\evil.example/x"):
        client.post("/logout")
        response = client.post(
            "/login",
            query_string={"next": target},
            data={"email": "a@example.test", "password": PASSWORD},
        )
        assert response.headers["Location"] == "/indsatser", target


def test_switch_organisation(client, login):
    nord, syd = gen_org("Nord"), gen_org("Syd")
    user = gen_user(nord, role="leader")
    from improvement.models import Membership

    db.session.add(Membership(user_id=user.id, organization_id=syd.id, role="evaluator"))
    db.session.commit()
    login(user, nord)
    page = client.get("/indsatser").get_data(as_text=True)
    assert "De indsatser i Nord" in page
    client.post("/organisation", data={"org_id": syd.id})
    page = client.get("/indsatser").get_data(as_text=True)
    assert "De indsatser i Syd" in page
    # The evaluator role in Syd applies now: no create form.
    assert "Opret indsats" not in page


def test_a_link_into_another_of_the_users_organisations_offers_the_switch(client, login):
    from improvement.models import Membership

    nord, syd, fremmed = gen_org("Nord"), gen_org("Syd"), gen_org("Fremmed")
    user = gen_user(syd, role="evaluator")
    db.session.add(Membership(user_id=user.id, organization_id=nord.id, role="leader"))
    theirs = Intervention(organization_id=nord.id, name="Spædbarnsindsats", status="testing")
    foreign = Intervention(organization_id=fremmed.id, name="Hemmelig", status="testing")
    db.session.add_all([theirs, foreign])
    db.session.commit()
    login(user, syd)
    url = f"/indsatser/{theirs.id}/tavle"
    response = client.get(url)
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    # Said as it is: the page is there, in the other organisation (not "Siden findes ikke").
    assert "I en anden af dine organisationer" in body and "findes ikke" not in body
    assert "Siden hører til Nord, hvor du også er medlem. Du arbejder nu i Syd." in body
    assert "Fejl 404" not in body
    assert f'name="next" value="{url}"' in body
    response = client.post("/organisation", data={"org_id": nord.id, "next": url})
    assert response.headers["Location"] == url
    assert client.get(url).status_code == 200
    # Nothing is offered (or told) for an organisation the user does not belong to.
    for other in (f"/indsatser/{foreign.id}", "/indsatser/2147483648", "/indsatser/999999"):
        response = client.get(other)
        assert response.status_code == 404
        assert "switch-offer" not in response.get_data(as_text=True), other


def test_cannot_switch_to_foreign_organisation(client, login):
    nord, other = gen_org("Nord"), gen_org("Fremmed")
    user = gen_user(nord)
    db.session.commit()
    login(user, nord)
    response = client.post("/organisation", data={"org_id": other.id}, follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "Du er ikke medlem af den organisation." in body
    assert "De indsatser i Nord" in body


def test_user_without_membership_is_told_so_not_shown_pages(client, login):
    user = gen_user(None)
    db.session.commit()
    login(user)
    response = client.get("/indsatser")
    assert response.headers["Location"] == "/ingen-organisation"
    assert client.get("/ingen-organisation").status_code == 403


def test_english_is_selectable_per_user(client, login):
    org = gen_org()
    user = gen_user(org)
    db.session.commit()
    login(user, org)
    client.post("/profil", data={"locale": "en"})
    page = client.get("/indsatser").get_data(as_text=True)
    assert "Interventions" in page and '<html lang="en"' in page
    # English words, dates in the Danish order: 15 November 2026, not November 15, 2026.
    intervention = Intervention(
        organization_id=org.id, name="Start", status="testing", start_date=date(2026, 11, 15)
    )
    db.session.add(intervention)
    db.session.commit()
    assert "15 November 2026" in client.get(f"/indsatser/{intervention.id}").get_data(as_text=True)
    client.post("/profil", data={"locale": "da"})
    assert "Indsatser" in client.get("/indsatser").get_data(as_text=True)
    # A language not offered is refused at the field, and the choice stays.
    response = client.post("/profil", data={"locale": "zz"})
    assert response.status_code == 422
    assert "Ikke et gyldigt valg." in response.get_data(as_text=True)
    assert db.session.get(type(user), user.id).locale == "da"


@pytest.mark.csrf
def test_csrf_failure_is_explained_and_writes_nothing(client, login):
    org = gen_org()
    user = gen_user(org)
    db.session.commit()
    login(user, org)
    response = client.post("/indsatser", data={"name": "Uden nøgle"})
    assert response.status_code == 400
    assert "Formularen er udløbet" in response.get_data(as_text=True)
    response = client.post(
        "/indsatser", data={"name": "Uden nøgle"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    assert response.headers["HX-Retarget"] == "#messages"
    assert db.session.query(Intervention).count() == 0


@pytest.mark.csrf
def test_csrf_token_in_header_is_accepted(client, login):
    org = gen_org()
    user = gen_user(org)
    db.session.commit()
    login(user, org)
    page = client.get("/indsatser").get_data(as_text=True)
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    response = client.post(
        "/indsatser",
        data={"name": "Med nøgle", "status": "testing"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert response.status_code == 200
    assert db.session.query(Intervention).count() == 1


def test_user_without_membership_lands_on_an_explanation(client, login):
    user = gen_user(None, email="ingen@kommune.dk")
    db.session.commit()
    response = client.post(
        "/login?next=/indsatser", data={"email": "ingen@kommune.dk", "password": PASSWORD}
    )
    assert response.headers["Location"].endswith("/ingen-organisation")
    assert client.get("/login").headers["Location"].endswith("/ingen-organisation")
    body = client.get("/ingen-organisation").get_data(as_text=True)
    assert "Du er ikke medlem af nogen organisation" in body
    assert f"Logget ind som {user.email}." in body
    assert "Log ud" in body


def test_removed_mid_session_is_sent_to_the_explanation(client, login):
    from improvement.models import Membership

    org = gen_org()
    user = gen_user(org, role="leader")
    db.session.commit()
    login(user, org)
    db.session.execute(Membership.__table__.delete().where(Membership.user_id == user.id))
    db.session.commit()
    response = client.get("/indsatser")
    assert response.status_code == 302
    assert response.headers["Location"] == "/ingen-organisation"
    response = client.get("/indsatser", headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"] == "/ingen-organisation"
    assert "ikke medlem af nogen organisation" in client.get("/ingen-organisation").text


def test_login_finds_an_address_stored_with_capitals(client):
    org = gen_org()
    gen_user(org, email="Lise.Lund@Nord.example")
    db.session.commit()
    response = client.post("/login", data={"email": "lise.lund@nord.example", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/indsatser"


def _logged_in_client(app, email):
    client = app.test_client()  # a FreshContextClient, once the `client` fixture has run
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_new_password_ends_the_users_other_sessions(app, client):
    org = gen_org()
    gen_user(org, email="lise@example.test")
    db.session.commit()
    laptop = _logged_in_client(app, "lise@example.test")
    meeting_room = _logged_in_client(app, "lise@example.test")

    response = laptop.post(
        "/profil/adgangskode",
        data={"current": PASSWORD, "new": "en helt ny kode 42", "repeat": "en helt ny kode 42"},
        follow_redirects=True,
    )
    assert "Du er logget ud på dine andre enheder." in response.get_data(as_text=True)
    assert laptop.get("/indsatser").status_code == 200  # the session that changed it goes on
    assert meeting_room.get("/indsatser").status_code == 302  # the other one has ended
    assert "/login" in meeting_room.get("/indsatser").headers["Location"]


def test_logging_out_everywhere_ends_a_copied_session_cookie(app, client):
    org = gen_org()
    gen_user(org, email="lise@example.test")
    db.session.commit()
    browser = _logged_in_client(app, "lise@example.test")
    copy = app.test_client()
    copy.set_cookie("session", browser.get_cookie("session").value)
    assert copy.get("/indsatser").status_code == 200

    # Logging out clears this browser's cookie; a copy of it would still be valid.
    page = browser.get("/profil").get_data(as_text=True)
    assert "Log ud på alle enheder" in page
    response = browser.post("/profil/log-ud-overalt", follow_redirects=True)
    assert "Du er logget ud på alle enheder." in response.get_data(as_text=True)
    assert browser.get("/indsatser").status_code == 302
    assert copy.get("/indsatser").status_code == 302
    # Logging in again works as before.
    assert _logged_in_client(app, "lise@example.test").get("/indsatser").status_code == 200


def test_a_session_id_without_the_users_session_epoch_is_not_logged_in(client):
    org = gen_org()
    user = gen_user(org)
    db.session.commit()
    for session_id in (str(user.id), f"{user.id}.{user.session_epoch + 1}", "x.y", ""):
        with client.session_transaction() as session:
            session["_user_id"] = session_id
        assert client.get("/indsatser").status_code == 302, session_id


HX_ONLY = {"HX-Request": "true"}


def _in_two_organisations():
    from improvement.models import Membership

    nord, syd = gen_org("Nord"), gen_org("Syd")
    user = gen_user(nord, role="admin")
    db.session.add(Membership(user_id=user.id, organization_id=syd.id, role="admin"))
    db.session.commit()
    return nord, syd, user


def _interventions():
    return [(i.organization_id, i.name) for i in db.session.scalars(db.select(Intervention))]


def test_a_write_from_a_tab_of_the_organisation_switched_away_from_is_refused(client, login):
    nord, syd, user = _in_two_organisations()
    login(user, nord)
    page = client.get("/indsatser").get_data(as_text=True)
    # Every HTMX request of the page names its organisation; plain forms get it from app.js.
    assert f'"X-Org": "{nord.id}"' in page and f'data-org="{nord.id}"' in page
    client.post("/organisation", data={"org_id": syd.id})  # in another tab

    data = {"name": "Tænkt til Nord", "status": "description"}
    headers = {"HX-Request": "true", "X-Org": str(nord.id)}
    response = client.post("/indsatser", data=data, headers=headers)
    assert response.status_code == 409
    assert response.headers["HX-Retarget"] == "#messages"
    body = response.get_data(as_text=True)
    assert "Siden hører til Nord, men du har siden skiftet til Syd" in body
    assert "Intet blev gemt." in body
    assert "Skift tilbage til Nord" in body and f'name="org_id" value="{nord.id}"' in body
    # A plain form sent without app.js's check first says the same with its _org field, on
    # a whole page that offers to go back to the page it came from, in Nord.
    response = client.post(
        "/indsatser",
        data={**data, "_org": str(nord.id)},
        headers={"Referer": "http://localhost/indsatser?arkiverede=1"},
    )
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Du har skiftet organisation" in body
    assert 'name="next" value="/indsatser?arkiverede=1"' in body
    assert "Skift tilbage til Nord, og åbn siden igen" in body
    assert _interventions() == []

    # app.js asks before a plain form leaves its page (the same check, as a GET).
    check = client.get("/organisation/kontrol", headers={"X-Org": str(nord.id), **HX_ONLY})
    assert check.status_code == 409 and "Skift tilbage til Nord" in check.text
    check = client.get("/organisation/kontrol", headers={"X-Org": str(syd.id), **HX_ONLY})
    assert check.status_code == 200 and check.json["token"]

    # Switched back from the message, the page stays as it is and the same save works.
    response = client.post(
        "/organisation", data={"org_id": nord.id, "stay": "1"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Du arbejder igen i Nord. Gem igen." in response.get_data(as_text=True)
    assert client.post("/indsatser", data=data, headers=headers).status_code == 200
    assert _interventions() == [(nord.id, "Tænkt til Nord")]
    client.post("/organisation", data={"org_id": syd.id})
    data["name"] = "Tænkt til Syd"

    # From a page of Syd (or from a client that names no organisation) it is saved in Syd.
    headers["X-Org"] = str(syd.id)
    assert client.post("/indsatser", data=data, headers=headers).status_code == 200
    assert _interventions() == [(nord.id, "Tænkt til Nord"), (syd.id, "Tænkt til Syd")]
    # Switching back from the old tab is always possible: the switch only touches the session.
    response = client.post("/organisation", data={"org_id": nord.id, "_org": str(nord.id)})
    assert response.status_code == 302


def test_a_write_from_a_page_of_an_organisation_the_user_has_left_is_refused(client, login):
    nord, syd, user = _in_two_organisations()
    fremmed = gen_org("Fremmed")
    db.session.commit()
    login(user, syd)
    response = client.post(
        "/indsatser", data={"name": "X", "status": "description", "_org": str(fremmed.id)}
    )
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "en organisation, du ikke længere arbejder i" in body and "Fremmed" not in body
    assert _interventions() == []
