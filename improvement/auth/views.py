"""Logging in and out, switching organisation, personal settings."""

import secrets
from functools import cache
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..access import (
    SessionEnded,
    check_page_organisation,
    check_page_user,
    form_writes,
    personal,
    public,
)
from ..extensions import db, htmx
from ..forms import EmptyForm, choices
from ..models import User
from ..organisation.forms import PasswordChangeForm
from . import throttle
from .forms import LoginForm, ProfileForm, SwitchOrgForm

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    # Only same-site paths, so a crafted link cannot send the user elsewhere after login.
    # Browsers read a backslash as a slash: "/\evil.example" would leave the site.
    if (
        target
        and not urlsplit(target).netloc
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
    ):
        return target
    return url_for("interventions.intervention_listing")


@bp.route("/health")
@public
def health():
    """Liveness check for load balancers, and the benchmark's trivial baseline."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return _after_login(current_user)
    form = LoginForm()
    if form.validate_on_submit():
        email = throttle.login_key(form.email.data)
        # Lower case can make an address longer than any stored one ("İ" is two characters
        # then): no account has it, and it cannot be counted. Answered as any other
        # address without an account, the password checked against a dummy hash.
        countable = len(email) <= throttle.MAX_KEY_LENGTH
        # Counted before the password is checked, so a burst of attempts sent at once is
        # not checked beyond what the count allows.
        if countable and (wait := throttle.claim(email)):
            form.password.errors.append(_too_many(wait))
            return render_template("auth/login.html", form=form), 429
        user = _user_by_email(email) if countable else None
        if not _password_matches(user, form.password.data):
            # Neutral: never say whether the address or the password was wrong.
            form.password.errors.append(_("Wrong e-mail or password."))
            return render_template("auth/login.html", form=form), 200
        throttle.reset(email)
        session.clear()
        login_user(user)
        return _after_login(user)
    return render_template("auth/login.html", form=form)


def _user_by_email(email: str) -> User | None:
    # Addresses are stored as typed by an administrator: compare without case.
    return db.session.scalars(select(User).where(func.lower(User.email) == email)).first()


@cache
def _dummy_hash() -> str:
    """A hash of a password nobody knows, made as set_password makes real ones (same
    method and cost), so checking against it takes as long as checking a real password.
    Made once per process, when the app is made (below)."""
    return generate_password_hash(secrets.token_urlsafe(32))


# Made before any request: made by the first login for no account, it would make that
# answer the slow one.
bp.record_once(lambda _state: _dummy_hash())


def _password_matches(user: User | None, password: str) -> bool:
    """Exactly one password hash is checked, whether or not the address is an active
    account with a password: otherwise the time taken to answer would tell which."""
    if user is None or not user.active or not user.password_hash:
        check_password_hash(_dummy_hash(), password)
        return False
    return user.check_password(password)


def _too_many(wait: int) -> str:
    return ngettext(
        "Too many failed attempts. Wait %(num)d second and try again.",
        "Too many failed attempts. Wait %(num)d seconds and try again.",
        wait,
    )


def _after_login(user: User):
    if not user.memberships:
        # Every other page would answer a bare 403 (access.check_request): explain instead.
        return redirect(url_for("auth.no_organisation"))
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/ingen-organisation")
@personal
def no_organisation():
    """Where a user who belongs to no organisation (any longer) lands after logging in."""
    if current_user.memberships:
        return redirect(url_for("interventions.intervention_listing"))
    return render_template("auth/no_organisation.html"), 403


@bp.route("/logout", methods=["POST"])
@personal
def logout():
    if EmptyForm().validate_on_submit():
        logout_user()
        session.clear()
        flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/profil/log-ud-overalt", methods=["POST"])
@personal
def logout_everywhere():
    """Ends all of the user's sessions, also a cookie copied from this browser: logging out
    only clears the cookie here, and a copy of it stays valid until then."""
    if EmptyForm().validate_on_submit():
        current_user.end_sessions()
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("You are logged out on every device."), "info")
        return redirect(url_for("auth.login"))
    return redirect(url_for("auth.profile"))


@bp.route("/organisation/kontrol")
@personal
def organisation_check():
    """Asked by app.js before a plain form leaves its page: does the page's organisation
    (X-Org) still hold, and its user (X-User)? If not, the refusal shows on the page, and
    what was typed stays. A form of the user's own (logging out) goes whatever
    organisation its page shows. The answer carries the current login's CSRF token, which
    the form is sent with."""
    if form_writes():
        check_page_organisation()
    return _current_token()


@bp.route("/session/noegle")
@public
def session_token():
    """The CSRF token of the current login, for a page drawn under an earlier one: app.js
    asks before the next write of a page an answer marked RENEW_TOKEN (errors.py). The
    page names the user it was drawn for (X-User): someone else's page gets no token."""
    if not current_user.is_authenticated:
        raise SessionEnded()
    check_page_user()
    return _current_token()


def _current_token():
    # The page puts it where its forms and requests take their token from: logged out and
    # in again in another tab, the one the page was drawn with no longer holds.
    return {"token": generate_csrf()}, 200, {"Cache-Control": "no-store"}


@bp.route("/organisation", methods=["POST"])
@personal
def switch_org():
    form = SwitchOrgForm()
    names = {m.organization_id: m.organization.name for m in current_user.memberships}
    form.org_id.choices = choices(names)
    if form.validate_on_submit():
        session["org_id"] = form.org_id.data
        if htmx and request.form.get("stay"):
            # From the message of a refused save: the page stays, so it can be saved again.
            return render_template("auth/_switched_back.html", org=names[form.org_id.data])
        flash(_("You are now working in %(org)s.", org=names[form.org_id.data]), "info")
        # From a page of the other organisation that a shared link led to (errors.py).
        return redirect(_safe_next(request.form.get("next")))
    flash(_("You are not a member of that organisation."), "error")
    return redirect(url_for("interventions.intervention_listing"))


@bp.route("/profil", methods=["GET", "POST"])
@personal
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        current_user.locale = form.locale.data
        db.session.commit()
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("auth.profile"))
    status = 422 if form.errors else 200
    return (
        render_template("auth/profile.html", form=form, password_form=PasswordChangeForm()),
        status,
    )


@bp.route("/profil/adgangskode", methods=["POST"])
@personal
def password_change():
    form = PasswordChangeForm()
    status = 422
    if form.validate_on_submit():
        # Throttled as logins are, per user: a session left open must not let anyone try
        # password after password for the current one.
        key = throttle.user_key(current_user.id)
        if wait := throttle.claim(key):
            form.current.errors.append(_too_many(wait))
            status = 429
        elif not current_user.check_password(form.current.data):
            form.current.errors.append(_("Wrong password."))
        else:
            throttle.reset(key)
            user = current_user._get_current_object()
            user.set_password(form.new.data)  # ends every session, this one too
            db.session.commit()
            login_user(user)  # so this one goes on, under the new session epoch
            flash(
                _("Your password is changed. You are logged out on your other devices."),
                "success",
            )
            return redirect(url_for("auth.profile"))
    profile_form = ProfileForm(obj=current_user, formdata=None)
    return render_template("auth/profile.html", form=profile_form, password_form=form), status
