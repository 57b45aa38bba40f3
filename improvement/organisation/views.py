"""The organisation's members: admins add people, set their roles, give a new password and
remove them."""

import secrets
from collections import defaultdict

from flask import Blueprint, abort, flash, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_htmx import make_response as htmx_response
from flask_login import current_user
from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload

from ..access import current_org, get_or_404_for_user, require_roles, scoped
from ..extensions import db
from ..forms import EmptyForm
from ..models import (
    READ_ONLY_ROLES,
    ROLES,
    AssessmentAnswer,
    AssessmentJustification,
    AssessmentRespondent,
    AssessmentRound,
    Case,
    Intervention,
    Membership,
    TeamMember,
    User,
)
from ..names import sort_key
from ..rendering import render_fragment, render_htmx
from .forms import NewMemberForm, RoleForm

bp = Blueprint("organisation", __name__)
bp.add_app_template_global(ROLES, "roles")
bp.add_app_template_global(READ_ONLY_ROLES, "read_only_roles")

PAGE = "organisation/members.html"


def _members() -> list[Membership]:
    stmt = scoped(Membership).options(joinedload(Membership.user))
    return sorted(db.session.scalars(stmt), key=lambda m: sort_key(m.user.name))


def _open_cases_by(person) -> dict[int, tuple[int, list[str]]]:
    """{user_id: (open cases, names of their interventions)} of the cases whose `person`
    column (Case.practitioner_id, Case.caseworker_id) names the user: one query."""
    stmt = (
        scoped(Case, select(person, Intervention.name, func.count()))
        .join(Intervention, Intervention.id == Case.intervention_id)
        .where(Case.end_date.is_(None), person.is_not(None))
        .group_by(person, Intervention.name)
        .order_by(Intervention.name)
    )
    found: dict[int, tuple[int, list[str]]] = {}
    for user_id, name, count in db.session.execute(stmt):
        total, names = found.get(user_id, (0, []))
        found[user_id] = (total + count, [*names, name])
    return found


def _open_cases() -> dict[int, str]:
    """What removing each person would leave behind: {user_id: "responsible for n open cases
    in ...", and the caseworker's cases likewise}, for the confirmation question. Their
    cases keep them (history) until someone else is chosen."""
    said: dict[int, list[str]] = defaultdict(list)
    for user_id, (count, names) in _open_cases_by(Case.practitioner_id).items():
        said[user_id].append(
            ngettext(
                "The person is responsible for %(num)s open case in %(interventions)s. "
                "The case keeps them as responsible until someone else is chosen.",
                "The person is responsible for %(num)s open cases in %(interventions)s. "
                "The cases keep them as responsible until someone else is chosen.",
                count,
                interventions=", ".join(names),
            )
        )
    for user_id, (count, names) in _open_cases_by(Case.caseworker_id).items():
        said[user_id].append(
            ngettext(
                "The person is the authority caseworker on %(num)s open case in "
                "%(interventions)s, and stays so until someone else is chosen.",
                "The person is the authority caseworker on %(num)s open cases in "
                "%(interventions)s, and stays so until someone else is chosen.",
                count,
                interventions=", ".join(names),
            )
        )
    return {user_id: " ".join(texts) for user_id, texts in said.items()}


def _context(form=None, added=None, existing=False):
    return {
        "members": _members(),
        "form": form or NewMemberForm(formdata=None),
        "added": added,
        "added_existing": existing,
        "open_cases": _open_cases(),
    }


@bp.route("/organisation/medlemmer")
@require_roles("admin")
def member_listing():
    return render_htmx(PAGE, "members", **_context())


