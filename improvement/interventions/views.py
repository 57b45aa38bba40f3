"""Interventions: listing, creation, inline editing, archiving, and the quality team."""

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from wtforms import SelectChoice

from .. import clock
from ..access import current_org, get_or_404_for_user, scoped
from ..cases.service import case_figures, case_lines
from ..extensions import db
from ..forms import EmptyForm
from ..models import PROFESSIONAL_ROLES, Intervention, TeamMember
from ..names import sort_key
from ..rendering import render_fragment, render_htmx
from .forms import InterventionForm, TeamMemberEditForm, TeamMemberForm
from .team import PROFESSIONAL_ROLE_OF, addable_users, is_read_only_member, team_of

bp = Blueprint("interventions", __name__)
bp.add_app_template_global(PROFESSIONAL_ROLES, "professional_roles")

LISTING = "interventions/interventions.html"
DETAIL = "interventions/detail.html"


@bp.route("/")
def index():
    # Someone in no organisation never gets here: access.check_request sends them on.
    return redirect(url_for("interventions.intervention_listing"))


def _listing_context(form: InterventionForm, show_archived: bool, created_id: int | None = None):
    stmt = scoped(Intervention)
    if not show_archived:
        stmt = stmt.where(Intervention.status != "archived")
    # Not paged, so sorted here: Danish order (a–z, æ, ø, å), case aside, on every database.
    interventions = sorted(db.session.scalars(stmt), key=lambda i: (sort_key(i.name), i.id))
    team_sizes = dict(
        db.session.execute(
            scoped(TeamMember, select(TeamMember.intervention_id, func.count()))
            .where(TeamMember.in_quality_team.is_(True))
            .group_by(TeamMember.intervention_id)
        ).all()
    )
    archived_count = db.session.scalar(
        scoped(Intervention, select(func.count())).where(Intervention.status == "archived")
    )
    return {
        "interventions": interventions,
        "team_sizes": team_sizes,
        "archived_count": archived_count,
        "show_archived": show_archived,
        "form": form,
        "created": next((i for i in interventions if i.id == created_id), None),
    }


@bp.route("/indsatser")
def intervention_listing():
    show_archived = request.args.get("arkiv") == "1"
    return render_htmx(LISTING, "listing", **_listing_context(InterventionForm(), show_archived))


def _names_in_use(exclude_id: int | None = None) -> list[tuple[str, bool]]:
    """(name, archived) of the organisation's other interventions, for the unique-name rule."""
    stmt = scoped(Intervention, select(Intervention.name, Intervention.status))
    if exclude_id is not None:
        stmt = stmt.where(Intervention.id != exclude_id)
    return [(name, status == "archived") for name, status in db.session.execute(stmt)]


def _edit_form(intervention: Intervention, **kwargs) -> InterventionForm:
    form = InterventionForm(**kwargs)
    if intervention.is_archived:
        # Shown as archived, not offered: reopening restores the status it had.
        del form.status
    return form


@bp.route("/indsatser", methods=["POST"])
def intervention_new():
    form = InterventionForm()
    form.names_in_use = _names_in_use()
    if not form.validate_on_submit():
        return render_htmx(LISTING, "listing", status=422, **_listing_context(form, False))
    intervention = Intervention(organization_id=current_org().id)
    form.populate_obj(intervention)
    db.session.add(intervention)
    db.session.commit()
    return render_htmx(
        LISTING,
        "listing",
        **_listing_context(InterventionForm(formdata=None), False, intervention.id),
    )


def _detail_context(intervention: Intervention, **extra):
    addable = addable_users(intervention)
    team_form = extra.pop("team_form", None) or _team_form(addable, formdata=None)
    context = {
        "intervention": intervention,
        "team": team_of(intervention),
        "addable": addable,
        "team_form": team_form,
        "action_form": EmptyForm(),
        "figures": case_figures(case_lines(intervention), clock.today()),
    }
    context.update(extra)
    return context


@bp.route("/indsatser/<int:intervention_id>")
def intervention_detail(intervention_id: int):
    intervention = get_or_404_for_user(Intervention, intervention_id)
    return render_htmx(DETAIL, "summary", **_detail_context(intervention))


@bp.route("/indsatser/<int:intervention_id>/rediger", methods=["GET", "POST"])
def intervention_edit(intervention_id: int):
    intervention = get_or_404_for_user(Intervention, intervention_id)
    if request.method == "GET":
        form = _edit_form(intervention, obj=intervention)
        form.remember_base(intervention)
        return render_fragment(DETAIL, "summary_form", intervention=intervention, form=form)
    form = _edit_form(intervention)
    form.names_in_use = _names_in_use(exclude_id=intervention.id)
    if not form.validate_on_submit():
        return render_fragment(DETAIL, "summary_form", 422, intervention=intervention, form=form)
    # Saved, archived or reopened meanwhile: what only the other person changed is merged
    # in, and only a field both changed is asked about.
    if form.is_stale(intervention) and form.merge(intervention):
        form.refuse_stale(intervention)
        form.remember_base(intervention)
        return render_fragment(DETAIL, "summary_form", 409, intervention=intervention, form=form)
    form.populate_obj(intervention)
    db.session.commit()
    # The summary now shows values this user did not type: say whose they are. An empty
    # message clears an earlier save's, which would otherwise read as about this one.
    message = ""
    if form.taken_in and form.saved_by_self:
        message = _(
            "The intervention is saved, with the changes you saved in another window or tab."
        )
    elif form.taken_in:
        message = _("The intervention is saved, with the changes someone else saved meanwhile.")
    # The name may have changed: the breadcrumb (out of band) and the tab's title follow.
    return render_fragment(
        DETAIL,
        ["summary", "breadcrumb", "retitled", "saved_message"],
        intervention=intervention,
        action_form=EmptyForm(),
        oob=True,
        saved_message=message,
    )


