"""The PDSA worksheet and the meeting's edit form are plain forms: a refused save reloads the
page. It says at the form's top that nothing was saved, links to each field at fault, and
the page opens with focus there (WCAG 3.3.1): the field itself may be screens below.

And a next test's worksheet shows the test it continues and what was decided there."""

import re

from improvement.extensions import db
from tests.pdsa.factories import gen_cycle, gen_meeting
from tests.pdsa.test_cycles import worksheet, world
from tests.pdsa.test_meetings import meeting_world
from tests.pdsa.test_next_cycle import NEXT_STEP, finished
from tests.pdsa.test_pdsa_qa_fixes import _fieldset
from tests.querycount import count_queries

TOO_LONG = "x" * 5001


def _summary(html: str) -> str:
    found = re.search(r'<div id="error-summary"[^>]*>.*?</div>', html, re.S)
    assert found, "no error summary"
    return found.group(0)


def _edit_url(cycle) -> str:
    return f"/indsatser/{cycle.intervention_id}/proevehandlinger/{cycle.id}/rediger"


def test_a_refused_worksheet_says_so_at_its_top_and_takes_the_focus(client, login):
    org, user, intervention, point = world()
    cycle = gen_cycle(point, title="Sms-påmindelse", owner=user, phase="do")
    db.session.commit()
    login(user, org)

    response = client.post(_edit_url(cycle), data=worksheet(cycle, observations=TOO_LONG))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    summary = _summary(html)
    opening = summary[: summary.index(">") + 1]
    assert 'role="alert"' in opening and 'tabindex="-1"' in opening and "autofocus" in opening
    assert "Skemaet er ikke gemt." in summary
    assert 'Ret det markerede felt: <a href="#observations">Observationer</a>.' in summary
    # At the form's top: before its first field; the field keeps its own message.
    assert html.index('id="error-summary"') < html.index('id="title"')
    assert 'id="observations-help" class="field-error"' in html
    # One place takes the focus on loading: the summary.
    assert html.count("autofocus") == 1


def test_every_field_at_fault_is_linked_and_the_form_errors_are_said(client, login):
    org, user, intervention, point = world()
    cycle = gen_cycle(point, title="Sms-påmindelse", owner=user, phase="do")
    db.session.commit()
    login(user, org)

    # The title emptied, the observations too long, and a test in Do without its objective.
    data = worksheet(cycle, title="", observations=TOO_LONG)
    summary = _summary(client.post(_edit_url(cycle), data=data).get_data(as_text=True))
    assert "Ret de markerede felter:" in summary
    links = re.findall(r'<a href="#([a-z_]+)">([^<]+)</a>', summary)
    assert links == [("title", "Titel"), ("observations", "Observationer")]

    # A field the phase's rules need, emptied, is linked like any other field at fault.
    data = worksheet(cycle, objective="")
    response = client.post(_edit_url(cycle), data=data)
    summary = _summary(response.get_data(as_text=True))
    assert "Skemaet er ikke gemt." in summary
    links = re.findall(r'<a href="#([a-z_]+)">([^<]+)</a>', summary)
    assert links == [("objective", "Formål med prøvehandlingen"), ("prediction", "Forudsigelse")]


def test_a_worksheet_saved_meanwhile_says_it_is_not_saved(client, login):
    org, user, intervention, point = world()
    cycle = gen_cycle(point, title="Sms-påmindelse", owner=user, objective="Første")
    db.session.commit()
    login(user, org)
    stale = worksheet(cycle, objective="Mit formål")
    cycle.objective = "Andens formål"
    db.session.commit()

    response = client.post(_edit_url(cycle), data=stale)
    assert response.status_code == 409
    summary = _summary(response.get_data(as_text=True))
    assert "Skemaet er ikke gemt." in summary and "En anden har gemt" in summary


