import pytest

from improvement.extensions import db
from tests.helpers import PASSWORD, gen_org, gen_user

pytestmark = pytest.mark.browser


def test_create_intervention_appears_without_page_load(browser_page, live_server, tmp_path):
    org = gen_org("Demo Kommune Nord")
    gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    db.session.commit()
    page = browser_page

    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill("leder@nord.example")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/indsatser")
    assert page.get_by_text("Ingen indsatser endnu – opret den første").is_visible()

    # A marker on the window survives only if the page is not reloaded.
    page.evaluate("window.__noReload = true")
    page.get_by_label("Navn").fill("Koordinerende familiekonsulent")
    page.get_by_label("Målgruppe").fill("Familier med komplekse problemer")
    page.get_by_role("button", name="Opret indsats").click()
    page.get_by_role("link", name="Koordinerende familiekonsulent").wait_for()
    assert page.evaluate("window.__noReload") is True
    assert page.get_by_text("Indsatsen Koordinerende familiekonsulent er oprettet.").is_visible()
    page.screenshot(path=str(tmp_path / "interventions.png"), full_page=True)

    # Invalid input comes back in place with the message at the field.
    page.get_by_text("Ny indsats").click()
    page.get_by_role("button", name="Opret indsats").click()
    page.get_by_text("Feltet skal udfyldes.").wait_for()
    assert page.evaluate("window.__noReload") is True


def test_inline_edit_and_team(browser_page, live_server, tmp_path):
    from tests.helpers import gen_intervention

    org = gen_org("Demo Kommune Nord")
    gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    gen_user(org, role="practitioner", name="Bo Behandler")
    intervention = gen_intervention(org, name="Familiehuset")
    db.session.commit()
    page = browser_page
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill("leder@nord.example")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/indsatser")
    page.goto(f"{live_server}/indsatser/{intervention.id}")

    page.get_by_role("button", name="Redigér").click()
    page.get_by_label("Navn").fill("Familiehuset Nord")
    page.get_by_role("button", name="Gem").click()
    page.get_by_role("heading", name="Familiehuset Nord").wait_for()

    page.get_by_label("Person").select_option(label="Bo Behandler")
    page.get_by_role("button", name="Tilføj til teamet").click()
    page.locator("#team th[scope=row]", has_text="Bo Behandler").wait_for()
    page.screenshot(path=str(tmp_path / "detail.png"), full_page=True)
