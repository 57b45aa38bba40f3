"""Steps every browser test takes: signing in, and waiting for the page rather than for a
guess of how long it takes."""

from tests.helpers import PASSWORD

LEADER = "leder@nord.example"

# htmx marks a request, a swap and the settle that follows it with these classes; the
# settle is when it binds new controls and moves focus to new content's [autofocus] field,
# 20 ms after the swap.
_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling"


def login(page, live_server, email=LEADER) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/indsatser")


def htmx_idle(page) -> None:
    """Wait until no htmx request, swap or settle is in progress, so that nothing moves
    focus while the test types (the browser's own autofocus can land before htmx's, and
    htmx's would then take the field from under a fill) and swapped-in controls work."""
    page.wait_for_function(f"!document.querySelector({_BUSY!r})")


# An A4 page's printable width in CSS pixels (210 mm less 2 × 16 mm margins, at 96 px/in):
# portrait, the narrowest paper the pages are printed on.
A4_PORTRAIT_WIDTH = 672


def print_at_a4_width(page) -> None:
    """Lay the page out as it prints: print media, at the printable width of A4."""
    page.set_viewport_size({"width": A4_PORTRAIT_WIDTH, "height": 950})
    page.emulate_media(media="print")


def overflowing(page, selector) -> list[str]:
    """The elements matched that reach past the page's right edge (or its left)."""
    return page.evaluate(
        """(selector) => {
            const width = document.documentElement.clientWidth;
            return [...document.querySelectorAll(selector)]
              .filter((el) => { const r = el.getBoundingClientRect();
                                return r.left < -0.5 || r.right > width + 0.5; })
              .map((el) => el.id || el.className || el.tagName);
        }""",
        selector,
    )
