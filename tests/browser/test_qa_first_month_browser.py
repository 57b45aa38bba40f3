"""After a month's QA of a new intervention, as laid out in Chromium: the theory's overall
aim stands apart from the intervention's facts; its links table shows each end's text on
one line on screen and whole on paper; a round's "Svagest" badge keeps to its element's
line at 1366 and 1920 pixels, also for the long names of elements 10 and 11; and the
description prints with the document's own title at its head, not the page's heading."""

import pytest

from improvement.extensions import db
from improvement.models import ChangeTheoryLink
from tests.browser.steps import login, print_at_a4_width
from tests.browser.test_result_print_width import ANSWERS, baseline_round
from tests.description.factories import gen_item
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

pytestmark = pytest.mark.browser

LONG = (
    "Intensive hjemmebesøg af et tværfagligt makkerpar (familiebehandler og "
    "sundhedsplejerske) – i perioder flere besøg dagligt, og altid efter aftale med familien"
)


def _theory():
    org = gen_org("Demo Kommune Nord")
    leader = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    intervention = gen_intervention(
        org,
        name="Spædbarnsindsats",
        target_group="Sårbare gravide og familier med spædbørn",
        purpose="At styrke forældrenes omsorgskompetencer og samspillet mellem forældre og barn",
    )
    gen_member(intervention, leader, "leader")
    activity = gen_item(intervention, "activity", LONG)
    result = gen_item(intervention, "short_term", "Forældrene aflæser barnets signaler")
    db.session.add(
        ChangeTheoryLink(
            organization_id=org.id,
            intervention_id=intervention.id,
            source_id=activity.id,
            target_id=result.id,
        )
    )
    db.session.commit()
    return intervention


def test_the_overall_aim_stands_apart_and_links_show_their_texts(browser_page, live_server):
    intervention = _theory()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/forandringsteori")
    # The intervention's facts and the theory's aim no longer touch.
    gap = page.evaluate(
        """() => document.querySelector('#toc-aim').getBoundingClientRect().top
                 - document.querySelector('.toc-facts').getBoundingClientRect().bottom"""
    )
    assert gap >= 24

    ends = page.locator(".toc-link-ends .toc-end")
    assert ends.count() == 2
    line = float(ends.first.evaluate("(el) => parseFloat(getComputedStyle(el).lineHeight)"))
    cut = "(el) => [el.getBoundingClientRect().height, el.scrollHeight > el.clientHeight + 1]"
    # On screen each end keeps to one line, the long one cut short.
    for width in (1366, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        height, overflows = ends.first.evaluate(cut)
        assert height <= line + 1 and overflows
        assert ends.nth(1).evaluate(cut)[0] <= line + 1
    # On paper the whole text, over as many lines as it takes.
    print_at_a4_width(page)
    height, overflows = ends.first.evaluate(cut)
    assert height > line * 1.5 and not overflows


def _round_with_weak_10_and_11():
    # The demo's baseline, whose weakest are 6 and 10 (and 2), with element 11 lowest.
    return baseline_round({key: [*codes[:10], "nnnn"] for key, codes in ANSWERS.items()})


# Per element row of the result table: its number, its height, whether it has the badge,
# and how far the badge's top lies below the top of the element's name.
ROWS = """() => [...document.querySelectorAll('.result-table tbody tr:not(.track-row)')]
  .map((tr) => {
    const name = tr.querySelector('th a').getBoundingClientRect();
    const badge = tr.querySelector('.badge-weak');
    return [parseInt(tr.querySelector('th a').textContent), tr.getBoundingClientRect().height,
            !!badge, badge ? badge.getBoundingClientRect().top - name.top : null];
  })"""


def test_the_weakest_badge_keeps_to_its_elements_line(browser_page, live_server):
    intervention, round_ = _round_with_weak_10_and_11()
    page = browser_page
    login(page, live_server)
    for width in (1366, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server}/indsatser/{intervention.id}/selvevaluering/{round_.id}")
        rows = page.evaluate(ROWS)
        weak = [number for number, _, has_badge, _ in rows if has_badge]
        assert weak == [6, 10, 11]
        line = page.locator(".result-table th a").first.evaluate(
            "(el) => parseFloat(getComputedStyle(el).lineHeight)"
        )
        # A badge on its name's first line, not on a line of its own under it.
        assert [(n, below < line / 2) for n, _, has_badge, below in rows if has_badge] == [
            (6, True),
            (10, True),
            (11, True),
        ], width
        # And every row as tall as a one-line row (1. Teori og viden: short, no badge).
        plain = rows[0][1]
        assert [n for n, height, _, _ in rows if height > plain + 1] == [], width


def test_the_description_prints_under_the_documents_own_title(browser_page, live_server):
    intervention = _theory()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/indsatsbeskrivelse")
    page.get_by_role("heading", name="Indsatsbeskrivelse", level=1).wait_for()
    title = page.locator(".doc-title")
    size_on_screen = title.evaluate("(el) => getComputedStyle(el).fontSize")
    h1_size = page.locator("h1").evaluate("(el) => getComputedStyle(el).fontSize")
    # The document's title under the page heading looks as it did as the page's h1.
    assert size_on_screen == h1_size
    print_at_a4_width(page)
    assert not page.locator("h1").is_visible()
    first = page.evaluate(
        """() => [...document.querySelectorAll('h1, h2, h3')]
                  .find((h) => h.getBoundingClientRect().height > 0).textContent.trim()"""
    )
    assert first == "Spædbarnsindsats"
    assert page.pdf(format="A4")[:4] == b"%PDF"
