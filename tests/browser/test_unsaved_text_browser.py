"""Typed text that is not saved yet: kept when the user would lose it by a choice or a key,
and no question asked where nothing is at stake."""

import pytest
from sqlalchemy import select

from improvement.extensions import db
from improvement.models import CoreElementRating
from tests.browser.steps import htmx_idle, login
from tests.cases.helpers import gen_case, gen_core_element, gen_phase, gen_rating
from tests.description.factories import gen_assumption, gen_item
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_action_item, gen_meeting

pytestmark = pytest.mark.browser


def _team():
    org = gen_org("Demo Kommune Nord")
    leader = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, leader)
    db.session.commit()
    return intervention, leader


def _record_questions(page):
    questions = []
    page.on("dialog", lambda d: (questions.append(d.message), d.dismiss()))
    return questions


def test_a_status_choice_asks_before_a_typed_action_item_is_lost(browser_page, live_server):
    intervention, leader = _team()
    meeting = gen_meeting(intervention)
    gen_action_item(meeting, what="Ring til jordemoderen", owner=leader)
    db.session.commit()
    page = browser_page
    login(page, live_server)
    questions = _record_questions(page)
    page.goto(f"{live_server}/indsatser/{intervention.id}/moeder/{meeting.id}")
    page.get_by_label("Hvad").fill("Book lokale til konferencen")
    status = page.get_by_label("Status for Ring til jordemoderen")
    saved = status.input_value()
    status.select_option(index=1 if status.evaluate("s => s.selectedIndex") == 0 else 0)
    assert len(questions) == 1
    htmx_idle(page)
    # Declined: the typed text stays, and the status shows what is saved.
    assert page.get_by_label("Hvad").input_value() == "Book lokale til konferencen"
    assert status.input_value() == saved


def test_no_question_where_nothing_was_typed(browser_page, live_server):
    intervention, _leader = _team()
    gen_item(intervention, "long_term", "Barnet trives")
    gen_item(intervention, "short_term", "Tryg tilknytning")
    gen_core_element(intervention, "Tæt kontakt")
    gen_core_element(intervention, "Makkerpar", position=1)
    db.session.commit()
    page = browser_page
    login(page, live_server)
    questions = _record_questions(page)
    # The link form's "Til" list, narrowed by the script, is not something typed.
    page.goto(f"{live_server}/indsatser/{intervention.id}/forandringsteori")
    page.locator("#new-short_term").fill("Forældrene reagerer sensitivt")
    page.locator("#new-short_term").locator("xpath=..").get_by_role("button", name="Tilføj").click()
    page.locator("button.toc-text", has_text="Forældrene reagerer sensitivt").wait_for()
    htmx_idle(page)
    # A create refused with nothing typed holds nothing to lose.
    page.goto(f"{live_server}/indsatser/{intervention.id}/kerneelementer")
    page.get_by_text("Nyt kerneelement").click()
    page.get_by_role("button", name="Opret").click()
    page.locator("[aria-invalid='true']").first.wait_for()
    htmx_idle(page)
    page.get_by_role("button", name="Flyt Tæt kontakt ned").click()
    page.wait_for_function(
        "document.querySelector('.card-list li h2, .card-list li h3')"
        "?.textContent.includes('Makkerpar')"
    )
    htmx_idle(page)
    assert questions == []


def _graded_case(intervention, leader):
    phase = gen_phase(intervention, "Opstart")
    first = gen_core_element(intervention, "Tæt kontakt")
    second = gen_core_element(intervention, "Makkerpar", position=1)
    case = gen_case(intervention, "SP-1")
    gen_rating(case, phase, first, 2, rater=leader, comment="Familien aflyste")
    db.session.commit()
    return case, phase, first, second


def test_a_failed_rating_is_sent_again_by_the_same_digit(browser_page, live_server):
    intervention, leader = _team()
    case, phase, first, _second = _graded_case(intervention, leader)
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/forloeb/{case.id}")
    page.route("**/vurdering", lambda route: route.abort(), times=1)  # the network fails once
    cell = page.locator(f"#cell-{phase.id}-{first.id}")
    cell.focus()
    cell.press("4")
    page.locator(f"#state-{phase.id}-{first.id}.failed").wait_for()
    cell.press("4")  # "prøv igen"
    page.locator(f"#state-{phase.id}-{first.id}.saved").wait_for()
    latest = db.session.scalars(select(CoreElementRating).where(CoreElementRating.is_latest)).one()
    assert latest.score == 4


def test_a_comment_being_written_is_not_replaced_by_another_cells(browser_page, live_server):
    intervention, leader = _team()
    case, phase, first, second = _graded_case(intervention, leader)
    page = browser_page
    login(page, live_server)
    questions = _record_questions(page)
    page.goto(f"{live_server}/indsatser/{intervention.id}/forloeb/{case.id}")
    page.locator(f"#cell-{phase.id}-{first.id}").press("c")
    comment = page.locator("#comment-form textarea[name=comment]")
    assert comment.input_value() == "Familien aflyste"  # the cell's own comment, unchanged
    page.locator(f"#cell-{phase.id}-{second.id}").press("c")
    assert questions == []  # nothing typed yet: the other cell's (empty) comment comes in
    comment.fill("Makkerparret var ikke etableret")
    page.locator(f"#cell-{phase.id}-{first.id}").press("c")
    assert len(questions) == 1  # declined: the text being written stays
    assert comment.input_value() == "Makkerparret var ikke etableret"


