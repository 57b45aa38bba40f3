"""The next test in a ramp ("Start næste prøvehandling ud fra denne"): it is told apart from
the test it continues by a number in its title, and its plan starts from that test's Act."""

from sqlalchemy import select

from improvement.extensions import db
from improvement.models import AuditEvent, PdsaCycle
from improvement.pdsa.rules import next_title
from tests.pdsa.factories import gen_cycle
from tests.pdsa.test_cycles import world

NEXT_STEP = "Afprøv med to familier og spørgsmålskort"


def finished(point, title, owner=None, **fields):
    values = {
        "phase": "done",
        "objective": "Fælles billede af barnets udvikling",
        "questions": "Bliver forælderen inddraget?",
        "prediction": "Forælderen er enig i målingen",
        "plan_details": "Sara, én familie, ved næste hjemmebesøg",
        "scale": "Én familiebehandler, én familie",
        "data_collection": "Familiebehandleren noterer forælderens svar",
        "do_description": "Gjort ved besøget",
        "study_result": "Holdt delvist",
        "learning": "Gennemgangen skal ligge tidligt i besøget",
        "act_decision": "adapt",
        "next_step": NEXT_STEP,
    }
    values.update(fields)
    return gen_cycle(point, title=title, owner=owner, **values)


def start_next(client, cycle):
    return client.post(f"/indsatser/{cycle.intervention_id}/proevehandlinger/{cycle.id}/naeste")


def follow_up(cycle):
    return db.session.scalars(select(PdsaCycle).where(PdsaCycle.previous_id == cycle.id)).one()


def test_next_test_is_numbered_and_its_plan_starts_from_the_act_next_step(client, login):
    org, user, intervention, point = world()
    first = finished(point, "Fælles gennemgang af målingen", owner=user)
    db.session.commit()
    login(user, org)

    response = start_next(client, first)
    nxt = follow_up(first)
    assert response.headers["Location"].endswith(f"/proevehandlinger/{nxt.id}/rediger")
    assert nxt.title == "Fælles gennemgang af målingen (2)"
    assert (nxt.phase, nxt.owner_id, nxt.development_point_id) == ("plan", user.id, point.id)
    # The plan starts from the Act step: its objective is the next step decided there.
    assert nxt.objective == NEXT_STEP
    # Comparable across the series: the questions and the data collected carry over.
    assert nxt.questions == "Bliver forælderen inddraget?"
    assert nxt.data_collection == "Familiebehandleren noterer forælderens svar"
    # The new test's own: who/what/when/where, prediction and scale are written anew.
    assert (nxt.plan_details, nxt.prediction, nxt.scale) == ("", "", "")
    # Nothing of Do, Study or Act comes along.
    assert (nxt.do_description, nxt.study_result, nxt.learning) == ("", "", "")
    assert (nxt.act_decision, nxt.next_step, nxt.done_date) == ("", "", None)

    # The worksheet the button leads to says where the plan came from.
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        "“Fælles gennemgang af målingen (2)” er startet ud fra “Fælles gennemgang af "
        "målingen”. Formålet er det næste skridt, der blev besluttet dér" in page
    )
    assert NEXT_STEP in page
    assert "Sara, én familie" not in page

    # So does the new test's page, and the parent's page links to it by its own title.
    page = client.get(f"/indsatser/{intervention.id}/proevehandlinger/{nxt.id}")
    text = page.get_data(as_text=True)
    assert "Næste skridt besluttet dér:</span> " + NEXT_STEP in text
    parent = client.get(f"/indsatser/{intervention.id}/proevehandlinger/{first.id}")
    assert "Fælles gennemgang af målingen (2) (Planlæg)</a>" in parent.get_data(as_text=True)


