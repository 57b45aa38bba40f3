"""The theory of change's link form offers only links the model allows."""

import pytest

from improvement.extensions import db
from improvement.models import ChangeTheoryLink
from tests.browser.steps import login
from tests.description.factories import gen_item
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

pytestmark = pytest.mark.browser


def test_the_to_list_offers_only_the_next_column_of_the_chosen_from(browser_page, live_server):
    org = gen_org("Demo Kommune Nord")
    leader = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, leader)
    gen_item(intervention, "activity", "Hjemmebesøg")
    gen_item(intervention, "short_term", "Tryg tilknytning")
    gen_item(intervention, "long_term", "Barnet trives")
    db.session.commit()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/forandringsteori")
    source, target = page.locator("select[name=source_id]"), page.locator("select[name=target_id]")
    offered = (
        "Array.from(document.querySelector('[name=target_id]').options)"
        ".filter(o => !o.disabled).map(o => o.textContent)"
    )

    source.select_option(label="A1: Hjemmebesøg")
    assert page.evaluate(offered) == ["K1: Tryg tilknytning"]
    assert target.input_value() != ""
    source.select_option(label="K1: Tryg tilknytning")
    assert page.evaluate(offered) == ["L1: Barnet trives"]
    assert (
        page.evaluate("document.querySelector('[name=target_id]').selectedOptions[0].textContent")
        == "L1: Barnet trives"
    )


def test_a_refused_link_shows_its_message_below_the_select_and_the_button_stays_level(
    browser_page, live_server
):
    org = gen_org("Demo Kommune Nord")
    leader = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, leader)
    visit = gen_item(intervention, "activity", "Hjemmebesøg")
    secure = gen_item(intervention, "short_term", "Tryg tilknytning")
    db.session.add(
        ChangeTheoryLink(
            organization_id=org.id,
            intervention_id=intervention.id,
            source_id=visit.id,
            target_id=secure.id,
        )
    )
    db.session.commit()
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/forandringsteori")
    page.locator("select[name=source_id]").select_option(label="A1: Hjemmebesøg")
    page.get_by_role("button", name="Tilføj forbindelse").click()

    error = page.locator(".toc-link-form .field-error")
    error.wait_for()
    assert "allerede forbundet" in error.inner_text()
    select = page.locator(".toc-link-form select[name=target_id]").bounding_box()
    button = page.get_by_role("button", name="Tilføj forbindelse").bounding_box()
    assert error.bounding_box()["y"] >= select["y"] + select["height"]
    assert abs(button["y"] - select["y"]) < 2
