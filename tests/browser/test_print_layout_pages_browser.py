"""What only a browser shows about the description and quality pages on paper and on a
projector: printed, the workflows and the theory of change show their content without a
button or a dropdown, in columns wide enough to read; the quality page keeps a pasted link
in its comment column, on screen and on paper, and its chart fits the paper; at 150 % zoom
on a 1366 × 768 screen the case list fits, the sub-navigation leaves room for the page, and
the board in presentation mode breaks no word mid-way; a long name is cut short in the
breadcrumb instead of breaking it onto three rows."""

from datetime import date

import pytest

from improvement.extensions import db
from tests.browser.steps import A4_PORTRAIT_WIDTH, htmx_idle, login, overflowing, print_at_a4_width
from tests.cases.helpers import gen_case, gen_core_element, gen_phase, gen_rating
from tests.description.factories import gen_description, gen_step
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_cycle, gen_point

pytestmark = pytest.mark.browser

# 1366 × 768 at 150 % zoom, as a projector in a meeting room is often set.
PROJECTOR = {"viewport": {"width": 911, "height": 512}, "device_scale_factor": 1.5}
PASTED_LINK = "https://www.example.dk/" + "a" * 150 + "/" + "documentation-reference-" * 5
LONG_NAME = (
    "Koordinerende familiekonsulent for familier med komplekse behov i hele kommunen "
    "og de samarbejdende tilbud på tværs af forvaltninger og sektorer i regionen"
)[:150]

# Elements a page shows only to act with; none may print.
CONTROLS = "button, [role='button'], select, textarea, .no-print, .row-actions, .item-actions"

VISIBLE = """(selector) => [...document.querySelectorAll(selector)]
    .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
    .map((el) => el.outerHTML.slice(0, 120))"""

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= innerWidth"

# The words of the matched elements that the browser broke over two lines without a
# hyphen (a soft hyphen, U+00AD, marks where a break is meant).
WORDS_BROKEN_MIDWAY = r"""(selector) => {
    const broken = [];
    for (const el of document.querySelectorAll(selector)) {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const range = document.createRange();
        // A letter's own box is the last: a range that starts where a line breaks also
        // holds the hyphen drawn at the end of the line before.
        const top = (i) => { range.setStart(node, i); range.setEnd(node, i + 1);
                             return Math.round([...range.getClientRects()].at(-1).top); };
        for (const word of node.data.matchAll(/\S+/g)) {
          // Two letters of a word on different lines with no soft hyphen between them.
          let before = null;
          for (let i = word.index; i < word.index + word[0].length; i++) {
            if (node.data[i] === "\u00ad") continue;
            if (before !== null && top(i) !== top(before)
                && !node.data.slice(before, i).includes("\u00ad")) {
              broken.push(word[0]);
              break;
            }
            before = i;
          }
        }
      }
    }
    return broken;
}"""


def _team(name="Spædbarnsindsats"):
    org = gen_org("Demo Kommune Nord")
    lise = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    intervention = gen_intervention(org, name=name)
    gen_member(intervention, lise, "leader")
    return intervention, lise


def _projector_page(browser_page, live_server):
    context = browser_page.context.browser.new_context(
        locale="da-DK", timezone_id="Europe/Copenhagen", **PROJECTOR
    )
    page = context.new_page()
    login(page, live_server)
    return page


def test_printed_workflows_show_readable_columns_and_no_buttons(browser_page, live_server):
    intervention, _ = _team()
    described = gen_description(intervention)
    gen_step(
        described["phase"],
        step="Tværfaglig opstartskonference",
        position=1,
        child="Barnets situation belyses ud fra alle tilgængelige observationer.",
        parents="Orienteres om konferencens konklusioner og kan komme med bemærkninger.",
        professionals="Makkerpar, leder og myndighed lægger en plan for intensitet og fokus.",
    )
    db.session.commit()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/arbejdsgange")
    assert page.evaluate(VISIBLE, ".row-actions button") != []  # on screen: the buttons
    print_at_a4_width(page)

    assert page.evaluate(VISIBLE, CONTROLS) == []
    assert overflowing(page, ".workflow-table, .workflow-table th, .workflow-table td") == []
    # Each role's column holds words, not one letter a line.
    for cell in page.locator(".workflow-table tbody td:not(.row-actions)").all():
        assert cell.bounding_box()["width"] > 110, cell.inner_text()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)


