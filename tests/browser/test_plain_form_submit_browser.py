"""A plain (non-HTMX) form is sent once. app.js asks the write check before the form leaves
and then sends it; a second click while that check is asked, or while the next page loads,
posted the worksheet again with the same base version, and the browser showed the second
answer: "Fejl 409 – Ændret af en anden", though the first had saved."""

import time

import pytest
from flask import request

from improvement.extensions import db
from improvement.models import Membership, PdsaCycle
from tests.browser.steps import LEADER, login
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_cycle, gen_point

pytestmark = [pytest.mark.browser, pytest.mark.csrf]

SAVE = "Gem skema"


def _world():
    org = gen_org("Demo Kommune Nord")
    leader = gen_user(org, role="leader", email=LEADER, name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, leader)
    cycle = gen_cycle(gen_point(intervention), title="Sms-påmindelse", owner=leader)
    db.session.commit()
    return cycle


def _slow(app, path_end, method, seconds):
    """The server takes its time over one kind of request, as a busy one does: the window
    a second click falls into. Registered before the live server answers anything."""

    @app.before_request
    def wait():
        if request.method == method and request.path.endswith(path_end):
            time.sleep(seconds)


def _watch(page, address):
    """The worksheet's posts and every answer's status, as the browser sent and got them."""
    posts, statuses = [], []
    page.on(
        "request",
        lambda r: posts.append(r) if r.method == "POST" and r.url.endswith(address) else None,
    )
    page.on("response", lambda r: statuses.append(r.status))
    return posts, statuses


def _double_click_while_checked(page, button) -> int:
    """Double-click `button`, holding the write check until both clicks are in: the second
    falls while the first one's check is asked. Returns how many checks were asked."""
    held = []
    page.route("**/organisation/kontrol", lambda route: held.append(route))
    button.dblclick()
    page.wait_for_timeout(300)  # a second check, if one is asked, is held by now
    for route in held:
        route.continue_()
    return len(held)


def _two_buttons(page):
    """No form has two named buttons yet: the worksheet is given two."""
    page.evaluate(
        """() => {
            const actions = document.querySelector("#worksheet .form-actions");
            for (const value of ["a", "b"]) {
                const button = document.createElement("button");
                button.type = "submit"; button.name = "pressed"; button.value = value;
                button.textContent = "Knap " + value;
                actions.appendChild(button);
            }
        }"""
    )


def _version(cycle_id):
    db.session.rollback()
    return db.session.get(PdsaCycle, cycle_id).version


def _saved_once(page, cycle, posts, statuses, before):
    page.wait_for_url(f"**/proevehandlinger/{cycle.id}")
    page.wait_for_load_state("networkidle")
    assert "Skemaet er gemt." in page.locator("#messages").inner_text()
    assert len(posts) == 1, [p.url for p in posts]
    assert 409 not in statuses
    assert _version(cycle.id) == before + 1


def test_a_double_click_on_save_saves_the_worksheet_once(app, browser_page, live_server):
    cycle = _world()
    _slow(app, "/rediger", "POST", 0.8)  # the page is still there as the checks come back
    page = browser_page
    login(page, live_server)
    address = f"/indsatser/{cycle.intervention_id}/proevehandlinger/{cycle.id}/rediger"
    page.goto(f"{live_server}{address}")
    posts, statuses = _watch(page, address)
    before = _version(cycle.id)
    page.locator("#objective").fill("Færre udeblivelser")

    checks = _double_click_while_checked(page, page.get_by_role("button", name=SAVE))
    _saved_once(page, cycle, posts, statuses, before)
    assert checks == 1


def test_a_click_while_the_next_page_loads_sends_nothing(app, browser_page, live_server):
    cycle = _world()
    _slow(app, "/rediger", "POST", 0.8)
    page = browser_page
    login(page, live_server)
    address = f"/indsatser/{cycle.intervention_id}/proevehandlinger/{cycle.id}/rediger"
    page.goto(f"{live_server}{address}")
    posts, statuses = _watch(page, address)
    before = _version(cycle.id)
    page.locator("#objective").fill("Færre udeblivelser")

    page.get_by_role("button", name=SAVE).scroll_into_view_if_needed()
    save = page.get_by_role("button", name=SAVE).bounding_box()
    x, y = save["x"] + save["width"] / 2, save["y"] + save["height"] / 2
    with page.expect_request(lambda r: r.method == "POST" and r.url.endswith(address)):
        page.mouse.click(x, y)
    page.mouse.click(x, y)  # the mouse, not a locator: that would wait for the next page
    _saved_once(page, cycle, posts, statuses, before)

    # Brought back by Back, the worksheet is sent again (with the check asked again).
    page.go_back()
    page.wait_for_url(f"**{address}")
    page.locator("#objective").fill("Færre udeblivelser, målt over fire uger")
    page.get_by_role("button", name=SAVE).click()
    page.wait_for_url(f"**/proevehandlinger/{cycle.id}")
    assert "Skemaet er gemt." in page.locator("#messages").inner_text()
    db.session.rollback()
    assert db.session.get(PdsaCycle, cycle.id).objective.endswith("målt over fire uger")


