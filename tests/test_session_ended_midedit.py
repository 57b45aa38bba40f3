"""A save pressed after the session ended meanwhile: logged out in another tab, the login
ended elsewhere (a new password, "log out on every device"), the role made read-only or the
membership removed by an administrator. It is answered on the page, where its messages
show, and what was typed stays in the form; logged in again in a new tab, the same save
works. CSRF protection is on, as in production: it is the first to see such a save."""

import json
import re
from dataclasses import dataclass

import pytest

from improvement.extensions import db
from improvement.models import Intervention, Membership, PdsaCycle, User
from tests.helpers import PASSWORD, gen_intervention, gen_org, gen_user
from tests.pdsa.factories import gen_cycle, gen_point

pytestmark = pytest.mark.csrf

TYPED = "Familierne ringes op dagen efter besøget"
EMAIL = "lise@nord.example"


@dataclass
class World:
    org: object
    user_id: int
    intervention_id: int
    cycle_id: int

    @property
    def page(self) -> str:
        return f"/indsatser/{self.intervention_id}"

    @property
    def worksheet(self) -> str:
        return f"/indsatser/{self.intervention_id}/proevehandlinger/{self.cycle_id}/rediger"


@pytest.fixture
def world(app):
    org = gen_org("Nord")
    user = gen_user(org, role="leader", email=EMAIL, name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats", purpose="Gammelt formål")
    cycle = gen_cycle(gen_point(intervention), title="Opkald", owner=user)
    db.session.commit()
    return World(org, user.id, intervention.id, cycle.id)


def _token(page: str) -> str:
    return re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)


def _log_in(client, email=EMAIL):
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def _open(client, world) -> dict:
    """The intervention's page, as a tab shows it: the headers its HTMX requests send (the
    body's hx-headers: token, organisation and user)."""
    page = client.get(world.page).text
    headers = json.loads(re.search(r"hx-headers='([^']+)'", page).group(1))
    assert headers == {
        "X-CSRFToken": _token(page),
        "X-Org": str(world.org.id),
        "X-User": str(world.user_id),
    }
    return {**headers, "HX-Request": "true", "HX-Current-URL": f"http://localhost{world.page}"}


def _save_summary(client, world, headers):
    """The summary's edit form, saved with a new purpose typed in."""
    data = {
        "name": "Spædbarnsindsats",
        "status": "testing",
        "target_group": "Familier med børn 0-3 år",
        "purpose": TYPED,
        "version": str(db.session.get(Intervention, world.intervention_id).version),
    }
    return client.post(f"{world.page}/rediger", data=data, headers=headers)


def _purpose(world) -> str:
    return db.session.get(Intervention, world.intervention_id).purpose


def _log_out_in_another_tab(client, headers):
    client.post("/logout", data={"csrf_token": headers["X-CSRFToken"]})
    client.get("/login")  # where that tab lands; it draws a form of its own


def _in_place(response, status: int) -> str:
    assert response.status_code == status
    assert response.headers["HX-Retarget"] == "#messages"
    assert response.headers["HX-Reswap"] == "innerHTML"
    return response.text


def _fresh_token(client, world) -> str:
    """What app.js asks for before the next write of a page the server said is stale."""
    response = client.get("/session/noegle", headers=_page_of(world.user_id))
    return _token_given(response)


def _page_of(user_id) -> dict:
    """What app.js tells the token route and the write check of its page."""
    return {"HX-Request": "true", "X-User": str(user_id)}


def _token_given(response) -> str:
    """The write check or the token route letting the page go: the current login's token."""
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return response.json["token"]


