"""Cases, the core element rating grid, the reflection views, outcomes and follow-up."""

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_htmx import make_response as htmx_response
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import clock
from ..access import current_org, current_role, get_or_404_for_user, require_roles
from ..analysis import outcomes as outcome_tables
from ..analysis.caseworkers import caseworker_changes
from ..analysis.ratings import (
    DEFAULT_LOW_THRESHOLD,
    cells_and_facts,
    cells_within,
    distribution_from_counts,
    heat_map_from_counts,
    rater_vs_team_of,
    trend_from_counts,
)
from ..analysis.rounding import percent
from ..extensions import db, htmx
from ..formatting import format_day, quarter_labels
from ..forms import EmptyForm, choices
from ..history import case_history
from ..ids import parse_id
from ..models import (
    ALLIANCE_DIMENSIONS,
    GOAL_ATTAINMENT,
    PROBLEM_GRADES,
    REFLECTED_ADJUSTMENT,
    Case,
    CaseFollowUp,
    CoreElement,
    CoreElementRating,
    Intervention,
    Phase,
    ProblemCategory,
)
from ..names import name_key
from ..paging import Page, requested_page
from ..rendering import render_fragment, render_htmx
from . import listing, service
from .forms import (
    CaseEditForm,
    CaseForm,
    FollowUpForm,
    NewProblemCategoryForm,
    ProblemCategoryForm,
    RatingForm,
)
from .listing import CaseFilter
from .quality_filter import QualityFilter

bp = Blueprint("cases", __name__)
bp.add_app_template_global(percent, "percent")

LISTING = "cases/cases.html"
CASES_PER_PAGE = 50
LOW_PER_PAGE = 50
DETAIL = "cases/detail.html"
EDIT = "cases/edit.html"
QUALITY = "cases/quality.html"
PATTERN = "cases/pattern.html"
OUTCOMES = "cases/outcomes.html"

# A choice the other person's save took away (their former practitioner, a phase since
# archived) is not the user's mistake.
STALE_CHOICE = _l(
    "Your choice is no longer possible after the change made meanwhile: choose again."
)

# The case form's caseworker select when the team has none to offer.
NO_CASEWORKERS = _l(
    "No authority caseworkers in the quality team – add them under Quality team on the "
    "intervention's overview, with the role Authority caseworker."
)

# Ratings are given by the intervention's team.
NOT_ON_TEAM = _l(
    "Only members of the intervention's team rate its cases. Ask a leader to add you to the team."
)

# Who may see another practitioner's pattern.
PATTERN_VIEWERS = frozenset({"leader", "admin"})


@dataclass(frozen=True)
class RaterChoice:
    """A person in the pattern page's picker, labelled when not on the team."""

    id: int
    name: str


def _intervention(intervention_id: int) -> Intervention:
    return get_or_404_for_user(Intervention, intervention_id)


def _case(intervention_id: int, case_id: int, *options) -> Case:
    case = get_or_404_for_user(Case, case_id, *options)
    if case.intervention_id != intervention_id:
        abort(404)
    return case


def _case_form_choices(form, intervention: Intervention, case: Case | None = None) -> None:
    """Current team members and active phases; editing, also the case's own current values.

    A practitioner or caseworker who has left the team (or, a caseworker, is no longer one
    on it), or a phase archived since, stays a choice on the case that has it, labelled so,
    so saving the form unchanged never clears it.
    """
    team, caseworkers = service.team_and_caseworkers(intervention)
    on_team = {user.id for user in team}
    users = [(u.id, u.name) for u in team]
    former = case.practitioner if case is not None else None
    if former is not None and former.id not in on_team:
        users.append((former.id, _("%(name)s (no longer on the team)", name=former.name)))
    form.practitioner_id.choices = choices([("", _("Not chosen"))] + users)
    workers = [(u.id, u.name) for u in caseworkers]
    former = case.caseworker if case is not None else None
    if former is not None and former.id not in {user_id for user_id, _name in workers}:
        label = (
            _("%(name)s (no longer an authority caseworker on the team)", name=former.name)
            if former.id in on_team
            else _("%(name)s (no longer on the team)", name=former.name)
        )
        workers.append((former.id, label))
    form.caseworker_id.choices = choices([("", _("Not chosen"))] + workers)
    if not caseworkers:
        # An empty select says nothing of why: the hint says where caseworkers come from.
        form.caseworker_id.description = NO_CASEWORKERS
    phases = [(p.id, p.name) for p in service.phases_of(intervention) if not p.archived]
    if case is not None and case.phase is not None and case.phase.archived:
        phases.append((case.phase_id, _("%(name)s (archived)", name=case.phase.name)))
    form.phase_id.choices = choices([("", _("Not chosen"))] + phases)


