"""The switch to one's own cases in a real browser: after the rows followed a typed search
(swapped in place, the page not reloaded), it keeps the search, and so does the way back."""

import re

import pytest

from improvement.extensions import db
from tests.browser.steps import login
from tests.cases.helpers import gen_case, gen_phase
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

pytestmark = pytest.mark.browser


def _codes(page) -> list[str]:
    return page.locator("#case-table tbody strong").all_inner_texts()


def test_the_mine_link_keeps_a_search_typed_since_the_page_was_drawn(browser_page, live_server):
    org = gen_org("Demo Kommune Nord")
    user = gen_user(org, role="practitioner", email="bo@nord.example", name="Bo Berg")
    other = gen_user(org, role="practitioner", name="Karen Krog")
    intervention = gen_intervention(org, name="Intensiv spædbarnsindsats")
    gen_member(intervention, user)
    gen_member(intervention, other)
    phase = gen_phase(intervention, "Opstart")
    # Bo has the even numbers, Karen the odd ones.
    for n in range(30):
        person = user if n % 2 == 0 else other
        gen_case(intervention, f"IS-{n:04d}", phase_id=phase.id, practitioner_id=person.id)
    db.session.commit()
    page = browser_page
    login(page, live_server, "bo@nord.example")
    page.goto(f"{live_server}/indsatser/{intervention.id}/forloeb")

    search = page.get_by_label("Søg efter en kode")
    search.fill("is-001")
    page.locator("#case-count", has_text="10 af 30 forløb passer").wait_for()
    page.get_by_role("link", name="Vis kun mine forløb").click()
    page.wait_for_url(re.compile(r"mine=1"))
    page.locator("#case-count", has_text="5 af 15 forløb passer").wait_for()
    assert page.get_by_label("Søg efter en kode").input_value() == "is-001"
    assert "soeg=is-001" in page.url
    assert _codes(page) == ["IS-0010", "IS-0012", "IS-0014", "IS-0016", "IS-0018"]

    # Narrowed further in place, then back to everyone's cases: the search stays.
    search = page.get_by_label("Søg efter en kode")
    search.fill("is-0012")
    page.locator("#case-count", has_text="1 af 15 forløb passer").wait_for()
    page.get_by_role("link", name="Vis alle 30 forløb").click()
    page.wait_for_url(re.compile(r"/forloeb\?soeg=is-0012$"))
    page.locator("#case-count", has_text="1 af 30 forløb passer").wait_for()
    assert page.get_by_label("Søg efter en kode").input_value() == "is-0012"
    assert _codes(page) == ["IS-0012"]
