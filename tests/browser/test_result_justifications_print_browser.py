"""A closed round's result as Chromium shows and prints it, after a QA walk through a
quarterly round: a justification keeps the writer's line breaks, in the result and on an
element's page (and a long word stays in its column); on paper a long justification runs
on from the page it starts on instead of leaving most of that page blank, each element's
heading stays with its first lines, and a count's "(+1)" keeps to the count's line; the
radar's axis numbers are drawn over the points."""

import shutil
import subprocess

import pytest
from sqlalchemy import select

from improvement.extensions import db
from improvement.models import AssessmentJustification, AssessmentRespondent
from tests.browser.steps import login, overflowing, print_at_a4_width
from tests.browser.test_result_print_width import ROLES, baseline_round

pytestmark = pytest.mark.browser

TWO_LINES = "Vi mangler data om virkning.\nDet er første gang vi måler."
LONG_WORD = "https://intranet.example/" + "x" * 160
# About a page and a half of text: taller than what is left of the table's page.
LONG = "Lang begrundelse begynder. " + "Vi tilpasser forløbet til hver familie. " * 180
PDFTOTEXT = shutil.which("pdftotext")


def _round(justifications: dict[int, list[str]]):
    """The demo's baseline (Frida answering as a caseworker, so the table has its role
    columns), with these justifications per element, each from the next respondent."""
    intervention, round_ = baseline_round(roles={**ROLES, "p3": "authority"})
    respondents = list(
        db.session.scalars(
            select(AssessmentRespondent)
            .where(AssessmentRespondent.round_id == round_.id)
            .order_by(AssessmentRespondent.id)
        )
    )
    for element, texts in justifications.items():
        for respondent, text in zip(respondents, texts, strict=False):
            db.session.add(
                AssessmentJustification(
                    organization_id=round_.organization_id,
                    respondent_id=respondent.id,
                    element=element,
                    text=text,
                )
            )
    db.session.commit()
    return f"/indsatser/{intervention.id}/selvevaluering/{round_.id}"


def _pages(page, tmp_path) -> list[str]:
    """The text of each page of the PDF Chromium prints the page to."""
    pdf = tmp_path / "result.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")


def _page_of(pages: list[str], words: str) -> int:
    return next(i for i, text in enumerate(pages) if words in text)


def test_a_justification_keeps_its_line_breaks(browser_page, live_server):
    url = _round({2: [TWO_LINES, LONG_WORD]})
    page = browser_page
    login(page, live_server)
    for address in (url, url + "/udskriv"):
        page.goto(live_server + address)
        reasons = page.locator(".justification-group li")
        # innerText follows the CSS: a line break the page collapses reads as a space.
        assert reasons.first.inner_text() == TWO_LINES, address
        line = reasons.nth(1).evaluate("(el) => parseFloat(getComputedStyle(el).lineHeight)")
        assert reasons.first.bounding_box()["height"] >= 1.8 * line, address
        assert overflowing(page, ".justification-group li") == [], address
    print_at_a4_width(page)
    assert page.locator(".justification-group li").first.inner_text() == TWO_LINES
    assert overflowing(page, ".justification-group li") == []


def test_an_elements_page_keeps_a_justifications_line_breaks(browser_page, live_server):
    """An element's own page lists its justifications round by round with the result's
    rule: they lost their line breaks there."""
    url = _round({2: [TWO_LINES, LONG_WORD]})
    page = browser_page
    login(page, live_server)
    page.goto(live_server + url.rsplit("/", 1)[0] + "/elementer/2")
    reasons = page.locator(".reasons li")
    assert reasons.first.inner_text() == TWO_LINES
    line = reasons.nth(1).evaluate("(el) => parseFloat(getComputedStyle(el).lineHeight)")
    assert reasons.first.bounding_box()["height"] >= 1.8 * line
    assert overflowing(page, ".reasons li") == []


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext is not installed (poppler-utils)")
def test_a_long_justification_runs_on_from_the_page_it_starts_on(
    browser_page, live_server, tmp_path
):
    """Kept whole, element 9's justification went on to the next page, and the table's
    page stayed empty under the section's heading."""
    url = _round({9: [LONG]})
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}{url}/udskriv")
    page.wait_for_load_state("networkidle")
    pages = _pages(page, tmp_path)
    heading = _page_of(pages, "Hvad får os til at sige det?")
    assert heading == 1  # on the table's page, the second
    assert _page_of(pages, "Lang begrundelse begynder") == heading


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext is not installed (poppler-utils)")
def test_an_elements_heading_stays_with_its_first_lines(browser_page, live_server, tmp_path):
    """A box put before element 4's group moves it down until it meets the page's end;
    around there, a few points at a time, the heading "4. Mål" is always on the page of
    its first justification, never left alone at the foot of the page before."""
    url = _round(
        {
            1: ["Kort om teorien."] * 3,
            2: [TWO_LINES] * 2,
            4: ["Målene i handleplanerne er uklare."],
        }
    )
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}{url}/udskriv")
    page.wait_for_load_state("networkidle")
    page.evaluate(
        """() => {
            const group = [...document.querySelectorAll('.justification-group')]
              .find((g) => g.querySelector('h3').textContent.includes('Mål'));
            group.before(Object.assign(document.createElement('div'), {id: 'spacer'}));
        }"""
    )

    def pages_of_heading_and_text(height: int) -> tuple[int, int]:
        page.evaluate(f"() => {{ document.getElementById('spacer').style.height = '{height}px'; }}")
        pages = _pages(page, tmp_path)
        lines = [[line.strip() for line in text.splitlines()] for text in pages]
        heading = max(i for i, text in enumerate(lines) if "4. Mål" in text)
        return heading, _page_of(pages, "Målene i handleplanerne")

    # Where the text goes on to the next page (an A4 page is about 1000 pixels high) ...
    first = pages_of_heading_and_text(0)[1]
    moved = next(h for h in range(60, 1200, 60) if pages_of_heading_and_text(h)[1] > first)
    # ... the heading goes with it.
    for height in range(moved - 60, moved + 60, 5):
        heading, text = pages_of_heading_and_text(height)
        assert heading == text, height


def test_the_dont_know_count_keeps_to_one_line_on_paper(browser_page, live_server):
    url = _round({})
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}{url}/udskriv")
    page.wait_for_load_state("networkidle")
    print_at_a4_width(page)
    cell = page.locator(".result-table td.num", has_text="(+1")
    assert cell.count() == 1  # element 6: a practitioner answered it with "ved ikke" only
    # The text's height against its line's: "(+1 ved ikke)" beside the count took three.
    lines = cell.evaluate(
        """(el) => {
            const range = document.createRange();
            range.selectNodeContents(el);
            const line = parseFloat(getComputedStyle(el).lineHeight);
            return range.getBoundingClientRect().height / line;
        }"""
    )
    assert lines < 1.5
    assert overflowing(page, ".result-table, .result-table th, .result-table td") == []


def test_the_radar_draws_its_axis_numbers_over_the_points(browser_page, live_server):
    """The numbers (25, 50, 75, 100) stand on element 1's axis: under the points, "75" was
    hidden by element 1's point at a score near 75."""
    url = _round({})
    page = browser_page
    login(page, live_server)
    page.goto(live_server + url)
    page.wait_for_function("() => window.Chart && Object.keys(window.Chart.instances).length")
    z = page.evaluate("() => Object.values(window.Chart.instances)[0].options.scales.r.ticks.z")
    assert z > 0  # Chart.js draws a scale layer with z > 0 after the datasets
