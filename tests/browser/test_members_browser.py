"""The members page in a browser: a role that takes someone off their teams is asked about
before it is saved."""

import pytest
from sqlalchemy import select

from improvement.extensions import db
from improvement.models import Membership
from tests.browser.steps import htmx_idle, login
from tests.helpers import gen_org, gen_user

pytestmark = pytest.mark.browser


def _role(user):
    db.session.expire_all()
    return db.session.scalar(select(Membership.role).where(Membership.user_id == user.id))


def test_making_someone_an_evaluator_asks_first(browser_page, live_server):
    org = gen_org("Demo Kommune Nord")
    gen_user(org, role="admin", email="admin@nord.example", name="Anna Admin")
    pernille = gen_user(org, role="partner", name="Pernille Pagh")
    db.session.commit()
    page = browser_page
    login(page, live_server, "admin@nord.example")
    page.goto(f"{live_server}/organisation/medlemmer")
    role = page.get_by_label("Rolle for Pernille Pagh")
    questions = []
    page.once("dialog", lambda d: (questions.append(d.message), d.dismiss()))
    role.select_option("evaluator")
    htmx_idle(page)
    assert questions and questions[0].startswith("Gør Pernille Pagh til Evaluator")
    assert role.input_value() == "partner"
    assert _role(pernille) == "partner"

    # Another writing role is saved at once, as before.
    role.select_option("practitioner")
    htmx_idle(page)
    assert _role(pernille) == "practitioner"
    assert len(questions) == 1


def test_a_role_chosen_with_the_arrow_keys_is_saved_by_enter_only(browser_page, live_server):
    org = gen_org("Demo Kommune Nord")
    gen_user(org, role="admin", email="admin@nord.example", name="Anna Admin")
    birgitte = gen_user(org, role="practitioner", name="Birgitte Bach")
    db.session.commit()
    page = browser_page
    login(page, live_server, "admin@nord.example")
    page.goto(f"{live_server}/organisation/medlemmer")
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    role = page.get_by_label("Rolle for Birgitte Bach")
    role.focus()
    page.keyboard.press("ArrowDown")  # practitioner → authority
    page.keyboard.press("ArrowDown")  # → partner
    assert role.input_value() == "partner"
    assert posts == [] and _role(birgitte) == "practitioner"
    hints = page.get_by_text("Tryk Enter for at gemme valget.")
    assert [hint.is_visible() for hint in hints.all()] == [False, True]  # Birgitte's only
    page.keyboard.press("Enter")
    htmx_idle(page)
    assert _role(birgitte) == "partner" and len(posts) == 1

    # Chosen and left without Enter: nothing sent, the saved role shows again.
    role = page.get_by_label("Rolle for Birgitte Bach")
    role.focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Tab")
    assert role.input_value() == "partner" and len(posts) == 1
