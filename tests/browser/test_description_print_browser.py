"""The intervention description as it prints on A4 (Chromium's PDF and print media): core
elements run on inside their section instead of each starting a page, and after
publishing the heading names the version, not "Udkast"."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from improvement.extensions import db
from tests.browser.steps import htmx_idle, login, print_at_a4_width
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

pytestmark = pytest.mark.browser

# The style each core element prints with: whether it must start a page, and whether it
# is kept whole.
BREAKS = """() => [...document.querySelectorAll('.doc-core')].map((el) => {
    const style = getComputedStyle(el);
    return [style.breakBefore, style.breakInside];
})"""


def _world():
    org = gen_org("Demo Kommune Nord")
    lise = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    intervention = gen_intervention(org, name="Ny indsats")
    gen_member(intervention, lise, "leader")
    db.session.commit()
    return intervention


def _pages(pdf: bytes) -> int:
    """The number of pages of a PDF Chromium wrote (a /Type /Page object each)."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def _core_elements_from_template(page, live_server, intervention):
    page.goto(f"{live_server}/indsatser/{intervention.id}/kerneelementer")
    page.once("dialog", lambda dialog: dialog.accept())  # "Copy the four core elements …?"
    page.get_by_role("button", name=re.compile("^Start fra skabelon")).click()
    htmx_idle(page)
    page.locator(".item-title", has_text="Dialogbaseret kontakt").wait_for()


def test_template_core_elements_run_on_inside_their_section(browser_page, live_server):
    intervention = _world()
    page = browser_page
    login(page, live_server)
    _core_elements_from_template(page, live_server, intervention)
    page.goto(f"{live_server}/indsatser/{intervention.id}/indsatsbeskrivelse")
    assert page.locator(".doc-core").count() == 4

    pdf = page.pdf(format="A4")
    # Six sections, each on a page of its own; the four core elements (about half a page
    # each) take three pages together. Each on a page of its own made nine, with pages
    # three to six half empty.
    assert _pages(pdf) == 8

    print_at_a4_width(page)
    # None is forced onto a new page, and these long ones may break between paragraphs.
    assert page.evaluate(BREAKS) == [["auto", "auto"]] * 4
    # The section itself still starts a page.
    section = page.locator(".doc-section", has_text="3. Kerneelementer")
    assert section.evaluate("(el) => getComputedStyle(el).breakBefore") == "page"
    # Its paragraphs are never split, and a heading stays with the text under it.
    first = page.locator(".doc-core").first
    assert first.locator("p").first.evaluate("(el) => getComputedStyle(el).breakInside") == (
        "avoid"
    )
    assert first.locator("h3").evaluate("(el) => getComputedStyle(el).breakAfter") == "avoid"
    # Its heading is the head of its table, which Chromium prints again above the
    # paragraphs that go on at the next page.
    assert first.locator("thead h3").evaluate(
        "(el) => getComputedStyle(el.closest('thead')).display"
    ) == ("table-header-group")
    assert first.locator("tbody tr").count() == 4  # description, why, focus, practice


def test_printed_heading_names_the_version_just_published(browser_page, live_server):
    intervention = _world()
    page = browser_page
    login(page, live_server)
    url = f"{live_server}/indsatser/{intervention.id}/indsatsbeskrivelse"
    page.goto(url)
    kicker = page.locator(".doc-kicker")
    assert kicker.text_content() == "Indsatsbeskrivelse · Udkast, ingen version udgivet endnu"

    page.get_by_text("Udgiv en ny version…").click()
    page.get_by_label("Note").fill("Vedtaget på kvalitetsmødet")
    page.get_by_role("button", name="Udgiv version 1").click()
    page.get_by_text("Udkastet er det samme som version 1.").wait_for()

    print_at_a4_width(page)
    today = datetime.now(ZoneInfo("Europe/Copenhagen")).strftime("%d.%m.%Y")
    assert kicker.is_visible()
    assert kicker.inner_text() == f"INDSATSBESKRIVELSE · VERSION 1, UDGIVET {today}"
    assert page.pdf(format="A4")[:4] == b"%PDF"
