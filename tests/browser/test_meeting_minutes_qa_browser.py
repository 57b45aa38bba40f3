"""A quality-team meeting in Chromium after the third QA round: text typed into the new
action item or the minutes is not left behind without the browser asking, the minutes
field is large and grows, "what" is wide enough for a sentence, and the printed minutes
give "what" the width, with both tables' columns in line and a print button that prints
once."""

from datetime import date

import pytest

from improvement.extensions import db
from tests.browser.steps import htmx_idle, login, print_at_a4_width
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_action_item, gen_meeting

pytestmark = pytest.mark.browser

LONG_WHAT = "Aftale med én familie om at afprøve egen udfyldelse af målingen før næste møde"


def _world():
    org = gen_org("Demo Kommune Nord")
    lise = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    sofie = gen_user(org, role="practitioner", name="Sofie Skovgaard")
    intervention = gen_intervention(org, name="Intensiv spædbarnsindsats")
    gen_member(intervention, lise, "leader")
    gen_member(intervention, sofie)
    earlier = gen_meeting(intervention, held_on=date(2026, 11, 16))
    meeting = gen_meeting(intervention, held_on=date(2026, 11, 30), notes="Kort referat")
    gen_action_item(earlier, what=LONG_WHAT, owner=sofie, due_date=date(2026, 12, 10))
    gen_action_item(earlier, what="Fælles skema", owner=lise, due_date=date(2026, 11, 23))
    gen_action_item(meeting, what="Book lokale til fælles gennemgang", owner=sofie)
    gen_action_item(meeting, what="Opdatér skemaet til fem behandlere", owner=lise)
    db.session.commit()
    return f"/indsatser/{intervention.id}/moeder/{meeting.id}"


def _record_leaving(page):
    """The browser's questions before leaving, each declined: the page stays."""
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    return asked


def _edit_minutes(page):
    page.locator(".summary-head").get_by_role("button", name="Redigér").click()


def test_a_half_written_action_item_is_not_left_for_the_minutes_without_asking(
    browser_page, live_server
):
    url = _world()
    page = browser_page
    login(page, live_server)
    asked = _record_leaving(page)
    page.goto(f"{live_server}{url}")
    page.get_by_label("Hvad").fill("Halvskrevet opgave")
    _edit_minutes(page)
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    assert page.url == f"{live_server}{url}"
    assert page.get_by_label("Hvad").input_value() == "Halvskrevet opgave"

    # Refused (due before the meeting), the form comes back drawn anew with the text in it:
    # still not saved, so leaving still asks.
    page.get_by_label("Hvornår").fill("2026-11-01")
    page.get_by_role("button", name="Tilføj opgave").click()
    page.locator(".add-item .field-error").wait_for()
    htmx_idle(page)
    _edit_minutes(page)
    page.wait_for_timeout(300)
    assert asked == ["beforeunload", "beforeunload"]
    assert page.get_by_label("Hvad").input_value() == "Halvskrevet opgave"

    # Added, the text is saved: the minutes open without a question.
    page.get_by_label("Hvornår").fill("2026-12-14")
    page.get_by_role("button", name="Tilføj opgave").click()
    page.locator("#items td.col-what", has_text="Halvskrevet opgave").wait_for()
    htmx_idle(page)
    _edit_minutes(page)
    page.wait_for_url(f"**{url}/rediger")
    assert asked == ["beforeunload", "beforeunload"]


def test_minutes_not_saved_are_not_left_for_the_action_items_without_asking(
    browser_page, live_server
):
    url = _world()
    page = browser_page
    login(page, live_server)
    asked = _record_leaving(page)
    page.goto(f"{live_server}{url}/rediger")
    notes = page.get_by_label("Referat")
    notes.fill("Kort referat\n\nSofie orienterede om forældrenes egen udfyldelse af målingen.")
    page.get_by_role("button", name="Annullér").click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    assert page.url == f"{live_server}{url}/rediger"
    # Saved, the meeting's page opens without a question, with the minutes on it.
    page.get_by_role("button", name="Gem").click()
    page.wait_for_url(f"**{url}")
    assert asked == ["beforeunload"]
    assert "Sofie orienterede" in page.locator(".meeting-notes").inner_text()


def test_the_minutes_field_is_large_and_grows_and_what_takes_a_sentence(browser_page, live_server):
    url = _world()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}{url}")
    # At 1366 pixels, "what" takes most of the new item's row.
    form = page.locator("form.add-item").bounding_box()
    assert page.get_by_label("Hvad").bounding_box()["width"] > 0.45 * form["width"]

    page.goto(f"{live_server}{url}/rediger")
    notes = page.get_by_label("Referat")
    empty = notes.bounding_box()["height"]
    assert empty >= 240  # some fifteen lines, not three
    notes.fill("\n".join(f"Punkt {n}: teamet drøftede målingen." for n in range(1, 21)))
    grown = notes.bounding_box()["height"]
    assert grown > empty + 100
    # Up to most of the screen; beyond, the field scrolls.
    notes.fill("\n".join(f"Punkt {n}." for n in range(1, 200)))
    assert notes.bounding_box()["height"] <= 0.7 * 768 + 1


def _columns(page, table):
    """Each column of the table's first row: (left, width) in whole pixels."""
    return (
        page.locator(".items-table")
        .nth(table)
        .evaluate(
            """(t) => [...t.querySelectorAll('tbody tr:first-child td')]
                  .filter((td) => td.offsetParent !== null)
                  .map((td) => { const r = td.getBoundingClientRect();
                                 return [td.className.split(' ')[0], Math.round(r.left),
                                         Math.round(r.width)]; })"""
        )
    )


def test_printed_minutes_give_what_the_width_with_both_tables_in_line(browser_page, live_server):
    url = _world()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}{url}")
    print_at_a4_width(page)
    earlier, this = _columns(page, 0), _columns(page, 1)
    assert [c[0] for c in earlier] == ["col-what", "col-from", "col-who", "col-due", "col-status"]
    assert [c[0] for c in this] == ["col-what", "col-who", "col-due", "col-status"]
    # Who, by when and status stand at the same places in both tables.
    assert earlier[2:] == this[1:]
    # "What" is the widest column, and a sentence takes at most two lines.
    width = page.locator(".items-table").first.bounding_box()["width"]
    assert earlier[0][2] > 0.4 * width
    assert max(c[2] for c in earlier[1:]) < earlier[0][2]
    what = page.locator(".items-table td.col-what", has_text=LONG_WHAT)
    line = float(what.evaluate("(td) => parseFloat(getComputedStyle(td).lineHeight)"))
    padding = float(what.evaluate("(td) => parseFloat(getComputedStyle(td).paddingTop) * 2"))
    assert what.bounding_box()["height"] - padding <= 2 * line + 1


def test_the_print_button_prints_once_and_is_not_printed(browser_page, live_server):
    url = _world()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}{url}")
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    button = page.get_by_role("button", name="Udskriv")
    button.click()
    assert page.evaluate("window.printed") == 1
    print_at_a4_width(page)
    assert button.is_hidden()
