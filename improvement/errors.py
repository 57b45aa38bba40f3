"""Friendly error pages in the app's layout, and in-place messages for HTMX requests."""

from flask import Flask, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_htmx import make_response as htmx_response
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .access import (
    OtherOrganisation,
    OtherUser,
    SessionEnded,
    WriteRefused,
    current_org,
    is_personal_request,
    is_public_request,
    page_of_other_user,
    same_site_path,
)
from .extensions import db, htmx
from .ids import MAX_ID
from .models import Intervention
from .validators import CPR_MESSAGE, CprRefused

# Sent with an answer after which the page's CSRF token no longer holds: logging in makes a
# new one. app.js then fetches the current one (auth.session_token) before the page's
# next write, so that a save pressed again after logging in in another tab goes through.
RENEW_TOKEN = {"X-Renew-Token": "1"}

# Flask-WTF's reasons when the session's token is not the one the page was drawn with.
TOKEN_OF_ANOTHER_LOGIN = frozenset(
    {"The CSRF tokens do not match.", "The CSRF session token is missing."}
)


def _message_response(status: int, title: str, text: str, headers=None, **extra):
    if htmx:
        # Shown in the page's message area instead of replacing the element that asked.
        body = render_template(
            "errors/_message.html", title=title, text=text, status=status, **extra
        )
        response = htmx_response(body, status, retarget="#messages", reswap="innerHTML")
    else:
        page = render_template("errors/error.html", title=title, text=text, status=status, **extra)
        response = make_response(page, status)
    response.headers.update(headers or {})
    return response


def _nothing_typed() -> bool:
    """A write that carried no text of the user's (a card dragged, a choice made): app.js
    says so, and the refusal does not speak of text in a form."""
    return htmx and request.headers.get("X-Nothing-Typed") == "1"


def _kept_text() -> str:
    """Where what the user typed is now: still in the page's form, for a write HTMX sent;
    behind the Back button, for a plain form that left its page."""
    if _nothing_typed():
        return ""
    if htmx:
        return _("What you typed is still in the form: copy it if you want to keep it.")
    return _(
        "If you go back with your browser's Back button, what you typed is usually still "
        "in the form: copy it if you want to keep it."
    )


def _and_kept_text(text: str) -> str:
    return " ".join(part for part in (text, _kept_text()) if part)


def _session_ended():
    """A write from a page whose login has ended: said on the page, with a way to log in
    that leaves the page, and what was typed into it, as it is (a new tab)."""
    db.session.rollback()
    reason = _(
        "Your login has ended: you logged out in another tab or window, or it was ended "
        "elsewhere (a new password, or logging out on every device)."
    )
    if htmx:
        if _nothing_typed():
            text = _("Nothing was saved.")
        else:
            text = _("Nothing was saved, and what you typed is still in the form.")
        then = _("Then come back to this page and save again.")
        page = same_site_path(request.headers.get("HX-Current-URL"))
    else:
        text = _("What you sent was not saved.")
        then = _(
            "Then go back to the form with your browser's Back button and save again: "
            "what you typed is usually still there."
        )
        page = same_site_path(request.referrer)
    return _message_response(
        401,
        _("You are logged out"),
        f"{reason} {text}",
        headers=RENEW_TOKEN,
        login_url=url_for("auth.login", next=page),
        then=then,
        transient=True,
    )


def _logged_in_again():
    """A write with the token of an earlier login (logged out and in again in another tab):
    the page's text is kept, and its next save fetches the current token (app.js)."""
    if _nothing_typed():
        text = _(
            "This page was opened before you last logged in, so the save could not be "
            "accepted. Nothing was saved. Do it again."
        )
    elif htmx:
        text = _(
            "This page was opened before you last logged in, so the save could not be "
            "accepted. Nothing was saved, and what you typed is still in the form. Save again."
        )
    else:
        text = _(
            "This page was opened before you last logged in, so what you sent could not be "
            "accepted. Nothing was saved. Go back to the form with your browser's Back "
            "button and save again: what you typed is usually still there."
        )
    return _message_response(
        400, _("You have logged in again"), text, headers=RENEW_TOKEN, transient=True
    )


