"""Removing a follow-up in a real browser: the question is asked first, and cancelling it
sends nothing."""

from datetime import date

import pytest
from sqlalchemy import select

from improvement.extensions import db
from improvement.models import CaseFollowUp, CoreElementRating
from tests.browser.steps import htmx_idle, login
from tests.cases.helpers import gen_case, gen_core_element, gen_phase, gen_rating
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

pytestmark = pytest.mark.browser


def _days():
    db.session.expire_all()
    return sorted(db.session.scalars(select(CaseFollowUp.held_on)))


def test_remove_a_follow_up_after_confirming(browser_page, live_server):
    org = gen_org("Demo Kommune Nord")
    user = gen_user(org, role="practitioner", email="behandler@nord.example")
    intervention = gen_intervention(org, name="Intensiv spædbarnsindsats")
    gen_member(intervention, user)
    case = gen_case(
        intervention,
        "SP-2026-070",
        start=date(2026, 6, 1),
        followups=[date(2026, 8, 15), date(2026, 12, 1)],
    )
    db.session.commit()
    page = browser_page
    login(page, live_server, "behandler@nord.example")
    page.goto(f"{live_server}/indsatser/{intervention.id}/forloeb/{case.id}")
    button = page.get_by_role("button", name="Fjern opfølgningen holdt den 01.12.2026")
    questions = []

    # Cancelled: nothing is sent, nothing removed.
    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    button.click()
    htmx_idle(page)
    assert questions == [
        "Fjern opfølgningen holdt den 01.12.2026? Gør det kun, hvis den er registreret ved en "
        "fejl: den tæller så ikke længere med i opfølgningstallene."
    ]
    assert _days() == [date(2026, 8, 15), date(2026, 12, 1)]

    # Confirmed: the section is swapped in place and says what was removed.
    page.once("dialog", lambda dialog: dialog.accept())
    button.click()
    page.locator("#followups").get_by_text("Opfølgningen den 01.12.2026 er fjernet.").wait_for()
    htmx_idle(page)
    assert _days() == [date(2026, 8, 15)]
    held = page.locator("#followups .followup-list li")
    assert held.count() == 1 and held.first.inner_text().startswith("15.08.2026")
    assert "15. februar 2027" in page.locator("#followups").inner_text()


def _rating_world(code, *, own_rating=None, second_phase=False):
    """A practitioner and a colleague on one intervention's team, and a case with one
    cell (Opstart × Tidlig tilstedeværelse), rated `own_rating` by the practitioner."""
    org = gen_org("Demo Kommune Nord")
    user = gen_user(org, role="practitioner", email="behandler@nord.example")
    colleague = gen_user(org, role="practitioner", name="Frederik Friis")
    intervention = gen_intervention(org, name="Intensiv spædbarnsindsats")
    gen_member(intervention, user)
    gen_member(intervention, colleague)
    phase = gen_phase(intervention, "Opstart")
    if second_phase:
        gen_phase(intervention, "Forløb", position=1)
    element = gen_core_element(intervention, "Tidlig tilstedeværelse")
    case = gen_case(intervention, code, start=date(2026, 1, 5))
    if own_rating is not None:
        gen_rating(case, phase, element, own_rating, rater=user)
    db.session.commit()
    return colleague, intervention, phase, element, case


def _open_case(page, live_server, intervention, case):
    login(page, live_server, "behandler@nord.example")
    page.goto(f"{live_server}/indsatser/{intervention.id}/forloeb/{case.id}")


def test_a_cell_someone_else_rated_meanwhile_says_so_and_the_same_digit_then_replaces_it(
    browser_page, live_server
):
    colleague, intervention, phase, element, case = _rating_world("SP-2026-071", second_phase=True)
    page = browser_page
    _open_case(page, live_server, intervention, case)
    # Meanwhile, in the colleague's browser, the cell gets a 5.
    gen_rating(case, phase, element, 5, rater=colleague)
    db.session.commit()

    cell = page.locator(f"#cell-{phase.id}-{element.id}")
    state = page.locator(f"#state-{phase.id}-{element.id}")
    width = cell.locator("xpath=..").bounding_box()["width"]
    cell.focus()
    page.keyboard.press("2")
    state.get_by_text("Frederik Friis har givet 5 i mellemtiden").wait_for()
    htmx_idle(page)
    assert _scores() == [5]
    # The cell shows what is saved, in its colour, and no wider than the others.
    assert cell.input_value() == "5"
    assert "score-5" in cell.locator("xpath=..").get_attribute("class")
    assert abs(cell.locator("xpath=..").bounding_box()["width"] - width) < 2
    # The same digit again: now knowingly, it replaces the colleague's rating.
    page.keyboard.press("2")
    state.get_by_text("Gemt").wait_for()
    htmx_idle(page)
    assert _scores() == [5, 2]
    assert cell.input_value() == "2"


def test_a_refused_entry_shows_the_saved_rating_again(browser_page, live_server):
    _colleague, intervention, phase, element, case = _rating_world("SP-2026-072", own_rating=4)
    page = browser_page
    _open_case(page, live_server, intervention, case)
    cell = page.locator(f"#cell-{phase.id}-{element.id}")
    cell.focus()
    page.keyboard.press("Backspace")
    page.keyboard.press("Tab")
    page.locator(f"#state-{phase.id}-{element.id}").get_by_text("Brug et helt tal").wait_for()
    htmx_idle(page)
    assert cell.input_value() == "4"
    assert "score-4" in cell.locator("xpath=..").get_attribute("class")
    assert _scores() == [4]


def _scores():
    db.session.expire_all()
    return list(db.session.scalars(select(CoreElementRating.score).order_by(CoreElementRating.id)))


def test_the_digit_a_stale_cell_shows_is_sent_and_learns_of_a_colleagues_change(
    browser_page, live_server
):
    colleague, intervention, phase, element, case = _rating_world("SP-2026-073", own_rating=4)
    page = browser_page
    _open_case(page, live_server, intervention, case)
    gen_rating(case, phase, element, 2, day=date(2026, 2, 2), rater=colleague)
    db.session.commit()
    cell = page.locator(f"#cell-{phase.id}-{element.id}")
    cell.focus()
    page.keyboard.press("4")  # what the stale page shows
    page.locator(f"#state-{phase.id}-{element.id}").get_by_text(
        "Frederik Friis har givet 2 i mellemtiden"
    ).wait_for()
    htmx_idle(page)
    assert cell.input_value() == "2" and _scores() == [4, 2]
