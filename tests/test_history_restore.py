"""Gendan: an earlier text put back from the history, as an ordinary save of it.

A test's observation overwritten by a colleague, a meeting's minutes, a description item's
texts: the history offers the text a change replaced to whoever may edit the item, checks
it as typed text is checked, refuses it when the item was saved after the history was
drawn, and records the restore in the history like any change.
"""

import re
from datetime import date

import pytest
from sqlalchemy import select
from wtforms import TextAreaField

from improvement.extensions import db
from improvement.history import LABELS
from improvement.models import AuditEvent, ImprovementPlan
from tests.description.factories import (
    gen_assumption,
    gen_core_element,
    gen_item,
    gen_phase,
    gen_prerequisite,
    gen_step,
)
from tests.description.factories import gen_point as gen_description_point
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_cycle, gen_meeting, gen_point
from tests.test_history import history_entries

HX = {"HX-Request": "true"}
EARLIER = "Konferencen sluttede til tiden (Lise)."
LATER = "Tre sager nåede vi ikke."


def world():
    org = gen_org("Nord")
    user = gen_user(org, role="leader", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, user, "leader")
    db.session.commit()
    return org, user, intervention


def changed(row, field: str, *texts: str) -> AuditEvent:
    """Save the row's field as each text in turn; the event of the last change."""
    for text in texts:
        getattr(row, field)  # loaded, as a save loads it: the history records what it replaced
        setattr(row, field, text)
        db.session.commit()
    return latest_event(row)


def latest_event(row) -> AuditEvent:
    return db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_type == type(row).__name__, AuditEvent.object_id == row.id)
        .order_by(AuditEvent.id.desc())
    ).first()


def restore(client, intervention, event, field, version, headers=HX):
    return client.post(
        f"/indsatser/{intervention.id}/historik/gendan/{event.id}",
        data={"field": field, "version": str(version)},
        headers=headers,
    )


def restore_forms(page: str) -> list[dict]:
    """Each restore button on a page: what its form sends and where."""
    forms = re.findall(r'<form class="history-restore"(.*?)</form>', page, re.S)
    return [
        {
            "url": re.search(r'hx-post="([^"]*)"', f).group(1),
            "field": re.search(r'name="field" value="([^"]*)"', f).group(1),
            "version": re.search(r'name="version" value="([^"]*)"', f).group(1),
            "region": re.search(r'hx-select-oob="([^"]*)"', f).group(1),
        }
        for f in forms
    ]


def test_a_tests_overwritten_observation_is_restored_from_its_history(client, login):
    org, user, intervention = world()
    cycle = gen_cycle(gen_point(intervention), owner=user)
    db.session.commit()
    event = changed(cycle, "observations", EARLIER, LATER)
    login(user, org)
    page_url = f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}"
    page = client.get(page_url).get_data(as_text=True)
    # One button: on the change that replaced a text (the first change replaced nothing).
    assert restore_forms(page) == [
        {
            "url": f"/indsatser/{intervention.id}/historik/gendan/{event.id}",
            "field": "observations",
            "version": str(cycle.version),
            "region": "#cycle",
        }
    ]
    assert ">Gendan</button>" in page

    response = restore(client, intervention, event, "observations", cycle.version)
    assert response.status_code == 200
    db.session.refresh(cycle)
    assert cycle.observations == EARLIER
    body = response.get_data(as_text=True)
    # The worksheet, to swap out of band, and the history, in place, with the note on top.
    assert response.headers["HX-Reselect"] == ".history-list"
    worksheet = body.split('<article id="cycle"', 1)[1].split("</article>", 1)[0]
    assert EARLIER in worksheet and LATER not in worksheet
    assert "«Observationer» er gendannet: teksten er, som den var før ændringen" in body

    # The restore is a change like any other, named by who made it, and can be undone.
    newest = history_entries(client.get(page_url).get_data(as_text=True))[0]
    assert newest["head"].endswith(" · Lise Lund · ændret")
    assert newest["changes"] == [f"Observationer: {LATER} → {EARLIER}"]
    buttons = restore_forms(client.get(page_url).get_data(as_text=True))
    assert [(b["field"], b["version"]) for b in buttons] == [("observations", str(cycle.version))]
    assert buttons[0]["url"].endswith(f"/{latest_event(cycle).id}")


