"""What only a browser shows on the description pages: a double click on "Publish" makes one
version; two editors of a core element end with both their links; a step typed into a
phase archived meanwhile is refused in place with the text kept; and what the pages print
without (controls, hints, a second copy of an address)."""

import contextlib
import time

import pytest
from sqlalchemy import select

from improvement.extensions import db
from improvement.models import AssumptionReference, DescriptionVersion
from tests.browser.steps import LEADER, htmx_idle, login, print_at_a4_width
from tests.description.factories import (
    gen_assumption,
    gen_core_element,
    gen_item,
    gen_phase,
)
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

pytestmark = pytest.mark.browser

SHOWN = "(el) => getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0"


def _world():
    org = gen_org("Demo Kommune Nord")
    lise = gen_user(org, role="leader", email=LEADER, name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, lise, "leader")
    db.session.commit()
    return intervention


def _shown(locator) -> bool:
    return locator.evaluate(SHOWN)


def test_a_double_click_on_publish_makes_one_version(browser_page, live_server):
    intervention = _world()
    gen_core_element(intervention, name="Tæt kontakt")
    db.session.commit()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/indsatsbeskrivelse")
    page.get_by_text("Udgiv en ny version…").click()
    page.get_by_label("Note").fill("Vedtaget på kvalitetsmødet")

    # A server that takes a while to answer: the first publish is saved, and its answer
    # is still on the way when the second click of a double click sends the form again.
    posts = []

    def slow_answer(route):
        if route.request.method != "POST":
            route.continue_()
            return
        posts.append(route.request.url)
        response = route.fetch(max_redirects=0)
        if len(posts) == 1:
            time.sleep(0.8)
        # The browser may have dropped this answer for the second click's.
        with contextlib.suppress(Exception):
            route.fulfill(response=response)

    page.route("**/indsatsbeskrivelse/versioner", slow_answer)
    page.evaluate(
        """() => {
            const button = [...document.querySelectorAll("button")]
              .find((b) => b.textContent.trim() === "Udgiv version 1");
            button.click();
            setTimeout(() => button.click(), 250);
        }"""
    )
    page.get_by_text("Udkastet er det samme som version 1.").wait_for()
    # The second click is dropped in the page (a plain form is sent once); were it sent,
    # the server would publish once (test_versions_language_and_publishing.py).
    assert len(posts) == 1
    assert page.locator(".flash").all_inner_texts() == ["Version 1 er udgivet."]
    assert page.locator(".flash-error").count() == 0
    db.session.expire_all()
    assert db.session.scalars(select(DescriptionVersion.number)).all() == [1]


def test_two_editors_of_a_core_element_keep_both_their_links(browser_page, live_server):
    intervention = _world()
    gen_item(intervention, "activity", "Hjemmebesøg", position=0)
    gen_item(intervention, "activity", "Forældregruppe", position=1)
    element = gen_core_element(intervention, name="Tæt kontakt")
    db.session.commit()
    page = browser_page
    login(page, live_server)
    url = f"{live_server}/indsatser/{intervention.id}/kerneelementer"
    mine, theirs = page, page.context.new_page()
    for tab in (mine, theirs):
        tab.goto(url)
        tab.locator(f"#core-{element.id}").get_by_role("button", name="Redigér").click()
        htmx_idle(tab)
    # The colleague ticks the home visits and saves first.
    theirs.locator(f"#core-{element.id}").get_by_label("A1: Hjemmebesøg").check()
    theirs.locator(f"#core-{element.id}").get_by_role("button", name="Gem").click()
    theirs.locator(f"#core-{element.id} .chip", has_text="A1").wait_for()
    # This user ticks the parents' group and writes why: refused, their link shown.
    card = mine.locator(f"#core-{element.id}")
    card.get_by_label("A2: Forældregruppe").check()
    card.get_by_label("Hvorfor er kerneelementet vigtigt?").fill("Relationen bærer")
    card.get_by_role("button", name="Gem").click()
    panel = card.locator(".their-version")
    panel.wait_for()
    htmx_idle(mine)
    assert "Hjemmebesøg" in panel.inner_text()
    assert card.get_by_label("A1: Hjemmebesøg").is_checked()
    assert card.get_by_label("A2: Forældregruppe").is_checked()
    card.get_by_role("button", name="Gem").click()
    mine.locator(f"#core-{element.id} .chip", has_text="A2").wait_for()
    htmx_idle(mine)
    assert card.locator(".chip").all_text_contents() == ["A1", "A2"]
    assert "Relationen bærer" in card.inner_text()


