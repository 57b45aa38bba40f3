"""Friendly error pages in the app's layout, and in-place messages for HTMX requests."""

from flask import Flask, render_template, request, session
from flask_babel import gettext as _
from flask_htmx import make_response as htmx_response
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .access import OtherOrganisation, current_org, same_site_path
from .extensions import db, htmx
from .ids import MAX_ID
from .models import Intervention
from .validators import CPR_MESSAGE, CprRefused


def _message_response(status: int, title: str, text: str, **extra):
    if htmx:
        # Shown in the page's message area instead of replacing the element that asked.
        body = render_template(
            "errors/_message.html", title=title, text=text, status=status, **extra
        )
        return htmx_response(body, status, retarget="#messages", reswap="innerHTML")
    page = render_template("errors/error.html", title=title, text=text, status=status, **extra)
    return page, status


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
    def csrf_error(_e):
        db.session.rollback()
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

    @app.errorhandler(404)
    def not_found(_e):
        if htmx:
            # A click or a save on a page already shown: what it acted on was there when
            # the page was drawn, so most likely someone deleted it since.
            return _message_response(
                404,
                _("No longer there"),
                _(
                    "What you were working on no longer exists; someone may have deleted it "
                    "meanwhile. Nothing was saved, and what you typed is still on the page. "
                    "Reload the page to see it as it is now."
                ),
            )
        return _message_response(
            404,
            _("Page not found"),
            _("The page or item does not exist, or it belongs to another organisation."),
            switch_to=_other_organisation(),
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
            text = _(
                "This page belongs to an organisation you no longer work in; you now work in "
                "%(now)s. Nothing was saved. Reload the page.",
                now=now,
            )
        else:
            text = _(
                "This page belongs to %(page)s, but you have since switched to %(now)s (in "
                "another tab or window). Nothing was saved.",
                page=e.page_org.name,
                now=now,
            )
        return _message_response(
            409,
            _("You have switched organisation"),
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
