"""What only a browser shows about the improvement pages' layout: printed on paper (print
media emulated at an A4 page's width) nothing is cut off and no control prints; on screen
a long action item leaves its status readable, and a title that is one long word wraps
instead of widening the page."""

from datetime import UTC, datetime, timedelta

import pytest

from improvement import clock
from improvement.extensions import db
from tests.browser.steps import A4_PORTRAIT_WIDTH, login, overflowing, print_at_a4_width
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_action_item, gen_cycle, gen_meeting, gen_point

pytestmark = pytest.mark.browser

LONG_WORD_TITLE = (
    "Fast ugentlig opstartstid – "
    "Forældresamarbejdsudviklingsprojektkoordineringsmødeforberedelsesskemaet"
)
LONG_ITEM = (
    "Lise og Morten aftaler med myndighedsafdelingen, at visitationer sendes senest fredag "
    "kl. 12, så sundhedsplejersken kan planlægge første besøg tirsdag; aftalen skrives ind "
    "i arbejdsgangen for opstart og gennemgås igen ved næste kvalitetsmøde."
)

# Elements a page shows only to act with; none may print.
CONTROLS = "button, [role='button'], select, .no-print, .card-moves, .board-filters"

VISIBLE_CONTROLS = """(selector) => [...document.querySelectorAll(selector)]
    .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
    .map((el) => el.outerHTML.slice(0, 120))"""


def _world():
    org = gen_org("Demo Kommune Nord")
    lise = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    bo = gen_user(org, role="practitioner", name="Bo Bach")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, lise, "leader")
    gen_member(intervention, bo)
    point = gen_point(intervention, title="Fælles forståelse med forældrene")
    long_title = gen_cycle(point, title=LONG_WORD_TITLE, owner=lise, objective="Mål")
    for n in range(9):  # a full Plan column beside empty ones
        gen_cycle(point, title=f"Forældre udfylder målingen selv, runde {n}", owner=bo)
    gen_cycle(
        point, title="Fælles gennemgang", owner=lise, phase="do", objective="o", prediction="p"
    )
    gen_cycle(
        point,
        title="Afsluttet gennemgang",
        owner=bo,
        phase="done",
        objective="o",
        prediction="p",
        closed_at=datetime.now(UTC),
    )
    earlier = gen_meeting(intervention, held_on=clock.today() - timedelta(days=14))
    meeting = gen_meeting(intervention, held_on=clock.today(), kind="standup")
    gen_action_item(earlier, what="Udkast til fast dagsorden", owner=bo, status="done")
    gen_action_item(earlier, what="Ring til jordemoderen", owner=lise)
    gen_action_item(meeting, what=LONG_ITEM, owner=lise, due_date=clock.today())
    gen_action_item(meeting, what="Kort opgave", owner=bo)
    db.session.commit()
    return intervention, point, long_title, meeting


def test_printed_board_fits_the_paper_without_controls(browser_page, live_server, tmp_path):
    intervention, *_ = _world()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/tavle")
    page.locator("#standup-panel").wait_for()
    print_at_a4_width(page)

    assert page.locator(".column").count() == 5
    assert overflowing(page, ".column, .card, .column-head") == []
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_PORTRAIT_WIDTH
    assert page.evaluate(VISIBLE_CONTROLS, CONTROLS) == []
    # The standup's open action items print as a list below the columns, without controls.
    assert page.locator("#standup-panel").get_by_text("Kort opgave", exact=True).is_visible()
    assert page.locator("#standup-panel form").first.is_hidden()
    # Each column is as tall as its own cards: an empty one does not run on down the paper.
    full = page.locator(".column-plan").bounding_box()["height"]
    empty = page.locator(".column-study").bounding_box()["height"]
    assert empty < full / 4, (empty, full)
    page.pdf(path=str(tmp_path / "board.pdf"), format="A4")


def test_printed_overview_shows_every_column(browser_page, live_server):
    intervention, *_ = _world()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/udvikling")
    page.locator(".point-table").wait_for()
    print_at_a4_width(page)

    headers = page.locator(".point-table thead th")
    assert headers.count() == 6
    assert overflowing(page, ".point-table, .point-table th, .point-table td") == []
    for name in ("Mål", "Prøvehandlinger", "Åbne prøvehandlinger"):
        assert page.get_by_role("columnheader", name=name, exact=True).is_visible()


def test_printed_meeting_shows_each_status_as_text(browser_page, live_server):
    intervention, _, _, meeting = _world()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/moeder/{meeting.id}")
    assert page.locator(".items-table .print-only").first.is_hidden()  # on screen: the select
    print_at_a4_width(page)

    assert page.evaluate(VISIBLE_CONTROLS, CONTROLS) == []
    statuses = page.locator(".items-table .col-status .print-only").all_inner_texts()
    assert statuses == ["Åben", "Åben", "Åben"], statuses
    assert page.locator(".items-table .print-only").first.is_visible()
    assert overflowing(page, ".items-table, .items-table td") == []


def test_printed_point_and_test_pages_have_no_buttons(browser_page, live_server):
    intervention, point, long_title, _ = _world()
    page = browser_page
    login(page, live_server)
    for url in (
        f"/indsatser/{intervention.id}/udvikling/{point.id}",
        f"/indsatser/{intervention.id}/proevehandlinger/{long_title.id}",
    ):
        page.emulate_media(media="screen")
        page.goto(live_server + url)
        page.locator("main h1").wait_for()
        assert page.evaluate(VISIBLE_CONTROLS, CONTROLS) != []  # there is something to hide
        print_at_a4_width(page)
        assert page.evaluate(VISIBLE_CONTROLS, CONTROLS) == [], url
        assert (
            page.get_by_text("Vis på tavlen").count() == 0
            or page.get_by_text("Vis på tavlen").is_hidden()
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= A4_PORTRAIT_WIDTH, url
        page.set_viewport_size({"width": 1366, "height": 768})


@pytest.mark.parametrize("width", [1366, 1920])
def test_status_stays_readable_beside_a_long_action_item(browser_page, live_server, width):
    intervention, _, _, meeting = _world()
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/moeder/{meeting.id}")
    row = page.locator("#items tr", has_text=LONG_ITEM)
    select = row.locator("select")
    select.wait_for()
    # Wide enough for the longest label ("Droppet") with the arrow beside it.
    assert select.bounding_box()["width"] >= 120
    assert select.evaluate("(el) => el.scrollWidth <= el.clientWidth")
    assert row.locator(".col-who").bounding_box()["width"] >= 110
    # The long text wraps instead.
    assert row.locator(".col-what").bounding_box()["height"] > 40
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


@pytest.mark.parametrize("width", [1366, 1920])
def test_a_title_that_is_one_long_word_wraps(browser_page, live_server, width):
    intervention, _, long_title, _ = _world()
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server)
    base = f"{live_server}/indsatser/{intervention.id}/proevehandlinger/{long_title.id}"
    for url, button in ((base, "Redigér skema"), (f"{base}/rediger", "Gem skema")):
        page.goto(url)
        page.locator("main h1").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), url
        panel = page.locator("main article.panel").bounding_box()
        for box in (
            page.locator("main h1").bounding_box(),
            page.get_by_role("button", name=button).bounding_box(),
        ):
            assert (
                box["x"] >= panel["x"] and box["x"] + box["width"] <= panel["x"] + panel["width"]
            ), url