def test_printed_theory_of_change_shows_the_chosen_assumption_as_text(browser_page, live_server):
    intervention, _ = _team()
    described = gen_description(intervention)
    db.session.commit()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/forandringsteori")
    page.locator(".toc-links select").first.wait_for()
    print_at_a4_width(page)

    assert page.evaluate(VISIBLE, CONTROLS) == []
    link_row = page.locator(f"#toc-link-{described['link'].id}")
    assert "Tilknytning etableres tidligt" in link_row.inner_text()
    item = page.locator(f"#toc-item-{described['item'].id} .toc-text").filter(visible=True)
    assert item.all_inner_texts() == ["Hjemmebesøg"]
    assert page.evaluate(NO_SIDEWAYS_SCROLL)


def _quality_world():
    intervention, lise = _team()
    start, middle = gen_phase(intervention, "Opstart", 0), gen_phase(intervention, "Forløb", 1)
    close = gen_core_element(intervention, "Tidlig og intensiv tilstedeværelse", 0)
    pair = gen_core_element(intervention, "Tværfagligt makkerpar", 1)
    for n in range(4):
        case = gen_case(intervention, f"IS-2026-00{n}", practitioner_id=lise.id)
        gen_rating(case, start, close, 4, day=date(2026, 2, 1))
        gen_rating(case, middle, pair, 2 + n % 3, day=date(2026, 5, 1))
    pasted = gen_case(intervention, "IS-2026-009", practitioner_id=lise.id)
    gen_rating(pasted, middle, close, 2, day=date(2026, 8, 1), comment=f"Se {PASTED_LINK}")
    db.session.commit()
    return intervention


@pytest.mark.parametrize("width", [1366, 1920])
def test_a_pasted_link_in_a_low_rating_wraps_on_screen(browser_page, live_server, width):
    intervention = _quality_world()
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/kvalitet")
    page.locator("table.low-list").wait_for()

    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    panel = page.locator("section.panel", has=page.locator("table.low-list")).bounding_box()
    table = page.locator("table.low-list").bounding_box()
    assert table["x"] + table["width"] <= panel["x"] + panel["width"] + 0.5


def test_the_quality_page_fits_a_projector_at_150_percent(browser_page, live_server):
    intervention = _quality_world()
    page = _projector_page(browser_page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/kvalitet")
    page.locator("table.low-list").wait_for()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert overflowing(page, "section.panel") == []


def test_printed_quality_page_keeps_every_column_and_the_chart_on_the_paper(
    browser_page, live_server
):
    intervention = _quality_world()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/kvalitet")
    page.locator(".trend-chart canvas").wait_for()
    page.wait_for_function("document.querySelector('.trend-chart canvas').width > 0")
    print_at_a4_width(page)

    headers = page.locator("table.low-list thead th")
    assert headers.count() == 6
    assert overflowing(page, "table.low-list, table.low-list th, table.low-list td") == []
    assert page.get_by_role("columnheader", name="Vurderet", exact=True).is_visible()
    assert overflowing(page, ".trend-chart canvas") == []
    assert page.evaluate(NO_SIDEWAYS_SCROLL)


def test_a_printed_chart_is_drawn_at_the_papers_width_and_fills_its_box(browser_page, live_server):
    intervention = _quality_world()
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/kvalitet")
    page.wait_for_function("document.querySelector('.trend-chart canvas').width > 0")
    # As a real print does: beforeprint while the page is still laid out for the screen.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    size = page.evaluate(
        """() => { const c = document.querySelector('.trend-chart canvas');
                   return [c.clientWidth, c.clientHeight, c.parentElement.clientHeight]; }"""
    )
    assert size[0] <= A4_PORTRAIT_WIDTH and size[1] == size[2]
    # Afterwards the screen gets its own size back.
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.wait_for_function(
        "document.querySelector('.trend-chart canvas').clientWidth > " + str(A4_PORTRAIT_WIDTH)
    )


