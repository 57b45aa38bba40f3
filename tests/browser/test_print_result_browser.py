"""The printed result of a round where most elements rest on one respondent: "too few"
keeps to one line in the narrow columns, so the table stays on the second page."""

import re

import pytest

from improvement.extensions import db
from tests.assessments.helpers import answer_all, gen_respondent, gen_round, setup_team
from tests.browser.steps import login

pytestmark = pytest.mark.browser


def _pages(pdf: bytes) -> int:
    """The number of pages of a PDF Chromium wrote (a /Type /Page object each)."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def _round():
    """Lise answers every element, two practitioners elements 1-2 only: elements 3-11 are
    "too few to show", score and roles alike."""
    org, intervention, instrument, users, _ = setup_team()
    users["leader"].email = "leder@nord.example"
    round_ = gen_round(intervention, instrument, "Forår 2026", status="closed")
    answer_all(
        gen_respondent(round_, users["leader"], "leader"),
        instrument,
        dict.fromkeys(range(1, 12), "high"),
    )
    for key in ("p1", "p2"):
        answer_all(
            gen_respondent(round_, users[key], "practitioner"), instrument, {1: "some", 2: "some"}
        )
    round_.close()
    db.session.commit()
    return intervention, round_


def test_too_few_prints_on_one_line_and_the_result_on_two_pages(browser_page, live_server):
    intervention, round_ = _round()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/selvevaluering/{round_.id}/udskriv")
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    cell = page.locator("td.score").nth(2)  # element 3
    assert cell.inner_text().strip() == "for få"
    line = page.locator("td.score").nth(0).bounding_box()["height"]
    assert cell.bounding_box()["height"] <= line  # no taller than a row with a score
    assert _pages(page.pdf(format="A4")) == 2