# The people a case names, loaded with it.
PEOPLE = (joinedload(Case.practitioner), joinedload(Case.caseworker))


# --- cases --------------------------------------------------------------------------


def _listing_context(
    intervention: Intervention,
    form: CaseForm,
    *,
    mine: bool = False,
    page: int = 1,
    flt: CaseFilter | None = None,
    created: Case | None = None,
    rows_only: bool = False,
):
    """The list's key figures over all its cases, and one page of the rows its filter
    lets through (`rows_only`: the rows without the key figures, as the filter redraws them).

    Key figures, the overdue list and the filters read every case's dates as plain rows;
    only the page's cases are loaded as objects. A new case is shown among all cases, on
    the page it falls on.
    """
    flt = CaseFilter() if flt is None or created is not None else flt
    all_lines = service.case_lines(intervention)
    # "Mine" narrows the list and its key figures to one's own cases: those one is the
    # responsible practitioner or the authority caseworker on.
    lines = [c for c in all_lines if listing.is_mine(c, current_user.id)] if mine else all_lines
    figures = service.case_figures(lines, clock.today())
    # Changes of caseworker from the audit trail (one query), of the list's cases only;
    # not read for the rows alone, which the filter redraws as the user types.
    changes = None
    if not rows_only:
        changes = caseworker_changes(
            service.caseworker_saves(intervention), {c.id for c in lines} if mine else None
        )
    rows = flt.apply(lines, figures.statuses)
    if created is not None:
        position = next((n for n, c in enumerate(rows) if c.id == created.id), 0)
        page = position // CASES_PER_PAGE + 1
    paging = Page.of(page, CASES_PER_PAGE, len(rows))
    shown = rows[paging.offset : paging.offset + paging.size]
    return {
        "intervention": intervention,
        "cases": service.cases_by_id(intervention, [line.id for line in shown]),
        # The caseworkers' names from the lines, not loaded again with the page's cases.
        "caseworker_of": {line.id: line.caseworker_name for line in shown},
        "figures": figures,
        "caseworker_changes": changes,
        "paging": paging,
        "flt": flt,
        "list_args": {"mine": 1, **flt.as_args()} if mine else flt.as_args(),
        # The switch between all and one's own cases keeps the search and filters, and
        # starts on page 1: the other list has other pages.
        "switch_args": flt.as_args() if mine else {"mine": 1, **flt.within_mine().as_args()},
        "responsible_choices": listing.responsible_choices(lines),
        "caseworker_choices": listing.caseworker_choices(lines),
        "phase_choices": listing.phase_choices(lines),
        "form": form,
        "created": created,
        "mine": mine,
        "rows_only": rows_only,
        "all_count": len(all_lines),
        "population": len(lines),
    }


def _list_state() -> dict:
    """The list's filters and page as the request gives them (query string). The new-case
    form also sends the filter form's fields (hx-include): the search typed since the page
    was drawn, which its address does not know."""
    filters = request.form if "soeg" in request.form else request.args
    mine = request.args.get("mine") == "1"
    flt = CaseFilter.from_args(filters)
    return {
        "mine": mine,
        "page": requested_page(),
        "flt": flt.within_mine() if mine else flt,
    }


@bp.route("/indsatser/<int:intervention_id>/forloeb")
def case_listing(intervention_id: int):
    intervention = _intervention(intervention_id)
    state = _list_state()
    form = CaseForm(formdata=None)
    _case_form_choices(form, intervention)
    # The filter form swaps only the rows, so what is typed in its search box stays; the
    # switch to all or one's own cases, above the rows, comes along out of band.
    rows_only = bool(htmx) and htmx.target == "case-results"
    blocks = ["results", "mine_switch"] if rows_only else "listing"
    context = _listing_context(intervention, form, rows_only=rows_only, **state)
    response = render_htmx(LISTING, blocks, **context)
    response.vary.add("HX-Target")
    return response