@bp.route("/organisation/medlemmer", methods=["POST"])
@require_roles("admin")
def member_new():
    form = NewMemberForm()
    if not form.validate_on_submit():
        return render_htmx(PAGE, "members", 422, **_context(form))
    email = form.email.data.strip().lower()
    org = current_org()
    # Case-insensitive: an account made elsewhere (command line, import) may have capitals.
    user = db.session.scalars(select(User).where(func.lower(User.email) == email)).first()
    existing = user is not None
    if user is None:
        user = User(email=email, name=form.name.data, locale="da")
        user.set_password(form.password.data)
        db.session.add(user)
        db.session.flush()
    elif any(m.organization_id == org.id for m in user.memberships):
        form.email.errors.append(_("This person is already a member."))
        return render_htmx(PAGE, "members", 422, **_context(form))
    db.session.add(Membership(user_id=user.id, organization_id=org.id, role=form.role.data))
    db.session.commit()
    # An existing account keeps its name and password: the ones typed here were not used.
    return render_htmx(PAGE, "members", **_context(added=user, existing=existing))


def _admins_left_without(membership: Membership) -> int:
    return db.session.scalar(
        scoped(Membership, select(func.count())).where(
            Membership.role == "admin", Membership.id != membership.id
        )
    )


@bp.route("/organisation/medlemmer/<int:membership_id>", methods=["POST"])
@require_roles("admin")
def member_edit(membership_id: int):
    membership = get_or_404_for_user(Membership, membership_id)
    form = RoleForm()
    status, error, notice = 200, None, None
    if not form.validate_on_submit():
        status, error = 422, " ".join(form.role.errors)
    elif (
        form.role.data != "admin"
        and membership.role == "admin"
        and not _admins_left_without(membership)
    ):
        status, error = 422, _("The organisation must keep at least one administrator.")
    else:
        became_read_only = (
            form.role.data in READ_ONLY_ROLES and membership.role not in READ_ONLY_ROLES
        )
        membership.role = form.role.data
        own = membership.user_id == current_user.id
        if became_read_only:
            notice = _withdrawal_notice(*_withdraw_from_work(membership), own=own)
        db.session.commit()
        if own and membership.role != "admin":
            # No longer an admin, they may not see this page: the whole page moves on, so
            # the header and what they may do match their new role at once.
            message = _(
                "Your role in %(org)s is now %(role)s. The other administrators manage "
                "the members.",
                org=membership.organization.name,
                role=membership.role_label,
            )
            # Taken off teams and rounds too (a read-only role): said here, as in their row.
            flash(f"{message} {notice}" if notice else message, "info")
            return htmx_response(redirect=url_for("interventions.intervention_listing"))
    return render_fragment(
        PAGE,
        "member_row",
        status,
        member=membership,
        error=error,
        notice=notice,
        open_cases=_open_cases(),
    )


# Letters and digits that cannot be mistaken for one another when read aloud or copied.
_READABLE = "abcdefghjkmnpqrstuvwxyz23456789"


def _temporary_password() -> str:
    """Three groups of four, e.g. "kdrt-8mwa-p3xz": 60 bits, easy to pass on by phone."""
    return "-".join("".join(secrets.choice(_READABLE) for _ in range(4)) for _ in range(3))


def _orgs_not_administered(user: User) -> list[str]:
    """The user's other organisations where the current admin is not an administrator: a
    new password there would open the account to someone who does not manage it."""
    administered = {m.organization_id for m in current_user.memberships if m.role == "admin"}
    return sorted(
        (m.organization.name for m in user.memberships if m.organization_id not in administered),
        key=sort_key,
    )


