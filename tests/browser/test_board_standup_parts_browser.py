"""A standup on the board: what is typed in one of the panel's forms survives a save in the
other. A decision refused for CPR-shaped text stayed in its field, but adding an action
item then redrew the whole panel, so the unsaved-text guard asked to throw the decision away
(and cancelling did not save the task). Each part now redraws only itself."""

from datetime import date

import pytest
from sqlalchemy import select

from improvement.extensions import db
from improvement.models import ActionItem, Meeting
from tests.browser.steps import htmx_idle, login
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_action_item, gen_meeting

pytestmark = pytest.mark.browser

REFUSED = "Mors CPR er 010190-1234"
# The panel's two parts, by classes the panel had before it was split too.
DECISIONS = ".standup-panel .standup-decisions"
ITEMS = ".standup-panel .standup-items"


def _open_standup(page, live_server):
    org = gen_org("Demo Kommune Nord")
    lise = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    intervention = gen_intervention(org, name="Intensiv spædbarnsindsats")
    gen_member(intervention, lise, "leader")
    earlier = gen_meeting(intervention, held_on=date(2026, 1, 10))
    old_item = gen_action_item(earlier, what="Udkast til dagsorden")
    db.session.commit()
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/tavle")
    page.get_by_role("button", name="Start dagens tavlemøde").click()
    page.locator(f"{DECISIONS} form").wait_for()
    htmx_idle(page)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return old_item, dialogs


def _refuse_a_decision(page):
    decision = page.locator(DECISIONS).get_by_label("Beslutning")
    decision.fill(REFUSED)
    page.get_by_role("button", name="Tilføj beslutning").click()
    page.locator(f"{DECISIONS} [aria-invalid='true']").wait_for()
    htmx_idle(page)
    assert page.locator(f"{DECISIONS} .field-error").is_visible()


def test_an_action_item_saves_beside_a_refused_decision_and_keeps_its_text(
    browser_page, live_server
):
    page = browser_page
    _old, dialogs = _open_standup(page, live_server)
    _refuse_a_decision(page)

    items = page.locator(ITEMS)
    items.get_by_label("Hvad").fill("Ring til skolen")
    items.get_by_role("button", name="Tilføj opgave").click()
    # Saved and drawn (a guard that asked, dismissed, would have sent nothing).
    page.locator(f"{ITEMS} .panel-items", has_text="Ring til skolen").wait_for(timeout=5000)
    htmx_idle(page)

    assert dialogs == []  # no "Tekst, du har skrevet her, … går tabt"
    assert db.session.scalars(select(ActionItem.what).order_by(ActionItem.id)).all() == [
        "Udkast til dagsorden",
        "Ring til skolen",
    ]
    decision = page.locator(DECISIONS).get_by_label("Beslutning")
    assert decision.input_value() == REFUSED
    assert page.locator(f"{DECISIONS} .field-error").is_visible()
    standup = db.session.scalars(select(Meeting).where(Meeting.kind == "standup")).one()
    assert standup.decision_list == []


def test_a_status_change_beside_a_refused_decision_keeps_its_text(browser_page, live_server):
    page = browser_page
    old_item, dialogs = _open_standup(page, live_server)
    _refuse_a_decision(page)

    page.locator(f"#panel-status-{old_item.id}").select_option("done")
    page.locator(f"{ITEMS} .item-done", has_text="Udkast til dagsorden").wait_for(timeout=5000)
    htmx_idle(page)

    assert dialogs == []
    db.session.refresh(old_item)
    assert old_item.status == "done"
    assert page.locator(DECISIONS).get_by_label("Beslutning").input_value() == REFUSED


def test_a_decision_saves_beside_an_action_item_being_typed(browser_page, live_server):
    page = browser_page
    _old, dialogs = _open_standup(page, live_server)
    page.locator(ITEMS).get_by_label("Hvad").fill("Book lokale")

    page.locator(DECISIONS).get_by_label("Beslutning").fill("Skemaet tages i brug")
    page.get_by_role("button", name="Tilføj beslutning").click()
    page.locator(f"{DECISIONS} li", has_text="Skemaet tages i brug").wait_for(timeout=5000)
    htmx_idle(page)

    assert dialogs == []
    assert page.locator(ITEMS).get_by_label("Hvad").input_value() == "Book lokale"
    # The decision form is empty again for the next decision.
    assert page.locator(DECISIONS).get_by_label("Beslutning").input_value() == ""
