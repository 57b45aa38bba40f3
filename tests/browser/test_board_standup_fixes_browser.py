"""A Monday standup on the board, at a projector's 1366 × 768 and at 1920 × 1080, with a
second user moving cards at the same time.

A card is picked up by its title too (the title link covers half a card at 1920, and
pressing on it did nothing), while a click on the title still opens the test. A move to a
board someone else changed meanwhile brings every column up to date; a column a move
empties says so; the news of a move does not push the board down; a refused move links
the missing fields to the worksheet. The presented board's empty text is as large as the
cards' text, the board has a print button, and the printed action items fill two columns
row by row."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from improvement import clock
from improvement.extensions import db
from tests.browser.steps import htmx_idle, login
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_action_item, gen_cycle, gen_meeting, gen_point

pytestmark = pytest.mark.browser

READY = {"objective": "Mål", "prediction": "Gæt"}


def _world():
    org = gen_org("Demo Kommune Nord")
    lise = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    bo = gen_user(org, role="practitioner", name="Bo Bach")
    intervention = gen_intervention(org, name="Intensiv spædbarnsindsats")
    gen_member(intervention, lise, "leader")
    gen_member(intervention, bo)
    point = gen_point(intervention, title="Fælles forståelse med forældrene")
    calls = gen_cycle(point, title="Opkald før første hjemmebesøg", owner=lise, **READY)
    visits = gen_cycle(point, title="Fælles gennemgang af målingen", owner=bo, **READY)
    leaflet = gen_cycle(point, title="Folder til forældre", owner=bo, **READY)
    done_less = gen_cycle(point, title="Fast dagsorden", owner=lise, phase="do", **READY)
    db.session.commit()
    return SimpleNamespace(
        intervention=intervention,
        lise=lise,
        calls=calls,
        visits=visits,
        leaflet=leaflet,
        done_less=done_less,
    )


def _open_board(page, live_server, intervention, width=1920, height=1080):
    page.set_viewport_size({"width": width, "height": height})
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/tavle")
    page.evaluate("window.__noReload = true")


def _drag(page, source: str, column: str) -> None:
    """A drag with the mouse from `source` to the column. Chromium now and then does not
    start a native drag made soon after page load or the last one (no request follows);
    the drag is made again until a move is sent, as a hand would."""
    for _attempt in range(3):
        try:
            with page.expect_request(lambda r: "/flyt" in r.url, timeout=2000):
                page.locator(source).drag_to(page.locator(column))
            return
        except PlaywrightTimeoutError:
            continue
    raise AssertionError(f"{source} could not be dragged")


def _cards_agree_with_counts(page) -> dict:
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.board .cards')].map((list) =>
              [list.dataset.phase, [list.querySelectorAll('.card').length,
               Number(document.getElementById('count-' + list.dataset.phase).textContent)]]))"""
    )


def test_a_card_is_dragged_by_its_title_and_its_title_still_opens_it(browser_page, live_server):
    w = _world()
    page = browser_page
    _open_board(page, live_server, w.intervention)

    _drag(page, f"#card-{w.calls.id} .card-title a", "#cards-do")
    page.locator(f"#cards-do #card-{w.calls.id}").wait_for()
    page.get_by_text("“Opkald før første hjemmebesøg” er flyttet til Afprøv.").wait_for()
    assert page.evaluate("window.__noReload") is True
    db.session.refresh(w.calls)
    assert w.calls.phase == "do"

    # A click (pressed and let go without moving) on a title opens the test.
    page.locator(f"#card-{w.visits.id} .card-title a").click()
    page.wait_for_url(f"**/proevehandlinger/{w.visits.id}")


def test_a_card_is_dragged_by_touch_after_a_short_press_on_its_title(browser_page, live_server):
    """On a touch screen a card is picked up after a short press (a swipe over the cards
    is left to the browser, to scroll), from its title too."""
    w = _world()
    context = browser_page.context.browser.new_context(
        viewport={"width": 1366, "height": 768}, has_touch=True, locale="da-DK"
    )
    page = context.new_page()
    _open_board(page, live_server, w.intervention, 1366, 768)
    start = page.locator(f"#card-{w.calls.id} .card-title a").bounding_box()
    end = page.locator("#cards-do").bounding_box()
    x0, y0 = start["x"] + 20, start["y"] + 8
    x1, y1 = end["x"] + end["width"] / 2, end["y"] + 40
    touch = context.new_cdp_session(page)

    def finger(kind, x=0, y=0):
        points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
        touch.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    with page.expect_request(lambda r: "/flyt" in r.url):
        finger("touchStart", x0, y0)
        page.wait_for_timeout(300)  # held longer than the 200 ms that pick up a card
        for step in range(1, 21):
            finger("touchMove", x0 + (x1 - x0) * step / 20, y0 + (y1 - y0) * step / 20)
            page.wait_for_timeout(20)
        finger("touchEnd")
    page.locator(f"#cards-do #card-{w.calls.id}").wait_for()
    context.close()