def test_pages_fit_a_projector_at_150_percent(browser_page, live_server):
    intervention, lise = _team()
    for n in range(12):
        gen_case(
            intervention,
            f"IS-2026-{n:03d}",
            practitioner_id=lise.id,
            start=date(2026, 1, 5 + n),
        )
    db.session.commit()
    page = _projector_page(browser_page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/forloeb")
    page.locator("#case-table").wait_for()

    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    # The sub-navigation is a compact strip: every link is there and the page's title is
    # on the first screen, well above its bottom edge.
    assert page.locator("nav.subnav a").count() == 15
    assert all(link.is_visible() for link in page.locator("nav.subnav a").all())
    assert page.locator("nav.subnav").bounding_box()["height"] < 160
    title = page.locator("main h1").bounding_box()
    assert title["y"] + title["height"] < 512 * 0.7


# Per link of the sub-navigation: its text's left and right edge and its top (the text, not
# the link's box: Pico gives links negative margins, so boxes overlap).
SUBNAV_TEXTS = """() => [...document.querySelectorAll('nav.subnav a')].map((a) => {
  const range = document.createRange();
  range.selectNodeContents(a);
  const r = range.getBoundingClientRect();
  return [r.left, r.right, Math.round(a.getBoundingClientRect().top)];
})"""


def test_the_subnavigations_links_stand_apart_on_a_wall_screen(browser_page, live_server):
    """At 1920 pixels the fifteen links took one row with 4 pixels between two of them:
    "Kvalitet i kerneelementer Resultater" read as one name."""
    intervention, _ = _team()
    db.session.commit()
    page = browser_page
    login(page, live_server)
    for width in (1920, 1366):
        page.set_viewport_size({"width": width, "height": 1000})
        page.goto(f"{live_server}/indsatser/{intervention.id}")
        texts = page.evaluate(SUBNAV_TEXTS)
        gaps = [
            after[0] - before[1]
            for before, after in zip(texts, texts[1:], strict=False)
            if before[2] == after[2]  # on the same row
        ]
        assert min(gaps) >= 12, (width, gaps)
        if width == 1920:
            assert len({top for _, _, top in texts}) == 1  # one row on a wall screen


def test_presented_board_breaks_no_word_midway_at_150_percent(browser_page, live_server):
    intervention, lise = _team()
    point = gen_point(intervention, title="Fælles forståelse med forældrene")
    gen_cycle(point, title="Forældre udfylder målingen selv inden besøget", owner=lise)
    gen_cycle(
        point,
        title="Fælles gennemgang af progressionsmålingen",
        owner=lise,
        phase="do",
        objective="o",
        prediction="p",
    )
    db.session.commit()
    page = _projector_page(browser_page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/tavle?visning=praesentation")
    page.locator(".card").first.wait_for()
    htmx_idle(page)

    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert page.evaluate(WORDS_BROKEN_MIDWAY, ".card-title, .column-head") == []
    # "Færdig (seneste 4 uger)" wraps inside its column instead of being cut.
    column = page.locator(".column-done").bounding_box()
    note = page.locator(".column-done .column-head small").bounding_box()
    assert note["x"] + note["width"] <= column["x"] + column["width"]


def test_a_long_name_is_cut_short_in_the_breadcrumb(browser_page, live_server):
    intervention, _ = _team(name=LONG_NAME)
    db.session.commit()
    page = browser_page
    login(page, live_server)
    for path in ("arbejdsgange", "kvalitet"):
        page.goto(f"{live_server}/indsatser/{intervention.id}/{path}")
        crumbs = page.locator("nav.breadcrumb li")
        tops = {round(crumb.bounding_box()["y"]) for crumb in crumbs.all()}
        assert len(tops) == 1, path  # one row
        link = crumbs.nth(1).locator("a")
        assert link.evaluate("(el) => el.scrollWidth > el.clientWidth")  # cut short
        assert link.evaluate("(el) => getComputedStyle(el).textOverflow") == "ellipsis"
    assert crumbs.nth(1).locator("a").get_attribute("title") == LONG_NAME