def test_a_save_after_logging_out_in_another_tab_keeps_the_text_and_works_after_login(
    client, world
):
    _log_in(client)
    headers = _open(client, world)
    _log_out_in_another_tab(client, headers)

    # Before: 400 "Formularen er udløbet ... Genindlæs siden", which would lose the text.
    body = _in_place(_save_summary(client, world, headers), 401)
    assert "Du er logget ud" in body
    assert "du har logget ud i en anden fane" in body
    assert "Intet blev gemt, og det, du har skrevet, står stadig i formularen." in body
    # A new tab to log in: this one, and the text in it, stay as they are.
    link = re.search(
        r'<a href="([^"]+)" target="_blank" rel="noopener">Log ind i en ny fane</a>', body
    )
    assert link and link.group(1) == f"/login?next={world.page}"
    assert "Kom så tilbage til denne side, og gem igen." in body
    assert _save_summary(client, world, headers).headers["X-Renew-Token"] == "1"
    assert _purpose(world) == "Gammelt formål"

    # Logged in again in the new tab. The old page's token belonged to the ended login:
    # saved with it, the answer says so and keeps the text...
    _log_in(client)
    body = _in_place(_save_summary(client, world, headers), 400)
    assert "Du er logget ind igen" in body and "Gem igen." in body
    assert "Genindlæs" not in body
    # ...and app.js fetches the current token before the page's next write: saved.
    headers["X-CSRFToken"] = _fresh_token(client, world)
    response = _save_summary(client, world, headers)
    assert response.status_code == 200
    assert _purpose(world) == TYPED


def _log_out_everywhere(device):
    page = device.get("/profil").text
    device.post("/profil/log-ud-overalt", data={"csrf_token": _token(page)})


def _change_password(device):
    page = device.get("/profil").text
    new = "en helt ny adgangskode"
    data = {"current": PASSWORD, "new": new, "repeat": new, "csrf_token": _token(page)}
    assert device.post("/profil/adgangskode", data=data).status_code == 302
    user = db.session.scalars(db.select(User).where(User.email == EMAIL)).one()
    user.set_password(PASSWORD)  # back, for the login below (a new epoch again)
    db.session.commit()


@pytest.mark.parametrize("end", [_log_out_everywhere, _change_password])
def test_a_save_after_the_login_was_ended_on_another_device(app, client, world, end):
    _log_in(client)
    headers = _open(client, world)
    other_device = app.test_client()
    _log_in(other_device)
    end(other_device)

    # Before: an HX-Redirect to the login page, which replaced the page and the text.
    response = _save_summary(client, world, headers)
    assert "HX-Redirect" not in response.headers
    body = _in_place(response, 401)
    assert "Du er logget ud" in body and "står stadig i formularen" in body
    assert 'target="_blank"' in body
    assert _purpose(world) == "Gammelt formål"

    _log_in(client)
    headers["X-CSRFToken"] = _fresh_token(client, world)
    assert _save_summary(client, world, headers).status_code == 200
    assert _purpose(world) == TYPED


def _worksheet_data(token: str) -> dict:
    version = db.session.scalar(db.select(PdsaCycle.version))
    return {"title": "Opkald", "objective": TYPED, "version": str(version), "csrf_token": token}


def test_a_plain_form_is_checked_before_it_leaves_its_page(client, world):
    """The worksheet is a plain form: app.js asks the write check first, and a refusal shows
    on the page. Sent without that check (no script), the answer is a page of its own that
    says how to get the text back."""
    _log_in(client)
    page = client.get(world.worksheet).text
    _log_out_in_another_tab(client, {"X-CSRFToken": _token(page)})

    check = client.get(
        "/organisation/kontrol",
        headers={
            "HX-Request": "true",
            "X-Org": str(world.org.id),
            "X-Form-Action": f"http://localhost{world.worksheet}",
            "HX-Current-URL": f"http://localhost{world.worksheet}",
        },
    )
    # Before: 200 with HX-Redirect, which app.js took as "go on": the form left the page.
    body = _in_place(check, 401)
    assert check.headers["X-Renew-Token"] == "1"
    assert "Du er logget ud" in body and "står stadig i formularen" in body
    assert f'href="/login?next={world.worksheet}" target="_blank"' in body

    # Before: 400 "Formularen er udløbet ... Genindlæs siden".
    response = client.post(
        world.worksheet,
        data=_worksheet_data(_token(page)),
        headers={"Referer": f"http://localhost{world.worksheet}"},
    )
    assert response.status_code == 401
    body = response.text
    assert "<h1>Du er logget ud</h1>" in body
    assert "Det, du sendte, blev ikke gemt." in body
    assert f'href="/login?next={world.worksheet}" target="_blank"' in body
    assert "Gå så tilbage til formularen med browserens Tilbage-knap, og gem igen" in body
    assert db.session.get(PdsaCycle, world.cycle_id).objective != TYPED


