"""The prediction is written before the test, and Study compares the result with it: once
the test has left Plan, the worksheet shows it read-only and refuses a changed one (the
typed text kept), a restore from the history is refused too, and moving the test back to
Plan opens it again."""

import re
from html import unescape

from improvement.extensions import db
from improvement.models import AuditEvent
from improvement.pdsa.rules import fixed_now
from tests.pdsa.factories import gen_cycle
from tests.pdsa.test_cycles import world
from tests.pdsa.test_pdsa_qa_fixes import PLANNED, _cycle_url, _fieldset, _move, opened

HX = {"HX-Request": "true"}


def _prediction_tag(page: str) -> str:
    return re.search(r'<textarea[^>]*\bid="prediction"[^>]*>', page).group(0)


def test_the_prediction_is_fixed_from_do_on():
    assert fixed_now("plan") == []
    assert fixed_now("do") == fixed_now("study") == fixed_now("act") == ["prediction"]
    assert fixed_now("done") == ["prediction"]


def test_once_the_test_has_left_plan_the_prediction_is_read_only_and_a_change_refused(
    client, login
):
    org, user, intervention, point = world()
    cycle = gen_cycle(point, title="Telefonsamtale", owner=user, **PLANNED)
    db.session.commit()
    login(user, org)

    # In Plan: written freely.
    page = client.get(_cycle_url(cycle, "/rediger")).get_data(as_text=True)
    assert "readonly" not in _prediction_tag(page)

    assert _move(client, cycle, "do", **HX).status_code == 200
    page = unescape(client.get(_cycle_url(cycle, "/rediger")).get_data(as_text=True))
    assert "readonly" in _prediction_tag(page)
    plan = _fieldset(page, "ws-plan")
    assert "Fastlagt, da prøvehandlingen forlod Planlæg" in plan
    assert "Forudsigelse (fastlagt)" in plan

    # A changed prediction (a form drawn before the move, say) is refused at the field;
    # nothing of the worksheet is saved. The field shows the saved prediction again,
    # read-only, as Study quotes it, and the refused text is shown under it to copy.
    sent = opened(client, cycle)
    sent.update(prediction="Forælderen ringer, når vi har sendt en sms", do_description="Ringede")
    response = client.post(_cycle_url(cycle, "/rediger"), data=sent, headers=HX)
    assert response.status_code == 422
    page = unescape(response.get_data(as_text=True))
    assert "Prøvehandlingen er i Afprøv, så forudsigelsen er fastlagt. Intet blev gemt." in page
    plan = _fieldset(page, "ws-plan")
    assert "Din ændring blev ikke gemt; din tekst står under feltet." in plan
    assert f"{PLANNED['prediction']}</textarea>" in plan
    assert "readonly" in _prediction_tag(page)
    assert "Din tekst, ikke gemt:" in plan
    assert "Forælderen ringer, når vi har sendt en sms" in plan.split("Din tekst, ikke gemt:")[1]
    study = _fieldset(page, "ws-study")
    assert f"Forudsigelse: {PLANNED['prediction']}" in study
    assert "Ringede</textarea>" in page  # the other fields keep what was typed
    db.session.refresh(cycle)
    assert (cycle.prediction, cycle.do_description) == (PLANNED["prediction"], "")

    # Sent again as the page now stands (the saved prediction): the rest saves.
    sent.update(prediction=PLANNED["prediction"])
    assert client.post(_cycle_url(cycle, "/rediger"), data=sent).status_code == 302
    db.session.refresh(cycle)
    assert cycle.do_description == "Ringede"

    # Moved back to Plan, it can be changed again.
    assert _move(client, cycle, "plan", **HX).status_code == 200
    sent = opened(client, cycle)
    sent.update(prediction="Forælderen ringer selv inden for en uge")
    assert client.post(_cycle_url(cycle, "/rediger"), data=sent).status_code == 302
    db.session.refresh(cycle)
    assert cycle.prediction == "Forælderen ringer selv inden for en uge"


def test_a_test_moved_on_without_a_prediction_may_still_be_given_one(client, login):
    """A test from before the discipline (in Do with no prediction) is not locked out of
    writing the one it lacks: there is nothing to keep."""
    org, user, intervention, point = world()
    cycle = gen_cycle(point, title="Gammel test", owner=user, phase="do", objective="Mål")
    db.session.commit()
    login(user, org)
    page = client.get(_cycle_url(cycle, "/rediger")).get_data(as_text=True)
    assert "readonly" not in _prediction_tag(page)
    sent = opened(client, cycle)
    sent.update(prediction="Forælderen ringer selv")
    assert client.post(_cycle_url(cycle, "/rediger"), data=sent).status_code == 302
    db.session.refresh(cycle)
    assert cycle.prediction == "Forælderen ringer selv"


def test_an_earlier_prediction_is_not_restored_once_the_test_has_left_plan(client, login):
    org, user, intervention, point = world()
    cycle = gen_cycle(point, title="Telefonsamtale", owner=user, objective="Mål")
    db.session.commit()
    for text in ("Først gættet", "Så gættet"):
        db.session.refresh(cycle)  # loaded, as a save loads it: the history keeps the old text
        cycle.prediction = text
        db.session.commit()
    event = db.session.query(AuditEvent).order_by(AuditEvent.id.desc()).first()
    login(user, org)
    assert _move(client, cycle, "do", **HX).status_code == 200
    db.session.refresh(cycle)
    response = client.post(
        f"/indsatser/{intervention.id}/historik/gendan/{event.id}",
        data={"field": "prediction", "version": str(cycle.version)},
        headers=HX,
    )
    assert response.status_code == 422
    assert "Den er fastlagt, når prøvehandlingen har forladt Planlæg" in unescape(
        response.get_data(as_text=True)
    )
    db.session.refresh(cycle)
    assert cycle.prediction == "Så gættet"
