"""The rating grid in a real browser: filled with the keyboard only, every cell saved."""

import pytest
from sqlalchemy import select

from improvement.extensions import db
from improvement.models import CoreElementRating
from tests.browser.steps import htmx_idle, login
from tests.cases.helpers import gen_case, gen_core_element, gen_phase
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

pytestmark = pytest.mark.browser


def test_fill_the_grid_with_the_keyboard_only(browser_page, live_server, tmp_path):
    org = gen_org("Demo Kommune Nord")
    user = gen_user(org, role="practitioner", email="behandler@nord.example", name="Bo Bach")
    intervention = gen_intervention(org, name="Intensiv spædbarnsindsats")
    gen_member(intervention, user)
    phases = [
        gen_phase(intervention, n, i) for i, n in enumerate(["Opstart", "Forløb", "Afslutning"])
    ]
    elements = [
        gen_core_element(intervention, n, i)
        for i, n in enumerate(["Tidlig tilstedeværelse", "Samspil i centrum", "Makkerpar"])
    ]
    case = gen_case(intervention, "SP-2026-001", practitioner_id=user.id)
    db.session.commit()
    page = browser_page
    login(page, live_server, "behandler@nord.example")
    page.goto(f"{live_server}/indsatser/{intervention.id}/forloeb/{case.id}")
    page.evaluate("window.__noReload = true")

    # Focus the first cell once; from there only keys: digits rate, arrows move.
    page.locator(".rating-input").first.focus()
    expected = {}
    for row, element in enumerate(elements):
        for col, phase in enumerate(phases):
            score = (row + col) % 5 + 1
            page.keyboard.press(str(score))
            expected[(phase.id, element.id)] = score
            state = page.locator(f"#state-{phase.id}-{element.id}")
            state.filter(has_text="Gemt").wait_for()
            if col < len(phases) - 1:
                page.keyboard.press("ArrowRight")
        if row < len(elements) - 1:
            page.keyboard.press("ArrowDown")
            for _ in range(len(phases) - 1):
                page.keyboard.press("ArrowLeft")

    # A key that is not on the scale changes nothing and says why.
    page.keyboard.press("7")
    last = f"#state-{phases[-1].id}-{elements[-1].id}"
    assert "Tast 1–5" in page.locator(last).inner_text()
    # Revise the current cell (last phase, last row): the history keeps both.
    assert expected[(phases[-1].id, elements[-1].id)] == 5
    page.keyboard.press("1")
    page.locator(last).filter(has_text="Gemt").wait_for()
    expected[(phases[-1].id, elements[-1].id)] = 1

    # C opens the comment form for the focused cell; Tab reaches the save button.
    page.keyboard.press("c")
    assert page.evaluate("document.activeElement.name") == "comment"
    page.keyboard.type("Familien aflyste et besøg.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_text("Kommentaren er gemt.").wait_for()
    assert page.evaluate("window.__noReload") is True
    page.screenshot(path=str(tmp_path / "grid.png"), full_page=True)

    db.session.expire_all()
    rows = list(db.session.scalars(select(CoreElementRating).order_by(CoreElementRating.id)))
    latest = {}
    for r in rows:
        latest[(r.phase_id, r.core_element_id)] = r
    assert {key: r.score for key, r in latest.items()} == expected
    assert latest[(phases[-1].id, elements[-1].id)].comment == "Familien aflyste et besøg."
    assert len(rows) == len(expected) + 2  # one revision and one comment row


def _one_cell_case(page, live_server):
    """A practitioner's case page with one phase and one core element: one cell to rate."""
    org = gen_org("Demo Kommune Nord")
    user = gen_user(org, role="practitioner", email="behandler@nord.example")
    intervention = gen_intervention(org)
    gen_member(intervention, user)
    phase = gen_phase(intervention, "Opstart")
    element = gen_core_element(intervention, "Samspil")
    case = gen_case(intervention, "SP-1")
    db.session.commit()
    login(page, live_server, "behandler@nord.example")
    page.goto(f"{live_server}/indsatser/{intervention.id}/forloeb/{case.id}")
    return phase, element


def test_refused_cell_shows_why(browser_page, live_server, tmp_path):
    page = browser_page
    phase, element = _one_cell_case(page, live_server)
    # The element is archived by someone else while the page is open.
    element.archived = True
    db.session.commit()
    page.locator(".rating-input").first.focus()
    page.keyboard.press("3")
    state = page.locator(f"#state-{phase.id}-{element.id}")
    state.filter(has_text="arkiveret").wait_for()
    # Marked as failed once htmx has settled the swap (not by colour alone: the text says why).
    page.locator(f"#state-{phase.id}-{element.id}.failed").wait_for()
    page.screenshot(path=str(tmp_path / "refused.png"))


def test_an_empty_comment_says_nothing_was_saved_and_emptying_one_removes_it(
    browser_page, live_server
):
    page = browser_page
    phase, element = _one_cell_case(page, live_server)
    page.locator(".rating-input").first.focus()
    page.keyboard.press("3")
    page.locator(f"#state-{phase.id}-{element.id}").filter(has_text="Gemt").wait_for()

    def save_comment(text):
        # Each key once the last answer has settled and the comment field has the focus:
        # keys sent into a page being swapped reach whatever holds the focus (a link).
        htmx_idle(page)
        page.locator(".rating-input").first.focus()
        page.keyboard.press("c")
        page.wait_for_function(
            "document.activeElement && document.activeElement.name === 'comment'"
        )
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.press("Delete")
        if text:
            page.keyboard.type(text)
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")

    # Nothing typed: said at the field, the text area keeps the focus, nothing is written.
    save_comment("")
    message = page.locator("#comment-help")
    message.filter(has_text="Kommentaren er tom, så intet er gemt.").wait_for()
    assert page.get_by_text("Kommentaren er gemt.").count() == 0
    # The focus returns once the answer has settled (app.js), a moment after the message.
    page.wait_for_function("document.activeElement && document.activeElement.name === 'comment'")
    assert page.locator("#comment").get_attribute("aria-invalid") == "true"
    rows = list(db.session.scalars(select(CoreElementRating)))
    assert [(r.score, r.comment) for r in rows] == [(3, "")]

    save_comment("Familien aflyste.")
    page.get_by_text("Kommentaren er gemt.").wait_for()
    # Emptied: the cell's comment is removed, and the page says so.
    save_comment("")
    page.get_by_text("Kommentaren er fjernet fra cellen; historikken gemmer den.").wait_for()
    assert page.locator(f"#mark-{phase.id}-{element.id} .comment-mark").count() == 0
    db.session.expire_all()
    rows = list(db.session.scalars(select(CoreElementRating).order_by(CoreElementRating.id)))
    assert [r.comment for r in rows] == ["", "Familien aflyste.", ""]