@bp.route("/indsatser/<int:intervention_id>/forloeb", methods=["POST"])
def case_new(intervention_id: int):
    intervention = _intervention(intervention_id)
    # The form posts to the address of the list it sits in, so a refused form comes back
    # with the same filter and page around it.
    state = _list_state()
    form = CaseForm()
    _case_form_choices(form, intervention)
    valid = form.validate_on_submit()
    if valid and _code_taken(intervention, form.code.data):
        form.code.errors.append(_("Another case in this intervention already has this code."))
        valid = False
    if not valid:
        return render_htmx(LISTING, "listing", 422, **_listing_context(intervention, form, **state))
    service.ensure_categories(intervention.organization_id)
    case = Case(organization_id=intervention.organization_id, intervention_id=intervention.id)
    form.populate_obj(case)
    db.session.add(case)
    db.session.commit()
    fresh = CaseForm(formdata=None)
    _case_form_choices(fresh, intervention)
    # The new case is shown among all cases, on its page; the address follows.
    context = _listing_context(intervention, fresh, created=case)
    response = render_htmx(LISTING, "listing", **context)
    if htmx:
        response.headers["HX-Push-Url"] = url_for(
            "cases.case_listing", intervention_id=intervention.id, **context["paging"].param()
        )
        # The form folds away and the list may be shorter than the page was, which would
        # leave the browser far below the confirmation: it is brought to the top of the
        # window (a refused form keeps the form's own swap, which shows the field at fault).
        response.headers["HX-Reswap"] = "outerHTML show:#case-created:top"
    return response


def _code_taken(intervention: Intervention, code: str, case_id: int | None = None) -> bool:
    stmt = select(Case.id).where(Case.intervention_id == intervention.id, Case.code == code)
    if case_id is not None:
        stmt = stmt.where(Case.id != case_id)
    return db.session.scalar(stmt) is not None


def _detail_context(case: Case, **extra):
    intervention = case.intervention
    today = clock.today()
    phases = service.phases_of(intervention)
    elements = service.core_elements_of(intervention)
    ratings = service.ratings_of_case(case)
    latest = service.latest_by_cell(ratings)
    rated_phase_ids = {p for p, _ in latest}
    rated_element_ids = {e for _, e in latest}
    # Archived phases and core elements stay visible where they were rated.
    phases = [p for p in phases if not p.archived or p.id in rated_phase_ids]
    elements = [e for e in elements if not e.archived or e.id in rated_element_ids]
    context = {
        "intervention": intervention,
        "case": case,
        "phases": phases,
        "elements": elements,
        "latest": latest,
        "history": list(reversed(ratings)),
        "scale": service.rating_scale(),
        "followup": service.followup_of(case, today),
        "followup_form": FollowUpForm(formdata=None),
        "comment_form": RatingForm(formdata=None),
        "editable": not case.is_closed,
        # Ratings are given by the intervention's team (read-only roles are refused anyway).
        "on_team": service.is_team_member(intervention, current_user.id),
        "today": today,
    }
    context.update(extra)
    return context


@bp.route("/indsatser/<int:intervention_id>/forloeb/<int:case_id>")
def case_detail(intervention_id: int, case_id: int):
    # The people the page names come with the case: the same queries whoever is chosen.
    case = _case(intervention_id, case_id, *PEOPLE)
    return render_htmx(DETAIL, "content", **_detail_context(case, **_case_history(case)))


# The newest changes of a case shown on its page, as a PDSA cycle's.
CASE_HISTORY_LIMIT = 30


def _case_history(case: Case) -> dict:
    """The case's own history (its fields and its follow-ups) for its page: one query
    for the trail and one per kind of row it names, however long it is."""
    return {"case_history": case_history(case.id, limit=CASE_HISTORY_LIMIT)}


def _edit_form(case: Case, **kwargs) -> CaseEditForm:
    form = CaseEditForm(**kwargs)
    _case_form_choices(form, case.intervention, case)
    categories = service.categories_of(case.organization_id)
    chosen = {c.id for c in case.problem_categories}
    # An archived category stays selectable on the cases that already carry it.
    extra = [c for c in case.problem_categories if c.archived]
    form.problem_categories.choices = choices([(c.id, c.name) for c in categories + extra])
    if kwargs.get("obj") is not None:
        form.problem_categories.data = sorted(chosen)
        form.alliance.data = case.alliance_keys
    form.followup_days = [f.held_on for f in case.followups]
    form.first_rating_day = service.first_rating_day(case)
    form.was_closed = case.is_closed
    return form


