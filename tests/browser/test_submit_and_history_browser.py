"""What the browser's own behaviour could do to the data: a double click, and Back."""

import pytest
from sqlalchemy import func, select

from improvement.extensions import db
from improvement.models import Meeting, User
from tests.browser.steps import login
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_cycle, gen_meeting, gen_point

pytestmark = pytest.mark.browser


def _world():
    org = gen_org("Demo Kommune Nord")
    leader = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, leader)
    db.session.commit()
    return intervention


def test_a_double_click_on_create_creates_one_meeting(browser_page, live_server):
    intervention = _world()
    page = browser_page
    login(page, live_server, "leder@nord.example")
    page.goto(f"{live_server}/indsatser/{intervention.id}/moeder")
    page.get_by_label("Dagsorden").fill("Tavlemøde")
    # The create answers with a redirect, so the form is still there for a second submit.
    page.get_by_role("button", name="Opret møde").dblclick()
    page.wait_for_url("**/moeder/*")
    page.wait_for_load_state()
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 1


def test_back_shows_what_was_added_in_place(browser_page, live_server):
    intervention = _world()
    meeting = gen_meeting(intervention)
    db.session.commit()
    page = browser_page
    login(page, live_server, "leder@nord.example")
    url = f"{live_server}/indsatser/{intervention.id}/moeder/{meeting.id}"
    page.goto(url)
    page.get_by_label("Hvad").fill("Ring til sundhedsplejen")
    page.get_by_role("button", name="Tilføj opgave").click()
    added = page.locator("#items").get_by_role("cell", name="Ring til sundhedsplejen", exact=True)
    added.wait_for()
    page.goto(f"{live_server}/indsatser/{intervention.id}/moeder")
    page.go_back()
    page.wait_for_url(url)
    # The page comes back as it is now, not as the browser first received it.
    added.wait_for()


def test_leaving_a_worksheet_with_unsaved_text_asks_first(browser_page, live_server):
    intervention = _world()
    leader = db.session.scalars(select(User).where(User.email == "leder@nord.example")).one()
    cycle = gen_cycle(gen_point(intervention, title="Fast dagsorden"), owner=leader)
    db.session.commit()
    page = browser_page
    login(page, live_server, "leder@nord.example")
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    url = f"{live_server}/indsatser/{intervention.id}/proevehandlinger/{cycle.id}/rediger"
    page.goto(url)
    page.get_by_label("Formål med prøvehandlingen").fill("Kan vi holde tiden?")
    page.reload()
    assert asked == ["beforeunload"]
    # Sent back refused (a CPR number), the typed text is still not saved.
    page.get_by_label("Formål med prøvehandlingen").fill("Barnets cpr 010203-1234")
    page.get_by_role("button", name="Gem skema").click()
    page.locator(".field-error").first.wait_for()
    page.reload()
    assert asked == ["beforeunload", "beforeunload"]
    # Saved, the text is safe: leaving asks nothing.
    page.get_by_label("Formål med prøvehandlingen").fill("Kan vi holde tiden?")
    page.get_by_role("button", name="Gem skema").click()
    page.wait_for_url(f"**/proevehandlinger/{cycle.id}")
    page.goto(url)
    page.goto(f"{live_server}/indsatser/{intervention.id}/moeder")
    assert asked == ["beforeunload", "beforeunload"]