def test_the_ramp_and_the_board_tell_the_tests_apart(client, login):
    org, user, intervention, point = world()
    first = finished(point, "Fælles gennemgang", owner=user)
    db.session.commit()
    login(user, org)
    start_next(client, first)
    second = follow_up(first)
    # The second test runs its course and is adapted again: the third is "(3)", not "(2) (2)".
    for name, value in {
        "prediction": "To ud af to forældre er enige",
        "do_description": "Gjort",
        "study_result": "Holdt",
        "learning": "Kortene hjalp",
        "act_decision": "adapt",
        "next_step": "Afprøv med fire familier",
    }.items():
        setattr(second, name, value)
    second.phase = "act"
    db.session.commit()
    start_next(client, second)
    third = follow_up(second)
    assert third.title == "Fælles gennemgang (3)"
    assert third.objective == "Afprøv med fire familier"

    ramp = client.get(f"/indsatser/{intervention.id}/udvikling/{point.id}").get_data(as_text=True)
    titles = [f">{t}</a></h3>" for t in ("Fælles gennemgang", "Fælles gennemgang (2)")]
    assert all(t in ramp for t in titles) and ">Fælles gennemgang (3)</a></h3>" in ramp
    board = client.get(f"/indsatser/{intervention.id}/tavle").get_data(as_text=True)
    board = board.replace("\u00ad", "")  # the board hyphenates long words in titles
    assert "Fælles gennemgang (2)" in board and "Fælles gennemgang (3)" in board


def test_a_parallel_series_of_the_same_name_takes_the_next_free_number(client, login):
    org, user, intervention, point = world()
    one = finished(point, "Forældremøde")
    db.session.commit()
    login(user, org)
    start_next(client, one)
    assert follow_up(one).title == "Forældremøde (2)"
    # A second series, started by hand under the same name, continues as "(3)".
    other = finished(point, "Forældremøde", next_step="Møde om aftenen")
    db.session.commit()
    start_next(client, other)
    assert follow_up(other).title == "Forældremøde (3)"
    # A test named the same under another development point does not count.
    assert next_title("Forældremøde", 2, ["Forældremøde (2)"]) == "Forældremøde (3)"


def test_old_series_with_repeated_titles_and_numbered_titles_continue_sensibly(client, login):
    org, user, intervention, point = world()
    # Made before tests were numbered: two tests of one series with the same title.
    first = finished(point, "Fælles gennemgang")
    second = finished(point, "Fælles gennemgang", previous_id=first.id)
    # Numbered by hand, as the first of its series.
    manual = finished(point, "Telefonsamtale (2)")
    db.session.commit()
    login(user, org)
    start_next(client, second)
    assert follow_up(second).title == "Fælles gennemgang (3)"
    start_next(client, manual)
    assert follow_up(manual).title == "Telefonsamtale (3)"


def test_next_title_rules():
    assert next_title("Fast dagsorden", 2) == "Fast dagsorden (2)"
    assert next_title("Fast dagsorden (2)", 3) == "Fast dagsorden (3)"
    assert next_title("Fast  dagsorden (2) ", 3) == "Fast dagsorden (3)"
    # The number never goes down, nor doubles up.
    assert next_title("Fast dagsorden (7)", 2) == "Fast dagsorden (8)"
    assert next_title("Fast dagsorden(2)", 3) == "Fast dagsorden (3)"
    # A number that is not the title's last word stays part of the title.
    assert next_title("Gruppe 2 (forældre)", 2) == "Gruppe 2 (forældre) (2)"
    # Taken titles are compared as people read them.
    assert next_title("Møde", 2, ["MØDE (2)", "møde (3)"]) == "Møde (4)"
    # The result fits the title field (200 characters).
    long = "x" * 200
    assert next_title(long, 2) == "x" * 196 + " (2)"
    assert len(next_title(long, 10)) == 200


def test_a_follow_up_without_a_next_step_keeps_the_objective_and_is_audited(client, login):
    org, user, intervention, point = world()
    first = finished(point, "Fast dagsorden", phase="act", act_decision="adopt", next_step="")
    db.session.commit()
    login(user, org)
    response = start_next(client, first)
    nxt = follow_up(first)
    assert nxt.objective == "Fælles billede af barnets udvikling"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "som endnu ikke har et næste skridt: formål, spørgsmål og dataindsamling" in page
    # Pressing again (a second tab, a double click) opens the same follow-up.
    again = start_next(client, first)
    assert again.headers["Location"] == response.headers["Location"]
    assert db.session.query(PdsaCycle).count() == 2
    # The creation is in the history, and the worksheet's edit conflict still holds.
    created = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "PdsaCycle",
            AuditEvent.object_id == nxt.id,
        )
    ).all()
    assert [e.action for e in created] == ["insert"]
    url = f"/indsatser/{intervention.id}/proevehandlinger/{nxt.id}/rediger"
    data = {"title": nxt.title, "owner_id": "", "objective": nxt.objective}
    version = str(nxt.version)
    assert client.post(url, data={**data, "version": version}).status_code == 302
    stale = client.post(url, data={**data, "version": version, "prediction": "X"})
    assert stale.status_code == 409