@bp.route("/indsatser/<int:intervention_id>/forloeb/<int:case_id>/rediger", methods=["GET", "POST"])
def case_edit(intervention_id: int, case_id: int):
    case = _case(intervention_id, case_id)
    if request.method == "GET":
        form = _edit_form(case, obj=case)
        return render_htmx(EDIT, "edit_form", intervention=case.intervention, case=case, form=form)
    form = _edit_form(case)
    status = 200
    valid = form.validate_on_submit()
    # The conflict is decided first: the choices follow the saved case, so a practitioner
    # the other person replaced would otherwise read as the user's own invalid choice.
    if form.is_stale(case):
        form.refuse_stale(case, theirs_shown=True)
        for choice in (form.practitioner_id, form.caseworker_id, form.phase_id):
            if choice.errors:
                choice.errors = [STALE_CHOICE]
        status = 409
    elif not valid:
        status = 422
    elif _code_taken(case.intervention, form.code.data, case.id):
        form.code.errors.append(_("Another case in this intervention already has this code."))
        status = 422
    if status != 200:
        return render_htmx(
            EDIT,
            "edit_form",
            status,
            intervention=case.intervention,
            case=case,
            form=form,
            conflict=status == 409,
        )
    ids = set(form.problem_categories.data or [])
    form.problem_categories.data = None
    for name in (
        "code",
        "practitioner_id",
        "caseworker_id",
        "start_date",
        "phase_id",
        "followup_cadence_months",
        "end_date",
        "goal_attainment",
        "problem_grade",
        "reflected_adjustment",
    ):
        setattr(case, name, form[name].data)
    case.alliance_keys = form.alliance.data
    categories = db.session.scalars(
        select(ProblemCategory).where(
            ProblemCategory.organization_id == case.organization_id, ProblemCategory.id.in_(ids)
        )
    )
    case.problem_categories = list(categories)
    db.session.commit()
    flash(_("The case %(code)s is saved.", code=case.code), "success")
    target = url_for("cases.case_detail", intervention_id=intervention_id, case_id=case.id)
    if htmx:
        return htmx_response(redirect=target)
    return redirect(target)


@bp.route("/indsatser/<int:intervention_id>/forloeb/<int:case_id>/opfoelgning", methods=["POST"])
def followup_new(intervention_id: int, case_id: int):
    case = _case(intervention_id, case_id)
    form = FollowUpForm()
    status = 200
    if not form.validate_on_submit():
        status = 422
    else:
        day = form.held_on.data
        if day > clock.today():
            form.held_on.errors.append(_("A follow-up is registered when it has been held."))
        elif day < case.start_date:
            form.held_on.errors.append(_("The follow-up cannot be before the case started."))
        elif case.end_date and day > case.end_date:
            form.held_on.errors.append(_("The follow-up cannot be after the case ended."))
        elif day in {f.held_on for f in case.followups}:
            form.held_on.errors.append(
                _("A follow-up held on %(day)s is already registered.", day=format_day(day))
            )
        if form.held_on.errors:
            status = 422
    if status == 200:
        case.followups.append(CaseFollowUp(organization_id=case.organization_id, held_on=day))
        db.session.commit()
        form = FollowUpForm(formdata=None)
    if status != 200:
        context = _detail_context(case, followup_form=form)
        return render_fragment(DETAIL, "followups", status, **context)
    # A registered follow-up reaches the case's history without a reload.
    context = _detail_context(case, followup_form=form, **_case_history(case))
    return render_fragment(DETAIL, ["followups", "case_history_oob"], **context)


@bp.route(
    "/indsatser/<int:intervention_id>/forloeb/<int:case_id>/opfoelgning/fjern", methods=["POST"]
)
def followup_remove(intervention_id: int, case_id: int):
    """Remove a follow-up registered by mistake (a typed-in wrong day).

    The follow-up is named in the form (followup_id); one of another case, another
    organisation's or none is a 404. Allowed wherever registering one is, closed cases
    too: a wrong day stays in the § 70 figures and locks the case's dates otherwise.
    """
    case = _case(intervention_id, case_id)
    followup_id = parse_id(request.form.get("followup_id"))
    followup = next((f for f in case.followups if f.id == followup_id), None)
    if followup is None:
        abort(404)
    removed = followup.held_on
    case.followups.remove(followup)
    db.session.delete(followup)  # the audit trail records the removal
    db.session.commit()
    context = _detail_context(case, followup_removed=removed, **_case_history(case))
    return render_fragment(DETAIL, ["followups", "case_history_oob"], **context)


# --- ratings ------------------------------------------------------------------------


def _cell_response(status: int, message: str, phase_id=None, element_id=None, **extra):
    return render_fragment(
        DETAIL,
        "cell_state",
        status,
        state="saved" if status == 200 else "failed",
        message=message,
        phase_id=phase_id,
        element_id=element_id,
        **extra,
    )


def _rating_target(case: Case, form: RatingForm):
    """The phase and core element of a cell, or a 404 when they are not this case's."""
    phase_id, element_id = parse_id(form.phase_id.data), parse_id(form.core_element_id.data)
    phase = db.session.get(Phase, phase_id) if phase_id else None
    element = db.session.get(CoreElement, element_id) if element_id else None
    if (
        phase is None
        or element is None
        or phase.intervention_id != case.intervention_id
        or element.intervention_id != case.intervention_id
    ):
        return None, None
    return phase, element


