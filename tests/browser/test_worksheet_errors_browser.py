"""The PDSA worksheet as the browser shows it: a refused save opens with focus on what says
so, at the top, and its link leads to the field; a next test's worksheet shows its whole
title (the "(2)" that tells it from the test it continues) and that test's decision."""

import pytest

from improvement.extensions import db
from tests.browser.steps import LEADER, login
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_cycle, gen_point
from tests.pdsa.test_next_cycle import NEXT_STEP, finished

pytestmark = pytest.mark.browser


def _world():
    org = gen_org("Demo Kommune Nord")
    leader = gen_user(org, role="leader", email=LEADER, name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, leader)
    point = gen_point(intervention)
    db.session.commit()
    return leader, point


def _in_view(page, selector) -> bool:
    return page.evaluate(
        """(selector) => { const r = document.querySelector(selector).getBoundingClientRect();
                           return r.top >= 0 && r.bottom <= window.innerHeight; }""",
        selector,
    )


def test_a_refused_worksheet_opens_on_its_message_and_leads_to_the_field(browser_page, live_server):
    leader, point = _world()
    cycle = gen_cycle(point, title="Sms-påmindelse", owner=leader, phase="do")
    db.session.commit()
    page = browser_page
    login(page, live_server)
    address = f"/indsatser/{point.intervention_id}/proevehandlinger/{cycle.id}/rediger"
    page.goto(f"{live_server}{address}")
    page.locator("#observations").fill("x" * 5001)
    page.get_by_role("button", name="Gem skema").click()
    page.wait_for_load_state("load")

    summary = page.locator("#error-summary")
    assert "Skemaet er ikke gemt." in summary.inner_text()
    # Focus is on the message, in view: not at the top of a page that says nothing, the
    # field at fault screens below.
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert _in_view(page, "#error-summary")
    assert not _in_view(page, "#observations")

    # Its link is the next stop, and leads to the field, with the keyboard on it.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Observationer"
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'observations'")
    assert _in_view(page, "#observations")


def test_a_next_tests_worksheet_shows_its_whole_title_and_what_it_continues(
    browser_page, live_server
):
    leader, point = _world()
    first = finished(point, "Sms-påmindelse til én mentor", owner=leader)
    db.session.commit()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{point.intervention_id}/proevehandlinger/{first.id}")
    page.get_by_role("button", name="Start næste prøvehandling ud fra denne").click()
    page.wait_for_url("**/rediger")

    title = page.locator("#title")
    assert title.input_value() == "Sms-påmindelse til én mentor (2)"
    # The whole title shows, in a field as wide as the form.
    assert title.evaluate("(el) => el.scrollWidth <= el.clientWidth")
    form = page.locator("#worksheet form").bounding_box()
    assert title.bounding_box()["width"] > 0.95 * form["width"]

    panel = page.get_by_role("complementary", name="Fortsætter")
    assert panel.get_by_role("link", name="Sms-påmindelse til én mentor").is_visible()
    assert "(Tilpas)" in panel.inner_text() and NEXT_STEP in panel.inner_text()
    # Above the worksheet's fields.
    assert panel.bounding_box()["y"] < title.bounding_box()["y"]
