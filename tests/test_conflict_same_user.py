"""A save refused or merged because the row was saved meanwhile says who saved it: when every
save made meanwhile was the user's own, in another window or tab, the message says so
instead of "someone else", which sends them looking for a colleague who never touched it.
A colleague's save among them, or one no one logged in made (an import, a command), keeps
the wording about someone else. Who saved is read from the audit trail, in one query."""

from flask_login import login_user
from werkzeug.datastructures import MultiDict

from improvement.extensions import db
from improvement.forms import VersionedForm
from improvement.models import Intervention
from tests.description.factories import gen_prerequisite
from tests.helpers import gen_intervention, gen_org, gen_user
from tests.pdsa.factories import gen_cycle
from tests.pdsa.test_cycles import worksheet, world
from tests.querycount import count_queries
from tests.test_conflict_forms_merge import HX, _intervention, _summary_form, fields_of

OWN = "Du har selv gemt ændringer i et andet vindue eller en anden fane i mellemtiden."
OWN_LISTED = "det, du gemte dér, som afviger fra den, står her"
OWN_BESIDE = "den version, du gemte dér, vises ved siden af"
THEIRS = "En anden har gemt i mellemtiden."


# ------------------------------------------------------------------ an inline editor


def test_summary_saved_in_another_tab_says_the_user_saved_it(browser):
    intervention, anna, _bent = _intervention(browser)
    url = f"/indsatser/{intervention.id}/rediger"
    tab_a, tab_b = _summary_form(anna, intervention), _summary_form(anna, intervention)
    assert (
        anna.post(url, data={**tab_a, "name": "Familiehuset Nord"}, headers=HX).status_code == 200
    )

    response = anna.post(url, data={**tab_b, "name": "Familiehuset Syd"}, headers=HX)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert OWN in body and OWN_LISTED in body
    assert "En anden" not in body
    assert "Familiehuset Nord" in body  # what was saved in the other tab is listed
    # Saving again keeps this tab's text, as after a colleague's save.
    again = anna.post(url, data={**fields_of(body), "name": "Familiehuset Syd"}, headers=HX)
    assert again.status_code == 200
    assert db.session.get(Intervention, intervention.id).name == "Familiehuset Syd"


def test_a_colleagues_save_still_says_someone_else(browser):
    intervention, anna, bent = _intervention(browser)
    url = f"/indsatser/{intervention.id}/rediger"
    annas, bents = _summary_form(anna, intervention), _summary_form(bent, intervention)
    bent.post(url, data={**bents, "name": "Familiehuset Nord"}, headers=HX)
    response = anna.post(url, data={**annas, "name": "Familiehuset Syd"}, headers=HX)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert THEIRS in body and OWN not in body


def test_the_users_own_save_after_a_colleagues_still_says_someone_else(browser):
    # Tab B was drawn before both saves: a colleague's save is among those it missed.
    intervention, anna, bent = _intervention(browser)
    url = f"/indsatser/{intervention.id}/rediger"
    tab_a, tab_b = _summary_form(anna, intervention), _summary_form(anna, intervention)
    bents = _summary_form(bent, intervention)
    bent.post(url, data={**bents, "target_group": "Familier med små børn"}, headers=HX)
    assert (
        anna.post(url, data={**tab_a, "name": "Familiehuset Nord"}, headers=HX).status_code == 200
    )
    response = anna.post(url, data={**tab_b, "name": "Familiehuset Syd"}, headers=HX)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert THEIRS in body and OWN not in body


def test_a_change_no_one_logged_in_made_still_says_someone_else(browser):
    # An import or a command: the trail has no user for it.
    intervention, anna, _bent = _intervention(browser)
    annas = _summary_form(anna, intervention)
    intervention.name = "Familiehuset Nord"
    db.session.commit()
    response = anna.post(
        f"/indsatser/{intervention.id}/rediger",
        data={**annas, "name": "Familiehuset Syd"},
        headers=HX,
    )
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert THEIRS in body and OWN not in body


# ------------------------------------------------------------------ beside the saved version


def test_a_card_saved_in_another_tab_shows_the_users_own_version_beside(client, login):
    org, user, intervention, _point = world()
    item = gen_prerequisite(intervention, name="Ledelse")
    db.session.commit()
    login(user, org)
    edit = f"/indsatser/{intervention.id}/forudsaetninger/{item.id}/rediger"

    def sent(name):
        return {f"op{item.id}-{k}": v for k, v in {"name": name, "version": "1"}.items()}

    assert client.post(edit, data=sent("Ledelse i fane A"), headers=HX).status_code == 200
    response = client.post(edit, data=sent("Ledelse i fane B"), headers=HX)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert OWN in body and OWN_BESIDE in body and "En anden" not in body
    assert "Ledelse i fane A" in body and "Ledelse i fane B" in body


# ------------------------------------------------------------------ a full-page form


def test_a_worksheet_saved_in_another_tab_says_the_user_saved_it_in_one_query(client, login):
    org, user, intervention, point = world()
    cycle = gen_cycle(point, title="Fast opstartstid", owner=user, objective="Mål")
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}/rediger"
    tab_a = worksheet(cycle, objective="Mål fra fane A")
    tab_b = worksheet(cycle, objective="Mål fra fane B")
    assert client.post(url, data=tab_a).status_code == 302

    with count_queries() as statements:
        response = client.post(url, data=tab_b)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert OWN in body and OWN_LISTED in body and "En anden" not in body
    trail = [
        s for s in statements if s.lstrip().upper().startswith("SELECT") and "audit_event" in s
    ]
    assert len(trail) == 1


# ------------------------------------------------------------------ for the views' messages


def test_the_form_tells_the_view_whether_the_saves_meanwhile_were_the_users(app):
    # A view that merged the other tab's save says whose it was from `saved_by_self`.
    intervention, anna, bent = _people_and_intervention()
    for saver, expected in ((anna, True), (bent, False)):
        with app.test_request_context():
            login_user(saver)
            drawn = str(intervention.version)
            intervention.purpose = f"Formål af {saver.name}"
            db.session.commit()
        with app.test_request_context():
            login_user(anna)
            form = VersionedForm(formdata=MultiDict({"version": drawn}), meta={"csrf": False})
            assert form.saved_by_self is None
            assert form.is_stale(intervention)
            assert form.saved_by_self is expected


def _people_and_intervention():
    org = gen_org("Nord")
    anna = gen_user(org, name="Anna Andersen")
    bent = gen_user(org, name="Bent Berg")
    intervention = gen_intervention(org, name="Familiehuset")
    db.session.commit()
    return intervention, anna, bent


def test_a_save_merged_with_the_users_own_from_another_tab_says_so(browser):
    """Merged, not refused (each tab changed another field): the message names whose the
    other change was, as the refusals do."""
    intervention, anna, bent = _intervention(browser)
    url = f"/indsatser/{intervention.id}/rediger"
    tab_a, tab_b = _summary_form(anna, intervention), _summary_form(anna, intervention)
    anna.post(url, data={**tab_a, "name": "Familiehuset Nord"}, headers=HX)
    body = anna.post(url, data={**tab_b, "purpose": "Hele familien"}, headers=HX).text
    assert "Indsatsen er gemt sammen med de ændringer, du selv har gemt i et andet vindue" in body
    assert "en anden har gemt" not in body

    bents = _summary_form(bent, intervention)
    anna.post(url, data={**_summary_form(anna, intervention), "name": "Familiehuset"}, headers=HX)
    body = bent.post(url, data={**bents, "purpose": "Forældrene"}, headers=HX).text
    assert "de ændringer, en anden har gemt i mellemtiden" in body