def test_the_pressed_button_goes_with_the_form_once(app, browser_page, live_server):
    """A form with several submit buttons: the one pressed is sent by app.js (form.submit()
    sends none), once, also when a second click is dropped."""
    cycle = _world()
    _slow(app, "/rediger", "POST", 0.8)
    page = browser_page
    login(page, live_server)
    address = f"/indsatser/{cycle.intervention_id}/proevehandlinger/{cycle.id}/rediger"
    page.goto(f"{live_server}{address}")
    posts, statuses = _watch(page, address)
    before = _version(cycle.id)
    _two_buttons(page)
    page.locator("#objective").fill("Færre udeblivelser")
    _double_click_while_checked(page, page.get_by_role("button", name="Knap b"))
    _saved_once(page, cycle, posts, statuses, before)
    sent = posts[0].post_data
    assert sent.count("pressed=") == 1
    assert "pressed=b" in sent


def test_a_page_brought_back_sends_its_form_again_with_the_button_pressed_now(
    app, browser_page, live_server
):
    """Back shows the page as it was left, from the back/forward cache: the form marked as
    sent, and holding the field that carried the button pressed then. Playwright's Chromium
    keeps no such cache; the same page is had by cutting the post off (the page stays as it
    was) and sending the pageshow that a page restored so gets."""
    cycle = _world()
    page = browser_page
    login(page, live_server)
    address = f"/indsatser/{cycle.intervention_id}/proevehandlinger/{cycle.id}/rediger"
    page.goto(f"{live_server}{address}")
    posts, _statuses = _watch(page, address)
    _two_buttons(page)
    page.locator("#objective").fill("Færre udeblivelser")
    page.route(f"**{address}", lambda route: route.abort("aborted"))
    with page.expect_event("requestfailed", lambda r: r.method == "POST"):
        page.get_by_role("button", name="Knap b").click(no_wait_after=True)
    page.unroute(f"**{address}")

    # Still marked as sent: a click is dropped.
    page.get_by_role("button", name="Knap a").click(no_wait_after=True)
    page.evaluate("new Promise((done) => setTimeout(done, 300))")
    assert len(posts) == 1

    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    page.get_by_role("button", name="Knap a").click()
    page.wait_for_url(f"**/proevehandlinger/{cycle.id}")
    assert "Skemaet er gemt." in page.locator("#messages").inner_text()
    sent = posts[1].post_data
    assert sent.count("pressed=") == 1
    assert "pressed=a" in sent


def test_a_form_whose_leaving_the_user_declined_goes_again(browser_page, live_server):
    """The organisation switcher, pressed with worksheet text not saved: the browser asks
    whether to leave, and the user stays. The switcher was marked as sent; it goes again."""
    cycle = _world()
    db.session.add(
        Membership(user_id=cycle.owner_id, organization_id=gen_org("Demo Syd").id, role="leader")
    )
    db.session.commit()
    page = browser_page
    login(page, live_server)
    address = f"/indsatser/{cycle.intervention_id}/proevehandlinger/{cycle.id}/rediger"
    page.goto(f"{live_server}{address}")
    questions = []
    page.on("dialog", lambda d: (questions.append(d.type), d.dismiss()))
    page.locator("#objective").fill("Færre udeblivelser")

    switch = page.get_by_label("Organisation")
    with page.expect_event("dialog"):
        switch.select_option(label="Demo Syd")
    with page.expect_event("dialog"):  # asked again: the switcher went again
        switch.select_option(label="Demo Kommune Nord")
    assert questions == ["beforeunload", "beforeunload"]
    assert page.url.endswith(address)
    assert page.locator("#objective").input_value() == "Færre udeblivelser"
