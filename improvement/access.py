"""Access control, in one place.

- Every request needs a logged-in user, except views marked @public.
- The current organisation lives in the session and must be one the user belongs to.
- Every query for an organisation's data goes through scoped() or get_or_404_for_user():
  an object of another organisation is a 404, exactly like a missing one.
- A write names the organisation its page was shown in (header X-Org, or the form field
  _org); if the user has switched organisation in another tab since, it is refused (409)
  rather than saved into the organisation the session now points to.
- Read-only roles (evaluator) get 403 on every write, checked once before any view runs,
  so a new route cannot forget it. They also get 403 on the GET of a route that takes
  writes: that GET serves the form, which they could fill in but never save. Views that
  only touch the user's own session or profile are marked @personal.
- A write from a page that outlived its login (logged out in another tab, or ended
  elsewhere: a new password, "log out on every device"), or its rights (the role became a
  read-only one, the user was removed from the organisation), is answered where the page's
  messages show (errors.py): 401 or 403, not a redirect that would throw away what was
  typed. So is the check app.js makes before it sends a plain form (WRITE_CHECK).
- A write names the user its page was drawn for (header X-User): after someone else has
  logged in on the same browser, it is refused (403), not made in their name.
"""

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, g, redirect, request, session, url_for
from flask_htmx import make_response as htmx_response
from flask_login import current_user
from sqlalchemy import Select, select
from werkzeug.exceptions import HTTPException

from .extensions import db, htmx
from .models import READ_ONLY_ROLES, Membership, Organization

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class OtherOrganisation(Exception):
    """A write from a page of another organisation than the one the user now works in."""

    def __init__(self, page_org: Organization | None):
        super().__init__()
        self.page_org = page_org


class SessionEnded(Exception):
    """A write from a page whose login has ended since the page was drawn."""


class WriteRefused(Exception):
    """A write the page offered that the user may no longer make: their role in the
    organisation is a read-only one now, or (membership None) they belong to none."""

    def __init__(self, membership: Membership | None):
        super().__init__()
        self.membership = membership


class OtherUser(Exception):
    """A write from a page drawn for another user than the one logged in now."""


# What app.js asks before it sends a plain form (its page's organisation, X-Org, and the
# form's address, X-Form-Action): refused, the refusal shows on the page, beside the text.
WRITE_CHECK = "auth.organisation_check"


def public(view):
    """Reachable without logging in (login page)."""
    view.access_public = True
    return view


def personal(view):
    """Writes only the user's own session or profile: allowed for read-only roles too."""
    view.access_personal = True
    return view


def _view_flag(name: str) -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(view and getattr(view, name, False))


def is_personal_request() -> bool:
    """A view marked @personal: the user's own session or profile (logging out, settings)."""
    return _view_flag("access_personal")


def is_public_request() -> bool:
    """Static files and views marked @public: no user is looked up for them."""
    return request.endpoint in (None, "static") or _view_flag("access_public")


def current_membership() -> Membership | None:
    """The user's membership in the organisation they are working in (cached per request)."""
    if "membership" in g:
        return g.membership
    membership = None
    if current_user.is_authenticated:
        memberships = {m.organization_id: m for m in current_user.memberships}
        membership = memberships.get(session.get("org_id"))
        if membership is None and memberships:
            membership = min(memberships.values(), key=lambda m: m.organization.name)
            session["org_id"] = membership.organization_id
    g.membership = membership
    return membership


def current_org() -> Organization | None:
    membership = current_membership()
    return membership.organization if membership else None


def current_role() -> str | None:
    membership = current_membership()
    return membership.role if membership else None


def can_write() -> bool:
    return current_role() not in READ_ONLY_ROLES


def scoped(model, stmt: Select | None = None) -> Select:
    """A select of `model` limited to the current organisation's rows."""
    membership = current_membership()
    org_id = membership.organization_id if membership else None
    stmt = select(model) if stmt is None else stmt
    return stmt.where(model.organization_id == org_id)


def get_or_404_for_user(model, object_id: int, *options):
    stmt = scoped(model).where(model.id == object_id)
    if options:
        stmt = stmt.options(*options)
    obj = db.session.scalars(stmt).first()
    if obj is None:
        abort(404)
    return obj


