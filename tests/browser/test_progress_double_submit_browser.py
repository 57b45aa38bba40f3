"""Fremdrift: a double click on "Gem score" saves one progress score, not two identical ones."""

import pytest
from sqlalchemy import func, select

from improvement.extensions import db
from improvement.models import ProgressScore
from tests.browser.steps import login
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

pytestmark = pytest.mark.browser


def test_a_double_click_on_save_score_saves_one_score(browser_page, live_server):
    org = gen_org("Demo Kommune Nord")
    leader = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, leader)
    db.session.commit()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/fremdrift")
    page.locator("label[for='score-20']").click()
    page.get_by_label("Hvorfor denne score?").fill("Første test gennemført")
    page.get_by_role("button", name="Gem score").dblclick()
    page.get_by_text("Fremdriftsscoren er gemt.").wait_for()
    page.wait_for_load_state("networkidle")
    assert db.session.scalar(select(func.count()).select_from(ProgressScore)) == 1
    # The answer is the page, with the score in its history, and the form works again.
    assert page.locator("table.striped tbody tr").count() == 1
    page.locator("label[for='score-25']").click()
    page.get_by_role("button", name="Gem score").click()
    page.locator("table.striped tbody tr").nth(1).wait_for()
    assert db.session.scalar(select(func.count()).select_from(ProgressScore)) == 2
