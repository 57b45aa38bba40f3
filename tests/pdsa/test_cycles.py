"""PDSA cycles: creation, the worksheet, the discipline rules, chaining and the ramp."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from improvement import clock
from improvement.extensions import db
from improvement.models import AuditEvent, ImprovementPlan, PdsaCycle
from improvement.models.pdsa import change_ideas_of
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_action_item, gen_cycle, gen_meeting, gen_point

HX = {"HX-Request": "true"}


def world(role="leader"):
    org = gen_org("Nord")
    user = gen_user(org, role=role, name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, user, "leader")
    point = gen_point(intervention, title="Fælles forståelse med forældrene")
    db.session.commit()
    return org, user, intervention, point


def worksheet(cycle, **changes):
    data = {
        "title": cycle.title,
        "owner_id": str(cycle.owner_id or ""),
        "version": str(cycle.version),
        "objective": cycle.objective,
        "prediction": cycle.prediction,
        "do_description": cycle.do_description,
        "study_result": cycle.study_result,
        "learning": cycle.learning,
        "act_decision": cycle.act_decision,
        "next_step": cycle.next_step,
    }
    data.update(changes)
    return data


def test_point_listing_and_empty_point_offer_first_step(client, login):
    org, user, intervention, point = world()
    login(user, org)
    body = client.get(f"/indsatser/{intervention.id}/udvikling").get_data(as_text=True)
    assert "Fælles forståelse med forældrene" in body
    assert "ingen prøvehandling endnu" in body
    body = client.get(f"/indsatser/{intervention.id}/udvikling/{point.id}").get_data(as_text=True)
    assert "Ingen prøvehandlinger endnu – planlæg den første lille" in body
    assert "Opret prøvehandling" in body


def test_model_for_improvement_is_saved_inline(client, login):
    org, user, intervention, point = world()
    login(user, org)
    url = f"/indsatser/{intervention.id}/udvikling/{point.id}/model"
    form = client.get(url, headers=HX).get_data(as_text=True)
    assert 'name="version" type="hidden" value="0"' in form
    response = client.post(
        url,
        data={
            "aim": "8 ud af 10 forældre er enige inden sommer",
            "measure": "Ét spørgsmål efter besøget",
            "change_ideas": "Fælles gennemgang\nVideo",
            "version": "0",
        },
        headers=HX,
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<li>Video</li>" in body
    plan = db.session.scalars(select(ImprovementPlan)).one()
    assert plan.organization_id == org.id
    # A second save from the same (now stale) form is a conflict, not an overwrite.
    stale = client.post(url, data={"aim": "Andet mål", "version": "0"}, headers=HX)
    assert stale.status_code == 409
    assert "Andet mål" in stale.get_data(as_text=True)
    db.session.refresh(plan)
    assert plan.aim == "8 ud af 10 forældre er enige inden sommer"


def test_create_cycle_and_invalid_input(client, login):
    org, user, intervention, point = world()
    login(user, org)
    url = f"/indsatser/{intervention.id}/udvikling/{point.id}/proevehandlinger"
    bad = client.post(url, data={"title": "", "owner_id": ""})
    assert bad.status_code == 422
    assert "Feltet skal udfyldes." in bad.get_data(as_text=True)
    assert db.session.scalars(select(PdsaCycle)).first() is None
    response = client.post(url, data={"title": "Fælles gennemgang", "owner_id": str(user.id)})
    assert response.status_code == 302
    cycle = db.session.scalars(select(PdsaCycle)).one()
    assert response.headers["Location"].endswith(f"/proevehandlinger/{cycle.id}/rediger")
    assert (cycle.phase, cycle.owner_id, cycle.organization_id) == ("plan", user.id, org.id)


def test_a_refused_create_answers_in_place_and_a_created_test_opens(client, login):
    org, user, intervention, point = world()
    login(user, org)
    url = f"/indsatser/{intervention.id}/udvikling/{point.id}/proevehandlinger"
    page = client.get(f"/indsatser/{intervention.id}/udvikling/{point.id}").get_data(as_text=True)
    assert f'hx-post="{url}" hx-target="#new-cycle"' in page
    # Refused, only the form comes back: the address bar keeps the page's address.
    bad = client.post(url, data={"title": "", "owner_id": ""}, headers=HX)
    assert bad.status_code == 422
    body = bad.get_data(as_text=True)
    assert body.lstrip().startswith('<form id="new-cycle"') and "Feltet skal udfyldes." in body
    response = client.post(url, data={"title": "Fælles gennemgang", "owner_id": ""}, headers=HX)
    cycle = db.session.scalars(select(PdsaCycle)).one()
    assert response.headers["HX-Redirect"].endswith(f"/proevehandlinger/{cycle.id}/rediger")


def test_cannot_move_to_do_without_objective_and_prediction(client, login):
    org, user, intervention, point = world()
    cycle = gen_cycle(point, title="Informationsmøde")
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}/flyt"
    response = client.post(url, data={"to": "do", "version": str(cycle.version)})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "kan ikke flyttes til Afprøv endnu" in page
    assert "Formål med prøvehandlingen, Forudsigelse" in page
    db.session.refresh(cycle)
    assert cycle.phase == "plan"


def test_worksheet_full_cycle_to_done_and_its_history(client, login):
    org, user, intervention, point = world()
    cycle = gen_cycle(point, title="Telefonsamtale", owner=user)
    db.session.commit()
    login(user, org)
    base = f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}"

    def save(**changes):
        db.session.refresh(cycle)
        return client.post(f"{base}/rediger", data=worksheet(cycle, **changes))

    def move(to):
        db.session.refresh(cycle)
        return client.post(f"{base}/flyt", data={"to": to, "version": str(cycle.version)})

    assert save(objective="Øge kontakt", prediction="Forælderen ringer selv").status_code == 302
    move("do")
    db.session.refresh(cycle)
    assert cycle.phase == "do"
    # In Do, the objective cannot be emptied again.
    refused = save(objective="")
    assert refused.status_code == 422
    assert (
        '<small id="objective-help" class="field-error">Prøvehandlingen er i fasen Afprøv og '
        "skal have dette felt udfyldt.</small>"
    ) in refused.get_data(as_text=True)
    save(do_description="Ringede efter tredje session")
    move("study")
    move("act")  # refused: no study yet
    db.session.refresh(cycle)
    assert cycle.phase == "study"
    save(study_result="Forudsigelsen holdt", learning="Personlig kontakt virker")
    move("act")
    move("done")  # refused: no act decision yet
    db.session.refresh(cycle)
    assert cycle.phase == "act"
    save(act_decision="adapt", next_step="Prøv med tre forældre")
    move("done")
    db.session.refresh(cycle)
    assert cycle.phase == "done" and cycle.closed_at is not None
    page = client.get(base).get_data(as_text=True)
    assert "<strong>Fase</strong>: <del>Studér</del> → <ins>Handl</ins>" in page
    phases = [
        e.changes["phase"][1]
        for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.object_type == "PdsaCycle").order_by(AuditEvent.id)
        )
        if "phase" in e.changes and e.action == "update"
    ]
    assert phases == ["do", "study", "act", "done"]


def test_dates_are_checked(client, login):
    org, user, intervention, point = world()
    cycle = gen_cycle(point, title="Test")
    db.session.commit()
    login(user, org)
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    response = client.post(
        f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}/rediger",
        data=worksheet(
            cycle, planned_start="2026-03-10", due_date="2026-03-01", done_date=tomorrow
        ),
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Fristen kan ikke ligge før den planlagte start." in body
    assert "Datoen for udførelse kan ikke ligge i fremtiden." in body
    response = client.post(
        f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}/rediger",
        data=worksheet(cycle, planned_start="2026-03-10", done_date="2026-03-09"),
    )
    assert response.status_code == 422
    assert "Datoen for udførelse kan ikke ligge før den planlagte start." in response.text
    for slip in ("1926-03-10", "9999-12-31"):
        response = client.post(
            f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}/rediger",
            data=worksheet(cycle, planned_start=slip),
        )
        assert response.status_code == 422
        assert "Datoen skal ligge mellem år 2000 og 2099." in response.text
    db.session.refresh(cycle)
    assert cycle.due_date is None and cycle.planned_start is None and cycle.done_date is None


def test_stale_worksheet_is_a_conflict_and_keeps_the_text(client, login):
    org, user, intervention, point = world()
    cycle = gen_cycle(point, title="Test")
    db.session.commit()
    login(user, org)
    data = worksheet(cycle, objective="Min tekst")
    cycle.objective = "Andens tekst"
    db.session.commit()
    response = client.post(
        f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}/rediger", data=data
    )
    assert response.status_code == 409
    assert "Min tekst" in response.get_data(as_text=True)
    db.session.refresh(cycle)
    assert cycle.objective == "Andens tekst"


def test_user_html_is_escaped(client, login):
    org, user, intervention, point = world()
    gen_cycle(point, title="<script>alert(1)</script>", objective="<b>fed</b>")
    db.session.commit()
    login(user, org)
    body = client.get(f"/indsatser/{intervention.id}/tavle").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_adapt_starts_a_prefilled_linked_next_cycle_and_the_ramp_shows_it(client, login):
    org, user, intervention, point = world()
    first = gen_cycle(
        point,
        title="Fælles gennemgang",
        owner=user,
        phase="act",
        objective="Fælles billede",
        change_idea="Fælles gennemgang af målingen",
        prediction="Forælderen er enig",
        scale="Én familie",
        do_description="Gjort",
        study_result="Holdt delvist",
        learning="Tidligt i besøget",
        act_decision="adapt",
    )
    db.session.commit()
    login(user, org)
    response = client.post(f"/indsatser/{intervention.id}/proevehandlinger/{first.id}/naeste")
    nxt = db.session.scalars(select(PdsaCycle).where(PdsaCycle.previous_id == first.id)).one()
    assert response.headers["Location"].endswith(f"/proevehandlinger/{nxt.id}/rediger")
    # No next step written yet: the objective carries over; the prediction and the scale
    # are the new test's own (tests/pdsa/test_next_cycle.py has the rest).
    assert (nxt.phase, nxt.objective, nxt.prediction, nxt.scale, nxt.owner_id) == (
        "plan",
        "Fælles billede",
        "",
        "",
        user.id,
    )
    assert nxt.title == "Fælles gennemgang (2)"
    assert nxt.change_idea == "Fælles gennemgang af målingen"  # the same idea, tried on
    assert nxt.study_result == "" and nxt.act_decision == ""
    # Pressing twice does not make a second follow-up.
    client.post(f"/indsatser/{intervention.id}/proevehandlinger/{first.id}/naeste")
    assert len(db.session.scalars(select(PdsaCycle)).all()) == 2
    page = client.get(f"/indsatser/{intervention.id}/udvikling/{point.id}").get_data(as_text=True)
    assert "Prøvehandling 1" in page and "Prøvehandling 2" in page


def test_abandoned_cannot_continue_but_stays_visible_with_learning(client, login):
    org, user, intervention, point = world()
    cycle = gen_cycle(
        point,
        title="Informationsmøde for forældrene",
        phase="done",
        act_decision="abandon",
        learning="Et fælles møde når ikke de forældre, der har sværest ved at deltage.",
    )
    db.session.commit()
    login(user, org)
    client.post(f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}/naeste")
    assert len(db.session.scalars(select(PdsaCycle)).all()) == 1
    page = client.get(f"/indsatser/{intervention.id}/udvikling/{point.id}").get_data(as_text=True)
    assert "Opgivet – et resultat, ikke en fiasko." in page
    assert "Et fælles møde når ikke de forældre" in page


def test_point_page_queries_do_not_grow_with_cycles(app, client, login):
    from sqlalchemy import event

    org, user, intervention, point = world()
    login(user, org)

    def count_queries():
        statements = []

        def record(*args):
            statements.append(1)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            client.get(f"/indsatser/{intervention.id}/udvikling/{point.id}")
            client.get(f"/indsatser/{intervention.id}/udvikling")
            client.get(f"/indsatser/{intervention.id}/tavle")
            client.get(f"/indsatser/{intervention.id}/moeder/{meeting.id}")
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    previous = None
    meeting = gen_meeting(intervention, held_on=date(2026, 2, 1))
    earlier = gen_meeting(intervention, held_on=date(2026, 1, 1))
    for _ in range(3):
        gen_cycle(point, owner=user, phase="do", objective="o", prediction="p")
        gen_action_item(earlier, owner=user)
        gen_action_item(meeting, owner=user)
    db.session.commit()
    few = count_queries()
    for _ in range(8):
        previous = gen_cycle(
            point, owner=user, previous_id=previous.id if previous else None, phase="study"
        )
        gen_action_item(earlier, owner=gen_user(org))
        gen_action_item(meeting, owner=user)
    db.session.commit()
    assert count_queries() == few


def test_evaluator_reads_but_cannot_move(client, login):
    org, user, intervention, point = world()
    evaluator = gen_user(org, role="evaluator")
    cycle = gen_cycle(point, title="Test", objective="o", prediction="p")
    db.session.commit()
    login(evaluator, org)
    page = client.get(f"/indsatser/{intervention.id}/tavle").get_data(as_text=True)
    assert "Test" in page and "data-sortable" not in page
    response = client.post(
        f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}/flyt",
        data={"to": "do", "version": str(cycle.version)},
        headers=HX,
    )
    assert response.status_code == 403
    db.session.refresh(cycle)
    assert cycle.phase == "plan"


def test_overview_shows_key_figures_and_fidelity(client, login):
    org, user, intervention, point = world()
    untested = gen_point(intervention, title="Visitation i graviditeten")
    first = gen_cycle(point, title="A", prediction="p", scale="Én familie")
    gen_cycle(point, title="B", previous_id=first.id, scale="Tre familier")
    db.session.commit()
    login(user, org)
    body = client.get(f"/indsatser/{intervention.id}/udvikling").get_data(as_text=True)
    assert "Nøgletal" in body and "PDSA-troskab" in body
    assert "Visitation i graviditeten" in body and untested.title in body
    # Both tests are in one series that scaled up; one of two states a prediction.
    assert "2 af 2" in body and "1 af 2" in body and "50 %" in body
    # Tests per month name the month as a reader says it.
    months = "januar februar marts april maj juni juli august september oktober november december"
    assert any(
        f"<td>{months.split()[day.month - 1]} {day.year}</td>" in body
        for day in (clock.today(), datetime.now(UTC).date())  # the first hour of a month
    )


def test_a_test_created_by_mistake_is_deleted_while_it_is_a_plan(client, login):
    org, user, intervention, point = world()
    mistake = gen_cycle(point, title="Oprettet ved en fejl", owner=user)
    under_way = gen_cycle(point, title="I gang", owner=user, phase="do")
    continued = gen_cycle(point, title="Fortsættes", owner=user)
    gen_cycle(point, title="Fortsættelsen", owner=user, previous_id=continued.id)
    db.session.commit()
    login(user, org)
    base = f"/indsatser/{intervention.id}/proevehandlinger"
    page = client.get(f"{base}/{mistake.id}").get_data(as_text=True)
    assert f"{base}/{mistake.id}/slet" in page
    assert f"{base}/{under_way.id}/slet" not in client.get(f"{base}/{under_way.id}").get_data(
        as_text=True
    )

    mistake_id = mistake.id
    response = client.post(f"{base}/{mistake_id}/slet", follow_redirects=True)
    assert "Prøvehandlingen “Oprettet ved en fejl” er slettet." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(PdsaCycle, mistake_id) is None
    # Under way, or continued by a next test: refused with the reason, nothing deleted.
    response = client.post(f"{base}/{under_way.id}/slet", follow_redirects=True)
    assert "afsluttes i Handl ved at opgive den" in response.get_data(as_text=True)
    response = client.post(f"{base}/{continued.id}/slet", follow_redirects=True)
    assert "En næste prøvehandling bygger videre på denne" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(PdsaCycle, under_way.id) and db.session.get(PdsaCycle, continued.id)


def test_an_evaluator_cannot_delete_a_test(client, login):
    org, user, intervention, point = world()
    cycle = gen_cycle(point, title="Plan", owner=user)
    evaluator = gen_user(org, role="evaluator")
    db.session.commit()
    login(evaluator, org)
    base = f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}"
    assert "/slet" not in client.get(base).get_data(as_text=True)
    assert client.post(f"{base}/slet").status_code == 403
    assert db.session.get(PdsaCycle, cycle.id) is not None


def test_a_test_names_the_change_idea_it_tries_from_the_points_list(client, login):
    org, user, intervention, point = world()
    db.session.add(
        ImprovementPlan(
            organization_id=org.id,
            development_point_id=point.id,
            change_ideas="Forældrene udfylder målingen selv\nFast dagsorden",
        )
    )
    cycle = gen_cycle(point, title="Selvudfyldelse", owner=user)
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}"
    form = client.get(f"{url}/rediger").get_data(as_text=True)
    assert 'list="change-ideas"' in form
    assert '<option value="Forældrene udfylder målingen selv"></option>' in form
    response = client.post(
        f"{url}/rediger",
        data=worksheet(cycle, change_idea="Forældrene udfylder målingen selv"),
    )
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Forandringsidé, som testen afprøver" in page
    assert "Forældrene udfylder målingen selv" in page
    db.session.refresh(cycle)
    assert cycle.change_idea == "Forældrene udfylder målingen selv"


def test_change_ideas_are_read_without_the_list_marks_typed():
    typed = "- Fast dagsorden med målinger\n1. Referat sendes samme dag\n\n• Makkerpar\n2) Kort"
    assert change_ideas_of(typed) == [
        "Fast dagsorden med målinger",
        "Referat sendes samme dag",
        "Makkerpar",
        "Kort",
    ]
    # A number that is the idea, not a mark, stays.
    assert change_ideas_of("14 dages frist") == ["14 dages frist"]
