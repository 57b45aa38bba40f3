"""Accessibility fixes only a browser shows (WCAG 2.1 AA): the pages reflow at 320 px, the
focus ring and the fields' edges have 3:1 contrast, and focus and news after a removal."""

from datetime import date

import pytest
from sqlalchemy import select

from improvement.extensions import db
from improvement.models import Case, Meeting, ProgressScore
from tests.assessments.helpers import gen_respondent, gen_round, shared_instrument
from tests.browser.steps import htmx_idle, login
from tests.cases.helpers import gen_case, gen_core_element, gen_phase, gen_rating
from tests.description.factories import gen_item
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_action_item, gen_meeting
from tests.pdsa.test_board import board_world

pytestmark = pytest.mark.browser

ADMIN = "admin@nord.example"

# The page's, a panel's and a board column's backgrounds: a focus ring and a field's edge
# must stand out from each (WCAG 1.4.11, 3:1).
BACKGROUNDS = ["rgb(255, 255, 255)", "rgb(245, 247, 249)", "rgb(233, 238, 242)"]

CONTRAST = """([a, b]) => {
  const lum = (c) => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map((v) => {
      v = v / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const [x, y] = [lum(a), lum(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}"""


def contrast(page, a, b) -> float:
    return page.evaluate(CONTRAST, [a, b])


def world():
    """An intervention with every kind of wide table: team, meetings with action items,
    progress scores, a self-assessment round, rated cases."""
    org = gen_org("Demo Kommune Nord")
    leader = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    gen_user(org, role="admin", email=ADMIN, name="Anne Administrator")
    bo = gen_user(org, role="practitioner", email="bo@nord.example", name="Bo Behandler")
    intervention = gen_intervention(
        org, name="Intensiv spædbarnsindsats", target_group="Gravide og nybagte forældre"
    )
    gen_member(intervention, leader, "leader")
    gen_member(intervention, bo)
    meeting = gen_meeting(intervention, decisions="Fast dagsorden for konferencerne")
    gen_action_item(meeting, what="Udkast til fast dagsorden", owner=bo)
    db.session.add(
        ProgressScore(
            organization_id=org.id,
            intervention_id=intervention.id,
            score_tenths=25,
            assessed_on=date(2026, 3, 1),
            note="Ændringer afprøvet, men endnu ingen forbedring at se.",
            set_by_id=leader.id,
        )
    )
    round_ = gen_round(intervention, shared_instrument(), name="Baseline 2026")
    gen_respondent(round_, leader, "leader")
    gen_respondent(round_, bo, "practitioner")
    phase = gen_phase(intervention, "Opstart")
    element = gen_core_element(intervention, "Tidlig og intensiv tilstedeværelse")
    case = gen_case(intervention, "IS-2026-001")
    gen_rating(case, phase, element, 4)
    db.session.commit()
    return intervention, round_


def test_at_320_pixels_no_page_scrolls_sideways_and_the_user_menu_is_on_screen(
    browser_page, live_server
):
    intervention, round_ = world()
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 640})
    base = f"/indsatser/{intervention.id}"
    pages = [
        "/indsatser",
        base,
        f"{base}/fremdrift",
        f"{base}/moeder",
        f"{base}/moeder/{meeting_id(intervention)}",
        f"{base}/selvevaluering",
        f"{base}/selvevaluering/{round_.id}",
        f"{base}/selvevaluering/{round_.id}/besvar",
        f"{base}/kvalitet",
        f"{base}/import",
        "/problemkategorier",
        "/organisation/medlemmer",
    ]
    login(page, live_server, ADMIN)
    for path in pages:
        page.goto(live_server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width} px wide"
    # The header's last item, the user menu, opens within the screen.
    page.locator(".user-menu summary").click()
    log_out = page.get_by_role("button", name="Log ud").bounding_box()
    assert log_out["x"] >= 0 and log_out["x"] + log_out["width"] <= 320


