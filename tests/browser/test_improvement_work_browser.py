"""The board in a real browser: drag and drop, buttons, refused moves, presentation mode."""

import pytest
from flask import request, request_finished

from improvement.extensions import db
from tests.browser.steps import htmx_idle, login
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_cycle, gen_point

pytestmark = pytest.mark.browser


def _setup():
    org = gen_org("Demo Kommune Nord")
    lise = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    bo = gen_user(org, role="practitioner", name="Bo Bach")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, lise, "leader")
    gen_member(intervention, bo)
    point = gen_point(intervention, title="Fælles forståelse")
    ready = gen_cycle(
        point, title="Fælles gennemgang", owner=lise, objective="Mål", prediction="Gæt"
    )
    empty = gen_cycle(point, title="Tom plan", owner=bo)
    db.session.commit()
    return intervention, ready, empty, bo


def test_drag_card_between_columns_and_refused_move(browser_page, live_server, tmp_path):
    intervention, ready, empty, _ = _setup()
    page = browser_page
    page.set_viewport_size({"width": 1920, "height": 1080})
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/tavle")
    page.evaluate("window.__noReload = true")

    # Drag "Fælles gennemgang" from Plan to Do.
    page.locator(f"#card-{ready.id} .card-point").drag_to(page.locator("#cards-do"))
    page.locator(f"#cards-do #card-{ready.id}").wait_for()
    page.get_by_text("“Fælles gennemgang” er flyttet til Afprøv.").wait_for()
    assert page.locator("#count-do").inner_text() == "1"
    assert page.locator("#count-plan").inner_text() == "1"
    assert page.locator(f"#card-{ready.id}").count() == 1
    db.session.expire_all()
    db.session.refresh(ready)
    assert ready.phase == "do"

    # The plan without objective and prediction is refused and returns to Plan.
    page.locator(f"#card-{empty.id} .card-point").drag_to(page.locator("#cards-study"))
    refusal = page.locator(f"#cards-plan #card-{empty.id} .card-refusal")
    refusal.wait_for()
    assert "Udfyld først: Formål med prøvehandlingen, Forudsigelse" in refusal.inner_text()
    assert page.locator(f"#card-{empty.id}").count() == 1
    assert page.locator("#count-study").inner_text() == "0"

    # The buttons do the same without a mouse.
    page.get_by_role("button", name="Flyt Fælles gennemgang tilbage til Planlæg").click()
    page.locator(f"#cards-plan #card-{ready.id}").wait_for()
    assert page.locator("#count-do").inner_text() == "0"
    # Focus stays on the moved card, so the keyboard can move it on.
    page.wait_for_function(
        f"document.activeElement && document.activeElement.closest('#card-{ready.id}')"
    )
    page.keyboard.press("Enter")
    page.locator(f"#cards-do #card-{ready.id}").wait_for()
    assert page.evaluate("window.__noReload") is True
    page.screenshot(path=str(tmp_path / "board.png"), full_page=True)


def test_presentation_mode_refreshes_keeping_filters_and_scroll(
    app, browser_page, live_server, tmp_path
):
    intervention, ready, empty, bo = _setup()
    app.config["BOARD_REFRESH_SECONDS"] = 1
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/tavle")
    page.get_by_label("Ansvarlig").select_option(label="Bo Bach")
    page.wait_for_url(f"**owner={bo.id}**")
    page.locator(f"#card-{ready.id}").wait_for(state="detached")
    page.get_by_role("button", name="Præsentationsvisning").click()
    page.wait_for_url("**visning=praesentation**")
    assert page.locator(".app-header").is_hidden()
    assert page.locator("#board button, #board select").count() == 0  # no editing chrome
    page.evaluate("window.__noReload = true")
    page.evaluate("document.body.style.minHeight = '3000px'; window.scrollTo(0, 200)")
    first = page.locator(".board-refreshed").inner_text()

    # A change made elsewhere shows up at the next refresh; the filter still holds.
    ready.owner_id = bo.id
    db.session.commit()
    page.locator(f"#card-{ready.id}").wait_for(timeout=5000)
    assert page.locator(".board-refreshed").inner_text() != first
    assert page.evaluate("window.__noReload") is True
    assert page.evaluate("window.scrollY") == 200
    assert page.locator(f"#card-{empty.id}").is_visible()
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.screenshot(path=str(tmp_path / "presentation.png"))


def test_presentation_mode_polls_unchanged_board_with_304(app, browser_page, live_server):
    """Nothing changed: the server answers the polls 304 and renders nothing, the browser
    shows its copy and stamps the time it checked. A change then comes through."""
    intervention, ready, empty, bo = _setup()
    app.config["BOARD_REFRESH_SECONDS"] = 1
    statuses = []

    def record(_sender, response, **_extra):
        if request.path.endswith("/tavle") and request.headers.get("HX-Request"):
            statuses.append(response.status_code)

    request_finished.connect(record, app)
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/tavle?visning=praesentation")
    first = page.locator("[data-board-checked]").inner_text()
    for _ in range(50):  # a few polls, at most 5 s
        if statuses.count(304) >= 2:
            break
        page.wait_for_timeout(100)
    assert statuses.count(304) >= 2, statuses
    assert page.locator("[data-board-checked]").inner_text() != first
    assert page.locator(f"#card-{ready.id}").is_visible()

    ready.title = "Fælles gennemgang, ny udgave"
    db.session.commit()
    page.get_by_text("Fælles gennemgang, ny udgave").wait_for(timeout=5000)
    request_finished.disconnect(record, app)


def test_standup_panel_records_without_leaving_the_board(browser_page, live_server):
    intervention, ready, empty, bo = _setup()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/tavle")
    page.evaluate("window.__noReload = true")
    page.get_by_role("button", name="Start dagens tavlemøde").click()
    page.get_by_label("Beslutning").fill("Skemaet tages i brug")
    page.get_by_role("button", name="Tilføj beslutning").click()
    page.locator("#standup-panel li", has_text="Skemaet tages i brug").wait_for()
    page.get_by_label("Hvad").fill("Ring til skolen")
    page.get_by_label("Hvem").select_option(label="Bo Bach")
    page.get_by_role("button", name="Tilføj opgave").click()
    page.locator("#standup-panel", has_text="Ring til skolen").wait_for()
    # The panel is swapped in before htmx binds its new controls (when it settles); a
    # "networkidle" wait returns at once once the page has been idle, so wait for htmx.
    htmx_idle(page)
    page.get_by_label("Status for Ring til skolen").select_option(label="Færdig")
    page.locator("#standup-panel .item-done", has_text="Ring til skolen").wait_for()
    assert page.evaluate("window.__noReload") is True


def test_refused_button_move_keeps_the_card_in_place_and_in_sight(browser_page, live_server):
    intervention, ready, empty, bo = _setup()
    point = empty.development_point
    for n in range(8):
        gen_cycle(point, title=f"Plan {n}", owner=bo)
    db.session.commit()
    page = browser_page  # 1366×768: the Plan column runs below the fold
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/tavle")
    cards = page.locator("#cards-plan .card")
    place = [cards.nth(i).get_attribute("id") for i in range(cards.count())].index(
        f"card-{empty.id}"
    )
    assert place > 0
    page.get_by_role("button", name="Flyt Tom plan til Afprøv").click()
    refusal = page.locator(f"#card-{empty.id} .card-refusal")
    refusal.wait_for()
    assert cards.nth(place).get_attribute("id") == f"card-{empty.id}"
    box = refusal.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 768