def test_a_drop_on_a_board_changed_meanwhile_brings_every_column_up_to_date(
    browser_page, live_server
):
    w = _world()
    page = browser_page
    _open_board(page, live_server, w.intervention, 1366, 768)
    # Meanwhile another user moves two of the three planned tests on, and one back.
    w.calls.phase = w.visits.phase = "do"
    w.done_less.phase = "plan"
    db.session.commit()

    # This page still shows "Opkald" in Plan and drags it to Do: a conflict.
    _drag(page, f"#card-{w.calls.id} .card-point", "#cards-do")
    page.locator(f"#card-{w.calls.id} .card-refusal").wait_for()
    htmx_idle(page)
    assert "En anden har lige flyttet" in page.locator(f"#card-{w.calls.id}").inner_text()
    # Every column shows the cards its count counts, where they really are.
    assert _cards_agree_with_counts(page) == {
        "plan": [2, 2],
        "do": [2, 2],
        "study": [0, 0],
        "act": [0, 0],
        "done": [0, 0],
    }
    assert page.locator(f"#cards-plan #card-{w.done_less.id}").count() == 1
    assert page.locator(f"#cards-do #card-{w.visits.id}").count() == 1
    assert page.locator(".card").count() == 4

    # The board is whole again: the next move is no conflict.
    page.get_by_role("button", name=f"Flyt {w.leaflet.title} til Afprøv").click()
    page.get_by_text(f"“{w.leaflet.title}” er flyttet til Afprøv.").wait_for()
    assert _cards_agree_with_counts(page)["do"] == [3, 3]
    assert page.evaluate("window.__noReload") is True


def test_a_column_a_move_empties_says_it_is_empty(browser_page, live_server):
    w = _world()
    page = browser_page
    _open_board(page, live_server, w.intervention, 1366, 768)
    empty_text = page.locator(".column-do .column-empty")
    assert empty_text.is_hidden()

    page.get_by_role("button", name="Flyt Fast dagsorden tilbage til Planlæg").click()
    page.locator(f"#cards-plan #card-{w.done_less.id}").wait_for()
    assert empty_text.is_visible()
    assert empty_text.inner_text() == "Ingen prøvehandlinger her."
    assert page.locator(".column-plan .column-empty").is_hidden()


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_news_of_a_move_does_not_push_the_board_down(browser_page, live_server, size):
    w = _world()
    page = browser_page
    _open_board(page, live_server, w.intervention, *size)
    top = page.locator(".board").bounding_box()["y"]

    page.get_by_role("button", name=f"Flyt {w.calls.title} til Afprøv").click()
    news = page.locator("#messages").get_by_text(f"“{w.calls.title}” er flyttet til Afprøv.")
    news.wait_for()
    htmx_idle(page)
    assert page.locator(".board").bounding_box()["y"] == top
    # Said where it can be read, inside the window, by the polite live region.
    box = news.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= size[1]
    assert page.locator("#messages").get_attribute("aria-live") == "polite"


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_news_of_a_move_leaves_the_column_heads_in_view(browser_page, live_server, size):
    """Scrolled down to the column heads, as a standup reads a long board, the news of a
    move floated over them for the eight seconds it showed."""
    w = _world()
    for n in range(12):  # a board longer than the window
        gen_cycle(w.calls.development_point, title=f"Prøvehandling {n}", phase="study", **READY)
    db.session.commit()
    page = browser_page
    _open_board(page, live_server, w.intervention, *size)
    page.evaluate(
        "window.scrollTo(0, document.querySelector('.column-head').getBoundingClientRect().top"
        " + window.scrollY - 8)"
    )
    heads = page.locator(".board .column-head")
    assert 0 <= heads.first.bounding_box()["y"] <= 10  # scrolled: the heads at the top

    page.get_by_role("button", name=f"Flyt {w.calls.title} til Afprøv").click()
    news = page.locator("#messages").get_by_text(f"“{w.calls.title}” er flyttet til Afprøv.")
    news.wait_for()
    htmx_idle(page)
    box = news.bounding_box()
    for head in heads.all():
        other = head.bounding_box()
        apart = (
            box["y"] >= other["y"] + other["height"]
            or other["y"] >= box["y"] + box["height"]
            or box["x"] >= other["x"] + other["width"]
            or other["x"] >= box["x"] + box["width"]
        )
        assert apart, head.inner_text()
    # Still inside the window, read out by the polite live region.
    assert box["y"] >= 0 and box["y"] + box["height"] <= size[1]
    assert page.locator("#messages").get_attribute("aria-live") == "polite"