def test_wide_the_header_is_one_line_as_before(browser_page, live_server):
    world()
    page = browser_page
    login(page, live_server, ADMIN)
    for width in (1366, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        boxes = page.evaluate(
            "[...document.querySelectorAll('.app-header nav > ul > li')]"
            ".map((li) => { const r = li.getBoundingClientRect(); return [r.top, r.bottom]; })"
        )
        # One line: every item's box spans the same strip of the screen.
        assert max(top for top, _ in boxes) < min(bottom for _, bottom in boxes), boxes


def test_the_answer_bar_wraps_at_320_and_does_not_cover_the_statements(browser_page, live_server):
    intervention, round_ = world()
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 640})
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/selvevaluering/{round_.id}/besvar")
    page.locator("#element-6").scroll_into_view_if_needed()
    bar = page.locator(".answer-bar").bounding_box()
    assert bar["y"] + bar["height"] <= 0  # scrolled away with the page, not stuck on top


def test_the_focus_ring_stands_out_on_every_background_and_around_a_dark_button(
    browser_page, live_server
):
    intervention, round_ = world()
    page = browser_page
    login(page, live_server)
    # The ring's colours as they end, not part-way through Pico's transition to them (read
    # too soon on a busy machine, the light ring was still transparent).
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{live_server}/indsatser/{intervention.id}/selvevaluering/{round_.id}")
    button = page.get_by_role("button", name="Besvar selvevalueringen")
    button.focus()
    page.keyboard.press("Shift")  # a key press: the browser shows focus as from the keyboard
    ring = button.evaluate(
        "(el) => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth,"
        " s.outlineColor, s.boxShadow, s.backgroundColor]; }"
    )
    style, width, outline, shadow, fill = ring
    assert style == "solid" and float(width.rstrip("px")) >= 2
    for background in BACKGROUNDS:
        assert contrast(page, outline, background) >= 3, (outline, background)
    # Between the dark button and the dark ring, a light ring that stands out from both.
    inner = shadow.split(")")[0] + ")"
    assert contrast(page, inner, fill) >= 3 and contrast(page, inner, outline) >= 3


def test_field_edges_stand_out_from_the_field_and_the_page(browser_page, live_server):
    intervention, _ = world()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/moeder/{meeting_id(intervention)}")
    field = page.locator("form.add-item input[name=what]")
    edge, fill = field.evaluate(
        "(el) => [getComputedStyle(el).borderTopColor, getComputedStyle(el).backgroundColor]"
    )
    for background in [fill, *BACKGROUNDS]:
        assert contrast(page, edge, background) >= 3, (edge, background)

    # A rating's box on every score colour of the grid.
    page.goto(f"{live_server}/indsatser/{intervention.id}/forloeb/{case_id(intervention)}")
    box = page.locator(".rating-input").first
    edge = box.evaluate("(el) => getComputedStyle(el).borderTopColor")
    for score in range(1, 6):
        cell = page.evaluate(
            """(score) => { const el = document.createElement('td');
                 el.className = 'score-' + score; document.body.appendChild(el);
                 const c = getComputedStyle(el).backgroundColor; el.remove(); return c; }""",
            score,
        )
        assert contrast(page, edge, cell) >= 3, (edge, cell)


def meeting_id(intervention) -> int:
    return db.session.scalar(select(Meeting.id).where(Meeting.intervention_id == intervention.id))


def case_id(intervention) -> int:
    return db.session.scalar(select(Case.id).where(Case.intervention_id == intervention.id))


def mark(page, selector):
    page.evaluate(f"document.querySelector({selector!r}).__kept = true")


def kept(page, selector) -> bool:
    return page.evaluate(f"document.querySelector({selector!r}).__kept === true")