def _rated_meanwhile(previous: CoreElementRating | None) -> bool:
    """Whether someone else rated the cell after the page was drawn: the page sends the
    newest rating id it showed (`seen`). One's own newer rating (another tab) is no
    conflict; a request without `seen` is not checked."""
    seen = parse_id(request.form.get("seen", ""))
    if previous is None or "seen" not in request.form or previous.rater_id == current_user.id:
        return False
    return seen is None or previous.id > seen


def _rated_meanwhile_message(previous: CoreElementRating) -> str:
    name = previous.rater.name if previous.rater else _("someone else")
    if "comment" in request.form:
        return _(
            "%(name)s rated this cell %(score)d meanwhile (see the grid), so your comment "
            "was not saved. It is still here: save again to replace theirs.",
            name=name,
            score=previous.score,
        )
    return _(
        "%(name)s gave %(score)d meanwhile; yours was not saved. Type again to replace it.",
        name=name,
        score=previous.score,
    )


def _save_rating(case: Case, form: RatingForm):
    """Validate and append a rating row. Returns (status, message, rating)."""
    phase, element = _rating_target(case, form)
    if phase is None:
        return (
            404,
            _("This phase or core element does not belong to the case's intervention."),
            None,
        )
    if not service.is_team_member(case.intervention, current_user.id):
        # The team figures and the patterns are the team's ratings: each one traceable to a
        # practitioner of the team.
        return 403, str(NOT_ON_TEAM), None
    if case.is_closed:
        return 422, _("The case is closed; its ratings can no longer be changed."), None
    if element.archived:
        return 422, _("The core element is archived; it cannot be rated any more."), None
    if phase.archived:
        return 422, _("The phase is archived; it cannot be rated any more."), None
    previous = db.session.scalars(
        select(CoreElementRating).where(
            CoreElementRating.case_id == case.id,
            CoreElementRating.phase_id == phase.id,
            CoreElementRating.core_element_id == element.id,
            CoreElementRating.is_latest,
        )
    ).first()
    commenting = "comment" in request.form
    # Rated meanwhile with the very score typed here (and no comment): nothing to ask.
    if _rated_meanwhile(previous) and (commenting or form.score.data != str(previous.score)):
        return 409, _rated_meanwhile_message(previous), previous
    raw = form.score.data
    values = service.scale_values()
    # An empty comment on a cell without one, keeping its score, would save nothing: said
    # so at the field, not "saved". (Emptying a cell's comment removes it, below.)
    if (
        commenting
        and not form.comment.data
        and (previous is None or not previous.comment)
        and (raw == "" or (previous is not None and raw == str(previous.score)))
    ):
        message = _(
            "The comment is empty, so nothing was saved. Write why the cell got its rating."
        )
        form.comment.errors.append(message)
        return 422, message, None
    if raw == "" and commenting:
        if previous is None:
            return 422, _("Rate the cell (1–5) before commenting on it."), None
        score = previous.score
    else:
        try:
            score = int(raw)
        except (TypeError, ValueError):
            score = None
        if score not in values:
            return (
                422,
                _(
                    "Use a whole number from %(low)d to %(high)d.",
                    low=min(values),
                    high=max(values),
                ),
                None,
            )
    if commenting:
        comment = form.comment.data
    elif previous is not None and previous.score == score:
        return 200, _("Saved"), previous
    elif previous is not None and previous.rater_id == current_user.id:
        comment = previous.comment  # the author correcting their own score keeps their words
    else:
        # Someone else's comment is not carried onto a new score under this person's name:
        # it stays with the score it explained, in the history.
        comment = ""
    if not commenting:
        message = _("Saved")
    elif comment:
        message = _("The comment is saved.")
    elif previous is not None and previous.score == score:
        message = _("The comment is removed from the cell; the history keeps it.")
    else:
        message = _("The rating is saved without a comment.")
    # Nothing changed: said as a save would say it (an empty comment unchanged was refused).
    if previous is not None and previous.score == score and previous.comment == comment:
        return 200, message, previous
    rating = CoreElementRating(
        organization_id=case.organization_id,
        case_id=case.id,
        phase_id=phase.id,
        core_element_id=element.id,
        score=score,
        comment=comment,
        rater_id=current_user.id,
        rated_at=datetime.now(UTC),
    )
    db.session.add(rating)
    db.session.commit()
    return 200, message, rating


