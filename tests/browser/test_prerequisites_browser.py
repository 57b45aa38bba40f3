"""Organisational prerequisites in the browser: created, corrected and edited in place,
copied from the template, and printed in the intervention description."""

import re

import pytest
from sqlalchemy import select

from improvement.extensions import db
from improvement.models import OrganisationalPrerequisite
from tests.browser.steps import htmx_idle, login
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

pytestmark = pytest.mark.browser

LEADERSHIP = "Stærk faglig ledelse og kollegial refleksion"


def _saved():
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OrganisationalPrerequisite).order_by(OrganisationalPrerequisite.position)
        )
    )


def test_create_edit_and_template_in_place_then_print(browser_page, live_server, tmp_path):
    org = gen_org("Demo Kommune Nord")
    lise = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, lise, "leader")
    db.session.commit()
    page = browser_page
    login(page, live_server)

    # From the sub-navigation's Beskrivelse group.
    page.goto(f"{live_server}/indsatser/{intervention.id}/kerneelementer")
    page.get_by_role("navigation", name="Indsats").get_by_role(
        "link", name="Forudsætninger"
    ).click()
    page.get_by_role("heading", name="Organisatoriske forudsætninger", level=1).wait_for()
    assert page.get_by_text("Ingen organisatoriske forudsætninger endnu").is_visible()
    page.evaluate("window.__noReload = true")

    # Created in place; a CPR number is refused at its field with the text kept.
    page.get_by_text("Ny forudsætning").click()
    page.get_by_label("Navn").fill(LEADERSHIP)
    page.get_by_label("Status nu").select_option(label="Mangler")
    page.get_by_label("Hvad omhandler forudsætningen?").fill("Ledelse tæt på praksis")
    page.get_by_label("Hvad mangler?").fill("Sparring om barnet 010203-1234")
    page.get_by_role("button", name="Opret forudsætning").click()
    page.locator("#prerequisites .field-error").wait_for()
    htmx_idle(page)
    assert page.evaluate("document.activeElement.id") == "gap"
    assert page.get_by_label("Navn").input_value() == LEADERSHIP
    assert _saved() == []
    page.get_by_label("Hvad mangler?").fill("Et fast forum for kollegial refleksion")
    page.get_by_role("button", name="Opret forudsætning").click()
    card = page.locator(".item-card", has_text=LEADERSHIP)
    card.wait_for()
    assert "Mangler" in card.locator(".badge").inner_text()
    (item,) = _saved()
    assert (item.status, item.gap) == ("missing", "Et fast forum for kollegial refleksion")

    # Edited in place: the team judges it partly in place now.
    card.get_by_role("button", name="Redigér").click()
    htmx_idle(page)
    assert page.evaluate("document.activeElement.id") == f"op{item.id}-name"
    editor = page.locator(f"#prerequisite-{item.id}")
    editor.get_by_label("Status nu").select_option(label="Delvist i orden")
    editor.get_by_role("button", name="Gem").click()
    page.locator(f"#prerequisite-{item.id}:not(.editing)").wait_for()
    htmx_idle(page)
    # Focus back on the card's Edit button, for the keyboard.
    assert page.evaluate("document.activeElement.textContent.trim()") == "Redigér"
    assert "Delvist i orden" in page.locator(f"#prerequisite-{item.id} .badge").inner_text()
    assert _saved()[0].status == "partly"
    # The summary line above the list follows (out of band).
    assert page.locator("#prerequisite-tally").inner_text() == "Status nu: Delvist i orden: 1"

    # The template adds the framework's other three (the first is taken by name).
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=re.compile("^Start fra skabelon")).click()
    page.locator("#prerequisites .item-card").nth(3).wait_for()
    htmx_idle(page)
    assert page.locator("#prerequisites .item-card").count() == 4
    assert page.evaluate("window.__noReload") is True
    assert [p.status for p in _saved()] == ["partly"] + ["not_assessed"] * 3
    assert "Delvist i orden: 1" in page.locator(".prerequisite-tally").inner_text()
    page.screenshot(path=str(tmp_path / "prerequisites.png"), full_page=True)

    # In the description after the core elements, on a page of its own when printed.
    page.goto(f"{live_server}/indsatser/{intervention.id}/indsatsbeskrivelse")
    section = page.locator(".doc-section", has_text="4. Organisatoriske forudsætninger")
    assert section.locator("h3").count() == 4
    assert "(status nu: Delvist i orden)" in section.locator("h3").first.inner_text()
    page.emulate_media(media="print")
    assert section.evaluate("(el) => getComputedStyle(el).breakBefore") == "page"
    assert page.pdf(format="A4")[:4] == b"%PDF"
