"""What only a browser shows: a drag refused after someone else's change puts the saved
order back with the message, a rename retitles the tab and the breadcrumb, and the printed
overview shows the team without its controls."""

import pytest

from improvement.extensions import db
from tests.browser.steps import LEADER, htmx_idle, login
from tests.description.factories import gen_core_element
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

pytestmark = pytest.mark.browser

CHANGED = "Listen er ændret af en anden i mellemtiden. Her er den gemte rækkefølge; flyt igen."


def _titles(page):
    return page.locator("#core-elements .item-title").all_text_contents()


def test_drag_after_someone_added_a_core_element_shows_the_saved_order(browser_page, live_server):
    org = gen_org("Demo Kommune Nord")
    gen_user(org, role="leader", email=LEADER, name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    for n, name in enumerate(["Første", "Anden"]):
        gen_core_element(intervention, name=name, position=n)
    db.session.commit()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/kerneelementer")
    # Meanwhile, in another tab, someone adds one.
    gen_core_element(intervention, name="Tredje", position=2)
    db.session.commit()
    handles = page.locator("#core-elements .drag-handle")
    source = handles.nth(1).bounding_box()
    target = page.locator("#core-elements .item-card").nth(0).bounding_box()
    page.mouse.move(source["x"] + 5, source["y"] + 5)
    page.mouse.down()
    page.mouse.move(target["x"] + 20, target["y"] + 10, steps=20)
    page.mouse.up()
    alert = page.locator("#core-elements [role=alert]")
    alert.wait_for()
    htmx_idle(page)
    assert alert.text_content().strip() == CHANGED
    assert "Findes ikke længere" not in page.locator("#messages").inner_text()
    assert _titles(page) == ["Første", "Anden", "Tredje"]
    # Dragged again on the list as it is now, it is saved and the message goes.
    handles = page.locator("#core-elements .drag-handle")
    handles.nth(2).scroll_into_view_if_needed()
    source = handles.nth(2).bounding_box()
    target = page.locator("#core-elements .item-card").nth(0).bounding_box()
    page.mouse.move(source["x"] + 5, source["y"] + 5)
    page.mouse.down()
    page.mouse.move(target["x"] + 20, target["y"] + 10, steps=20)
    page.mouse.up()
    page.wait_for_function(
        "document.querySelectorAll('#core-elements .item-title')[0].textContent === 'Tredje'"
    )
    htmx_idle(page)
    assert page.locator("#core-elements [role=alert]").count() == 0


def test_rename_updates_the_tab_title_and_breadcrumb(browser_page, live_server):
    org = gen_org("Demo Kommune Nord")
    gen_user(org, role="leader", email=LEADER, name="Lise Lund")
    intervention = gen_intervention(org, name="Gammelt navn")
    db.session.commit()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}")
    assert page.title() == "Gammelt navn · Praksisløft"
    page.evaluate("window.__noReload = true")
    page.locator("#summary").get_by_role("button", name="Redigér").click()
    htmx_idle(page)
    page.get_by_label("Navn").fill("Nyt navn")
    page.locator("#summary").get_by_role("button", name="Gem").click()
    page.locator("#summary h1", has_text="Nyt navn").wait_for()
    htmx_idle(page)
    assert page.evaluate("window.__noReload") is True
    assert page.title() == "Nyt navn · Praksisløft"
    crumb = page.locator("nav.breadcrumb")
    assert crumb.count() == 1 and "Nyt navn" in crumb.inner_text()
    assert "Gammelt navn" not in page.content()


def test_printed_overview_shows_the_team_as_text(browser_page, live_server):
    org = gen_org("Demo Kommune Nord")
    gen_user(org, role="leader", email=LEADER, name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    mette = gen_user(org, role="practitioner", name="Mette Myndighed")
    gen_member(intervention, mette, "authority_caseworker")
    gen_user(org, role="practitioner", name="Kan tilføjes")
    db.session.commit()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}")
    team = page.locator("#team")
    assert team.locator("select").first.is_visible()
    page.emulate_media(media="print")
    assert (
        team.locator("select, input[type=checkbox], button, form").evaluate_all(
            "els => els.filter(e => e.offsetParent !== null || e.getClientRects().length).length"
        )
        == 0
    )
    row = team.locator("tbody tr").first.inner_text()
    assert "Mette Myndighed" in row and "Myndighedssagsbehandler" in row and "Ja" in row
    assert "Fjern" not in team.inner_text()


def test_line_breaks_typed_in_a_text_are_kept_on_the_card_and_in_the_document(
    browser_page, live_server
):
    org = gen_org("Demo Kommune Nord")
    gen_user(org, role="leader", email=LEADER, name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_core_element(
        intervention, name="Fælles sprog", why="Første afsnit.\n\n- punkt 1\n- punkt 2"
    )
    db.session.commit()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/kerneelementer")
    why = page.locator(".item-facts dd").first
    assert why.inner_text() == "Første afsnit.\n\n- punkt 1\n- punkt 2"
    page.goto(f"{live_server}/indsatser/{intervention.id}/indsatsbeskrivelse")
    paragraph = page.locator(".doc-core p", has_text="Første afsnit.")
    assert "Første afsnit.\n\n- punkt 1\n- punkt 2" in paragraph.inner_text()
