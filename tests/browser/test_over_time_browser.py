"""Tables with a column per round or quarter, as a projector shows them: the self-assessment's
change over time and the quality page's trend per quarter open scrolled to the newest
column, the first column (the names) stays in view over the numbers scrolled under it, a
user's own scrolling survives an htmx swap on the page, and on paper the columns come in
parts that fit the page, each with the names."""

from datetime import date

import pytest

from improvement.extensions import db
from tests.assessments.helpers import answer_all, gen_respondent, gen_round, shared_instrument
from tests.browser.steps import htmx_idle, login, overflowing, print_at_a4_width
from tests.cases.helpers import gen_case, gen_core_element, gen_phase, gen_rating
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

pytestmark = pytest.mark.browser

# Tall enough that the whole table is on the screen (elementFromPoint looks at the viewport).
SCREENS = [{"width": 1366, "height": 1600}, {"width": 1920, "height": 1600}]

# Where the box is scrolled to, how far it can scroll, and for the first column's cells:
# their left edge against the box's, whether each is what shows at its own middle (nothing
# scrolled under it lies on top) and whether its background hides what passes under it.
LAYOUT = """(box) => {
    const edge = box.getBoundingClientRect().left;
    const cells = [...box.querySelectorAll('tr > :first-child')].map((cell) => {
        const r = cell.getBoundingClientRect();
        const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        const paint = getComputedStyle(cell).backgroundColor;
        const opaque = paint.startsWith('rgb(') || /, 1\\)$/.test(paint);
        return {left: Math.round(r.left - edge), shows: cell.contains(top) && opaque};
    });
    return {left: box.scrollLeft, end: box.scrollWidth - box.clientWidth, cells};
}"""

# The part of a column's heading that the box shows right of the first column, in pixels.
SHOWN = """(box, name) => {
    const b = box.getBoundingClientRect();
    const names = box.querySelector('thead th').getBoundingClientRect().right;
    const th = [...box.querySelectorAll('thead th')].find((h) => h.textContent.trim() === name);
    const r = th.getBoundingClientRect();
    return Math.max(0, Math.min(r.right, b.right) - Math.max(r.left, names));
}"""


def _team():
    org = gen_org("Demo Kommune Nord")
    leader = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    p1 = gen_user(org, role="practitioner", name="Bo Behandler")
    p2 = gen_user(org, role="practitioner", name="Sara Sundhed")
    intervention = gen_intervention(org, name="Familiehuset")
    for user, role in ((leader, "leader"), (p1, "practitioner"), (p2, "practitioner")):
        gen_member(intervention, user, role)
    return intervention, (leader, p1, p2)


def _rounds(count):
    intervention, team = _team()
    instrument = shared_instrument()
    for n in range(1, count + 1):
        round_ = gen_round(intervention, instrument, name=f"Runde {n}", status="closed")
        roles = ("leader", "practitioner", "practitioner")
        for user, role, value in zip(team, roles, ("some", "high", "little"), strict=True):
            answer_all(gen_respondent(round_, user, role), instrument, {1: value, 2: value})
    db.session.commit()
    return intervention


def _assert_names_in_view(layout):
    assert layout["cells"], "no first column"
    assert all(cell["left"] == 0 for cell in layout["cells"]), layout["cells"]
    assert all(cell["shows"] for cell in layout["cells"]), layout["cells"]


