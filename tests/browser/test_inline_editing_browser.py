"""Inline editors as a keyboard user and a busy meeting use them: nothing typed is thrown
away without asking, Escape cancels, and focus stays where the user was working."""

import pytest

from improvement.extensions import db
from improvement.models import DevelopmentPoint
from tests.browser.steps import htmx_idle, login
from tests.description.factories import gen_point
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

pytestmark = pytest.mark.browser


def _points():
    org = gen_org("Demo Kommune Nord")
    leader = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, leader)
    first = gen_point(intervention, title="Fast dagsorden", position=0)
    second = gen_point(intervention, title="Visitation", position=1)
    db.session.commit()
    return intervention, first, second


def _open_editor(page, point):
    page.locator(f"#point-{point.id}").get_by_role("button", name="Redigér").click()
    page.locator(f"#point-{point.id} form").wait_for()
    htmx_idle(page)
    return page.locator(f"#point-{point.id}")


def test_redrawing_a_list_asks_before_throwing_away_typed_text(browser_page, live_server):
    intervention, first, second = _points()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/udviklingspunkter")
    editor = _open_editor(page, first)
    editor.get_by_label("Beskrivelse").fill("Dagsorden sendes ud to dage før")

    # Moving the other point would redraw the list, and the open editor with it.
    questions = []
    page.once("dialog", lambda d: (questions.append(d.message), d.dismiss()))
    page.get_by_role("button", name="Flyt Visitation op").click()
    assert questions == [
        "Tekst, du har skrevet her, er ikke gemt og går tabt. Vil du fortsætte alligevel?"
    ]
    htmx_idle(page)
    assert editor.get_by_label("Beskrivelse").input_value() == "Dagsorden sendes ud to dage før"
    assert db.session.get(DevelopmentPoint, second.id).position == 1  # nothing was moved

    # Saved, the text is kept, and moving needs no question.
    editor.get_by_role("button", name="Gem").click()
    page.locator(f"#point-{first.id}").get_by_text("Dagsorden sendes ud to dage før").wait_for()
    page.once("dialog", lambda d: (questions.append(d.message), d.dismiss()))
    page.get_by_role("button", name="Flyt Visitation op").click()
    page.wait_for_function(f"document.querySelector('.card-list li').id === 'point-{second.id}'")
    assert len(questions) == 1


def test_escape_cancels_an_editor_and_focus_returns_to_its_edit_button(browser_page, live_server):
    intervention, first, _second = _points()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/udviklingspunkter")
    editor = _open_editor(page, first)
    editor.get_by_label("Titel").press("Escape")  # nothing typed: no question
    page.locator(f"#point-{first.id}:not(.editing)").wait_for()
    htmx_idle(page)
    focused = page.evaluate(
        "[document.activeElement.closest('li')?.id, document.activeElement.textContent]"
    )
    assert focused == [f"point-{first.id}", "Redigér"]

    # Typed text, then Escape: asked first; accepting throws it away.
    editor = _open_editor(page, first)
    editor.get_by_label("Titel").fill("Fast dagsorden på alle møder")
    page.once("dialog", lambda d: d.accept())
    editor.get_by_label("Titel").press("Escape")
    page.locator(f"#point-{first.id}:not(.editing)").wait_for()
    assert db.session.get(DevelopmentPoint, first.id).title == "Fast dagsorden"


def test_after_creating_an_item_focus_is_on_the_new_items_edit_button(browser_page, live_server):
    intervention, _first, _second = _points()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/kerneelementer")
    page.get_by_text("Nyt kerneelement").click()
    page.get_by_label("Navn").fill("Tæt kontakt")
    page.get_by_label("Navn").press("Enter")
    page.locator(".just-created").wait_for()
    htmx_idle(page)
    focused = page.evaluate(
        "[document.activeElement.closest('li')?.className, document.activeElement.textContent]"
    )
    assert "just-created" in focused[0] and focused[1] == "Redigér"


def test_after_editing_the_model_for_improvement_focus_returns_to_its_edit_button(
    browser_page, live_server
):
    intervention, first, _second = _points()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/udvikling/{first.id}")
    page.locator("#plan").get_by_role("button", name="Redigér").click()
    page.locator("#plan form").wait_for()
    htmx_idle(page)
    page.keyboard.press("Escape")
    page.locator("#plan form").wait_for(state="detached")
    htmx_idle(page)
    assert page.evaluate("document.activeElement.getAttribute('hx-get') || ''").endswith("/model")