def test_a_plain_form_sent_after_the_login_ended_elsewhere_gets_the_same_page(app, client, world):
    _log_in(client)
    page = client.get(world.worksheet).text
    other_device = app.test_client()
    _log_in(other_device)
    _log_out_everywhere(other_device)
    # Before: a redirect to the login page, which said nothing of what was sent.
    response = client.post(world.worksheet, data=_worksheet_data(_token(page)))
    assert response.status_code == 401
    assert "Det, du sendte, blev ikke gemt." in response.text
    assert "Log ind i en ny fane" in response.text


def test_a_plain_form_with_the_token_of_an_earlier_login_says_to_go_back(client, world):
    _log_in(client)
    page = client.get(world.worksheet).text
    _log_out_in_another_tab(client, {"X-CSRFToken": _token(page)})
    _log_in(client)
    response = client.post(world.worksheet, data=_worksheet_data(_token(page)))
    assert response.status_code == 400
    assert "<h1>Du er logget ind igen</h1>" in response.text
    assert "Gå tilbage til formularen med browserens Tilbage-knap" in response.text
    assert "Genindlæs" not in response.text
    # Back on the form, app.js fetches the current token before it sends it again.
    response = client.post(world.worksheet, data=_worksheet_data(_fresh_token(client, world)))
    assert response.status_code == 302
    assert db.session.get(PdsaCycle, world.cycle_id).objective == TYPED


def test_the_login_form_itself_keeps_its_own_answer(client, world):
    """Not "you are logged out" for a login form whose token is missing."""
    response = client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 400
    assert "Formularen er udløbet" in response.text
    assert "Du er logget ud" not in response.text


def _membership(world) -> Membership:
    return db.session.scalars(
        db.select(Membership).where(Membership.user_id == world.user_id)
    ).one()


def test_a_save_after_the_role_was_made_read_only(client, world):
    _log_in(client)
    headers = _open(client, world)
    _membership(world).role = "evaluator"  # by an administrator, meanwhile
    db.session.commit()

    # Before: "Din rolle giver ikke adgang til dette. Intet blev ændret." and no more.
    body = _in_place(_save_summary(client, world, headers), 403)
    assert "Ikke tilladt" in body and "Din rolle giver ikke adgang til dette." in body
    assert "Din rolle i Nord er Evaluator (kun læseadgang)." in body
    assert "Det, du har skrevet, står stadig i formularen: kopiér det" in body
    assert _purpose(world) == "Gammelt formål"

    # The worksheet's write check knows the form it is asked for. Before: 204, go on.
    check_headers = {**headers, "HX-Current-URL": f"http://localhost{world.worksheet}"}
    check = client.get(
        "/organisation/kontrol",
        headers={**check_headers, "X-Form-Action": f"http://localhost{world.worksheet}"},
    )
    assert "Din rolle i Nord er Evaluator" in _in_place(check, 403)
    # Logging out, or a form of the user's own settings, is still theirs to send.
    for action in ("/logout", "/profil", "http://evil.example/x", "/ingen/side"):
        check = client.get(
            "/organisation/kontrol", headers={**check_headers, "X-Form-Action": action}
        )
        assert _token_given(check), action

    # Sent without the check: a page of its own, which says where the text is.
    response = client.post(world.worksheet, data=_worksheet_data(headers["X-CSRFToken"]))
    assert response.status_code == 403
    assert "Går du tilbage med browserens Tilbage-knap" in response.text
    assert db.session.get(PdsaCycle, world.cycle_id).objective != TYPED