def require_roles(*roles: str):
    """Limit a view to some roles in the current organisation (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if current_role() not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def check_request():
    """before_request hook: authentication, organisation membership, read-only roles."""
    if is_public_request():
        return None
    personal_view = is_personal_request()
    write_check = request.endpoint == WRITE_CHECK
    # A write of the organisation's data, or app.js asking before it sends one. Logging
    # out, or the user's own settings, are not: they go as they would have.
    writing = (request.method not in SAFE_METHODS and not personal_view) or (
        write_check and form_writes()
    )
    if not current_user.is_authenticated:
        # A client without a session here (never logged in, or its cookie is gone) is sent
        # to log in; CSRF protection answers its writes first anyway (errors.py).
        if writing and session:
            raise SessionEnded()
        if htmx:
            # A redirect inside an HTMX swap would put the login page into a fragment; and
            # after logging in the user goes back to the page, not to the fragment it asked.
            login_url = url_for("auth.login", next=_page_of_htmx_request())
            return htmx_response(redirect=login_url)
        login_url = url_for(
            "auth.login", next=request.full_path if request.method == "GET" else None
        )
        return redirect(login_url)
    if writing or write_check:
        # Also before logging out or a personal setting: someone else's page asks first.
        check_page_user()
    if current_membership() is None and (not personal_view or writing):
        if not current_user.memberships:
            if htmx and writing:
                raise WriteRefused(None)
            # Removed from their last organisation: say so, rather than a bare 403.
            target = url_for("auth.no_organisation")
            return htmx_response(redirect=target) if htmx else redirect(target)
        abort(403)
    if not personal_view:
        if request.method not in SAFE_METHODS:
            check_page_organisation()
        if not can_write() and _writes():
            if request.method not in SAFE_METHODS:
                raise WriteRefused(current_membership())
            abort(403)
    elif writing and not can_write():
        raise WriteRefused(current_membership())
    return None


def check_page_organisation() -> None:
    """The session holds one organisation for all of the browser's tabs: a tab still showing
    organisation A after a switch to B in another tab would otherwise save into B."""
    claimed = request.headers.get("X-Org") or request.form.get("_org")
    current = current_membership().organization_id
    if claimed and claimed != str(current):
        memberships = {str(m.organization_id): m for m in current_user.memberships}
        page = memberships.get(claimed)
        raise OtherOrganisation(page.organization if page else None)


def page_of_other_user() -> bool:
    """Was the page this request comes from drawn for another user than the one logged in
    now (X-User)? A request without the header (no page of this app's) is taken not to be."""
    page_user = request.headers.get("X-User")
    return page_user is not None and page_user != str(current_user.id)


def check_page_user() -> None:
    if page_of_other_user():
        raise OtherUser()


def same_site_path(url: str | None) -> str | None:
    """The path (and query) of a URL of this site, e.g. the page a request came from."""
    try:
        page = urlsplit(url or "")
    except ValueError:  # not a URL ("http://["): no browser sends one
        return None
    if page.netloc != request.host or not page.path.startswith("/"):
        return None
    return page.path + (f"?{page.query}" if page.query else "")


def _page_of_htmx_request() -> str | None:
    return same_site_path(request.headers.get("HX-Current-URL"))


def form_writes() -> bool:
    """For the write check: does the plain form about to be sent write the organisation's
    data (not only the user's own session or profile, as logging out does)? Asked without
    the form's address, it is taken to: checked, as every form was before the check knew
    the address (a page drawn by an older app.js)."""
    action = request.headers.get("X-Form-Action")
    if action is None:
        return True
    path = urlsplit(same_site_path(action) or "").path
    if not path:
        return False
    try:
        adapter = current_app.url_map.bind_to_environ(request.environ)
        endpoint, _args = adapter.match(path, method="POST")
    except HTTPException:  # no such address, not one that takes a form, or a redirect
        return False
    view = current_app.view_functions.get(endpoint)
    flags = ("access_personal", "access_public")
    return bool(view) and not any(getattr(view, flag, False) for flag in flags)


def _writes() -> bool:
    """A write, or the form of one: a GET on a route that also takes POST shows a form."""
    methods = request.url_rule.methods if request.url_rule is not None else SAFE_METHODS
    return request.method not in SAFE_METHODS or not methods <= SAFE_METHODS


def context():
    """Template globals, so every page can show the organisation switcher and hide write buttons."""
    if not current_user.is_authenticated:
        return {}
    membership = current_membership()
    return {
        "current_org": membership.organization if membership else None,
        "current_role": membership.role if membership else None,
        "current_role_label": membership.role_label if membership else "",
        "can_write": can_write(),
    }