def test_a_text_is_offered_back_once_on_the_newest_change_that_replaced_it(client, login):
    org, user, intervention = world()
    cycle = gen_cycle(gen_point(intervention))
    db.session.commit()
    newest = changed(cycle, "observations", EARLIER, LATER, EARLIER, "Tredje udgave", LATER)
    login(user, org)
    page = client.get(f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}")
    buttons = restore_forms(page.get_data(as_text=True))
    # "Tredje udgave" and EARLIER, each from the newest change that replaced it (EARLIER
    # was replaced twice); LATER never: it is what the worksheet holds.
    assert [b["url"].rsplit("/", 1)[1] for b in buttons] == [str(newest.id), str(newest.id - 1)]


def test_meeting_minutes_are_restored_without_htmx_too(client, login):
    org, user, intervention = world()
    meeting = gen_meeting(intervention, held_on=date(2026, 1, 15))
    db.session.commit()
    event = changed(meeting, "notes", "Gennemgang af tavlen.", "Slettet ved en fejl")
    login(user, org)
    page_url = f"/indsatser/{intervention.id}/moeder/{meeting.id}"
    [button] = restore_forms(client.get(page_url).get_data(as_text=True))
    assert (button["field"], button["region"]) == ("notes", "#meeting")

    # A plain form: the page again, at the minutes, with the note as a message.
    response = restore(client, intervention, event, "notes", meeting.version, headers={})
    assert response.status_code == 302
    assert response.headers["Location"] == f"{page_url}#meeting"
    page = client.get(page_url).get_data(as_text=True)
    assert "«Referat» er gendannet" in page
    db.session.refresh(meeting)
    assert meeting.notes == "Gennemgang af tavlen."
    newest = history_entries(page, '<div id="meeting-history">')[0]
    assert newest["changes"] == ["Referat: Slettet ved en fejl → Gennemgang af tavlen."]


def test_a_core_elements_text_is_restored_with_its_card_and_open_history(client, login):
    org, user, intervention = world()
    element = gen_core_element(intervention, name="Tæt kontakt")
    db.session.commit()
    event = changed(element, "why", "Tilknytning kræver kontinuitet.", "Ukendt")
    login(user, org)
    history_url = f"/indsatser/{intervention.id}/historik/kerneelement/{element.id}"
    [button] = restore_forms(client.get(history_url, headers=HX).get_data(as_text=True))
    assert (button["field"], button["region"]) == ("why", f"#core-{element.id}")

    response = restore(client, intervention, event, "why", element.version)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    card = body.split(f'<li id="core-{element.id}"', 1)[1]
    assert "Tilknytning kræver kontinuitet." in card
    # The card comes back with its history open, the restore on top and the note above it.
    history = card.split('<details class="history" open>', 1)[1]
    assert "«Hvorfor er kerneelementet vigtigt?» er gendannet" in history
    assert "hx-get" not in history.split("</summary>", 1)[0]
    assert history_entries(card, '<details class="history" open>')[0]["changes"] == [
        "Hvorfor er kerneelementet vigtigt?: Ukendt → Tilknytning kræver kontinuitet."
    ]


def _plan(intervention):
    point = gen_point(intervention)
    plan = ImprovementPlan(organization_id=intervention.organization_id, development_point=point)
    db.session.add(plan)
    db.session.flush()
    return plan


# Per restorable model: a row of it, and one of its texts.
ROWS = {
    "CoreElement": (lambda i: gen_core_element(i), "practice"),
    "OrganisationalPrerequisite": (lambda i: gen_prerequisite(i), "gap"),
    "DevelopmentPoint": (lambda i: gen_description_point(i), "description"),
    "Phase": (lambda i: gen_phase(i), "description"),
    "WorkflowStep": (lambda i: gen_step(gen_phase(i)), "parents"),
    "ChangeTheoryItem": (lambda i: gen_item(i), "text"),
    "Assumption": (lambda i: gen_assumption(i), "knowledge"),
    "ImprovementPlan": (_plan, "aim"),
    "PdsaCycle": (lambda i: gen_cycle(gen_point(i)), "objective"),
    "Meeting": (lambda i: gen_meeting(i), "agenda"),
}


