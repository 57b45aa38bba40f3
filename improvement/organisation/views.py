"""The organisation's members: admins add people, set their roles and remove them."""

from flask import Blueprint, abort
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..access import current_org, get_or_404_for_user, require_roles, scoped
from ..extensions import db
from ..forms import EmptyForm
from ..models import ROLES, Membership, User
from ..rendering import render_fragment, render_htmx
from .forms import NewMemberForm, RoleForm

bp = Blueprint("organisation", __name__)
bp.add_app_template_global(ROLES, "roles")

PAGE = "organisation/members.html"


def _members() -> list[Membership]:
    stmt = (
        scoped(Membership)
        .join(Membership.user)
        .options(joinedload(Membership.user))
        .order_by(User.name)
    )
    return list(db.session.scalars(stmt))


def _context(form=None, added=None):
    return {"members": _members(), "form": form or NewMemberForm(formdata=None), "added": added}


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
    user = db.session.scalars(select(User).where(User.email == email)).first()
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
    return render_htmx(PAGE, "members", **_context(added=user))


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
    status, error = 200, None
    if not form.validate_on_submit():
        status, error = 422, " ".join(form.role.errors)
    elif (
        form.role.data != "admin"
        and membership.role == "admin"
        and not _admins_left_without(membership)
    ):
        status, error = 422, _("The organisation must keep at least one administrator.")
    else:
        membership.role = form.role.data
        db.session.commit()
    return render_fragment(PAGE, "member_row", status, member=membership, error=error)


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
        )
    db.session.delete(membership)
    db.session.commit()
    return render_htmx(PAGE, "members", **_context())
