"""The theory of change's link form offers only links the model allows."""

import pytest

from improvement.extensions import db
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
