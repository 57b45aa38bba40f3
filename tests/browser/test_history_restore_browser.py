"""Back to a page htmx kept in its history: the charts are drawn again."""

from datetime import date

import pytest

from improvement.extensions import db
from tests.browser.steps import login
from tests.cases.helpers import gen_case, gen_core_element, gen_phase, gen_rating
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

pytestmark = pytest.mark.browser


def test_the_trend_chart_is_drawn_again_after_back(browser_page, live_server):
    org = gen_org("Demo Kommune Nord")
    user = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    intervention = gen_intervention(org, name="Intensiv spædbarnsindsats")
    gen_member(intervention, user)
    phase = gen_phase(intervention, "Opstart")
    element = gen_core_element(intervention, "Samspil")
    # 60 low cells, two pages of the low-ratings list, rated in two quarters: a trend.
    for n in range(60):
        day = date(2026, 2, 1) if n % 2 else date(2026, 5, 1)
        case = gen_case(intervention, f"LL-{n:03d}")
        gen_rating(case, phase, element, 2, day=day, rater=user)
    db.session.commit()
    page = browser_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, live_server, "leder@nord.example")
    page.goto(f"{live_server}/indsatser/{intervention.id}/kvalitet")
    drawn = "Boolean(window.Chart.getChart(document.querySelector('canvas[data-trend-chart]')))"
    page.wait_for_function(drawn)
    page.locator("#low-list").get_by_role("link", name="Næste ›").click()
    page.locator("#low-list", has_text="side 2 af 2").wait_for()
    page.go_back()
    page.locator("#low-list", has_text="side 1 af 2").wait_for()
    page.wait_for_function(drawn)
    assert errors == []
