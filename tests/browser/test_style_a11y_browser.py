"""Style and keyboard fixes a browser shows (WCAG 2.1 AA): Pico's primary controls in the
app's accent with text readable on them, a wide table's scroll box a named tab stop while
it overflows, and focus on the button that replaced the one pressed in a category's row."""

import pytest

from improvement.cases import service
from improvement.extensions import db
from tests.browser.steps import htmx_idle, login
from tests.helpers import gen_intervention, gen_org, gen_user

pytestmark = pytest.mark.browser

ACCENT = "rgb(31, 95, 139)"  # --app-accent, #1f5f8b
HOVER = "rgb(23, 74, 109)"  # #174a6d
WHITE = "rgb(255, 255, 255)"
PAGE = "rgb(245, 247, 249)"  # the page's background, #f5f7f9

CONTRAST = """([a, b]) => {
  const lum = (c) => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map((v) => {
      v = v / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const [x, y] = [lum(a), lum(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}"""

COLOURS = "(el) => { const s = getComputedStyle(el); return [s.color, s.backgroundColor]; }"


def contrast(page, a, b) -> float:
    return page.evaluate(CONTRAST, [a, b])


def world():
    org = gen_org("Demo Kommune Nord")
    gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    intervention = gen_intervention(org, name="Intensiv spædbarnsindsats")
    service.ensure_categories(org.id)
    db.session.commit()
    return org, intervention


def test_primary_buttons_and_links_are_the_apps_accent_and_readable(browser_page, live_server):
    _org, intervention = world()
    page = browser_page
    page.goto(f"{live_server}/login")
    button = page.get_by_role("button", name="Log ind")
    text, fill = button.evaluate(COLOURS)
    assert (text, fill) == (WHITE, ACCENT)
    assert contrast(page, text, fill) >= 4.5
    page.mouse.move(0, 0)
    button.hover()
    page.wait_for_function(
        f"getComputedStyle(document.querySelector('button[type=submit]')).backgroundColor"
        f" === {HOVER!r}"
    )
    text, fill = button.evaluate(COLOURS)
    assert text == WHITE and contrast(page, text, fill) >= 4.5

    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}")
    link = page.locator("nav.breadcrumb a").first
    colour, underline = link.evaluate(
        "(el) => [getComputedStyle(el).color,"
        " getComputedStyle(el).getPropertyValue('--pico-underline')]"
    )
    assert colour == ACCENT and contrast(page, colour, PAGE) >= 4.5
    assert underline == "rgba(31, 95, 139, 0.5)"  # where a link is underlined, and on hover
    # The user menu's "Log ud" is a button drawn as a link: the accent on the menu's white.
    page.locator(".user-menu summary").click()
    log_out = page.get_by_role("button", name="Log ud")
    colour, _fill = log_out.evaluate(COLOURS)
    assert colour == ACCENT and contrast(page, colour, WHITE) >= 4.5


def _box_state(page):
    return page.evaluate(
        """() => { const box = document.querySelector('#categories .table-scroll');
             return [box.scrollWidth > box.clientWidth, box.getAttribute('tabindex'),
                     box.getAttribute('role'), box.getAttribute('aria-label')]; }"""
    )


def test_a_wide_tables_box_is_a_named_tab_stop_only_while_it_overflows(browser_page, live_server):
    world()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/problemkategorier")
    # Wide enough: the table fits, and its box adds no tab stop.
    assert _box_state(page) == [False, None, None, None]

    page.set_viewport_size({"width": 320, "height": 640})
    page.wait_for_function(
        "document.querySelector('#categories .table-scroll').getAttribute('tabindex') === '0'"
    )
    assert _box_state(page) == [True, "0", "region", "Problemkategorier"]
    # From the breadcrumb before it, Tab goes to the box (before the fields in its table).
    page.locator("nav.breadcrumb a").first.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('table-scroll')")
    ring = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.outlineColor]; })()"
    )
    assert ring == ["solid", "3px", HOVER]  # --app-focus
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.activeElement.scrollLeft > 0")

    # A swap redraws the list: its new box is a tab stop too.
    page.locator("form.add-member input[name=name]").fill("Skolefravær")
    page.get_by_role("button", name="Tilføj kategori").click()
    page.get_by_label("Navn på Skolefravær").wait_for()
    htmx_idle(page)
    assert _box_state(page) == [True, "0", "region", "Problemkategorier"]

    # Wide again: the table fits, and the box is no tab stop any more.
    page.set_viewport_size({"width": 1366, "height": 768})
    page.wait_for_function(
        "!document.querySelector('#categories .table-scroll').hasAttribute('tabindex')"
    )
    assert _box_state(page) == [False, None, None, None]


def test_archive_and_reopen_by_keyboard_keep_focus_on_the_rows_button(browser_page, live_server):
    org, _ = world()
    first = service.categories_of(org.id)[0]
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/problemkategorier")
    page.get_by_role("button", name=f"Arkivér {first.name}").focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name=f"Genåbn {first.name}").wait_for()
    htmx_idle(page)
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        f"Genåbn {first.name}"
    )
    page.keyboard.press("Enter")  # the same key reopens it
    page.get_by_role("button", name=f"Arkivér {first.name}").wait_for()
    htmx_idle(page)
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        f"Arkivér {first.name}"
    )