def _other_user():
    """A write from a page drawn for another user than the one logged in now (on the same
    browser, since): nothing is saved in their name, and the page's text stays."""
    db.session.rollback()
    text = _(
        "This page was opened by another user than %(name)s, who is logged in now. "
        "Nothing was saved.",
        name=current_user.name,
    )
    return _message_response(
        403, _("Logged in as someone else"), _and_kept_text(text), transient=True
    )


def _other_organisation():
    """The user's other organisation, if the intervention asked for belongs there.

    A link shared between colleagues opens in whichever organisation the user works in
    now; rather than a bare 404, they are offered the switch. Nobody learns of an
    intervention in an organisation they do not belong to."""
    intervention_id = (request.view_args or {}).get("intervention_id")
    if request.method != "GET" or not isinstance(intervention_id, int):
        return None
    if intervention_id > MAX_ID or not current_user.is_authenticated:
        return None
    orgs = {m.organization_id: m.organization for m in current_user.memberships}
    if len(orgs) < 2:
        return None
    owner = db.session.scalar(
        select(Intervention.organization_id).where(Intervention.id == intervention_id)
    )
    return orgs.get(owner) if owner != session.get("org_id") else None


def init_app(app: Flask) -> None:
    @app.errorhandler(400)
    def bad_request(e):
        # A view that knows what is wrong says so with abort(400, description=_("...")); the
        # description werkzeug gives every other 400 is English and says nothing useful.
        text = vars(e).get("description") or _("The request could not be understood.")
        return _message_response(400, _("Bad request"), text)

    @app.errorhandler(CSRFError)
    def csrf_error(e):
        db.session.rollback()
        # A session without a login has no token for the page's forms (logging out clears
        # it), so CSRF protection, which runs before access control, is the first to see a
        # save from a page that outlived its login.
        if not is_public_request():
            if not current_user.is_authenticated and is_personal_request():
                # Logging out (or the user's own settings) once the login has ended:
                # nothing of the organisation's to keep; log in.
                target = url_for("auth.login")
                return htmx_response(redirect=target) if htmx else redirect(target)
            if not current_user.is_authenticated:
                return _session_ended()
            if e.description in TOKEN_OF_ANOTHER_LOGIN:
                return _other_user() if page_of_other_user() else _logged_in_again()
        return _message_response(
            400,
            _("The form has expired"),
            _(
                "For your safety the form could not be accepted (its security token was "
                "missing or invalid). Nothing was saved. Reload the page and try again."
            ),
        )

    @app.errorhandler(403)
    def forbidden(_e):
        return _message_response(
            403, _("Not allowed"), _("Your role does not allow this. Nothing was changed.")
        )

    @app.errorhandler(SessionEnded)
    def session_ended(_e):
        return _session_ended()

    @app.errorhandler(OtherUser)
    def other_user(_e):
        return _other_user()

    @app.errorhandler(WriteRefused)
    def write_refused(e):
        # The page offered the write when it was drawn; since then an administrator has
        # made the user's role a read-only one, or removed them from the organisation.
        db.session.rollback()
        if e.membership is None:
            text = _("You are no longer a member of any organisation, so nothing was saved.")
        else:
            text = " ".join(
                (
                    _("Your role does not allow this. Nothing was changed."),
                    _(
                        "Your role in %(org)s is %(role)s.",
                        org=e.membership.organization.name,
                        role=e.membership.role_label,
                    ),
                )
            )
        # The header's role badge, drawn with the page, says the old role: put right too.
        role_now = e.membership.role_label if e.membership else None
        return _message_response(
            403, _("Not allowed"), _and_kept_text(text), transient=True, role_now=role_now
        )

    @app.errorhandler(404)
    def not_found(_e):
        if htmx:
            # A click or a save on a page already shown: what it acted on was there when
            # the page was drawn, so most likely someone deleted it since.
            if _nothing_typed():
                text = _(
                    "What you were working on no longer exists; someone may have deleted it "
                    "meanwhile. Nothing was saved. Reload the page to see it as it is now."
                )
            else:
                text = _(
                    "What you were working on no longer exists; someone may have deleted it "
                    "meanwhile. Nothing was saved, and what you typed is still on the page. "
                    "Reload the page to see it as it is now."
                )
            return _message_response(404, _("No longer there"), text)
        switch_to = _other_organisation()
        if switch_to:
            # Not "page not found": it is there, in the organisation the user can switch to.
            return _message_response(
                404,
                _("In another of your organisations"),
                _(
                    "This page belongs to %(org)s, where you are also a member. You are "
                    "working in %(now)s now.",
                    org=switch_to.name,
                    now=current_org().name,
                ),
                switch_to=switch_to,
            )
        return _message_response(
            404,
            _("Page not found"),
            _("The page or item does not exist, or it belongs to another organisation."),
        )

    @app.errorhandler(405)
    def method_not_allowed(_e):
        return _message_response(405, _("Not allowed"), _("This address cannot be used that way."))

    @app.errorhandler(413)
    def too_large(_e):
        # Werkzeug refuses a form of more than MAX_FORM_PARTS fields, or a field (not a file)
        # of more than MAX_FORM_MEMORY_SIZE bytes, before any view has run.
        db.session.rollback()
        return _message_response(
            413,
            _("Too much sent"),
            _(
                "What was sent is too large to be received: a text is too long, or the form "
                "has too many fields. Nothing was saved."
            ),
        )

    @app.errorhandler(IntegrityError)
    def same_thing_at_once(_e):
        # Two people (or two tabs) adding the same thing at the same moment: both passed the
        # form's check, and the database let one in. The other is told, not given a 500.
        db.session.rollback()
        return _message_response(
            409,
            _("Saved by someone else at the same moment"),
            _(
                "Someone else saved the same thing at the same moment, so yours was not saved. "
                "Reload the page to see what is there now."
            ),
        )

    @app.errorhandler(StaleDataError)
    def stale(_e):
        db.session.rollback()
        return _message_response(
            409,
            _("Changed by someone else"),
            _("Someone else saved this item while you were editing. Reload to see their change."),
        )

    @app.errorhandler(OtherOrganisation)
    def other_organisation(e):
        db.session.rollback()
        now = current_org().name
        if e.page_org is None:
            # Removed from the page's organisation by an administrator (still a member of
            # another, which the session has moved to).
            title = _("No longer a member")
            if htmx:
                text = _(
                    "This page belongs to an organisation you are no longer a member of; you "
                    "now work in %(now)s. Nothing was saved.",
                    now=now,
                )
                text = _and_kept_text(text)
            else:
                text = _(
                    "This page belongs to an organisation you no longer work in; you now work "
                    "in %(now)s. Nothing was saved. Reload the page.",
                    now=now,
                )
        else:
            title = _("You have switched organisation")
            text = _(
                "This page belongs to %(page)s, but you have since switched to %(now)s (in "
                "another tab or window). Nothing was saved.",
                page=e.page_org.name,
                now=now,
            )
        return _message_response(
            409,
            title,
            text,
            switch_back=e.page_org,
            back_to=same_site_path(request.referrer),  # the page a plain form came from
        )

    @app.errorhandler(CprRefused)
    def cpr_refused(_e):
        # The database session's last guard: a path that skipped the forms' own CPR check
        # gets the same answer as a form would, and nothing of the request is saved.
        db.session.rollback()
        return _message_response(422, _("Nothing was saved"), str(CPR_MESSAGE))

    @app.errorhandler(500)
    def server_error(_e):
        db.session.rollback()
        return _message_response(
            500,
            _("Something went wrong"),
            _("An unexpected error occurred. Nothing was saved. Please try again."),
        )