# Where each is shown: the id of the part of its page that a restore draws again.
REGIONS = {
    "CoreElement": "core-{id}",
    "OrganisationalPrerequisite": "prerequisite-{id}",
    "DevelopmentPoint": "development-points",
    "Phase": "phase-head-{id}",
    "WorkflowStep": "step-{id}",
    "ChangeTheoryItem": "toc-item-{id}",
    "Assumption": "assumption-{id}",
    "ImprovementPlan": "plan-questions",
    "PdsaCycle": "cycle",
    "Meeting": "meeting",
}


def test_every_restorable_model_is_listed_here():
    from improvement.history import RESTORABLE

    assert set(ROWS) == {model.__name__ for model in RESTORABLE}


@pytest.mark.parametrize("model", sorted(ROWS))
def test_each_kind_of_item_is_drawn_again_where_its_page_shows_it(client, login, model):
    org, user, intervention = world()
    make, field = ROWS[model]
    row = make(intervention)
    db.session.commit()
    event = changed(row, field, "Den første tekst", "Den anden tekst")
    login(user, org)
    region = REGIONS[model].format(id=row.id)

    response = restore(client, intervention, event, field, row.version)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert f'id="{region}"' in body
    assert "er gendannet" in body
    assert 'class="history-list"' in body
    db.session.refresh(row)
    assert getattr(row, field) == "Den første tekst"

    # Without HTMX: the item's page, at its region.
    event = changed(row, field, "Den tredje tekst")
    response = restore(client, intervention, event, field, row.version, headers={})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#{region}")
    assert client.get(response.headers["Location"]).status_code == 200
    db.session.refresh(row)
    assert getattr(row, field) == "Den første tekst"


def test_a_reader_sees_no_button_and_a_forged_restore_is_refused(client, login):
    org, _user, intervention = world()
    evaluator = gen_user(org, role="evaluator")
    cycle = gen_cycle(gen_point(intervention))
    db.session.commit()
    event = changed(cycle, "observations", EARLIER, LATER)
    login(evaluator, org)
    page = client.get(f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}")
    assert LATER in page.get_data(as_text=True)
    assert restore_forms(page.get_data(as_text=True)) == []
    version = cycle.version
    response = restore(client, intervention, event, "observations", version)
    assert response.status_code == 403
    db.session.refresh(cycle)
    assert (cycle.observations, cycle.version) == (LATER, version)


def test_another_organisations_text_does_not_exist(client, login):
    org, user, intervention = world()
    cycle = gen_cycle(gen_point(intervention))
    db.session.commit()
    event = changed(cycle, "observations", EARLIER, LATER)
    elsewhere = gen_org("Syd")
    outsider = gen_user(elsewhere, role="admin")
    own = gen_intervention(elsewhere)
    db.session.commit()
    login(outsider, elsewhere)
    for url_intervention in (intervention, own):
        response = restore(client, url_intervention, event, "observations", cycle.version)
        assert response.status_code == 404
    # Nor is a text found under another intervention's address, or a field that is none.
    other = gen_intervention(org)
    db.session.commit()
    login(user, org)
    assert restore(client, other, event, "observations", cycle.version).status_code == 404
    for field in ("title", "phase", "nonsense", ""):
        assert restore(client, intervention, event, field, cycle.version).status_code == 404
    db.session.refresh(cycle)
    assert cycle.observations == LATER


def test_a_save_made_after_the_history_was_drawn_is_not_overwritten(client, login):
    org, user, intervention = world()
    cycle = gen_cycle(gen_point(intervention), owner=user)
    db.session.commit()
    event = changed(cycle, "observations", EARLIER, LATER)
    login(user, org)
    drawn = cycle.version
    changed(cycle, "observations", "Skrevet af en kollega imens.")

    response = restore(client, intervention, event, "observations", drawn)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "En anden har ændret dette, efter historikken blev vist, så intet blev gendannet" in body
    db.session.refresh(cycle)
    assert cycle.observations == "Skrevet af en kollega imens."
    # What is saved now is shown, with buttons that carry its version.
    assert "Skrevet af en kollega imens." in body.split('<article id="cycle"', 1)[1]
    assert {b["version"] for b in restore_forms(body)} == {str(cycle.version)}

    # The user's own restore, pressed again from a page drawn before it: said so.
    assert restore(client, intervention, event, "observations", cycle.version).status_code == 200
    response = restore(client, intervention, event, "observations", cycle.version - 1)
    assert response.status_code == 409
    assert "Du har selv gemt ændringer i et andet vindue" in response.get_data(as_text=True)