@pytest.mark.parametrize("screen", SCREENS, ids=["1366", "1920"])
def test_rounds_over_time_open_at_the_newest_with_the_elements_in_view(
    browser_page, live_server, screen
):
    intervention = _rounds(31)
    page = browser_page
    page.set_viewport_size(screen)
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/selvevaluering")
    box = page.locator("#over-time-scroll")
    box.scroll_into_view_if_needed()

    # Opened at the newest round: scrolled fully right, "Runde 31" whole in view.
    layout = box.evaluate(LAYOUT)
    assert layout["end"] > 500, "31 rounds should not fit the screen"
    assert layout["left"] == layout["end"]
    header = page.locator("#over-time-scroll thead th", has_text="Runde 31")
    assert box.evaluate(SHOWN, "Runde 31") >= header.bounding_box()["width"] - 1
    assert box.evaluate(SHOWN, "Runde 1") == 0
    _assert_names_in_view(layout)

    # Scrolled part of the way back, the elements' names still head every row.
    box.evaluate("(box) => { box.scrollLeft = 300; }")
    layout = box.evaluate(LAYOUT)
    assert layout["left"] == 300
    _assert_names_in_view(layout)

    # An htmx swap elsewhere on the page (a new round refused for want of a name) leaves
    # the table where the user scrolled it.
    page.get_by_role("button", name="Åbn en ny runde").click()
    page.locator("#new-round button[type=submit]").click()
    page.locator("#new-round [aria-invalid='true']").wait_for()
    htmx_idle(page)
    assert box.evaluate("(box) => box.scrollLeft") == 300

    # The line chart draws the eight newest rounds and says so under it.
    page.wait_for_function("() => window.Chart && Object.keys(window.Chart.instances).length")
    labels = page.evaluate("() => Object.values(window.Chart.instances)[0].data.labels")
    assert labels == [f"Runde {n}" for n in range(24, 32)]
    assert page.get_by_text("Viser de 8 seneste runder af 31; alle står i tabellen.").is_visible()


def test_rounds_over_time_print_in_parts_each_with_the_elements(browser_page, live_server):
    intervention = _rounds(31)
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/selvevaluering")
    page.locator("#over-time-scroll").wait_for()
    print_at_a4_width(page)

    assert not page.locator("#over-time-scroll").is_visible()
    parts = page.locator(".print-parts table.over-time-table")
    assert parts.count() == 4  # 31 rounds: 8, 8, 8 and 7
    heads = parts.evaluate_all(
        "(tables) => tables.map((t) => [...t.querySelectorAll('thead th')]"
        ".map((h) => h.textContent.trim()))"
    )
    assert [len(h) - 1 for h in heads] == [8, 8, 8, 7]
    assert all(h[0] == "Element" for h in heads)
    assert sum((h[1:] for h in heads), []) == [f"Runde {n}" for n in range(1, 32)]
    assert overflowing(page, ".print-parts table, .print-parts th, .print-parts td") == []


def test_trend_per_quarter_opens_at_the_latest_quarter(browser_page, live_server):
    intervention, (leader, *_) = _team()
    phase = gen_phase(intervention, "Opstart", 0)
    elements = [
        gen_core_element(intervention, "Familiebehandlingskoordineringsmødeforberedelse", 0),
        gen_core_element(intervention, "Tværfagligt makkerpar", 1),
    ]
    # A case a quarter from 2022 K1 to 2026 K2: eighteen quarters.
    for n in range(18):
        day = date(2022 + n // 4, 3 * (n % 4) + 1, 15)
        case = gen_case(intervention, f"IS-{n:03d}", practitioner_id=leader.id)
        for element in elements:
            gen_rating(case, phase, element, 1 + n % 5, day=day)
    db.session.commit()
    page = browser_page
    page.set_viewport_size(SCREENS[0])
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/kvalitet")
    box = page.locator("#trend-scroll")
    box.scroll_into_view_if_needed()

    layout = box.evaluate(LAYOUT)
    assert layout["end"] > 0 and layout["left"] == layout["end"]
    latest = page.locator("#trend-scroll thead th", has_text="2026 K2")
    assert box.evaluate(SHOWN, "2026 K2") >= latest.bounding_box()["width"] - 1
    _assert_names_in_view(layout)
    # The long name breaks at its syllables instead of widening the column.
    assert page.locator("#trend-scroll tbody th").first.bounding_box()["width"] <= 17 * 16 + 1

    box.evaluate("(box) => { box.scrollLeft = 200; }")
    _assert_names_in_view(box.evaluate(LAYOUT))