def test_a_refused_meeting_says_so_at_its_top(client, login):
    org, user, intervention = meeting_world()
    meeting = gen_meeting(intervention)
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{intervention.id}/moeder/{meeting.id}/rediger"
    data = {
        "held_on": "2026-01-15",
        "kind": "quality_team",
        "notes": TOO_LONG,
        "version": str(meeting.version),
    }
    response = client.post(url, data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    summary = _summary(html)
    assert "autofocus" in summary[: summary.index(">")]
    assert "Mødet er ikke gemt." in summary
    assert 'Ret det markerede felt: <a href="#notes">Referat</a>.' in summary
    assert html.index('id="error-summary"') < html.index('id="held_on"')


def test_a_worksheet_opened_unrefused_has_no_summary(client, login):
    org, user, intervention, point = world()
    cycle = gen_cycle(point, title="Sms-påmindelse", owner=user)
    db.session.commit()
    login(user, org)
    html = client.get(_edit_url(cycle)).get_data(as_text=True)
    assert 'id="error-summary"' not in html
    assert "Skemaet er ikke gemt." not in html


def _continues_panel(html: str) -> str:
    found = re.search(r'<aside class="[^"]*" aria-label="Fortsætter">.*?</aside>', html, re.S)
    assert found, "no panel of the test continued"
    return found.group(0)


def test_a_next_tests_worksheet_shows_what_it_continues(client, login):
    org, user, intervention, point = world()
    first = finished(point, "Sms-påmindelse til én mentor", owner=user)
    nxt = gen_cycle(point, title="Sms-påmindelse til én mentor (2)", previous_id=first.id)
    lone = gen_cycle(point, title="Fast ugedag")
    db.session.commit()
    login(user, org)

    html = client.get(_edit_url(nxt)).get_data(as_text=True)
    panel = _continues_panel(html)
    link = f'<a href="/indsatser/{intervention.id}/proevehandlinger/{first.id}">'
    assert f"{link}Sms-påmindelse til én mentor</a> (Tilpas)" in panel
    assert "Næste skridt besluttet dér" in panel and NEXT_STEP in panel
    # At the top: before the worksheet's first field.
    assert html.index("Fortsætter") < html.index('id="title"')

    # A refused save keeps it.
    data = worksheet(nxt, title="")
    refused = client.post(_edit_url(nxt), data=data).get_data(as_text=True)
    assert NEXT_STEP in _continues_panel(refused)

    # Nothing decided as the next step: nothing said of it.
    first.next_step = ""
    db.session.commit()
    panel = _continues_panel(client.get(_edit_url(nxt)).get_data(as_text=True))
    assert "Sms-påmindelse til én mentor</a>" in panel and "Næste skridt" not in panel

    # A first test continues nothing.
    assert 'aria-label="Fortsætter"' not in client.get(_edit_url(lone)).get_data(as_text=True)


def test_the_panel_costs_the_same_queries_however_long_the_series(client, login):
    org, user, intervention, point = world()
    first = finished(point, "Sms-påmindelse", owner=user)
    second = gen_cycle(point, title="Sms-påmindelse (2)", previous_id=first.id)
    db.session.commit()
    login(user, org)
    client.get(_edit_url(second))  # warm caches
    with count_queries() as short:
        assert client.get(_edit_url(second)).status_code == 200

    earlier = first
    for n in range(3, 8):
        earlier.phase, earlier.act_decision = "done", "adapt"
        earlier = gen_cycle(point, title=f"Sms-påmindelse ({n})", previous_id=earlier.id)
    db.session.commit()
    with count_queries() as long:
        assert client.get(_edit_url(earlier)).status_code == 200
    assert len(long) == len(short), long


STUDYING = {
    "objective": "Øge kontakten",
    "prediction": "Forælderen ringer selv",
    "do_description": "Ringede efter tredje session",
}


def _textarea(html: str, name: str) -> str:
    return re.search(rf'<textarea[^>]*\bname="{name}"[^>]*>', html).group(0)


def test_a_field_the_phase_needs_emptied_is_refused_at_the_field(client, login):
    org, user, intervention, point = world()
    cycle = gen_cycle(point, title="Sms-påmindelse", owner=user, phase="study", **STUDYING)
    db.session.commit()
    login(user, org)
    message = "Prøvehandlingen er i fasen Studér og skal have dette felt udfyldt."

    for headers in ({}, {"HX-Request": "true"}):
        data = worksheet(cycle, do_description="", observations="Mor ringede igen")
        response = client.post(_edit_url(cycle), data=data, headers=headers)
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        # Marked at the field as every other refusal: red, described by its message.
        tag = _textarea(html, "do_description")
        assert 'aria-invalid="true"' in tag and 'aria-describedby="do_description-help' in tag
        assert f'<small id="do_description-help" class="field-error">{message}</small>' in html
        # The summary links to it and does not say the message over again.
        summary = _summary(html)
        link = '<a href="#do_description">Hvad blev faktisk gjort</a>'
        assert f"Ret det markerede felt: {link}." in summary
        assert message not in summary and "skal have" not in summary
        # The fields the phase has, filled in, are not marked.
        assert "aria-invalid" not in _textarea(html, "objective")
        # Nothing is saved.
        db.session.refresh(cycle)
        assert cycle.do_description == STUDYING["do_description"]
        assert not cycle.observations


def test_the_study_section_quotes_the_saved_prediction_after_a_refused_save(client, login):
    org, user, intervention, point = world()
    cycle = gen_cycle(point, title="Sms-påmindelse", owner=user, **STUDYING)
    db.session.commit()
    login(user, org)
    typed = "Vi forventer at familien 010190-1234 ringer selv"

    # Refused for its CPR-shaped text, and for an emptied title: the prediction typed is
    # kept in its field to correct, but the Study section quotes the saved one.
    for data in (worksheet(cycle, prediction=typed), worksheet(cycle, title="", prediction=typed)):
        response = client.post(_edit_url(cycle), data=data)
        assert response.status_code == 422
        study = _fieldset(response.get_data(as_text=True), "ws-study")
        assert f"Forudsigelse: {STUDYING['prediction']}" in study
        assert "010190" not in study
        db.session.refresh(cycle)
        assert cycle.prediction == STUDYING["prediction"]
