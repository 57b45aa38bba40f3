"""A month of cases in a real browser at 1366×768: after "Opret forløb" the confirmation is in
view and has the focus (the folded form and the shorter page no longer leave the window at
the bottom of the table); the cadence's choices read whole; a comment's mark reads at a
glance."""

from datetime import date, timedelta

import pytest

from improvement import clock
from improvement.extensions import db
from tests.browser.steps import htmx_idle, login
from tests.cases.helpers import gen_case, gen_core_element, gen_phase, gen_rating
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

pytestmark = pytest.mark.browser

EMAIL = "behandler@nord.example"


@pytest.fixture
def long_list(app):
    """Twenty cases, five of them overdue: the list is as long as the tester's."""
    org = gen_org("Demo Kommune Nord")
    user = gen_user(org, role="practitioner", email=EMAIL, name="Birgitte Bach")
    intervention = gen_intervention(org, name="Intensiv spædbarnsindsats")
    gen_member(intervention, user)
    phases = [gen_phase(intervention, name, n) for n, name in enumerate(["Opstart", "Forløb"])]
    elements = [gen_core_element(intervention, "Tidlig tilstedeværelse")]
    today = clock.today()
    cases = []
    for n in range(20):
        overdue = n < 5
        start = today - timedelta(days=200 if overdue else 30)
        end = None if overdue or n % 2 else today - timedelta(days=1)
        cases.append(
            gen_case(
                intervention,
                f"IS-2025-{n + 1:03d}",
                start=start,
                end_date=end,
                practitioner_id=user.id,
                phase_id=phases[0].id,
            )
        )
    db.session.commit()
    return intervention, phases, elements, cases, user


def test_after_creating_the_confirmation_is_in_view_and_focused(
    browser_page, live_server, long_list
):
    intervention, *_rest = long_list
    page = browser_page
    login(page, live_server, EMAIL)
    page.goto(f"{live_server}/indsatser/{intervention.id}/forloeb")
    page.get_by_text("Nyt forløb").click()
    page.fill("#code", "BB-2026-106")
    page.fill("#start_date", date(2026, 1, 12).isoformat())
    page.get_by_role("button", name="Opret forløb").click()
    message = page.locator(".flash-success", has_text="Forløbet BB-2026-106 er oprettet.")
    message.wait_for()
    htmx_idle(page)
    box = message.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 768, box
    assert page.evaluate("document.activeElement.id") == "case-created"
    # The new row is marked in the list below.
    assert page.locator("tr.just-created").inner_text().startswith("BB-2026-106")


def test_the_cadence_choices_read_whole_at_1366(browser_page, live_server, long_list):
    intervention, *_rest = long_list
    page = browser_page
    login(page, live_server, EMAIL)
    page.goto(f"{live_server}/indsatser/{intervention.id}/forloeb")
    page.get_by_text("Nyt forløb").click()
    cut = page.evaluate(
        """() => {
          const select = document.getElementById("followup_cadence_months");
          const style = getComputedStyle(select);
          const context = document.createElement("canvas").getContext("2d");
          context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
          const room = select.clientWidth - parseFloat(style.paddingLeft)
            - parseFloat(style.paddingRight);
          return [...select.options].map(o => o.text)
            .filter(text => context.measureText(text).width > room);
        }"""
    )
    assert cut == []


def test_a_comment_mark_is_readable_and_stays_in_its_cell(browser_page, live_server, long_list):
    intervention, phases, elements, cases, user = long_list
    case = cases[0]
    gen_rating(case, phases[0], elements[0], 2, rater=user, comment="Makkerparret manglede")
    db.session.commit()
    page = browser_page
    login(page, live_server, EMAIL)
    page.goto(f"{live_server}/indsatser/{intervention.id}/forloeb/{case.id}")
    mark = page.locator(f"#mark-{phases[0].id}-{elements[0].id} .comment-mark")
    size = float(mark.evaluate("el => getComputedStyle(el).fontSize").removesuffix("px"))
    assert size >= 13
    cell = page.locator(f"#mark-{phases[0].id}-{elements[0].id}").locator("xpath=..")
    inner, outer = mark.bounding_box(), cell.bounding_box()
    assert outer["x"] <= inner["x"] and inner["x"] + inner["width"] <= outer["x"] + outer["width"]
    assert inner["y"] + inner["height"] <= outer["y"] + outer["height"]