def test_a_board_move_after_the_history_was_drawn_does_not_stop_a_restore(client, login):
    """The move changes the test's phase and version, not its texts: the text shown as
    replaced is still the one in the field, so the restore is made. A save of the same
    field still refuses it (above)."""
    org, user, intervention = world()
    cycle = gen_cycle(gen_point(intervention), owner=user, prediction="Gæt")
    db.session.commit()
    event = changed(cycle, "objective", EARLIER, LATER)
    login(user, org)
    drawn = cycle.version
    moved = client.post(
        f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}/flyt",
        data={"to": "do", "version": str(drawn)},
        headers=HX,
    )
    assert moved.status_code == 200
    db.session.refresh(cycle)
    assert cycle.phase == "do" and cycle.version > drawn

    response = restore(client, intervention, event, "objective", drawn)
    assert response.status_code == 200
    db.session.refresh(cycle)
    assert cycle.objective == EARLIER and cycle.phase == "do"

    # Pressed again from the same page: now the field itself was saved since (the
    # restore), so it is refused.
    again = restore(client, intervention, event, "objective", drawn)
    assert again.status_code == 409
    assert "Du har selv gemt ændringer i et andet vindue" in again.get_data(as_text=True)


def test_a_restored_text_is_checked_as_typed_text_is(client, login):
    org, user, intervention = world()
    cycle = gen_cycle(gen_point(intervention), owner=user, observations="Nu")
    db.session.commit()
    login(user, org)

    def old_text(field, text):
        # A text saved before today's rules (the CPR guard, the limit): in the history only.
        event = AuditEvent(
            organization_id=org.id,
            object_type="PdsaCycle",
            object_id=cycle.id,
            action="update",
            changes={field: [text, getattr(cycle, field)]},
        )
        db.session.add(event)
        db.session.commit()
        return event

    event = old_text("observations", "Barnet, 010203-1234, græd.")
    response = restore(client, intervention, event, "observations", cycle.version)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "«Observationer» blev ikke gendannet: Det ligner et CPR-nummer" in body
    assert 'class="history-list"' in body and 'id="cycle"' in body

    event = old_text("observations", "x" * 5001)
    response = restore(client, intervention, event, "observations", cycle.version)
    assert response.status_code == 422
    assert "Feltet må højst være 5.000 tegn langt." in response.get_data(as_text=True)

    # What a later phase finds is not written before it, restored or typed.
    event = old_text("learning", "Personlig kontakt virker")
    response = restore(client, intervention, event, "learning", cycle.version)
    assert response.status_code == 422
    assert "Den skrives i Studér. Flyt prøvehandlingen til Studér først." in (
        response.get_data(as_text=True)
    )
    db.session.refresh(cycle)
    assert (cycle.observations, cycle.learning) == ("Nu", "")


def test_an_archived_items_text_is_not_restored(client, login):
    org, user, intervention = world()
    element = gen_core_element(intervention)
    db.session.commit()
    event = changed(element, "why", "Før", "Efter")
    element.archived = True
    db.session.commit()
    login(user, org)
    response = restore(client, intervention, event, "why", element.version, headers={})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Intet blev gendannet: det er arkiveret." in page
    db.session.refresh(element)
    assert element.why == "Efter"


def test_the_restorable_texts_are_the_text_areas_of_their_edit_forms():
    from improvement.description.history_views import PLACES
    from improvement.history import RESTORABLE

    assert set(PLACES) == set(RESTORABLE)
    assert {m.__name__: r.region for m, r in RESTORABLE.items()} == REGIONS
    for model, restorable in RESTORABLE.items():
        form = PLACES[model].form
        columns = {c.key for c in model.__table__.columns}
        areas = {
            name
            for name in dir(form)
            if getattr(getattr(form, name), "field_class", None) is TextAreaField
            and name in columns
        }
        assert set(restorable.fields) == areas, model.__name__
        assert set(restorable.fields) <= set(LABELS[model.__name__]), model.__name__
