"""Conditional GET: a signed-in page is rendered again only when what it shows may change.

Every signed-in HTML page goes out with an ETag built from everything it depends on:

- the data versions of the user's organisations (raised by every committed write,
  models/data_version.py), and the user's memberships and roles there;
- the user and the session (organisation chosen, CSRF token the page's forms carry);
- the request: path, query and HTMX headers (a partial is not the page);
- the hour, for what pages derive from the clock (overdue follow-ups, cycles stuck in
  a phase, done cycles leaving the board): such a change shows within the hour;
- the release (code, templates, translations, seed files, installed packages) and the
  app's settings.

`Cache-Control: no-cache` makes the browser ask every time, with If-None-Match; while
nothing has changed it gets 304 Not Modified without a render. That is the board on a
wall screen polling through a stand-up, and the projector going back and forth between
pages in a quality-team meeting. A page showing a flash message is never tagged.

The tag is weak: the page's CSRF tokens differ between renders, but one from an earlier
render of the same session stays valid, so the pages are equivalent, not identical.
"""

import hashlib
import json
from datetime import UTC, datetime
from functools import cache
from importlib import metadata
from pathlib import Path

from flask import Flask, Response, current_app, g, request, session
from flask.globals import request_ctx
from flask_login import current_user

from .access import is_public_request

ROOT = Path(__file__).resolve().parent.parent
CACHE_CONTROL = "private, no-cache"


@cache
def release_digest() -> str:
    """A hash of what renders pages: code, templates, translations, seed files read at run
    time, and the installed packages (date formats come from Babel, say)."""
    digest = hashlib.sha256()
    files = [
        *sorted((ROOT / "improvement").rglob("*.py")),
        *sorted((ROOT / "improvement").rglob("*.mo")),
        *sorted((ROOT / "templates").rglob("*.html")),
        *sorted((ROOT / "seeds").rglob("*.yaml")),
    ]
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    packages = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join(packages).encode())
    return digest.hexdigest()


def _settings() -> list:
    # Settings pages show (the board's refresh interval, the import limit); the key is left
    # out because it shows nowhere and changing it signs everyone out anyway.
    return sorted(
        (key, value)
        for key, value in current_app.config.items()
        if key != "SECRET_KEY" and isinstance(value, str | int | float | bool | None)
    )


def clock() -> datetime:
    return datetime.now(UTC)


def page_tag() -> str | None:
    """The ETag of the page this request asks for, or None when it is not tagged."""
    if request.method != "GET" or is_public_request() or "_flashes" in session:
        return None
    if not current_user.is_authenticated:
        return None
    memberships = sorted(
        (m.organization_id, m.role, m.organization.name, m.organization.data_version)
        for m in current_user.memberships
    )
    parts = [
        release_digest(),
        _settings(),
        clock().strftime("%Y-%m-%dT%H"),
        current_user.id,
        current_user.updated_at,
        memberships,
        sorted(session.items()),
        request.full_path,
        sorted((k, v) for k, v in request.headers.items() if k.lower().startswith("hx-")),
    ]
    encoded = json.dumps(parts, default=str, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]


def _tagged(response: Response, tag: str) -> Response:
    response.set_etag(tag, weak=True)
    response.headers["Cache-Control"] = CACHE_CONTROL
    # A partial and its page share a URL; the browser must keep them apart.
    response.vary.add("HX-Request")
    return response


def answer_unchanged():
    """before_request, after access control: 304 when the browser's copy is current."""
    tag = page_tag()
    g.page_tag = tag
    if tag and request.if_none_match.contains_weak(tag):
        return _tagged(Response(status=304), tag)
    return None


def tag_page(response: Response) -> Response:
    """after_request: tag a rendered page, unless it showed a flash message."""
    tag = g.get("page_tag")
    if (
        tag
        and response.status_code == 200
        and response.mimetype == "text/html"
        and not getattr(request_ctx, "flashes", None)
        and "_flashes" not in session
    ):
        _tagged(response, tag)
    return response


def init_app(app: Flask) -> None:
    release_digest()  # read the files at start, not on someone's first page
    app.before_request(answer_unchanged)
    app.after_request(tag_page)
