"""Adding people to a team: the professional role follows the person chosen."""

import pytest

from improvement.extensions import db
from tests.browser.steps import login
from tests.helpers import gen_intervention, gen_org, gen_user

pytestmark = pytest.mark.browser


def test_choosing_a_person_chooses_their_professional_role_until_one_is_chosen(
    browser_page, live_server
):
    org = gen_org("Demo Kommune Nord")
    gen_user(org, role="leader", email="leder@nord.example", name="Anna Leder")
    gen_user(org, role="authority", name="Morten Myndighed")
    gen_user(org, role="practitioner", name="Sofie Sundhedsplejerske")
    gen_user(org, role="admin", name="Åse Admin")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    db.session.commit()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}")
    person, role = page.get_by_label("Person"), page.get_by_label("Faglig rolle")
    assert role.input_value() == "leader"  # Anna Leder, the first offered
    person.select_option(label="Morten Myndighed")
    assert role.input_value() == "authority_caseworker"
    # An admin's role says nothing of their profession: the form's default, not the last one.
    person.select_option(label="Åse Admin")
    assert role.input_value() == "practitioner"
    # A role the user chooses stays, whoever is chosen next.
    role.select_option("partner")
    person.select_option(label="Sofie Sundhedsplejerske")
    assert role.input_value() == "partner"