def test_a_step_typed_into_a_phase_archived_meanwhile_is_refused_in_place(
    browser_page, live_server
):
    intervention = _world()
    phase = gen_phase(intervention, "Opstart")
    db.session.commit()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/arbejdsgange")
    panel = page.locator(f"#step-new-{phase.id}")
    panel.locator("summary").click()
    panel.get_by_label("Trin").fill("Opstartsmøde")
    panel.get_by_label("Barnet eller den unge").fill("Barnet er med")
    # Archived in another tab meanwhile.
    phase.archived = True
    db.session.commit()
    panel.get_by_role("button", name="Tilføj trin").click()
    panel = page.locator(f"#step-new-{phase.id}")
    panel.locator(".flash-error").wait_for()
    htmx_idle(page)
    assert (
        "En anden har arkiveret fasen i mellemtiden" in panel.locator(".flash-error").inner_text()
    )
    assert panel.get_by_label("Trin").input_value() == "Opstartsmøde"
    assert panel.get_by_label("Barnet eller den unge").input_value() == "Barnet er med"


# ---------------------------------------------------------------- print


def test_the_compare_page_prints_without_its_controls(browser_page, live_server):
    intervention = _world()
    gen_core_element(intervention, name="Tæt kontakt")
    db.session.commit()
    page = browser_page
    login(page, live_server)
    base = f"{live_server}/indsatser/{intervention.id}/indsatsbeskrivelse"
    page.goto(base)
    page.get_by_text("Udgiv en ny version…").click()
    page.get_by_label("Note").fill("Første")
    page.get_by_role("button", name="Udgiv version 1").click()
    page.get_by_text("Version 1 er udgivet.").wait_for()
    gen_core_element(intervention, name="Makkerpar", position=1)
    db.session.commit()
    page.goto(f"{base}/sammenlign?fra=1&til=draft")
    print_at_a4_width(page)
    assert not _shown(page.locator(".compare-form"))
    assert not _shown(page.locator("a", has_text="Tilbage til indsatsbeskrivelsen"))
    title = page.locator(".compare-print-title")
    assert _shown(title) and title.inner_text() == "Version 1 → Nuværende udkast"
    heading = page.locator("#comparison h3").first
    assert heading.evaluate("(el) => getComputedStyle(el).breakAfter") == "avoid"
    assert page.pdf(format="A4")[:4] == b"%PDF"


def test_theory_and_core_elements_print_without_hints_and_buttons(browser_page, live_server):
    intervention = _world()
    assumption = gen_assumption(
        intervention,
        text="Tilknytning etableres tidligt, når forældrene får støtte til at aflæse barnets "
        "signaler i hverdagen",
    )
    db.session.add(
        AssumptionReference(
            organization_id=intervention.organization_id,
            assumption_id=assumption.id,
            author="VIVE",
            year=2024,
            title="Rapport",
            url="https://www.vive.dk/rapport",
        )
    )
    gen_core_element(intervention, name="Tæt kontakt")
    db.session.commit()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/forandringsteori")
    print_at_a4_width(page)
    printed = page.locator("main").inner_text()
    assert "Klik på et punkt" not in printed
    references = page.locator(".references").first
    # The address once, as text: the link (which print follows with its address) is not.
    assert references.inner_text().count("https://www.vive.dk/rapport") == 1
    assert not _shown(references.locator("a"))

    page.goto(f"{live_server}/indsatser/{intervention.id}/kerneelementer")
    print_at_a4_width(page)
    printed = page.locator("main").inner_text()
    assert "Træk et kort" not in printed and "Start fra skabelon" not in printed
    assert "Tæt kontakt" in printed
