"""Full page or fragment, decided in one place by the request's HTMX headers.

A fragment is a named block of the same page template (jinja2-fragments), so the page and
its HTMX updates can never drift apart.
"""

from flask import make_response, render_template
from jinja2_fragments.flask import render_block, render_blocks

from .extensions import htmx


def wants_fragment() -> bool:
    # Boosted links and history restores need the whole page.
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_htmx(template: str, blocks: str | list[str], status: int = 200, **context):
    """Render `blocks` of `template` for HTMX requests, the whole template otherwise.

    Several blocks can be returned at once, e.g. a changed row plus out-of-band counters.
    """
    if wants_fragment():
        if isinstance(blocks, str):
            body = render_block(template, blocks, **context)
        else:
            body = render_blocks(template, blocks, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.headers["Vary"] = "HX-Request"
    return response


def render_fragment(template: str, blocks: str | list[str], status: int = 200, **context):
    """Always a fragment: for endpoints that only ever answer HTMX swaps (inline editors)."""
    if isinstance(blocks, str):
        body = render_block(template, blocks, **context)
    else:
        body = render_blocks(template, blocks, **context)
    response = make_response(body, status)
    response.headers["Vary"] = "HX-Request"
    return response


def retarget(response, selector: str):
    """Swap the answer into `selector` instead of the element the form named: a form that
    replaces its whole section on success puts its errors back in place of itself."""
    response.headers["HX-Retarget"] = selector
    response.headers["HX-Reswap"] = "outerHTML"
    return response
