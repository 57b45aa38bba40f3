"""A meeting in Chromium: the printed minutes (context line, the notes over the full
width, few pages for long notes), an action item's status chosen with the arrow keys and
saved with Enter, and an action item corrected and deleted in its row."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from improvement import clock
from improvement.extensions import db
from improvement.models import ActionItem, AuditEvent
from tests.browser.steps import htmx_idle, login, print_at_a4_width
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_action_item, gen_meeting
from tests.pdsa.test_board_print import danish_day

pytestmark = pytest.mark.browser

SENTENCE = (
    "Teamet gennemgik tavlen og drøftede, hvordan forældrenes svar på målingen registreres "
    "ens på tværs af familierne, og aftalte at afprøve skemaet med én familie mere. "
)
NOTES = (SENTENCE * 40)[:4900]


def _world(notes=""):
    org = gen_org("Demo Kommune Nord")
    lise = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    bo = gen_user(org, role="practitioner", name="Bo Bach")
    intervention = gen_intervention(org, name="Intensiv spædbarnsindsats")
    gen_member(intervention, lise, "leader")
    gen_member(intervention, bo)
    meeting = gen_meeting(
        intervention,
        held_on=date(2026, 11, 16),
        participants="Lise Lund, Bo Bach, Sofie Skovgaard",
        agenda="1. Status på prøvehandlinger\n2. Dagsorden for konferencer\n3. Eventuelt",
        notes=notes,
        decisions="Skemaet afprøves med tre familier",
    )
    item = gen_action_item(meeting, what="Ring til jordemoderen", owner=bo)
    db.session.commit()
    return intervention, meeting, item


def _meeting_url(live_server, meeting):
    return f"{live_server}/indsatser/{meeting.intervention_id}/moeder/{meeting.id}"


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_printed_minutes_carry_context_and_give_the_notes_the_width(
    browser_page, live_server, tmp_path
):
    intervention, meeting, _item = _world(NOTES)
    page = browser_page
    login(page, live_server)
    page.goto(_meeting_url(live_server, meeting))
    context = page.locator(".meeting-print-context")
    assert context.is_hidden()
    # On screen, the notes take the article's width below the participants and agenda.
    article = page.locator("article.meeting").bounding_box()
    notes = page.locator(".meeting-notes dd").bounding_box()
    participants = page.get_by_text("Lise Lund, Bo Bach, Sofie Skovgaard").bounding_box()
    assert notes["width"] > 0.85 * article["width"]
    assert notes["y"] > participants["y"] + participants["height"]

    print_at_a4_width(page)
    assert context.is_visible()
    assert context.inner_text() == (
        f"Demo Kommune Nord · Intensiv spædbarnsindsats · Udskrevet {danish_day(clock.today())}"
    )
    assert context.bounding_box()["y"] < page.locator("article.meeting h1").bounding_box()["y"]
    article = page.locator("article.meeting").bounding_box()
    assert page.locator(".meeting-notes dd").bounding_box()["width"] > 0.85 * article["width"]
    page.screenshot(path=str(tmp_path / "minutes-print.png"), full_page=True)
    # 4,900 characters of notes, the decisions and the action items: two A4 pages (beside
    # the participants and agenda, a third of the width, they took six).
    pdf = page.pdf(path=str(tmp_path / "minutes.pdf"), format="A4")
    assert _pages(pdf) <= 2


def test_the_status_chosen_with_arrow_keys_is_saved_with_enter(browser_page, live_server):
    intervention, meeting, item = _world()
    page = browser_page
    login(page, live_server)
    page.goto(_meeting_url(live_server, meeting))
    select_ = page.get_by_label("Status for Ring til jordemoderen")
    select_.focus()
    # Down twice passes "Færdig" on the way to "Droppet": nothing is saved on the way.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert select_.input_value() == "dropped"
    hint = page.locator(f"#item-{item.id} .save-hint")
    assert hint.is_visible() and hint.inner_text() == "Tryk Enter for at gemme valget."
    page.wait_for_timeout(300)
    db.session.expire_all()
    assert db.session.get(ActionItem, item.id).status == "open"
    page.keyboard.press("Enter")
    page.wait_for_function(
        "id => document.querySelector('#status-' + id)?.getAttribute('data-pending') === null"
        " && !document.querySelector('.htmx-request')",
        arg=item.id,
    )
    htmx_idle(page)
    db.session.expire_all()
    assert db.session.get(ActionItem, item.id).status == "dropped"
    updates = db.session.scalar(
        select(func.count()).where(
            AuditEvent.object_type == "ActionItem",
            AuditEvent.object_id == item.id,
            AuditEvent.action == "update",
        )
    )
    assert updates == 1
    # A choice made with the keys and left without Enter is not saved, and shows the saved one.
    select_ = page.get_by_label("Status for Ring til jordemoderen")
    select_.focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Tab")
    assert select_.input_value() == "dropped"


def test_an_action_item_is_corrected_and_deleted_in_its_row(browser_page, live_server):
    intervention, meeting, item = _world()
    item_id = item.id
    page = browser_page
    login(page, live_server)
    page.goto(_meeting_url(live_server, meeting))
    row = page.locator(f"#item-{item.id}")
    row.get_by_role("button", name="Redigér Ring til jordemoderen").click()
    htmx_idle(page)
    what = page.get_by_label("Hvad").first
    assert page.evaluate("document.activeElement.id") == f"item{item.id}-what"
    # A deadline before the meeting is refused in place, with the text kept.
    what.fill("Ring til sundhedsplejersken")
    page.locator(f"#item{item.id}-due_date").fill("2026-11-01")
    row.get_by_role("button", name="Gem").click()
    htmx_idle(page)
    assert "Fristen kan ikke ligge før mødet (16. november 2026)." in row.inner_text()
    assert page.locator(f"#item{item.id}-what").input_value() == "Ring til sundhedsplejersken"
    page.locator(f"#item{item.id}-due_date").fill("2026-11-30")
    row.get_by_role("button", name="Gem").click()
    htmx_idle(page)
    assert "Ring til sundhedsplejersken" in row.inner_text()
    assert "30.11.2026" in row.inner_text()
    page.locator("details.history summary").click()
    assert "Hvad: Ring til jordemoderen → Ring til sundhedsplejersken" in page.locator(
        "#meeting-history"
    ).inner_text().replace("\n", " ")

    # Deleted after the question; the history says so.
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    row.get_by_role("button", name="Slet Ring til sundhedsplejersken").click()
    htmx_idle(page)
    assert questions and questions[0].startswith("Slet opgaven “Ring til sundhedsplejersken”?")
    assert page.locator(f"#item-{item_id}").count() == 0
    assert (
        "Opgave «Ring til sundhedsplejersken» · slettet"
        in page.locator("#meeting-history").inner_text()
    )
    db.session.expire_all()
    assert db.session.get(ActionItem, item_id) is None
