"""Gendan in a real browser: the earlier text comes back into the page, the history stays
open with what happened at its top, and a colleague's save made meanwhile is not undone."""

import pytest

from improvement.extensions import db
from tests.browser.steps import htmx_idle, login
from tests.description.factories import gen_core_element, gen_phase, gen_step
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_cycle, gen_point

pytestmark = pytest.mark.browser

EARLIER = "Konferencen sluttede til tiden (Lise)."
LATER = "Tre sager nåede vi ikke."


def _world():
    org = gen_org("Demo Kommune Nord")
    leader = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, leader)
    db.session.commit()
    return org, intervention, leader


def _save(row, field, *texts):
    for text in texts:
        getattr(row, field)  # loaded, as a save loads it: the history records what it replaced
        setattr(row, field, text)
        db.session.commit()


def _watch(page) -> list[str]:
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_an_overwritten_observation_comes_back_with_one_click(browser_page, live_server):
    _org, intervention, leader = _world()
    cycle = gen_cycle(
        gen_point(intervention),
        title="Fast dagsorden",
        owner=leader,
        objective="Holde tiden",
        prediction="Konferencen slutter til tiden",
    )
    db.session.commit()
    _save(cycle, "observations", EARLIER, LATER)
    page = browser_page
    errors = _watch(page)
    login(page, live_server, "leder@nord.example")
    page.goto(f"{live_server}/indsatser/{intervention.id}/proevehandlinger/{cycle.id}")
    worksheet = page.locator("#cycle")
    assert LATER in worksheet.inner_text()
    page.locator("details.history > summary").click()
    button = page.get_by_role("button", name="Gendan «Observationer»")
    assert button.count() == 1
    button.click()

    note = page.locator(".history-list > .flash-success")
    note.wait_for()
    assert note.inner_text().startswith("«Observationer» er gendannet")
    assert EARLIER in worksheet.inner_text() and LATER not in worksheet.inner_text()
    # The history stayed open, with the restore on top and the note where the click was.
    assert page.locator("details.history").get_attribute("open") is not None
    newest = page.locator(".history-list > ol > li").first.inner_text()
    assert "Lise Lund" in newest and f"{LATER} → {EARLIER}" in newest
    assert page.evaluate("document.activeElement.classList.contains('flash')")
    db.session.refresh(cycle)
    assert cycle.observations == EARLIER
    # The worksheet's own forms carry the new version: a move is not taken for a colleague's.
    page.get_by_role("button", name="Flyt til Afprøv").click()
    page.locator("#messages .flash-success").wait_for()
    db.session.refresh(cycle)
    assert cycle.phase == "do"
    assert errors == []


def test_a_colleagues_save_meanwhile_is_kept_and_shown(browser_page, live_server):
    _org, intervention, leader = _world()
    cycle = gen_cycle(gen_point(intervention), owner=leader)
    db.session.commit()
    _save(cycle, "observations", EARLIER, LATER)
    page = browser_page
    errors = _watch(page)
    login(page, live_server, "leder@nord.example")
    page.goto(f"{live_server}/indsatser/{intervention.id}/proevehandlinger/{cycle.id}")
    page.locator("details.history > summary").click()
    _save(cycle, "observations", "Skrevet af Birgitte imens.")
    page.get_by_role("button", name="Gendan «Observationer»").click()

    note = page.locator(".history-list > .flash-error")
    note.wait_for()
    assert note.inner_text().startswith("En anden har ændret dette, efter historikken blev vist")
    assert "Skrevet af Birgitte imens." in page.locator("#cycle").inner_text()
    db.session.refresh(cycle)
    assert cycle.observations == "Skrevet af Birgitte imens."
    assert errors == []


def test_a_core_elements_card_shows_the_restored_text_and_its_open_history(
    browser_page, live_server
):
    _org, intervention, _leader = _world()
    element = gen_core_element(intervention, name="Tæt kontakt")
    db.session.commit()
    _save(element, "why", "Tilknytning kræver kontinuitet.", "Ukendt")
    page = browser_page
    errors = _watch(page)
    login(page, live_server, "leder@nord.example")
    page.goto(f"{live_server}/indsatser/{intervention.id}/kerneelementer")
    card = page.locator(f"#core-{element.id}")
    card.locator("details.history > summary").click()
    card.get_by_role("button", name="Gendan «Hvorfor er kerneelementet vigtigt?»").click()
    card.locator(".history-list > .flash-success").wait_for()
    assert "Tilknytning kræver kontinuitet." in card.locator(".item-facts").inner_text()
    assert card.locator("details.history").get_attribute("open") is not None
    assert errors == []


def test_an_editor_with_unsaved_text_asks_before_it_is_drawn_again(browser_page, live_server):
    _org, intervention, _leader = _world()
    step = gen_step(gen_phase(intervention), step="Opstartsmøde")
    db.session.commit()
    _save(step, "parents", "Forældrene deltager.", "Ingen")
    page = browser_page
    errors = _watch(page)
    asked = []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    login(page, live_server, "leder@nord.example")
    page.goto(f"{live_server}/indsatser/{intervention.id}/arbejdsgange")
    page.get_by_role("button", name="Redigér Opstartsmøde").click()
    htmx_idle(page)
    row = page.locator(f"#step-{step.id}")
    row.get_by_label("De fagprofessionelle").fill("Skrevet, ikke gemt")
    row.locator("details.history > summary").click()
    row.get_by_role("button", name="Gendan «Forældrene»").click()
    row.locator(".history-list > .flash-success").wait_for()
    assert len(asked) == 1
    assert row.get_by_role("textbox", name="Forældrene").input_value() == "Forældrene deltager."
    db.session.refresh(step)
    assert step.parents == "Forældrene deltager."
    assert errors == []


def test_a_reader_sees_the_history_without_buttons(browser_page, live_server):
    org, intervention, _leader = _world()
    gen_user(org, role="evaluator", email="evaluator@nord.example")
    cycle = gen_cycle(gen_point(intervention))
    db.session.commit()
    _save(cycle, "observations", EARLIER, LATER)
    page = browser_page
    login(page, live_server, "evaluator@nord.example")
    page.goto(f"{live_server}/indsatser/{intervention.id}/proevehandlinger/{cycle.id}")
    page.locator("details.history > summary").click()
    assert LATER in page.locator(".history-list").inner_text()
    assert page.get_by_role("button", name="Gendan").count() == 0