@bp.route("/indsatser/<int:intervention_id>/forloeb/<int:case_id>/vurdering", methods=["POST"])
def rating_save(intervention_id: int, case_id: int):
    """One grid cell, saved on change. Answers with the cell's saved/failed state."""
    case = _case(intervention_id, case_id)
    form = RatingForm()
    if not form.validate_on_submit():
        messages = [str(m) for errors in form.errors.values() for m in errors]
        return _cell_response(
            422, " ".join(messages), form.phase_id.data, form.core_element_id.data
        )
    status, message, rating = _save_rating(case, form)
    if status == 409:
        # The cell learns the rating it now holds: its mark, and the id a second try
        # sends, which then replaces it.
        return render_fragment(
            DETAIL,
            ["cell_state", "cell_seen", "comment_mark"],
            409,
            state="failed",
            message=message,
            r=rating,
            current_score=rating.score,
            cell_oob=True,
            phase_id=rating.phase_id,
            element_id=rating.core_element_id,
        )
    if status != 200:
        return _cell_response(status, message, form.phase_id.data, form.core_element_id.data)
    # Out of band: the history gains the new row, the cell's comment mark and the comment
    # list follow the new rating, and the grid's live region tells a screen reader.
    return render_fragment(
        DETAIL,
        ["cell_state", "cell_seen", "comment_mark", "grid_status", "comment_list", "history"],
        **_detail_context(
            case,
            oob=True,
            cell_oob=True,
            list_oob=True,
            state="saved",
            message=message,
            r=rating,
            phase_id=rating.phase_id,
            element_id=rating.core_element_id,
        ),
    )


@bp.route("/indsatser/<int:intervention_id>/forloeb/<int:case_id>/kommentar", methods=["POST"])
def rating_comment(intervention_id: int, case_id: int):
    """The comment of a cell, from the form under the grid."""
    case = _case(intervention_id, case_id)
    form = RatingForm()
    status = 200
    if not form.validate_on_submit():
        status = 422
    else:
        status, message, rating = _save_rating(case, form)
        if status == 200:
            context = _detail_context(case, comment_saved=message, oob=True)
            return render_fragment(DETAIL, ["comment_panel", "grid", "history"], **context)
        if status == 409:
            # The grid shows their rating; the panel, drawn again, sends it as seen, so
            # the same save now replaces it.
            context = _detail_context(case, comment_form=form, oob=True)
            form.form_errors.append(message)
            return render_fragment(DETAIL, ["comment_panel", "grid"], 409, **context)
        if message not in form.comment.errors:  # one placed at its field is not repeated
            form.form_errors.append(message)
    return render_fragment(
        DETAIL, "comment_panel", status, **_detail_context(case, comment_form=form)
    )


# --- reflection views ---------------------------------------------------------------


def _analysis_keys(intervention: Intervention, rated_phases: set, rated_elements: set):
    """Phases and core elements to show: active ones, and archived ones that were rated."""
    phases = [p for p in service.phases_of(intervention) if not p.archived or p.id in rated_phases]
    elements = [
        e
        for e in service.core_elements_of(intervention)
        if not e.archived or e.id in rated_elements
    ]
    return phases, elements


def _trend_chart(trend, quarters: list[str], labels: dict[str, str], elements) -> dict:
    """Chart.js data for the trend: one line per core element, gaps where a quarter is empty."""
    means = {(row.core_element, row.quarter): row.mean for row in trend.itertuples()}
    return {
        "labels": [labels[q] for q in quarters],
        "datasets": [
            {
                "label": e.name,
                "data": [
                    None if means.get((e.id, q)) is None else float(means[(e.id, q)])
                    for q in quarters
                ],
            }
            for e in elements
        ],
        "yLabel": _("Mean rating (1–5)"),
    }


