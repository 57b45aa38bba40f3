"""Waiting for the page rather than for a guess of how long it takes."""

# htmx marks a request, a swap and the settle that follows it with these classes; the
# settle is when it moves focus to new content's [autofocus] field, 20 ms after the swap.
_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling"


def htmx_idle(page) -> None:
    """Wait until no htmx request, swap or settle is in progress, so that nothing moves
    focus while the test types (the browser's own autofocus can land before htmx's, and
    htmx's would then take the field from under a fill)."""
    page.wait_for_function(f"!document.querySelector({_BUSY!r})")