def test_removing_a_theory_link_keeps_focus_at_the_links_and_says_so(browser_page, live_server):
    org = gen_org("Demo Kommune Nord")
    leader = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, leader)
    visit = gen_item(intervention, "activity", "Hjemmebesøg")
    group = gen_item(intervention, "activity", "Forældregruppe", position=1)
    bond = gen_item(intervention, "short_term", "Tryg tilknytning")
    db.session.commit()
    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/forandringsteori")
    for source in (visit, group):
        page.locator("select[name=source_id]").select_option(str(source.id))
        page.locator("select[name=target_id]").select_option(str(bond.id))
        page.get_by_role("button", name="Tilføj forbindelse").click()
        htmx_idle(page)
    mark(page, "#messages")

    page.get_by_role("button", name="Fjern forbindelsen A1 → K1").focus()
    page.keyboard.press("Enter")
    page.locator("#messages").get_by_text("Forbindelsen A1 → K1 er fjernet.").wait_for()
    htmx_idle(page)
    # Not the aim's Edit button far above, nor the next link's Remove: the list of links.
    assert page.evaluate("document.activeElement.id") == "toc-links"
    assert page.get_by_role("button", name="Fjern forbindelsen A2 → K1").count() == 1
    assert kept(page, "#messages")


def test_removing_a_respondent_moves_focus_to_the_list_not_the_next_persons_button(
    browser_page, live_server
):
    intervention, round_ = world()
    page = browser_page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/selvevaluering/{round_.id}")
    mark(page, "#messages")
    page.get_by_role("button", name="Fjern Bo Behandler fra runden").focus()
    page.keyboard.press("Enter")
    page.locator("#messages").get_by_text("Bo Behandler er fjernet fra runden.").wait_for()
    htmx_idle(page)
    assert page.evaluate("document.activeElement.id") == "respondents"
    assert kept(page, "#messages")
    # A second Enter removes nobody else.
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert len(dialogs) == 1
    assert page.get_by_role("button", name="Fjern Lise Lund fra runden").count() == 1


def test_a_saved_answer_is_said_by_the_same_live_region_naming_the_answer(
    browser_page, live_server
):
    intervention, round_ = world()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/selvevaluering/{round_.id}/besvar")
    form = page.locator("form.statement").first
    region = form.locator("[role=status]")
    region.evaluate("(el) => { el.__kept = true; }")
    form.get_by_label("I høj grad").check()
    region.get_by_text("Gemt: I høj grad").wait_for()
    form.get_by_label("I mindre grad").check()
    region.get_by_text("Gemt: I mindre grad").wait_for()
    assert region.evaluate("(el) => el.__kept === true && el.isConnected")


def test_a_board_move_tells_its_news_in_the_same_message_area(browser_page, live_server):
    org, lise, _, intervention, _, ready, *_ = board_world()
    lise.email = "leder@nord.example"
    db.session.commit()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/tavle")
    mark(page, "#messages")
    page.locator(f"#card-{ready.id} .card-moves button").last.click()
    page.locator("#messages").get_by_text("er flyttet til").wait_for()
    assert kept(page, "#messages")


def test_deleting_a_theory_item_does_not_send_focus_to_the_aims_edit_button(
    browser_page, live_server
):
    """The editor's buttons are searched for inside the new content's just-created item
    only; an unscoped part of the list found the aim's button at the top of the page."""
    org = gen_org("Demo Kommune Nord")
    leader = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, leader)
    visit = gen_item(intervention, "activity", "Hjemmebesøg")
    gen_item(intervention, "activity", "Forældregruppe", position=1)
    db.session.commit()
    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/forandringsteori")
    page.locator(f"#toc-item-{visit.id} button.toc-text").click()
    htmx_idle(page)
    page.locator(f"#toc-item-{visit.id}").get_by_role("button", name="Slet").focus()
    page.keyboard.press("Enter")
    page.locator(f"#toc-item-{visit.id}").wait_for(state="detached")
    htmx_idle(page)
    assert page.evaluate("document.activeElement.textContent.trim()") != "Redigér formål"
    assert page.evaluate("document.activeElement.id") == "theory"