def test_a_save_after_being_removed_from_the_last_organisation(client, world):
    _log_in(client)
    headers = _open(client, world)
    db.session.delete(_membership(world))
    db.session.commit()

    # Before: an HX-Redirect to the "no organisation" page, which replaced the text.
    response = _save_summary(client, world, headers)
    assert "HX-Redirect" not in response.headers
    body = _in_place(response, 403)
    assert "Du er ikke længere medlem af nogen organisation, så intet blev gemt." in body
    assert "står stadig i formularen" in body
    # Before: the write check failed (no membership to compare the page's with).
    check = client.get(
        "/organisation/kontrol",
        headers={**headers, "X-Form-Action": f"http://localhost{world.worksheet}"},
    )
    assert "ikke længere medlem" in _in_place(check, 403)
    # Opening a page is still sent to the explanation.
    response = client.get(world.page, headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"] == "/ingen-organisation"


def test_a_save_after_being_removed_from_the_pages_organisation(client, world):
    syd = gen_org("Syd")
    db.session.add(Membership(user_id=world.user_id, organization_id=syd.id, role="leader"))
    db.session.commit()
    _log_in(client)
    headers = _open(client, world)
    db.session.delete(
        db.session.scalars(
            db.select(Membership).where(
                Membership.user_id == world.user_id, Membership.organization_id == world.org.id
            )
        ).one()
    )
    db.session.commit()

    # Before: "Du har skiftet organisation ... Genindlæs siden", which would lose the text.
    body = _in_place(_save_summary(client, world, headers), 409)
    assert "Ikke længere medlem" in body and "Du har skiftet" not in body
    assert "du arbejder nu i Syd. Intet blev gemt." in body
    assert "står stadig i formularen" in body and "Genindlæs" not in body
    assert _purpose(world) == "Gammelt formål"


def test_the_current_token_is_only_for_the_user_the_page_was_drawn_for(client, world):
    other = gen_user(world.org, email="bo@nord.example", name="Bo Berg")
    db.session.commit()
    _log_in(client, "bo@nord.example")
    # A page of Lise's, and Bo logged in since (a shared computer): the page is not given
    # Bo's token, so her text is not saved in his name.
    response = client.get("/session/noegle", headers=_page_of(world.user_id))
    body = _in_place(response, 403)
    assert "Logget ind som en anden" in body
    assert "af en anden bruger end Bo Berg, som er logget ind nu" in body
    assert "Lise" not in body
    assert _fresh_token(client, World(world.org, other.id, 0, 0))
    # Nobody logged in: the same answer as a save would get.
    client.post("/logout", data={"csrf_token": _token(client.get("/indsatser").text)})
    response = client.get("/session/noegle", headers=_page_of(other.id))
    assert "Du er logget ud" in _in_place(response, 401)


def test_htmx_swaps_the_answers_of_an_ended_session_in_place(client, world):
    """htmx swaps 4xx answers only where the page's configuration says so."""
    page = client.get("/login").text
    config = json.loads(re.search(r'name="htmx-config" content=\'([^\']+)\'', page).group(1))
    for status in ("401", "403", "409"):
        rule = next(r for r in config["responseHandling"] if re.fullmatch(r["code"], status))
        assert rule["swap"] is True and rule["error"] is False, status


# ------------------------------------------------------------ logging out always goes


@pytest.mark.parametrize("end", [_log_out_everywhere, _change_password])
def test_logging_out_after_the_login_ended_elsewhere_goes_to_the_login(app, client, world, end):
    """Logging out is the user's own: not a save to keep, so neither the write check nor
    the form itself answers "you are logged out, save again"."""
    _log_in(client)
    page = client.get(world.page).text
    other_device = app.test_client()
    _log_in(other_device)
    end(other_device)
    check = client.get(
        "/organisation/kontrol",
        headers={
            "HX-Request": "true",
            "X-Org": str(world.org.id),
            "X-Form-Action": "http://localhost/logout",
        },
    )
    assert check.status_code != 401
    response = client.post("/logout", data={"csrf_token": _token(page)})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_logging_out_goes_when_removed_from_every_organisation_or_the_pages(client, world):
    _log_in(client)
    headers = _open(client, world)
    db.session.delete(_membership(world))
    db.session.commit()
    for page_org in (str(world.org.id), "999"):
        check = client.get(
            "/organisation/kontrol",
            headers={**headers, "X-Org": page_org, "X-Form-Action": "http://localhost/logout"},
        )
        assert _token_given(check)
    response = client.post("/logout", data={"csrf_token": headers["X-CSRFToken"]})
    assert response.status_code == 302


def test_a_header_that_is_no_url_is_no_500(client, world):
    _log_in(client)
    headers = _open(client, world)
    for name in ("X-Form-Action", "HX-Current-URL", "Referer"):
        check = client.get("/organisation/kontrol", headers={**headers, name: "http://["})
        assert _token_given(check), name
    _log_out_in_another_tab(client, headers)
    response = _save_summary(client, world, {**headers, "HX-Current-URL": "http://["})
    assert response.status_code == 401
    response = client.post(
        world.worksheet,
        data=_worksheet_data(headers["X-CSRFToken"]),
        headers={"Referer": "http://["},
    )
    assert response.status_code == 401


def test_the_token_route_gives_a_client_without_a_login_no_token(client, world):
    response = client.get("/session/noegle", headers=_page_of(world.user_id))
    assert response.status_code == 401
    assert "token" not in response.text


def test_a_save_from_someone_elses_page_says_so_at_the_first_press(client, world):
    """Lise's page, and Bo logged in since on the same browser (a shared computer). Before,
    the first press heard "Du er logget ind igen … Gem igen", and only the second said
    whose login it was."""
    gen_user(world.org, email="bo@nord.example", name="Bo Berg")
    db.session.commit()
    _log_in(client)
    headers = _open(client, world)
    _log_out_in_another_tab(client, headers)
    _log_in(client, "bo@nord.example")

    body = _in_place(_save_summary(client, world, headers), 403)
    assert "Logget ind som en anden" in body
    assert "af en anden bruger end Bo Berg, som er logget ind nu. Intet blev gemt." in body
    assert "står stadig i formularen" in body and "logget ind igen" not in body
    assert _purpose(world) == "Gammelt formål"
    # With a valid token too (Bo's, were the page to get it), nothing goes in his name.
    bo_token = _token(client.get(world.page).text)
    response = _save_summary(client, world, {**headers, "X-CSRFToken": bo_token})
    assert "Logget ind som en anden" in _in_place(response, 403)
    assert _purpose(world) == "Gammelt formål"


def test_the_write_check_answers_with_the_current_token(client, world):
    """A plain form leaves its page after one request: the write check's answer carries the
    current login's token (before, a second request fetched it)."""
    _log_in(client)
    page = client.get(world.worksheet).text
    _log_out_in_another_tab(client, {"X-CSRFToken": _token(page)})
    _log_in(client)
    check = client.get(
        "/organisation/kontrol",
        headers={
            **_page_of(world.user_id),
            "X-Org": str(world.org.id),
            "X-Form-Action": f"http://localhost{world.worksheet}",
        },
    )
    token = _token_given(check)
    assert token != _token(page)
    response = client.post(world.worksheet, data=_worksheet_data(token))
    assert response.status_code == 302
    assert db.session.get(PdsaCycle, world.cycle_id).objective == TYPED


def test_the_write_check_refuses_someone_elses_page(client, world):
    other = gen_user(world.org, email="bo@nord.example", name="Bo Berg")
    db.session.commit()
    _log_in(client, "bo@nord.example")
    for action in (world.worksheet, "/logout", "/profil"):
        check = client.get(
            "/organisation/kontrol",
            headers={**_page_of(world.user_id), "X-Form-Action": f"http://localhost{action}"},
        )
        assert "Logget ind som en anden" in _in_place(check, 403), action
    check = client.get("/organisation/kontrol", headers=_page_of(other.id))
    assert _token_given(check)


def test_a_save_refused_for_the_role_puts_the_role_badge_right(client, world):
    """The header's badge was drawn with the page ("Leder"); the refusal swaps in the role
    the user has now, out of band."""
    _log_in(client)
    headers = _open(client, world)
    assert '<small id="role-badge" class="role-badge">Leder</small>' in client.get(world.page).text
    _membership(world).role = "evaluator"
    db.session.commit()
    body = _in_place(_save_summary(client, world, headers), 403)
    badge = '<small id="role-badge" class="role-badge" hx-swap-oob="true">'
    assert f"{badge}Evaluator (kun læseadgang)</small>" in body


# A write that carries nothing typed (a card dragged, a choice made; app.js marks it with
# X-Nothing-Typed) is refused without telling the user their text is still in the form:
# before, a card dropped after logging out said "what you typed is still in the form".
KEPT = "står stadig"
NOTHING_TYPED = {"X-Nothing-Typed": "1"}


def _move(client, world, headers):
    """The board's drop of the test's card into Afprøv, as app.js sends it."""
    version = db.session.get(PdsaCycle, world.cycle_id).version
    return client.post(
        f"{world.page}/proevehandlinger/{world.cycle_id}/flyt",
        data={"to": "do", "version": str(version)},
        headers={**headers, **NOTHING_TYPED},
    )


def _phase(world) -> str:
    db.session.rollback()
    return db.session.get(PdsaCycle, world.cycle_id).phase


def test_a_drop_after_logging_out_says_nothing_was_saved_and_no_more(client, world):
    _log_in(client)
    headers = _open(client, world)
    _log_out_in_another_tab(client, headers)

    body = _in_place(_move(client, world, headers), 401)
    assert "Du er logget ud" in body
    assert "Intet blev gemt." in body and KEPT not in body
    # The token asked for before the next drop is refused in the same words.
    token = client.get("/session/noegle", headers={**_page_of(world.user_id), **NOTHING_TYPED})
    assert token.status_code == 401
    assert "Intet blev gemt." in token.text and KEPT not in token.text
    assert _phase(world) == "plan"


def test_a_drop_with_the_token_of_an_earlier_login_says_do_it_again(client, world):
    _log_in(client)
    headers = _open(client, world)
    _log_out_in_another_tab(client, headers)
    _log_in(client)

    body = _in_place(_move(client, world, headers), 400)
    assert "Intet blev gemt. Gør det igen." in body and KEPT not in body
    assert _phase(world) == "plan"


def test_a_drop_refused_for_the_role_does_not_speak_of_text(client, world):
    _log_in(client)
    headers = _open(client, world)
    _membership(world).role = "evaluator"  # by an administrator, meanwhile
    db.session.commit()

    body = _in_place(_move(client, world, headers), 403)
    assert "Din rolle i Nord er Evaluator (kun læseadgang)." in body
    assert KEPT not in body and "kopiér" not in body
    assert _phase(world) == "plan"


def test_a_drop_of_a_deleted_card_says_reload(client, world):
    _log_in(client)
    headers = _open(client, world)
    version = db.session.get(PdsaCycle, world.cycle_id).version
    db.session.delete(db.session.get(PdsaCycle, world.cycle_id))  # by someone else, meanwhile
    db.session.commit()

    response = client.post(
        f"{world.page}/proevehandlinger/{world.cycle_id}/flyt",
        data={"to": "do", "version": str(version)},
        headers={**headers, **NOTHING_TYPED},
    )
    body = _in_place(response, 404)
    assert "findes ikke længere" in body and "Intet blev gemt. Genindlæs siden" in body
    assert KEPT not in body


def test_a_save_with_text_still_says_where_the_text_is(client, world):
    """Without the mark (a form with text in it), the refusal keeps its words."""
    _log_in(client)
    headers = _open(client, world)
    _log_out_in_another_tab(client, headers)
    version = db.session.get(PdsaCycle, world.cycle_id).version
    response = client.post(
        f"{world.page}/proevehandlinger/{world.cycle_id}/flyt",
        data={"to": "do", "version": str(version)},
        headers=headers,
    )
    assert "Intet blev gemt, og det, du har skrevet, står stadig i formularen." in _in_place(
        response, 401
    )
