"""After QA of the PDSA workflow: a test's result and decision belong to their phases, a
decision a next test builds on stays, a move on the board does not make an open worksheet
stale, finished or dropped development points take no new tests, a new test is not due in
the past, the demo numbers its follow-up, and the monthly figures show every month."""

import re
from datetime import UTC, date, datetime, timedelta
from html import unescape

from sqlalchemy import select

from improvement import clock
from improvement.analysis.pdsa import CycleFacts, MonthCounts, summarise
from improvement.extensions import db
from improvement.models import ImprovementPlan, PdsaCycle
from improvement.pdsa.rules import next_title, not_yet_open
from tests.helpers import gen_member, gen_user
from tests.pdsa.factories import gen_action_item, gen_cycle, gen_meeting, gen_point
from tests.pdsa.test_cycles import world
from tests.pdsa.test_meeting_corrections import (
    _drawn,
    _edit_form,
    _item_data,
    _url,
    meeting_world,
)
from tests.pdsa.test_next_cycle import finished

HX = {"HX-Request": "true"}
PLANNED = {"objective": "Øge kontakten", "prediction": "Forælderen ringer selv"}
DONE_SO_FAR = {**PLANNED, "do_description": "Ringede efter tredje session"}
STUDIED = {**DONE_SO_FAR, "study_result": "Forudsigelsen holdt", "learning": "Kontakt virker"}
WORKSHEET_FIELDS = (
    "title",
    "owner_id",
    "planned_start",
    "due_date",
    "change_idea",
    "objective",
    "questions",
    "prediction",
    "plan_details",
    "scale",
    "data_collection",
    "do_description",
    "observations",
    "problems",
    "done_date",
    "study_result",
    "learning",
    "act_decision",
    "next_step",
)


def _cycle_url(cycle, tail=""):
    return f"/indsatser/{cycle.intervention_id}/proevehandlinger/{cycle.id}{tail}"


def _hidden(html: str, name: str) -> str:
    """A hidden field's value ("" where the form has no such field)."""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    value = re.search(r'value="([^"]*)"', tag.group(0)) if tag else None
    return unescape(value.group(1)) if value else ""