def test_a_refused_drop_links_the_missing_field_to_the_worksheet(browser_page, live_server):
    w = _world()
    page = browser_page
    _open_board(page, live_server, w.intervention, 1366, 768)

    _drag(page, f"#card-{w.done_less.id} .card-point", "#cards-study")
    refusal = page.locator(f"#cards-do #card-{w.done_less.id} .card-refusal")
    refusal.wait_for()
    refusal.get_by_role("link", name="Hvad blev faktisk gjort").click()
    page.wait_for_url(f"**/proevehandlinger/{w.done_less.id}/rediger#do_description")
    field = page.locator("#do_description")
    assert field.evaluate("(el) => el.tagName") == "TEXTAREA"
    # The field and its label in view.
    label = page.locator("label[for=do_description]").bounding_box()
    assert label["y"] >= 0 and field.bounding_box()["y"] < 768


def test_the_presented_boards_empty_text_is_as_large_as_the_cards_text(browser_page, live_server):
    w = _world()
    page = browser_page
    page.set_viewport_size({"width": 1920, "height": 1080})
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{w.intervention.id}/tavle?visning=praesentation")

    def size(selector):
        return page.locator(selector).first.evaluate(
            "(el) => parseFloat(getComputedStyle(el).fontSize)"
        )

    assert page.locator(".column-study .column-empty").is_visible()
    assert size(".column-study .column-empty") >= size(".card-meta")


def test_the_board_prints_from_its_print_button(browser_page, live_server):
    w = _world()
    page = browser_page
    _open_board(page, live_server, w.intervention, 1366, 768)
    page.evaluate(
        "() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }"
    )
    button = page.get_by_role("button", name="Udskriv")
    # Beside the board's other page action, the presentation view.
    presentation = page.get_by_role("button", name="Præsentationsvisning").bounding_box()
    assert abs(button.bounding_box()["y"] - presentation["y"]) < 2
    button.click()
    assert page.evaluate("window.__printed") == 1  # one print dialog, not two
    page.emulate_media(media="print")
    assert button.is_hidden()


def test_the_printed_action_items_fill_two_columns_row_by_row(browser_page, live_server):
    w = _world()
    meeting = gen_meeting(w.intervention, held_on=clock.today() - timedelta(days=7))
    for n, what in enumerate(
        [
            "Udkast til fast dagsorden for tværfaglige konferencer",
            "Aftale med én familie om at afprøve egen udfyldelse af målingen",
            "Opdatér skemaet til fem behandlere",
            "Book lokale til fælles gennemgang",
        ]
    ):
        due = clock.today() + timedelta(days=n - 1)  # the first one is overdue
        gen_action_item(meeting, what=what, owner=w.lise, due_date=due)
    db.session.commit()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{w.intervention.id}/tavle")
    # A4 landscape's printable width (297 mm less 2 × 12 mm margins, at 96 px per inch).
    page.set_viewport_size({"width": 1032, "height": 700})
    page.emulate_media(media="print")

    items = page.locator(".standup-panel .panel-items li")
    assert items.count() == 4
    tops = [round(items.nth(n).bounding_box()["y"]) for n in range(4)]
    assert tops[0] == tops[1] < tops[2] == tops[3]
    # "! Over frist" reads as words in the item's line, not as a box that wraps apart.
    marker = items.first.locator(".marker-overdue")
    assert marker.evaluate("(el) => getComputedStyle(el).display") == "inline"
    assert marker.evaluate("(el) => getComputedStyle(el).borderTopStyle") == "none"