@bp.route("/organisation/medlemmer/<int:membership_id>/adgangskode", methods=["POST"])
@require_roles("admin")
def member_password(membership_id: int):
    """A new password for a member who has forgotten theirs, shown once to the admin. It
    ends the member's sessions on every device."""
    membership = get_or_404_for_user(Membership, membership_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    user = membership.user
    error = password = None
    if user.id == current_user.id:
        error = _("Change your own password under Settings.")
    elif elsewhere := _orgs_not_administered(user):
        error = _(
            "%(name)s is also a member of %(orgs)s, where you are not an administrator, so "
            "you cannot give them a new password. An administrator of all their "
            "organisations can.",
            name=user.name,
            orgs=", ".join(elsewhere),
        )
    else:
        password = _temporary_password()
        user.set_password(password)
        db.session.commit()
    return render_fragment(
        PAGE,
        "member_row",
        422 if error else 200,
        member=membership,
        error=error,
        new_password=password,
        open_cases=_open_cases(),
    )


@bp.route("/organisation/medlemmer/<int:membership_id>/fjern", methods=["POST"])
@require_roles("admin")
def member_remove(membership_id: int):
    membership = get_or_404_for_user(Membership, membership_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if membership.role == "admin" and not _admins_left_without(membership):
        return render_fragment(
            PAGE,
            "member_row",
            422,
            member=membership,
            error=_("The organisation must keep at least one administrator."),
            open_cases=_open_cases(),
        )
    _leave_organisation(membership)
    db.session.commit()
    return render_htmx(PAGE, "members", **_context())


def _leave_organisation(membership: Membership) -> None:
    """Remove a membership and what only a member may hold, in the caller's transaction."""
    _withdraw_from_work(membership)
    db.session.delete(membership)


def _withdraw_from_work(membership: Membership) -> tuple[list[str], int]:
    """Take the person off what only someone who works in the organisation may hold, in
    the caller's transaction: for a member who leaves, or who becomes read-only (an
    evaluator can neither be on a team nor answer a self-assessment).

    They leave the teams of the organisation's interventions and the open self-assessment
    rounds they have not started answering (removed like a respondent is removed from a
    round: the row with its cascades). Answers already given, closed rounds and the cases
    they are responsible for are history and stay. Returns the names of the interventions
    whose teams they left and the number of rounds they left."""
    org_id, user_id = membership.organization_id, membership.user_id
    team_rows = db.session.scalars(
        select(TeamMember)
        .where(TeamMember.organization_id == org_id, TeamMember.user_id == user_id)
        .options(joinedload(TeamMember.intervention))
    ).all()
    unanswered = db.session.scalars(
        select(AssessmentRespondent)
        .join(AssessmentRound, AssessmentRound.id == AssessmentRespondent.round_id)
        .where(
            AssessmentRound.organization_id == org_id,
            AssessmentRound.status == "open",
            AssessmentRespondent.user_id == user_id,
            ~exists().where(AssessmentAnswer.respondent_id == AssessmentRespondent.id),
            ~exists().where(AssessmentJustification.respondent_id == AssessmentRespondent.id),
        )
    ).all()
    for row in [*team_rows, *unanswered]:
        db.session.delete(row)
    return sorted(row.intervention.name for row in team_rows), len(unanswered)


def _withdrawal_notice(interventions: list[str], rounds: int, own: bool = False) -> str | None:
    """What a change to a read-only role took the person off: for the member's row, or
    (`own`) for the admin who made the change to their own role. The calls are written out,
    not chosen by variable, so `make messages` finds every text."""
    teams, n_teams = ", ".join(interventions), len(interventions)
    parts = []
    if interventions and own:
        parts.append(
            ngettext(
                "You have left the team of %(interventions)s.",
                "You have left the teams of %(interventions)s.",
                n_teams,
                interventions=teams,
            )
        )
    elif interventions:
        parts.append(
            ngettext(
                "They have left the team of %(interventions)s.",
                "They have left the teams of %(interventions)s.",
                n_teams,
                interventions=teams,
            )
        )
    if rounds and own:
        parts.append(
            ngettext(
                "You have left %(num)s open self-assessment round you had not answered.",
                "You have left %(num)s open self-assessment rounds you had not answered.",
                rounds,
            )
        )
    elif rounds:
        parts.append(
            ngettext(
                "They have left %(num)s open self-assessment round they had not answered.",
                "They have left %(num)s open self-assessment rounds they had not answered.",
                rounds,
            )
        )
    if not parts:
        return None
    return " ".join([_("An evaluator can only read."), *parts])
