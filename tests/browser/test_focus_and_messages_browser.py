"""Keyboard focus survives in-page swaps, and an error reply is seen wherever the user is."""

import pytest
from sqlalchemy import select

from improvement.extensions import db
from improvement.models import Membership
from tests.browser.steps import htmx_idle, login
from tests.description.factories import gen_assumption, gen_core_element, gen_item
from tests.helpers import gen_intervention, gen_org, gen_user

pytestmark = pytest.mark.browser


def _world(n=3):
    org = gen_org("Demo Kommune Nord")
    leader = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    for i in range(n):
        gen_core_element(intervention, name=f"Element {i + 1}", position=i)
    db.session.commit()
    return org, leader, intervention


def test_focus_stays_on_the_moved_control_for_the_next_key(browser_page, live_server):
    _org, _leader, intervention = _world()
    page = browser_page
    login(page, live_server, "leder@nord.example")
    page.goto(f"{live_server}/indsatser/{intervention.id}/kerneelementer")
    page.get_by_role("button", name="Flyt Element 3 op").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.querySelectorAll('#core-elements .item-title')[1].textContent === 'Element 3'"
    )
    page.wait_for_function("document.activeElement.getAttribute('aria-label') !== null")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Flyt Element 3 op"
    )
    page.keyboard.press("Enter")  # the same key moves it on
    page.wait_for_function(
        "document.querySelectorAll('#core-elements .item-title')[0].textContent === 'Element 3'"
    )


def test_an_error_reply_floats_into_view_when_the_top_is_scrolled_away(browser_page, live_server):
    org, leader, intervention = _world(n=8)
    page = browser_page
    login(page, live_server, "leder@nord.example")
    page.goto(f"{live_server}/indsatser/{intervention.id}/kerneelementer")
    last = page.locator("#core-elements .item-card").last
    last.get_by_role("button", name="Redigér").click()
    last.get_by_role("button", name="Gem").scroll_into_view_if_needed()
    # Meanwhile an administrator makes the leader read-only: the save is refused (403).
    membership = db.session.scalars(select(Membership).where(Membership.user_id == leader.id)).one()
    membership.role = "evaluator"
    db.session.commit()
    last.get_by_role("button", name="Gem").click()
    message = page.locator("#messages.is-floating .flash-error")
    message.wait_for()
    box = message.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 768
    assert "Ikke tilladt" in message.inner_text()
    page.get_by_role("button", name="Luk beskeden").click()
    page.locator("#messages.is-floating").wait_for(state="detached")


def test_a_create_by_the_keyboard_focuses_the_new_items_edit_button(browser_page, live_server):
    _org, _leader, intervention = _world(1)
    page = browser_page
    login(page, live_server, "leder@nord.example")
    page.goto(f"{live_server}/indsatser/{intervention.id}/kerneelementer")
    page.get_by_text("Nyt kerneelement").click()
    page.get_by_label("Navn").fill("Fælles sprog")
    create = page.get_by_role("button", name="Opret")
    create.focus()
    page.keyboard.press("Enter")
    page.locator(".item-title", has_text="Fælles sprog").wait_for()
    htmx_idle(page)
    focused = page.evaluate(
        "[document.activeElement.textContent.trim(), document.activeElement.closest('li')?.id]"
    )
    new_id = page.locator("li.item-card", has_text="Fælles sprog").get_attribute("id")
    assert focused == ["Redigér", new_id]


def test_after_a_delete_focus_is_on_no_other_items_delete_button(browser_page, live_server):
    _org, _leader, intervention = _world(0)
    gen_item(intervention, "activity", "Hjemmebesøg")
    gen_item(intervention, "activity", "Forældremøde", position=1)
    gen_assumption(intervention, text="Tilknytning etableres tidligt")
    db.session.commit()
    page = browser_page
    login(page, live_server, "leder@nord.example")
    page.goto(f"{live_server}/indsatser/{intervention.id}/forandringsteori")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("button.toc-text", has_text="Forældremøde").click()
    htmx_idle(page)
    delete = page.locator("li.toc-card.editing").get_by_role("button", name="Slet")
    delete.focus()
    page.keyboard.press("Enter")
    page.locator("button.toc-text", has_text="Forældremøde").wait_for(state="detached")
    htmx_idle(page)
    text = page.evaluate("document.activeElement.textContent.trim()")
    assert text not in ("Slet", "Fjern", "Arkivér")
