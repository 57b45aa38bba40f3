"""Published versions store codes, not the publisher's words, and are put in words for
whoever reads them; an unchanged draft is not published again, and publishes at once
never fail."""

from html import unescape

from sqlalchemy import select

from improvement.description import queries
from improvement.extensions import db
from improvement.models import CoreElement, DescriptionVersion
from tests.description.factories import gen_core_element, gen_point
from tests.helpers import gen_intervention, gen_org, gen_user

SAME = "0 tilføjet, 0 fjernet, 0 ændret, 0 flyttet."


def _world():
    org = gen_org("Nord")
    english = gen_user(org, role="leader", name="Erik English", locale="en")
    danish = gen_user(org, role="leader", name="Dorte Dansk")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    language = gen_core_element(intervention, name="Fælles sprog", archived=True)
    gen_core_element(intervention, name="Tæt kontakt", why="Fordi", status="potential")
    point = gen_point(intervention, title="Fast dagsorden", kind="practice", status="prioritised")
    point.core_elements = [language]
    db.session.commit()
    return org, english, danish, intervention


def _url(intervention):
    return f"/indsatser/{intervention.id}/indsatsbeskrivelse"


def _publish(client, intervention, note="Efter mødet", latest="0"):
    return client.post(f"{_url(intervention)}/versioner", data={"note": note, "latest": latest})


def _versions():
    return list(db.session.scalars(select(DescriptionVersion).order_by(DescriptionVersion.number)))


def test_a_version_published_in_english_reads_in_danish_and_equals_the_draft(client, login):
    org, english, danish, intervention = _world()
    login(english, org)
    assert _publish(client, intervention).status_code == 302
    (v1,) = _versions()
    # Codes, not the publisher's words.
    core = v1.snapshot["core_elements"][0]
    assert core["status"] == "potential" and "status_label" not in core
    point = v1.snapshot["development_points"][0]
    assert (point["kind"], point["status"]) == ("practice", "prioritised")
    assert "kind_label" not in point and "status_label" not in point
    assert point["core_elements"] == [{"name": "Fælles sprog", "archived": True}]

    login(danish, org)
    page = unescape(client.get(_url(intervention)).get_data(as_text=True))
    assert "Udkastet er det samme som version 1." in page
    compared = unescape(
        client.get(f"{_url(intervention)}/sammenlign?fra=1&til=draft").get_data(as_text=True)
    )
    assert SAME in compared and "De to er ens." in compared
    version = unescape(client.get(f"{_url(intervention)}/versioner/{v1.id}").get_data(as_text=True))
    assert "Tæt kontakt <small>(Potentielt)</small>" in version
    assert "(Indsatsnært, Prioriteret)" in version
    assert "Kerneelementer: Fælles sprog (arkiveret)." in version
    assert "Potential" not in version and "archived" not in version

    # And the English reader reads the same version in English.
    login(english, org)
    version = unescape(client.get(f"{_url(intervention)}/versioner/{v1.id}").get_data(as_text=True))
    assert "Tæt kontakt <small>(Potential)</small>" in version
    assert "Fælles sprog (archived)." in version


def test_a_version_stored_with_the_publishers_words_still_reads_and_compares(client, login):
    org, english, danish, intervention = _world()
    login(english, org)
    assert _publish(client, intervention).status_code == 302
    (v1,) = _versions()
    # As versions were stored before: codes and the English publisher's words beside them.
    old = dict(v1.snapshot)
    old["core_elements"] = [{**ce, "status_label": "Potential"} for ce in old["core_elements"]]
    old["development_points"] = [
        {
            **dp,
            "kind_label": "Intervention-near",
            "status_label": "Prioritised",
            "core_elements": ["Fælles sprog (archived)"],
        }
        for dp in old["development_points"]
    ]
    v1.snapshot = old
    db.session.commit()

    login(danish, org)
    page = unescape(client.get(_url(intervention)).get_data(as_text=True))
    assert "Udkastet er det samme som version 1." in page
    compared = unescape(
        client.get(f"{_url(intervention)}/sammenlign?fra=1&til=draft").get_data(as_text=True)
    )
    assert SAME in compared
    version = unescape(client.get(f"{_url(intervention)}/versioner/{v1.id}").get_data(as_text=True))
    assert "(Potentielt)" in version and "(Indsatsnært, Prioriteret)" in version
    assert "Kerneelementer: Fælles sprog (arkiveret)." in version
    assert "Potential" not in version