def test_escape_in_a_comment_returns_to_its_cell_and_a_saved_comment_too(browser_page, live_server):
    intervention, leader = _team()
    case, phase, first, second = _graded_case(intervention, leader)
    page = browser_page
    login(page, live_server)
    questions = _record_questions(page)
    page.goto(f"{live_server}/indsatser/{intervention.id}/forloeb/{case.id}")
    cell = page.locator(f"#cell-{phase.id}-{first.id}")
    cell.press("c")
    comment = page.locator("#comment-form textarea[name=comment]")
    comment.fill("Makkerparret var ikke etableret")
    comment.press("Escape")
    assert page.evaluate("document.activeElement.id") == f"cell-{phase.id}-{first.id}"
    # C on the same cell goes back to the text as it was left, without asking.
    cell.press("c")
    assert questions == []
    assert comment.input_value() == "Makkerparret var ikke etableret"
    page.get_by_role("button", name="Gem kommentar").click()
    page.get_by_text("Kommentaren er gemt.").wait_for()
    htmx_idle(page)
    assert page.evaluate("document.activeElement.id") == f"cell-{phase.id}-{first.id}"


def _drag_core_element(page, source_index, onto_index):
    handles = page.locator("#core-elements .drag-handle")
    source = handles.nth(source_index).bounding_box()
    target = page.locator("#core-elements .item-card").nth(onto_index).bounding_box()
    page.mouse.move(source["x"] + 5, source["y"] + 5)
    page.mouse.down()
    page.mouse.move(target["x"] + 20, target["y"] + 10, steps=20)
    page.mouse.up()


def _core_titles(page):
    return page.locator("#core-elements .item-title").all_text_contents()


def test_a_drag_asks_before_typed_text_is_lost_and_a_declined_drop_goes_back(
    browser_page, live_server
):
    intervention, _leader = _team()
    for n, name in enumerate(["Første", "Anden", "Tredje"]):
        gen_core_element(intervention, name, position=n)
    db.session.commit()
    page = browser_page
    login(page, live_server)
    questions, answers = [], [False, True]
    page.on(
        "dialog",
        lambda d: (questions.append(d.message), d.accept() if answers.pop(0) else d.dismiss()),
    )
    page.goto(f"{live_server}/indsatser/{intervention.id}/kerneelementer")
    page.get_by_text("Nyt kerneelement").click()
    page.get_by_label("Navn").fill("Fælles sprog")
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    # Let go where it started: nothing to save, nothing asked.
    _drag_core_element(page, 1, 1)
    _drag_core_element(page, 2, 0)
    assert len(questions) == 1
    htmx_idle(page)
    # Declined: the card is back in its place, nothing was sent, the text is still there.
    assert _core_titles(page) == ["Første", "Anden", "Tredje"]
    assert posts == []
    assert page.get_by_label("Navn").input_value() == "Fælles sprog"

    # Accepted: the drop is saved.
    _drag_core_element(page, 2, 0)
    page.wait_for_function(
        "document.querySelectorAll('#core-elements .item-title')[0].textContent === 'Tredje'"
    )
    htmx_idle(page)
    assert len(questions) == 2
    assert _core_titles(page) == ["Tredje", "Første", "Anden"]
    page.reload()
    assert _core_titles(page) == ["Tredje", "Første", "Anden"]


def test_saving_a_theory_box_asks_before_another_editors_text_is_lost(browser_page, live_server):
    intervention, _leader = _team()
    gen_item(intervention, "activity", "Hjemmebesøg")
    gen_item(intervention, "short_term", "Tryg tilknytning")
    gen_assumption(intervention, text="Tilknytning etableres tidligt")
    db.session.commit()
    page = browser_page
    login(page, live_server)
    questions = _record_questions(page)
    page.goto(f"{live_server}/indsatser/{intervention.id}/forandringsteori")
    # An assumption being rewritten, then another box's text saved: the section is redrawn.
    page.locator(".assumption-card").get_by_role("button", name="Redigér").click()
    htmx_idle(page)
    page.locator(".assumption-card.editing textarea").first.fill(
        "Tilknytning etableres i graviditeten"
    )
    page.locator("button.toc-text", has_text="Tryg tilknytning").click()
    htmx_idle(page)
    box = page.locator("li.toc-card.editing textarea")
    box.fill("Tryg og sikker tilknytning")
    box.locator("xpath=ancestor::form").get_by_role("button", name="Gem").click()
    assert len(questions) == 1
    htmx_idle(page)
    # Declined: nothing sent, both editors and their text still there.
    assert page.locator(".assumption-card.editing textarea").first.input_value() == (
        "Tilknytning etableres i graviditeten"
    )
    assert box.input_value() == "Tryg og sikker tilknytning"
