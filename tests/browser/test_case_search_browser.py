"""Finding a case in a long list in a real browser: what is typed stays while the rows
follow it, the address bar keeps the search, and Back shows the list as it was."""

import pytest

from improvement.extensions import db
from tests.browser.steps import login
from tests.cases.helpers import gen_case, gen_phase
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

pytestmark = pytest.mark.browser


def test_typing_a_code_narrows_the_rows_and_keeps_the_text(browser_page, live_server, tmp_path):
    org = gen_org("Demo Kommune Nord")
    user = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    intervention = gen_intervention(org, name="Intensiv spædbarnsindsats")
    gen_member(intervention, user)
    phase = gen_phase(intervention, "Opstart")
    for n in range(120):
        gen_case(intervention, f"IS-{n:04d}", phase_id=phase.id)
    db.session.commit()
    page = browser_page
    login(page, live_server, "leder@nord.example")
    url = f"{live_server}/indsatser/{intervention.id}/forloeb"
    page.goto(url)
    assert page.locator("#case-count").inner_text().startswith("120 forløb")

    search = page.get_by_label("Søg efter en kode")
    search.click()
    # Typed key by key, slower than the list answers: no keystroke may be lost.
    search.press_sequentially("is-007", delay=120)
    page.locator("#case-count", has_text="10 af 120 forløb passer").wait_for()
    assert search.input_value() == "is-007"
    assert page.evaluate("document.activeElement.id") == "case-search"
    assert page.url.endswith("/forloeb?soeg=is-007")  # the empty choices stay out
    # Screen readers hear the count from a live region that stays in the page.
    assert page.locator("#case-announce").inner_text() == "10 af 120 forløb passer"
    assert page.locator("#case-announce").get_attribute("role") == "status"

    page.get_by_label("Status").select_option(label="Afsluttede forløb")
    page.get_by_role("heading", name="Intet forløb passer").wait_for()
    page.screenshot(path=str(tmp_path / "no-match.png"), full_page=True)
    page.go_back()
    page.locator("#case-count", has_text="10 af 120 forløb passer").wait_for()
    # The controls show what the address filters on, not what they held when drawn.
    assert page.get_by_label("Status").input_value() == ""
    page.go_forward()
    page.get_by_role("heading", name="Intet forløb passer").wait_for()
    assert page.get_by_label("Status").input_value() == "afsluttede"
    assert page.get_by_label("Søg efter en kode").input_value() == "is-007"
    page.go_back()
    page.locator("#case-count", has_text="10 af 120 forløb passer").wait_for()
    page.get_by_role("link", name="Ryd søgning og filtre").click()
    page.locator("#case-count", has_text="120 forløb").wait_for()
    assert page.get_by_label("Søg efter en kode").input_value() == ""