def test_a_real_change_is_still_a_change_in_either_language(client, login):
    org, english, danish, intervention = _world()
    login(english, org)
    assert _publish(client, intervention).status_code == 302
    element = db.session.scalars(select(CoreElement).where(CoreElement.name == "Tæt kontakt")).one()
    element.status = "confirmed"
    db.session.commit()
    login(danish, org)
    compared = unescape(
        client.get(f"{_url(intervention)}/sammenlign?fra=1&til=draft").get_data(as_text=True)
    )
    assert "0 tilføjet, 0 fjernet, 1 ændret, 0 flyttet." in compared
    assert "Tæt kontakt [Potentielt]" in compared and "Tæt kontakt [Reelt]" in compared


# ---------------------------------------------------------------- publishing


def test_an_unchanged_draft_is_not_published_again(client, login):
    org, english, danish, intervention = _world()
    login(danish, org)
    assert _publish(client, intervention, "Første").status_code == 302
    response = _publish(client, intervention, "Igen", latest="1")
    assert response.status_code == 422
    body = unescape(response.get_data(as_text=True))
    assert (
        "Udkastet er det samme som version 1, så der er intet nyt at udgive. "
        "Ændr beskrivelsen først." in body
    )
    assert "Igen" in body  # the note is kept
    # Even with the same note, when the page already showed version 1.
    assert _publish(client, intervention, "Første", latest="1").status_code == 422
    assert [v.number for v in _versions()] == [1]


def test_a_double_click_publishes_once_and_says_published(client, login):
    org, english, danish, intervention = _world()
    login(danish, org)
    assert _publish(client, intervention).status_code == 302
    # The second click carries the same page: version 0 shown, the same note.
    response = _publish(client, intervention)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Version 1 er udgivet." in page
    assert [v.number for v in _versions()] == [1]


def _competitor(monkeypatch, user, same_content=True):
    """Between the publish's read of the latest version and its write, someone else
    publishes (in their own transaction): the race of two publishes at once, made to
    happen every time."""
    original = queries.snapshot
    state = {"done": False}

    def snapshot(intervention):
        draft = original(intervention)
        if not state["done"]:
            state["done"] = True
            with db.engine.begin() as conn:
                conn.execute(
                    DescriptionVersion.__table__.insert().values(
                        organization_id=intervention.organization_id,
                        intervention_id=intervention.id,
                        number=1,
                        note="Fra mødet",
                        snapshot=draft if same_content else {"name": "Ældre"},
                        published_by_id=user.id,
                    )
                )
        return draft

    monkeypatch.setattr(queries, "snapshot", snapshot)


def test_a_publish_raced_by_a_colleagues_is_answered_not_a_500(client, login, monkeypatch):
    org, english, danish, intervention = _world()
    login(danish, org)
    _competitor(monkeypatch, english)
    response = _publish(client, intervention, "Min note")
    assert response.status_code == 422
    body = unescape(response.get_data(as_text=True))
    assert (
        "Erik English har udgivet udkastet som version 1 i mellemtiden, så der er intet nyt "
        "at udgive." in body
    )
    assert [(v.number, v.note) for v in _versions()] == [(1, "Fra mødet")]


def test_a_publish_raced_by_my_own_double_click_says_published(client, login, monkeypatch):
    org, english, danish, intervention = _world()
    login(danish, org)
    _competitor(monkeypatch, danish)
    response = client.post(
        f"{_url(intervention)}/versioner", data={"note": "Fra mødet", "latest": "0"}
    )
    assert response.status_code == 302
    assert "Version 1 er udgivet." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert [v.number for v in _versions()] == [1]


def test_a_publish_raced_by_a_different_version_takes_the_next_number(client, login, monkeypatch):
    org, english, danish, intervention = _world()
    login(danish, org)
    _competitor(monkeypatch, english, same_content=False)
    response = _publish(client, intervention, "Min note")
    assert response.status_code == 302
    assert [(v.number, v.note) for v in _versions()] == [(1, "Fra mødet"), (2, "Min note")]