@bp.route("/indsatser/<int:intervention_id>/kvalitet")
def quality_overview(intervention_id: int):
    intervention = _intervention(intervention_id)
    # Only each cell's latest rating counts. SQL picks it and counts the cells per
    # (core element, phase, score, quarter, case closed); the heat map, distribution and
    # trend are sums of those few rows, so the page costs the same for 50 cases or 5,000,
    # and the filter picks among them without another query.
    rows = service.latest_cell_rows(intervention)
    every, years, closed_low = cells_and_facts(rows, DEFAULT_LOW_THRESHOLD)
    flt = QualityFilter.from_args(request.args).within(years)
    counts = cells_within(rows, flt.open_only, flt.year) if flt.active else every
    # The rows and columns of every rated cell, so the filter empties cells, not the map.
    phases, elements = _analysis_keys(
        intervention, {key[1] for key in every}, {key[0] for key in every}
    )
    phase_ids, element_ids = [p.id for p in phases], [e.id for e in elements]
    trend = trend_from_counts(counts, core_elements=element_ids)
    quarters = list(dict.fromkeys(trend["quarter"])) if len(trend) else []
    labels = quarter_labels(quarters)
    phase_by_id = {p.id: p for p in phases}
    element_by_id = {e.id: e for e in elements}
    include_closed = request.args.get("lukkede") == "1"
    low_all = sum(n for key, n in every.items() if key[2] <= DEFAULT_LOW_THRESHOLD)
    low_paging = Page.of(
        requested_page(), LOW_PER_PAGE, low_all if include_closed else low_all - closed_low
    )
    low = service.low_cells(
        intervention, DEFAULT_LOW_THRESHOLD, include_closed, low_paging.offset, low_paging.size
    )
    heat = heat_map_from_counts(counts, phases=phase_ids, core_elements=element_ids)
    low_items = [
        {
            "cell": cell,
            "phase": phase_by_id[cell.phase_id],
            "element": element_by_id[cell.core_element_id],
        }
        for cell in low
    ]
    # The low list's pager swaps only the list.
    block = "low_list" if htmx and htmx.target == "low-list" else "content"
    response = render_htmx(
        QUALITY,
        block,
        intervention=intervention,
        phases=phases,
        elements=elements,
        heat_cells=heat.cells(),
        distribution={
            element: {column: int(value) for column, value in row.items()}
            for element, row in distribution_from_counts(counts, core_elements=element_ids)
            .to_dict("index")
            .items()
        },
        quarters=quarters,
        trend_cells={
            (row.core_element, row.quarter): (row.mean, row.count) for row in trend.itertuples()
        },
        quarter_labels=labels,
        trend_chart=_trend_chart(trend, quarters, labels, elements),
        low_items=low_items,
        low_paging=low_paging,
        include_closed=include_closed,
        closed_low=closed_low,
        scale=service.rating_scale(),
        rating_count=sum(every.values()),
        shown_count=sum(counts.values()),
        flt=flt,
        years=years,
        can_see_others=current_role() in PATTERN_VIEWERS,
    )
    response.vary.add("HX-Target")
    return response


@bp.route("/indsatser/<int:intervention_id>/kvalitet/moenster")
def quality_pattern(intervention_id: int):
    """A practitioner's own pattern against the team's: for them and for leaders only."""
    intervention = _intervention(intervention_id)
    # The team, and anyone else who has rated in the intervention (e.g. someone who has
    # left the team since): every rating the team's figures count can be traced.
    people = service.raters_of(intervention)
    rater_id = parse_id(request.args.get("behandler", current_user.id))
    if rater_id is None:
        abort(404)
    if rater_id != current_user.id and current_role() not in PATTERN_VIEWERS:
        abort(403)
    rater = next((u for u, _on_team in people if u.id == rater_id), None)
    if rater is None and rater_id != current_user.id:
        abort(404)
    sums = service.rater_sums(intervention, rater_id)
    _phases, elements = _analysis_keys(intervention, set(), {row.core_element for row in sums})
    table = rater_vs_team_of(sums, core_elements=[e.id for e in elements])
    return render_htmx(
        PATTERN,
        "content",
        intervention=intervention,
        elements=elements,
        table=table,
        rater=rater or current_user,
        raters=[
            RaterChoice(u.id, u.name if on_team else _("%(name)s (not on the team)", name=u.name))
            for u, on_team in people
        ],
        own=rater_id == current_user.id,
        can_see_others=current_role() in PATTERN_VIEWERS,
    )


# --- outcomes -----------------------------------------------------------------------


@bp.route("/indsatser/<int:intervention_id>/resultater")
def outcome_listing(intervention_id: int):
    intervention = _intervention(intervention_id)
    years = service.closing_years(intervention)
    # ?aar=2019: the cases closed that year, as seed 002 reports each year apart.
    year = request.args.get("aar", type=int)
    year = year if year in years else None
    groups, category_counts, alliance_counts = service.outcome_counts(intervention, year)
    closed = [group for group in groups if not group["open"]]
    categories = service.categories_of(intervention.organization_id, include_archived=True)
    category_keys = {c.id: c.key for c in categories}
    own_counts = [row for row in category_counts if row[1] in category_keys]
    # An archived category stays in the table while closed cases carry it.
    used = {category_keys[category_id] for _, category_id, _ in own_counts}
    shown_categories = [c for c in categories if not c.archived or c.key in used]
    code_counts = Counter()
    for goal, category_id, n in own_counts:
        if goal is not None:
            code_counts[category_keys[category_id], goal] += n
    goal = outcome_tables.goal_attainment_distribution(closed)
    # Closed cases the tables cannot place whole: the case list's "ukodede" filter finds them.
    codings = ("goal_attainment", "problem_grade", "reflected_adjustment")
    uncoded_count = sum(
        group["count"] for group in closed if any(group[name] is None for name in codings)
    )
    return render_htmx(
        OUTCOMES,
        "content",
        intervention=intervention,
        open_count=sum(group["count"] for group in groups if group["open"]),
        closed_count=goal.base + goal.missing,
        uncoded_count=uncoded_count,
        uncoded_status=listing.UNCODED,
        goal=goal,
        grade=outcome_tables.problem_grade_by_goal(closed),
        adjustment=outcome_tables.reflected_adjustment_by_goal(closed),
        pattern=outcome_tables.reflection_pattern(closed),
        years=years,
        year=year,
        category_table=outcome_tables.code_presence_from_counts(
            goal.counts, code_counts, [c.key for c in shown_categories], goal.missing
        ),
        category_names={c.key: c.name for c in shown_categories},
        alliance_table=outcome_tables.code_presence_from_counts(
            goal.counts, alliance_counts, list(ALLIANCE_DIMENSIONS), goal.missing
        ),
        alliance_labels=ALLIANCE_DIMENSIONS,
        goal_labels=GOAL_ATTAINMENT,
        grade_labels=PROBLEM_GRADES,
        adjustment_labels=REFLECTED_ADJUSTMENT,
    )


