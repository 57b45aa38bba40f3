"""Two tabs, one session: a switch of organisation in one tab must not redirect the other
tab's writes into the organisation switched to."""

import pytest
from sqlalchemy import select

from improvement.extensions import db
from improvement.models import Intervention, Membership, ProgressScore
from tests.browser.steps import htmx_idle, login
from tests.helpers import gen_intervention, gen_org, gen_user

pytestmark = pytest.mark.browser


def test_a_tab_left_on_one_organisation_cannot_save_into_the_other(browser_page, live_server):
    nord, syd = gen_org("Demo Kommune Nord"), gen_org("Demo Syd")
    leader = gen_user(nord, role="leader", email="leder@nord.example", name="Lise Lund")
    db.session.add(Membership(user_id=leader.id, organization_id=syd.id, role="leader"))
    nordic = gen_intervention(nord, name="Spædbarnsindsats")
    db.session.commit()
    tab_a = browser_page
    login(tab_a, live_server)
    tab_a.goto(f"{live_server}/indsatser")
    tab_a.get_by_text("Ny indsats").click()
    tab_a.get_by_label("Navn").fill("Tænkt til Nord")
    progress = tab_a.context.new_page()
    progress.goto(f"{live_server}/indsatser/{nordic.id}/fremdrift")

    tab_b = tab_a.context.new_page()
    tab_b.goto(f"{live_server}/indsatser")
    tab_b.get_by_label("Organisation").select_option(label="Demo Syd")
    tab_b.get_by_text("Du arbejder nu i Demo Syd").wait_for()  # the switch has been made

    # An HTMX form: the message appears in place, the typed name stays in the form.
    tab_a.get_by_role("button", name="Opret indsats").click()
    message = tab_a.locator("#messages")
    message.get_by_text("men du har siden skiftet til Demo Syd").wait_for()
    htmx_idle(tab_a)
    assert tab_a.get_by_label("Navn").input_value() == "Tænkt til Nord"
    # A plain form: asked before it leaves the page, so the refusal shows beside it.
    progress.locator("label[for='score-20']").click()
    progress.get_by_label("Hvorfor denne score?").fill("Møderne kører nu fast")
    progress.get_by_role("button", name="Gem score").click()
    progress.locator("#messages").get_by_text("Siden hører til Demo Kommune Nord").wait_for()

    assert db.session.scalars(select(Intervention.name)).all() == ["Spædbarnsindsats"]
    assert db.session.scalars(select(ProgressScore)).all() == []

    # Switched back from the message, the typed name is still there and saves in Nord.
    tab_a.get_by_role("button", name="Skift tilbage til Demo Kommune Nord").click()
    message.get_by_text("Du arbejder igen i Demo Kommune Nord. Gem igen.").wait_for()
    tab_a.get_by_role("button", name="Opret indsats").click()
    tab_a.get_by_text("Indsatsen Tænkt til Nord er oprettet").wait_for()
    # Its "save again" message has done its job.
    message.get_by_text("Du arbejder igen i Demo Kommune Nord").wait_for(state="detached")
    created = db.session.scalars(select(Intervention).where(Intervention.name == "Tænkt til Nord"))
    assert created.one().organization_id == nord.id

    # The plain form's page switches back the same way, its text still there, and saves.
    progress.get_by_role("button", name="Skift tilbage til Demo Kommune Nord").click()
    progress.get_by_text("Du arbejder igen i Demo Kommune Nord").wait_for()
    assert progress.get_by_label("Hvorfor denne score?").input_value() == "Møderne kører nu fast"
    progress.get_by_role("button", name="Gem score").click()
    progress.get_by_text("Fremdriftsscoren er gemt.").wait_for()
    assert [s.note for s in db.session.scalars(select(ProgressScore))] == ["Møderne kører nu fast"]


def test_arrow_keys_on_the_switcher_choose_without_switching_and_enter_switches(
    browser_page, live_server
):
    # With three organisations, the third is reached with the keys without passing into
    # the second on the way.
    orgs = [gen_org(name) for name in ("Demo Kommune Nord", "Demo Midt", "Demo Syd")]
    leader = gen_user(orgs[0], role="leader", email="leder@nord.example", name="Lise Lund")
    for org in orgs[1:]:
        db.session.add(Membership(user_id=leader.id, organization_id=org.id, role="leader"))
    db.session.commit()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser")
    switcher = page.get_by_label("Organisation")
    assert switcher.input_value() == str(orgs[0].id)
    requests = []
    page.on("request", lambda r: requests.append(r.url) if r.method == "POST" else None)
    switcher.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert switcher.input_value() == str(orgs[2].id)
    assert requests == []  # nothing switched on the way
    assert page.get_by_role("button", name="Skift", exact=True).is_visible()
    page.keyboard.press("Enter")
    page.get_by_text("Du arbejder nu i Demo Syd").wait_for()
    # A choice with the mouse still switches at once.
    page.get_by_label("Organisation").select_option(label="Demo Midt")
    page.get_by_text("Du arbejder nu i Demo Midt").wait_for()