def _as_sent(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def opened(client, cycle) -> dict:
    """The worksheet as a browser sends it back unchanged: every field with the value it
    was drawn with, and the version and values the form carries for itself."""
    page = client.get(_cycle_url(cycle, "/rediger")).get_data(as_text=True)
    data = {name: _as_sent(getattr(cycle, name)) for name in WORKSHEET_FIELDS}
    data.update(version=_hidden(page, "version"), base=_hidden(page, "base"))
    return data


def _fieldset(page: str, css: str) -> str:
    start = page.index(f'<fieldset class="ws {css}"')
    return page[start : page.index("</fieldset>", start)]


def _move(client, cycle, to, **headers):
    db.session.refresh(cycle)
    return client.post(
        _cycle_url(cycle, "/flyt"), data={"to": to, "version": str(cycle.version)}, headers=headers
    )


# ------------------------------------------------------------ 1. fields of later phases


def test_the_result_and_the_decision_are_refused_before_their_phase_and_the_text_is_kept(
    client, login
):
    org, user, intervention, point = world()
    cycle = gen_cycle(point, title="Telefonsamtale", owner=user)
    db.session.commit()
    login(user, org)
    sent = opened(client, cycle)
    sent.update(
        PLANNED,
        study_result="Forælderen ringede ikke",
        learning="Vi skal ringe selv",
        act_decision="adopt",
        next_step="Prøv med tre forældre",
    )
    response = client.post(_cycle_url(cycle, "/rediger"), data=sent)
    assert response.status_code == 422
    page = unescape(response.get_data(as_text=True))
    assert "Prøvehandlingen er i Planlæg. De felter, der er markeret nedenfor, hører til" in page
    study = _fieldset(page, "ws-study")
    assert "Det skrives i Studér: flyt først prøvehandlingen til Studér." in study
    assert "Din tekst står her stadig, men er ikke gemt endnu." in study
    assert (
        "Forælderen ringede ikke</textarea>" in study and "Vi skal ringe selv</textarea>" in study
    )
    act = _fieldset(page, "ws-act")
    assert "Beslutningen træffes i Handl, når resultatet er studeret." in act
    assert '<option selected value="adopt">' in act
    assert "Prøv med tre forældre</textarea>" in act
    db.session.refresh(cycle)
    assert (cycle.objective, cycle.study_result, cycle.act_decision, cycle.next_step) == (
        "",
        "",
        "",
        "",
    )
    # Without them, the plan saves.
    sent.update(study_result="", learning="", act_decision="", next_step="")
    assert client.post(_cycle_url(cycle, "/rediger"), data=sent).status_code == 302
    db.session.refresh(cycle)
    assert cycle.objective == "Øge kontakten"


def test_the_worksheet_opens_each_phase_in_turn(client, login):
    org, user, intervention, point = world()
    cycle = gen_cycle(point, title="Telefonsamtale", owner=user, phase="do", **DONE_SO_FAR)
    db.session.commit()
    login(user, org)
    # Before Study: its fields and Act's wait, disabled, with a word why.
    page = unescape(client.get(_cycle_url(cycle, "/rediger")).get_data(as_text=True))
    assert '<fieldset class="ws ws-study" disabled>' in page
    assert "Udfyldes, når prøvehandlingen er gennemført og flyttet til Studér." in page
    assert '<fieldset class="ws ws-act" disabled>' in page
    assert '<fieldset class="ws ws-do">' in page
    # In Study the result is written; the decision still waits for Act.
    assert _move(client, cycle, "study").status_code == 302
    db.session.refresh(cycle)
    page = unescape(client.get(_cycle_url(cycle, "/rediger")).get_data(as_text=True))
    assert (
        '<fieldset class="ws ws-study">' in page and '<fieldset class="ws ws-act" disabled>' in page
    )
    sent = opened(client, cycle)
    sent.update(study_result="Forudsigelsen holdt", learning="Kontakt virker", act_decision="adapt")
    refused = client.post(_cycle_url(cycle, "/rediger"), data=sent)
    assert refused.status_code == 422
    assert "Beslutningen træffes i Handl" in unescape(refused.get_data(as_text=True))
    sent["act_decision"] = ""
    assert client.post(_cycle_url(cycle, "/rediger"), data=sent).status_code == 302
    # In Act the decision is made.
    assert _move(client, cycle, "act").status_code == 302
    db.session.refresh(cycle)
    assert cycle.phase == "act"
    sent = opened(client, cycle)
    sent.update(act_decision="adapt", next_step="Prøv med tre forældre")
    assert client.post(_cycle_url(cycle, "/rediger"), data=sent).status_code == 302
    db.session.refresh(cycle)
    assert (cycle.study_result, cycle.act_decision) == ("Forudsigelsen holdt", "adapt")


def test_only_a_test_decided_in_act_is_continued(client, login):
    org, user, intervention, point = world()
    # Adopted while still a plan, as the worksheet used to allow.
    early = gen_cycle(point, title="For tidligt", owner=user, act_decision="adopt", **PLANNED)
    decided = gen_cycle(point, title="Besluttet", owner=user, phase="act", **STUDIED)
    decided.act_decision = "adopt"
    db.session.commit()
    login(user, org)
    page = unescape(client.get(_cycle_url(early)).get_data(as_text=True))
    assert "Start næste prøvehandling ud fra denne" not in page
    response = client.post(_cycle_url(early, "/naeste"))
    assert response.headers["Location"].endswith(_cycle_url(early))
    assert "Kun en prøvehandling i Handl eller Færdig, som dér er besluttet indført" in unescape(
        client.get(response.headers["Location"]).get_data(as_text=True)
    )
    assert (
        db.session.scalars(select(PdsaCycle).where(PdsaCycle.previous_id == early.id)).all() == []
    )

    page = unescape(client.get(_cycle_url(decided)).get_data(as_text=True))
    assert "Start næste prøvehandling ud fra denne" in page
    client.post(_cycle_url(decided, "/naeste"))
    nxt = db.session.scalars(select(PdsaCycle).where(PdsaCycle.previous_id == decided.id)).one()
    assert nxt.title == "Besluttet (2)"


def test_a_test_already_decided_too_early_shows_and_saves_once_put_right(client, login):
    """Rows written before the rule (a plan with a result, a decision and a next test)."""
    org, user, intervention, point = world()
    early = gen_cycle(
        point,
        title="For tidligt",
        owner=user,
        study_result="Resultat sammenholdt",
        act_decision="adopt",
        **PLANNED,
    )
    gen_cycle(point, title="For tidligt (2)", owner=user, previous_id=early.id)
    db.session.commit()
    login(user, org)
    for url in (
        _cycle_url(early),
        f"/indsatser/{intervention.id}/udvikling",
        f"/indsatser/{intervention.id}/udvikling/{point.id}",
        f"/indsatser/{intervention.id}/tavle",
    ):
        assert client.get(url).status_code == 200, url
    page = unescape(client.get(_cycle_url(early)).get_data(as_text=True))
    assert "Fortsat i: " in page and "For tidligt (2) (Planlæg)" in page
    # The worksheet shows what was written, open to be moved or emptied, and says why.
    page = unescape(client.get(_cycle_url(early, "/rediger")).get_data(as_text=True))
    assert '<fieldset class="ws ws-study">' in page and "Resultat sammenholdt</textarea>" in page
    assert '<fieldset class="ws ws-act">' in page
    # What it holds is kept, and the rest of the worksheet saves; only a changed finding
    # is refused, with the text kept.
    sent = opened(client, early)
    saved = client.post(_cycle_url(early, "/rediger"), data={**sent, "title": "Tidligt"})
    assert saved.status_code == 302
    db.session.refresh(early)
    assert (early.title, early.study_result, early.act_decision) == (
        "Tidligt",
        "Resultat sammenholdt",
        "adopt",
    )
    sent = opened(client, early)
    refused = client.post(
        _cycle_url(early, "/rediger"), data={**sent, "study_result": "Et nyt gæt"}
    )
    assert refused.status_code == 422
    assert "Et nyt gæt</textarea>" in unescape(refused.get_data(as_text=True))
    sent.update(study_result="", act_decision="")
    assert client.post(_cycle_url(early, "/rediger"), data=sent).status_code == 302
    db.session.refresh(early)
    assert (early.study_result, early.act_decision) == ("", "")


def test_a_test_moved_back_keeps_its_findings_and_its_worksheet_saves(client, login):
    """Moved back from Study to Do to observe more: the result written in Study stays, and
    the observations can be added."""
    org, user, intervention, point = world()
    cycle = gen_cycle(point, title="Tilbage", owner=user, phase="study", **STUDIED)
    db.session.commit()
    login(user, org)
    assert _move(client, cycle, "do").status_code in (200, 302)
    db.session.refresh(cycle)
    assert cycle.phase == "do"
    sent = opened(client, cycle)
    saved = client.post(_cycle_url(cycle, "/rediger"), data={**sent, "observations": "Mere"})
    assert saved.status_code == 302
    db.session.refresh(cycle)
    assert (cycle.observations, cycle.study_result) == ("Mere", "Forudsigelsen holdt")


# ------------------------------------------------------------ 2. a decision built on


def test_a_decision_a_next_test_continues_cannot_become_abandon(client, login):
    org, user, intervention, point = world()
    first = finished(point, "Fælles gennemgang", owner=user)
    second = gen_cycle(point, title="Fælles gennemgang (2)", owner=user, previous_id=first.id)
    db.session.commit()
    login(user, org)
    sent = opened(client, first)
    for decision in ("abandon", ""):
        response = client.post(
            _cycle_url(first, "/rediger"), data={**sent, "act_decision": decision}
        )
        assert response.status_code == 422
        act = _fieldset(unescape(response.get_data(as_text=True)), "ws-act")
        assert (
            "“Fælles gennemgang (2)” bygger videre på denne prøvehandling, så beslutningen" in act
        )
        assert "skal være Indfør eller Tilpas" in act
    db.session.refresh(first)
    assert first.act_decision == "adapt"
    # Adopt instead of adapt still continues: saved.
    response = client.post(_cycle_url(first, "/rediger"), data={**sent, "act_decision": "adopt"})
    assert response.status_code == 302
    # Once the next test is deleted, the decision is free again.
    db.session.delete(second)
    db.session.commit()
    sent = opened(client, first)
    response = client.post(_cycle_url(first, "/rediger"), data={**sent, "act_decision": "abandon"})
    assert response.status_code == 302
    db.session.refresh(first)
    assert first.act_decision == "abandon"


def test_a_continued_test_does_not_move_back_before_act(client, login):
    org, user, intervention, point = world()
    first = finished(point, "Fælles gennemgang", owner=user)
    gen_cycle(point, title="Fælles gennemgang (2)", owner=user, previous_id=first.id)
    db.session.commit()
    login(user, org)
    # Done reopens to Act, where its decision stands.
    assert _move(client, first, "act", **HX).status_code == 200
    db.session.refresh(first)
    assert first.phase == "act"
    # Further back, on the board, is refused with the reason.
    response = _move(client, first, "study", **HX)
    assert response.status_code == 422
    body = unescape(response.get_data(as_text=True))
    assert (
        "“Fælles gennemgang” kan ikke flyttes tilbage til Studér: “Fælles gennemgang (2)”" in body
    )
    # And from the test's own page.
    response = _move(client, first, "study")
    page = unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "bygger videre på beslutningen i Handl" in page
    db.session.refresh(first)
    assert first.phase == "act"


# ------------------------------------------------------------ 3. no false conflict


def test_a_move_on_the_board_does_not_make_an_open_worksheet_stale(client, login):
    org, user, intervention, point = world()
    cycle = gen_cycle(point, title="Telefonsamtale", owner=user, phase="do", **DONE_SO_FAR)
    db.session.commit()
    login(user, org)
    sent = opened(client, cycle)
    # A colleague moves the test on the board while the worksheet is open.
    assert _move(client, cycle, "study", **HX).status_code == 200
    sent["observations"] = "Forælderen ringede to gange"
    response = client.post(_cycle_url(cycle, "/rediger"), data=sent)
    assert response.status_code == 302
    db.session.refresh(cycle)
    assert (cycle.phase, cycle.observations) == ("study", "Forælderen ringede to gange")
    page = unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Skemaet er gemt." in page


def test_a_worksheet_merges_a_colleagues_save_and_lists_only_what_they_changed(client, login):
    org, user, intervention, point = world()
    cycle = gen_cycle(point, title="Telefonsamtale", owner=user, phase="do", **DONE_SO_FAR)
    db.session.commit()
    login(user, org)
    sent = opened(client, cycle)
    # Meanwhile a colleague writes the problems and the observations.
    cycle.problems = "Telefonen var optaget"
    cycle.observations = "Deres observationer"
    db.session.commit()
    sent.update(observations="Mine observationer", scale="Én familie")
    response = client.post(_cycle_url(cycle, "/rediger"), data=sent)
    assert response.status_code == 409
    body = unescape(response.get_data(as_text=True))
    theirs = body[body.index('class="their-version"') :]
    theirs = theirs[: theirs.index("</aside>")]
    assert "<dt>Observationer</dt><dd>Deres observationer</dd>" in theirs
    # Only what both changed is asked about: not the scale only this user wrote, nor the
    # problems only the colleague wrote (already in the form).
    assert "Skala" not in theirs and "Problemer" not in theirs
    assert "Telefonen var optaget</textarea>" in body and "Mine observationer</textarea>" in body
    # Saved again: the user's observations, the colleague's problems, the user's scale.
    again = {
        **sent,
        "problems": "Telefonen var optaget",
        "version": _hidden(body, "version"),
        "base": _hidden(body, "base"),
    }
    assert client.post(_cycle_url(cycle, "/rediger"), data=again).status_code == 302
    db.session.refresh(cycle)
    assert (cycle.observations, cycle.problems, cycle.scale) == (
        "Mine observationer",
        "Telefonen var optaget",
        "Én familie",
    )


def test_a_worksheet_save_keeps_what_only_a_colleague_changed(client, login):
    org, user, intervention, point = world()
    cycle = gen_cycle(point, title="Telefonsamtale", owner=user, phase="do", **DONE_SO_FAR)
    db.session.commit()
    login(user, org)
    sent = opened(client, cycle)
    cycle.problems = "Telefonen var optaget"
    db.session.commit()
    sent["scale"] = "Én familie"
    response = client.post(_cycle_url(cycle, "/rediger"), data=sent)
    assert response.status_code == 302
    db.session.refresh(cycle)
    assert (cycle.problems, cycle.scale) == ("Telefonen var optaget", "Én familie")
    page = unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Skemaet er gemt sammen med de ændringer, en anden har gemt i mellemtiden." in page


def test_the_model_for_improvement_merges_a_colleagues_save(client, login):
    org, user, intervention, point = world()
    plan = ImprovementPlan(
        organization_id=org.id, development_point_id=point.id, aim="Mål", measure="Måling"
    )
    db.session.add(plan)
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{intervention.id}/udvikling/{point.id}/model"
    form = client.get(url, headers=HX).get_data(as_text=True)
    drawn = {"version": _hidden(form, "version"), "base": _hidden(form, "base")}
    plan.measure = "Deres måling"
    plan.change_ideas = "Deres idé"
    db.session.commit()
    mine = {"aim": "Mit mål", "measure": "Måling", "change_ideas": "", **drawn}
    assert client.post(url, data=mine, headers=HX).status_code == 200
    db.session.refresh(plan)
    assert (plan.aim, plan.measure, plan.change_ideas) == ("Mit mål", "Deres måling", "Deres idé")
    # Both change the aim: only the aim is listed.
    form = client.get(url, headers=HX).get_data(as_text=True)
    drawn = {"version": _hidden(form, "version"), "base": _hidden(form, "base")}
    plan.aim = "Deres mål"
    db.session.commit()
    mine = {"aim": "Andet mål", "measure": "Min måling", "change_ideas": "Deres idé", **drawn}
    response = client.post(url, data=mine, headers=HX)
    assert response.status_code == 409
    body = unescape(response.get_data(as_text=True))
    theirs = body[body.index('class="their-version"') : body.index("</aside>")]
    assert "Deres mål" in theirs and "Deres måling" not in theirs and "Min måling" not in theirs


def test_an_action_item_conflict_lists_only_what_the_other_person_changed(client, login):
    org, user, intervention = meeting_world()
    bo = gen_user(org, role="practitioner", name="Bo Bach")
    gen_member(intervention, bo)
    meeting = gen_meeting(intervention)
    item = gen_action_item(meeting, what="Ring til skolen", due_date=date(2026, 1, 31))
    db.session.commit()
    login(user, org)
    drawn = _drawn(_edit_form(client, meeting, item).get_data(as_text=True), item)
    item.what = "Deres tekst"
    db.session.commit()
    # This user changes the text too, and gives the item to Bo.
    mine = _item_data(item, what="Min tekst", owner_id=str(bo.id))
    response = client.post(
        _url(meeting, f"/handlinger/{item.id}/rediger"), data={**mine, **drawn}, headers=HX
    )
    assert response.status_code == 409
    body = unescape(response.get_data(as_text=True))
    theirs = body[body.index('class="their-version"') : body.index("</aside>")]
    assert "Deres tekst" in theirs
    assert "Hvem" not in theirs  # only this user changed who


# ------------------------------------------------------------ 4. closed development points


def test_no_new_test_under_a_finished_or_dropped_point(client, login):
    org, user, intervention, point = world()
    db.session.commit()
    login(user, org)
    for status, label in (("done", "Færdig"), ("dropped", "Droppet")):
        point.status = status
        db.session.commit()
        url = f"/indsatser/{intervention.id}/udvikling/{point.id}"
        page = unescape(client.get(url).get_data(as_text=True))
        assert "Opret prøvehandling" not in page
        message = f"Udviklingspunktet har status {label}, så der startes ikke nye prøvehandlinger"
        assert message in page
        for headers in ({}, HX):
            response = client.post(
                f"{url}/proevehandlinger",
                data={"title": "Ny test", "owner_id": ""},
                headers=headers,
            )
            assert response.status_code == 422
            body = unescape(response.get_data(as_text=True))
            assert message in body and 'role="alert"' in body
        assert db.session.scalars(select(PdsaCycle)).all() == []


def test_no_next_test_under_a_finished_or_dropped_point(client, login):
    """A test adapted in Act, whose development point was then closed: the point takes no
    next test either, and its page says why instead of offering the button."""
    org, user, intervention, point = world()
    cycle = finished(point, "Fælles gennemgang", owner=user)
    db.session.commit()
    login(user, org)
    page = unescape(client.get(_cycle_url(cycle)).get_data(as_text=True))
    assert "Start næste prøvehandling ud fra denne" in page
    point.status = "done"
    db.session.commit()
    page = unescape(client.get(_cycle_url(cycle)).get_data(as_text=True))
    assert "Start næste prøvehandling ud fra denne" not in page
    message = "Udviklingspunktet har status Færdig, så der startes ikke nye prøvehandlinger"
    assert message in page
    # A page drawn before the point was closed.
    response = client.post(_cycle_url(cycle, "/naeste"), follow_redirects=True)
    assert message in unescape(response.get_data(as_text=True))
    assert (
        db.session.scalars(select(PdsaCycle).where(PdsaCycle.previous_id == cycle.id)).all() == []
    )


def test_finished_and_dropped_points_do_not_count_as_lacking_a_test(client, login):
    org, user, intervention, point = world()
    gen_point(intervention, title="Færdigt punkt", status="done")
    gen_point(intervention, title="Droppet punkt", status="dropped")
    db.session.commit()
    login(user, org)
    page = unescape(client.get(f"/indsatser/{intervention.id}/udvikling").get_data(as_text=True))
    figure = page[page.index("Udviklingspunkter uden prøvehandling") :]
    assert figure.split("<dd>", 1)[1].startswith("1</dd>")
    listed = page[page.index("Uden prøvehandling:") :]
    listed = listed[: listed.index("</p>")]
    assert "Fælles forståelse med forældrene" in listed
    assert "Færdigt punkt" not in listed and "Droppet punkt" not in listed


# ------------------------------------------------------------ 5. a new test's due date


def test_a_new_test_is_not_due_in_the_past_but_an_old_one_keeps_its_date(client, login):
    org, user, intervention, point = world()
    login(user, org)
    url = f"/indsatser/{intervention.id}/udvikling/{point.id}/proevehandlinger"
    response = client.post(url, data={"title": "Gammel", "owner_id": "", "due_date": "2001-01-01"})
    assert response.status_code == 422
    assert "En ny prøvehandling kan ikke have en frist før i dag." in unescape(response.text)
    yesterday = (clock.today() - timedelta(days=1)).isoformat()
    response = client.post(
        url, data={"title": "Gammel", "owner_id": "", "due_date": yesterday}, headers=HX
    )
    assert response.status_code == 422
    assert db.session.scalars(select(PdsaCycle)).all() == []
    today = clock.today().isoformat()
    assert client.post(url, data={"title": "Ny", "due_date": today}).status_code == 302
    # A test that ran late keeps its passed due date when its worksheet is saved.
    late = gen_cycle(point, title="Forsinket", due_date=clock.today() - timedelta(days=30))
    db.session.commit()
    sent = opened(client, late)
    sent["objective"] = "Stadig i gang"
    assert client.post(_cycle_url(late, "/rediger"), data=sent).status_code == 302
    db.session.refresh(late)
    assert (late.objective, late.due_date) == (
        "Stadig i gang",
        clock.today() - timedelta(days=30),
    )


# ------------------------------------------------------------ 6. the demo's follow-up


def test_the_demo_numbers_its_follow_up_tests_and_keeps_to_the_phases(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    cycles = db.session.scalars(select(PdsaCycle)).all()
    by_id = {c.id: c for c in cycles}
    follow_ups = [c for c in cycles if c.previous_id]
    assert follow_ups
    for cycle in follow_ups:
        parent = by_id[cycle.previous_id]
        assert cycle.title == next_title(parent.title, 2), cycle.title
        assert parent.phase in ("act", "done") and parent.act_decision in ("adopt", "adapt")
    for cycle in cycles:
        assert not [name for name in not_yet_open(cycle.phase) if getattr(cycle, name)], cycle.title


# ------------------------------------------------------------ 7. every month


def test_the_monthly_table_shows_the_months_without_tests_as_zeros():
    # Started in November 2025, closed in February 2026 (adopted); started in March 2026.
    cycles = [
        CycleFacts(
            id=1,
            previous_id=None,
            created=date(2025, 11, 20),
            acted=date(2026, 2, 1),
            closed=date(2026, 2, 3),
            act_decision="adopt",
        ),
        CycleFacts(id=2, previous_id=None, created=date(2026, 3, 5)),
    ]
    assert summarise(cycles).months == [
        MonthCounts("2025-11", started=1),
        MonthCounts("2025-12"),
        MonthCounts("2026-01"),
        MonthCounts("2026-02", completed=1, adopted=1),
        MonthCounts("2026-03", started=1),
    ]


def test_the_improvement_page_shows_the_empty_months(client, login):
    org, user, intervention, point = world()
    early = gen_cycle(point, title="Tidlig")
    late = gen_cycle(point, title="Sen")
    db.session.flush()
    early.created_at = datetime(2026, 1, 10, 12, tzinfo=UTC)
    late.created_at = datetime(2026, 4, 10, 12, tzinfo=UTC)
    db.session.commit()
    login(user, org)
    page = unescape(client.get(f"/indsatser/{intervention.id}/udvikling").get_data(as_text=True))
    table = page[page.index('<table class="striped months">') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr><td>([^<]+)</td>((?:<td class=\"num\">\d+</td>)+)</tr>", table)
    assert [month for month, _ in rows] == [
        "januar 2026",
        "februar 2026",
        "marts 2026",
        "april 2026",
    ]
    assert re.findall(r"\d+", rows[1][1]) == ["0"] * 5
