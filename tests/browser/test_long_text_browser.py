"""A text pasted past its limit is kept whole: a count under the field says how much to
shorten, and saving it anyway says so at the field with the text still there."""

import pytest
from sqlalchemy import select

from improvement.extensions import db
from improvement.models import Intervention
from tests.browser.steps import login
from tests.helpers import gen_intervention, gen_org, gen_user

pytestmark = pytest.mark.browser


def _editing_an_intervention(page, live_server):
    """A leader with the intervention "Familiehuset"'s editor open and settled."""
    org = gen_org("Demo Kommune Nord")
    gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    intervention = gen_intervention(org, name="Familiehuset")
    db.session.commit()
    login(page, live_server, "leder@nord.example")
    page.goto(f"{live_server}/indsatser/{intervention.id}")
    page.get_by_role("button", name="Redigér").click()
    # The editor is swapped in and settled before typing: typed into a form that is then
    # replaced, the text would be lost to the test, not to the app.
    page.get_by_role("button", name="Gem").wait_for()
    page.wait_for_load_state("networkidle")
    return intervention


def test_pasted_text_past_the_limit_is_counted_not_cut(browser_page, live_server, tmp_path):
    page = browser_page
    intervention = _editing_an_intervention(page, live_server)
    purpose = page.get_by_label("Formål")
    text = ("Familien får støtte i hverdagen. " * 70)[:2150] + "Sidste sætning."
    purpose.fill(text)  # as a paste: the whole text at once
    assert purpose.input_value() == text  # nothing cut
    counter = page.locator(".char-count.over")
    assert counter.inner_text() == "2.165 af højst 2.000 tegn"
    page.screenshot(path=str(tmp_path / "over.png"))

    page.get_by_role("button", name="Gem").click()
    page.locator(".field-error", has_text="højst være 2.000 tegn").wait_for()
    assert page.get_by_label("Formål").input_value() == text
    db.session.expire_all()
    assert (
        db.session.scalar(select(Intervention.purpose).where(Intervention.id == intervention.id))
        != text
    )

    # Shortened below the limit, the count goes and the text saves.
    page.get_by_label("Formål").fill(text[:1500])
    assert page.locator(".char-count").count() == 0
    page.get_by_role("button", name="Gem").click()
    page.get_by_role("heading", name="Familiehuset").wait_for()
    db.session.expire_all()
    saved = db.session.scalar(
        select(Intervention.purpose).where(Intervention.id == intervention.id)
    )
    assert saved == text[:1500].strip()


def test_a_name_pasted_past_its_limit_is_counted_not_cut(browser_page, live_server):
    page = browser_page
    intervention = _editing_an_intervention(page, live_server)
    name = page.get_by_label("Navn")
    text = ("Familiehuset – intensiv støtte til familier med spædbørn " * 4).strip()  # 227
    name.fill(text)  # as a paste: the whole text at once
    assert name.input_value() == text  # nothing cut
    assert page.locator(".char-count.over").inner_text() == "227 af højst 200 tegn"

    page.get_by_role("button", name="Gem").click()
    page.locator(".field-error", has_text="højst være 200 tegn").wait_for()
    assert page.get_by_label("Navn").input_value() == text
    db.session.expire_all()
    assert db.session.get(Intervention, intervention.id).name == "Familiehuset"
