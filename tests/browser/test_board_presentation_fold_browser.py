"""The presented board on a projector of 1366 × 768: at a board standup the room sees the
cards of every column and the standup's open action items on one screen, without anyone
scrolling the page. A column with more cards than the screen has room for scrolls inside
itself, and the page stays put."""

from datetime import UTC, datetime, timedelta

import pytest

from improvement import clock
from improvement.extensions import db
from tests.browser.steps import login
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_action_item, gen_cycle, gen_meeting, gen_point

pytestmark = pytest.mark.browser

# Every field a test needs to stand in any column, done included.
FILLED = dict(
    objective="o",
    prediction="p",
    do_description="d",
    study_result="s",
    learning="l",
    act_decision="adopt",
    next_step="n",
)

# A team's board in the middle of a quarter: (phase, titles), with a crowded Do column.
CARDS = {
    "plan": ["Forældre ser barnets trivselsskema før mødet", "Referent på skift ved konferencen"],
    "do": [
        "Fælles mål skrevet med forældrenes egne ord",
        "Tidsstyret dagsorden med 10 minutter pr. sag",
        "Videoopkald med far, der arbejder på skift",
        "Visitationsmøde i uge 30 af graviditeten",
        "Sundhedsplejersken ringer før første hjemmebesøg",
        "Opfølgningspunkter sendt samme dag",
    ],
    "study": ["Jordemoderen henviser direkte til familiebehandler"],
    "act": ["Forældre vælger selv rækkefølgen af emner"],
    "done": ["Stående konference hver anden torsdag"],
}
ITEMS = [
    "Udkast til fast dagsorden for tværfaglige konferencer",
    "Book lokale til de næste fire konferencer",
    "Spørg tre familier om de vil afprøve skemaet",
    "Skriv kort vejledning til referenten",
    "Aftal med jordemødrene hvordan de henviser",
    "Saml målingerne fra uge 48 og 49",
]


def _world():
    org = gen_org("Demo Kommune Nord")
    lise = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    bo = gen_user(org, role="practitioner", name="Birgitte Bach")
    intervention = gen_intervention(org, name="Intensiv spædbarnsindsats")
    gen_member(intervention, lise, "leader")
    gen_member(intervention, bo)
    point = gen_point(intervention, title="Fælles forståelse med forældrene af barnets behov")
    today = clock.today()
    for phase, titles in CARDS.items():
        for n, title in enumerate(titles):
            gen_cycle(
                point,
                title=title,
                owner=(lise, bo)[n % 2],
                phase=phase,
                due_date=today + timedelta(days=n + 2),
                closed_at=datetime.now(UTC) if phase == "done" else None,
                **FILLED,
            )
    standup = gen_meeting(intervention, held_on=today, kind="standup")
    standup.decisions = (
        "Vi fortsætter med den tidsstyrede dagsorden\nBirgitte ringer til jordemødrene"
    )
    earlier = gen_meeting(intervention, held_on=today - timedelta(days=7), kind="standup")
    for n, what in enumerate(ITEMS):
        gen_action_item(
            earlier, what=what, owner=(lise, bo)[n % 2], due_date=today + timedelta(days=n)
        )
    db.session.commit()
    return intervention


def _in_view(page, locator) -> bool:
    """Whether the element is wholly inside the window as it opened, unscrolled, and not
    cut off by a box around it that scrolls (a column, the list of items)."""
    return locator.evaluate(
        """(el) => {
            const r = el.getBoundingClientRect();
            if (r.height === 0 || r.top < 0 || r.left < 0
                || r.bottom > window.innerHeight || r.right > window.innerWidth) {
                return false;
            }
            for (let box = el.parentElement; box; box = box.parentElement) {
                const style = getComputedStyle(box);
                if (style.overflowY === 'visible' && style.overflowX === 'visible') continue;
                const b = box.getBoundingClientRect();
                if (r.top < b.top - 0.5 || r.bottom > b.bottom + 0.5) return false;
            }
            return true;
        }"""
    )


def _open_presented_board(browser_page, live_server, width, height):
    intervention = _world()
    page = browser_page
    page.set_viewport_size({"width": width, "height": height})
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/tavle?visning=praesentation")
    page.locator(".board-refreshed").wait_for()
    return page


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_presented_board_shows_every_column_and_the_open_items_without_scrolling(
    browser_page, live_server, size
):
    page = _open_presented_board(browser_page, live_server, *size)
    assert page.evaluate("window.scrollY") == 0
    for phase, titles in CARDS.items():
        shown = page.locator(f".column-{phase} .card-title")
        assert sorted(t.replace("\xad", "") for t in shown.all_inner_texts()) == sorted(titles)
        # The titles of a column's first two tests, which the room reads from afar.
        for n in range(min(2, len(titles))):
            assert _in_view(page, shown.nth(n)), f"card {n + 1} of {phase} is out of sight"
    items = page.locator(".standup-summary .panel-items li")
    assert items.first.inner_text().startswith(ITEMS[0])
    assert _in_view(page, items.first), "the standup's first open item is below the fold"
    assert _in_view(page, page.locator(".standup-summary h2"))
    # The page itself does not scroll: what does not fit scrolls in its column or list.
    assert page.evaluate("document.documentElement.scrollHeight <= window.innerHeight")


def test_a_long_column_scrolls_inside_itself_and_the_standup_stays(browser_page, live_server):
    page = _open_presented_board(browser_page, live_server, 1366, 768)
    last = page.locator(".column-do .card-title").last
    assert not _in_view(page, last)  # six tests in Do: more than the column shows
    last.scroll_into_view_if_needed()
    assert _in_view(page, last)
    assert page.evaluate("window.scrollY") == 0
    assert _in_view(page, page.locator(".standup-summary .panel-items li").first)
    assert _in_view(page, page.locator(".column-plan .card-title").first)


def test_a_scrolled_column_keeps_its_place_when_the_board_refreshes(browser_page, live_server):
    """The wall screen redraws the board every 45 s: a column someone scrolled down stays
    where they left it instead of jumping back to its top."""
    page = _open_presented_board(browser_page, live_server, 1366, 768)
    column = page.locator("#cards-do")
    column.evaluate("box => { box.scrollTop = 120; }")
    kept = column.evaluate("box => box.scrollTop")
    assert kept > 0
    # The poll's request and swap, made now instead of in 45 s; the old board is marked so
    # the new one can be told from it.
    page.evaluate(
        """() => {
          const board = document.getElementById("board");
          board.dataset.old = "1";
          htmx.ajax("GET", board.getAttribute("hx-get"), {target: "#board", swap: "outerHTML"});
        }"""
    )
    page.wait_for_function("() => !document.getElementById('board').dataset.old")
    assert column.evaluate("box => box.scrollTop") == kept
