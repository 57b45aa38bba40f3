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