@bp.route("/indsatser/<int:intervention_id>/arkiver", methods=["POST"])
def intervention_archive(intervention_id: int):
    intervention = get_or_404_for_user(Intervention, intervention_id)
    if EmptyForm().validate_on_submit() and not intervention.is_archived:
        intervention.previous_status = intervention.status
        intervention.status = "archived"
        db.session.commit()
        flash(_("%(name)s is archived. Its history is kept.", name=intervention.name), "success")
    return redirect(url_for("interventions.intervention_detail", intervention_id=intervention.id))


@bp.route("/indsatser/<int:intervention_id>/genaabn", methods=["POST"])
def intervention_restore(intervention_id: int):
    intervention = get_or_404_for_user(Intervention, intervention_id)
    if EmptyForm().validate_on_submit() and intervention.is_archived:
        intervention.status = intervention.previous_status or "description"
        db.session.commit()
        flash(_("%(name)s is active again.", name=intervention.name), "success")
    return redirect(url_for("interventions.intervention_detail", intervention_id=intervention.id))


def _team_form(addable, **kwargs) -> TeamMemberForm:
    """Each person offered carries the professional role their role in the organisation
    suggests (app.js sets it when the person is chosen); the first one's is the default."""
    form = TeamMemberForm(**kwargs)
    suggested = [(user, PROFESSIONAL_ROLE_OF.get(role, "")) for user, role in addable]
    form.user_id.choices = [
        SelectChoice(user.id, user.name, render_kw={"data-professional-role": suggestion})
        for user, suggestion in suggested
    ]
    if kwargs.get("formdata", True) is None and suggested and suggested[0][1]:
        form.professional_role.data = suggested[0][1]
    return form


@bp.route("/indsatser/<int:intervention_id>/team", methods=["POST"])
def team_member_new(intervention_id: int):
    intervention = get_or_404_for_user(Intervention, intervention_id)
    form = _team_form(addable_users(intervention))
    if not form.validate_on_submit():
        if is_read_only_member(intervention, request.form.get("user_id")):
            # Not among the choices; say why rather than "not a valid choice".
            form.user_id.errors = [
                _("Evaluators read only and cannot be on a team or responsible for cases.")
            ]
        return render_htmx(
            DETAIL, "team_section", 422, **_detail_context(intervention, team_form=form)
        )
    member = TeamMember(
        organization_id=intervention.organization_id, intervention_id=intervention.id
    )
    form.populate_obj(member)
    db.session.add(member)
    db.session.commit()
    return render_htmx(DETAIL, "team_section", **_detail_context(intervention))


def _row_base(member: TeamMember) -> str:
    """The `base` a team row carries: the row is always drawn from what is saved (also
    after a refused choice), so the values it starts from are the saved ones. One form
    serves every row of the request (making one per row cost 5 % of the overview)."""
    if "row_base_form" not in g:
        g.row_base_form = TeamMemberEditForm(formdata=None, meta={"csrf": False})
    g.row_base_form.remember_base(member)
    return g.row_base_form.base.data


bp.add_app_template_global(_row_base, "team_row_base")


def _member(intervention_id: int, member_id: int) -> TeamMember:
    member = get_or_404_for_user(TeamMember, member_id)
    if member.intervention_id != intervention_id:
        # The right object under the wrong parent is as missing as a foreign one.
        abort(404)
    return member


@bp.route("/indsatser/<int:intervention_id>/team/<int:member_id>", methods=["POST"])
def team_member_edit(intervention_id: int, member_id: int):
    member = _member(intervention_id, member_id)
    form = TeamMemberEditForm()
    if not form.validate_on_submit():
        return render_fragment(DETAIL, "team_row", 422, member=member, row_form=form)
    if form.is_stale(member) and form.merge(member):
        # Only a control both changed is refused (the other one's change meanwhile is
        # merged in). The row saves on change and is drawn again from what is saved: the
        # choice made is not kept in it, so say so rather than "your text is in the form".
        if form.saved_by_self:
            refusal = _(
                "You changed this row in another window or tab meanwhile, so this choice was "
                "not saved. The row now shows what you saved there; choose again to replace it."
            )
        else:
            refusal = _(
                "Someone else changed this row meanwhile, so your choice was not saved. The "
                "row now shows what they saved; choose again to replace it."
            )
        form.form_errors.append(refusal)
        return render_fragment(DETAIL, "team_row", 409, member=member, row_form=form)
    form.populate_obj(member)
    db.session.commit()
    # The row is drawn from what is saved, so a control the other person changed flips
    # under the user's hand without a word unless this says why.
    message = ""
    if form.taken_in and form.saved_by_self:
        message = _(
            "The row for %(name)s is saved, with the change you saved in another window or tab.",
            name=member.user.name,
        )
    elif form.taken_in:
        message = _(
            "The row for %(name)s is saved, with the change someone else saved meanwhile.",
            name=member.user.name,
        )
    return render_fragment(
        DETAIL, ["team_row", "saved_message"], member=member, saved_message=message
    )


@bp.route("/indsatser/<int:intervention_id>/team/<int:member_id>/fjern", methods=["POST"])
def team_member_remove(intervention_id: int, member_id: int):
    member = _member(intervention_id, member_id)
    intervention = member.intervention
    if EmptyForm().validate_on_submit():
        db.session.delete(member)
        db.session.commit()
    return render_htmx(DETAIL, "team_section", **_detail_context(intervention))