# --- problem categories: the organisation's own list ------------------------------------

CATEGORIES = "cases/categories.html"
CATEGORY_EDITORS = ("admin", "leader")


def _categories_context(new_form=None, **extra):
    org = current_org()
    context = {
        "categories": service.categories_of(org.id, include_archived=True),
        "new_form": new_form or NewProblemCategoryForm(formdata=None),
        "action_form": EmptyForm(),
        "can_edit_categories": current_role() in CATEGORY_EDITORS,
    }
    context.update(extra)
    return context


def _name_taken(form, organization_id: int, category_id: int | None = None) -> bool:
    """Refuse a name another category of the organisation has, archived ones too.

    Compared trimmed and case-insensitively, in Python: SQLite's lower() knows no Æ, Ø, Å.
    """
    name = name_key(form.name.data)
    for other in service.categories_of(organization_id, include_archived=True):
        if other.id != category_id and name_key(other.name) == name:
            form.name.errors.append(
                _("An archived problem category already has this name; reopen it instead.")
                if other.archived
                else _("Another problem category already has this name.")
            )
            return True
    return False


@bp.route("/problemkategorier")
def category_listing():
    return render_htmx(CATEGORIES, "categories", **_categories_context())


@bp.route("/problemkategorier", methods=["POST"])
@require_roles(*CATEGORY_EDITORS)
def category_new():
    form = NewProblemCategoryForm()
    org = current_org()
    valid = form.validate_on_submit()
    if valid:
        # The six come first, so a new name is checked against them too.
        service.ensure_categories(org.id)
        valid = not _name_taken(form, org.id)
    if not valid:
        db.session.rollback()
        return render_htmx(CATEGORIES, "categories", 422, **_categories_context(form))
    position = len(service.categories_of(org.id, include_archived=True))
    db.session.add(
        ProblemCategory(
            organization_id=org.id,
            key=f"own_{uuid.uuid4().hex[:12]}",
            name=form.name.data,
            description=form.description.data,
            position=position,
        )
    )
    db.session.commit()
    return render_htmx(CATEGORIES, "categories", **_categories_context())


@bp.route("/problemkategorier/standard", methods=["POST"])
@require_roles(*CATEGORY_EDITORS)
def category_defaults():
    if EmptyForm().validate_on_submit():
        service.ensure_categories(current_org().id)
        db.session.commit()
    return render_htmx(CATEGORIES, "categories", **_categories_context())


@bp.route("/problemkategorier/<int:category_id>", methods=["POST"])
@require_roles(*CATEGORY_EDITORS)
def category_edit(category_id: int):
    category = get_or_404_for_user(ProblemCategory, category_id)
    form = ProblemCategoryForm()
    status = 200
    if not form.validate_on_submit() or _name_taken(form, category.organization_id, category.id):
        status = 422
    elif form.is_stale(category):
        form.refuse_stale(category, theirs_shown=True)
        status = 409
    else:
        form.populate_obj(category)
        db.session.commit()
        form = None
    return render_fragment(
        CATEGORIES,
        "category_row",
        status,
        category=category,
        row_form=form,
        conflict=status == 409,
        can_edit_categories=True,
        action_form=EmptyForm(),
    )


@bp.route("/problemkategorier/<int:category_id>/arkiver", methods=["POST"])
@require_roles(*CATEGORY_EDITORS)
def category_archive(category_id: int):
    category = get_or_404_for_user(ProblemCategory, category_id)
    if EmptyForm().validate_on_submit():
        category.archived = not category.archived
        db.session.commit()
    return render_fragment(
        CATEGORIES,
        "category_row",
        category=category,
        row_form=None,
        can_edit_categories=True,
        action_form=EmptyForm(),
    )


from . import cell_views  # noqa: E402, F401  (routes on this blueprint)
