"""Core elements, development points, and phases with workflow steps (item history and
restoring from it: history_views.py)."""

from flask import Blueprint, abort, request
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..forms import EmptyForm, choices
from ..models import (
    ChangeTheoryItem,
    CoreElement,
    DevelopmentPoint,
    Intervention,
    Phase,
    PracticeElement,
    WorkflowStep,
)
from ..names import name_key
from ..pdsa.queries import cycle_counts_by_point, person_choices
from ..rendering import render_fragment, render_htmx, retarget
from ..seeding import read
from . import queries
from .common import load_child, load_intervention, move, reorder
from .forms import (
    CoreElementForm,
    DevelopmentPointForm,
    LimitForm,
    PhaseForm,
    WorkflowStepForm,
)

bp = Blueprint("description", __name__, url_prefix="/indsatser/<int:intervention_id>")

CORE = "description/core_elements.html"
POINTS = "description/development_points.html"
FLOWS = "description/workflows.html"


# ================================================================ core elements


def _activity_choices(intervention: Intervention):
    theory = queries.theory(intervention)
    return choices((a.id, f"{theory.labels[a.id]}: {a.text}") for a in theory.activities), theory


def _core_form(intervention: Intervention, **kwargs) -> CoreElementForm:
    form = CoreElementForm(**kwargs)
    form.activities.choices, _theory = _activity_choices(intervention)
    return form


def _core_context(intervention: Intervention, form=None, **extra):
    context = {
        "intervention": intervention,
        "elements": queries.core_elements(intervention),
        "archived": queries.core_elements(intervention, archived=True),
        "theory": queries.theory(intervention),
        "form": form or _core_form(intervention, formdata=None),
        "action_form": EmptyForm(),
        "framework_name": read("progression_framework.yaml")["name"],
    }
    context.update(extra)
    return context


def _set_activities(element: CoreElement, intervention: Intervention, ids: list[int]) -> None:
    if not ids:
        element.activities = []
        return
    items = list(
        db.session.scalars(
            select(ChangeTheoryItem).where(
                ChangeTheoryItem.id.in_(ids),
                ChangeTheoryItem.intervention_id == intervention.id,
                ChangeTheoryItem.kind == "activity",
            )
        )
    )
    if len(items) != len(set(ids)):
        abort(404)
    element.activities = items


@bp.route("/kerneelementer")
def core_element_listing(intervention_id: int):
    intervention = load_intervention(intervention_id)
    return render_htmx(CORE, "section", **_core_context(intervention))


@bp.route("/kerneelementer", methods=["POST"])
def core_element_new(intervention_id: int):
    intervention = load_intervention(intervention_id)
    form = _core_form(intervention)
    form.names_in_use = queries.names_in_use(CoreElement, intervention)
    if not form.validate_on_submit():
        return render_htmx(CORE, "section", 422, **_core_context(intervention, form, open=True))
    element = CoreElement(
        organization_id=intervention.organization_id,
        intervention_id=intervention.id,
        position=queries.next_position(CoreElement, intervention),
    )
    _fill_core(form, element, intervention)
    db.session.add(element)
    db.session.commit()
    return render_htmx(CORE, "section", **_core_context(intervention, created_id=element.id))


def _fill_core(form: CoreElementForm, element: CoreElement, intervention: Intervention) -> None:
    for name in ("name", "status", "description", "why", "focus", "practice"):
        setattr(element, name, getattr(form, name).data)
    _set_activities(element, intervention, form.activities.data or [])


@bp.route("/kerneelementer/<int:core_element_id>")
def core_element_detail(intervention_id: int, core_element_id: int):
    element = load_child(CoreElement, intervention_id, core_element_id)
    intervention = element.intervention
    return render_htmx(CORE, "card", element=element, **_core_context(intervention))


@bp.route("/kerneelementer/<int:core_element_id>/rediger", methods=["GET", "POST"])
def core_element_edit(intervention_id: int, core_element_id: int):
    element = load_child(CoreElement, intervention_id, core_element_id)
    intervention = element.intervention
    theory = queries.theory(intervention)
    ctx = {"element": element, "intervention": intervention, "theory": theory}
    # Edit forms are prefixed by their row, so several open editors never share field ids.
    prefix = f"ce{element.id}"
    saved = {"activities": [a.id for a in element.activities]}
    if request.method == "GET":
        form = _core_form(intervention, obj=element, prefix=prefix)
        form.activities.data = saved["activities"]
        form.remember_links(saved)
        return render_fragment(CORE, "card_form", form=form, **ctx)
    form = _core_form(intervention, prefix=prefix)
    form.names_in_use = queries.names_in_use(CoreElement, intervention, exclude_id=element.id)
    if not form.validate_on_submit():
        return render_fragment(CORE, "card_form", 422, form=form, **ctx)
    if element.archived:
        form.form_errors.append(
            _(
                "Someone archived this core element meanwhile, so nothing was saved. Your "
                "text is still here: restore the element (under the archived ones) to save it."
            )
        )
        return render_fragment(CORE, "card_form", 409, form=form, **ctx)
    # Links a colleague added or removed meanwhile, and this user left alone, stay so.
    form.merge_links(saved)
    if form.is_stale(element):
        form.refuse_stale(element, theirs_shown=True)
        form.remember_links(saved)
        return render_fragment(CORE, "card_form", 409, form=form, conflict=True, **ctx)
    _fill_core(form, element, intervention)
    db.session.commit()
    return render_fragment(CORE, "card", **ctx)


@bp.route("/kerneelementer/<int:core_element_id>/arkiver", methods=["POST"])
def core_element_archive(intervention_id: int, core_element_id: int):
    element = load_child(CoreElement, intervention_id, core_element_id)
    # Ratings and development points may refer to it: archived, never destroyed.
    element.archived = True
    db.session.commit()
    return render_htmx(CORE, "section", **_core_context(element.intervention))


@bp.route("/kerneelementer/<int:core_element_id>/genskab", methods=["POST"])
def core_element_restore(intervention_id: int, core_element_id: int):
    element = load_child(CoreElement, intervention_id, core_element_id)
    element.archived = False
    element.position = queries.next_position(CoreElement, element.intervention, archived=False)
    db.session.commit()
    return render_htmx(CORE, "section", **_core_context(element.intervention))


@bp.route("/kerneelementer/raekkefoelge", methods=["POST"])
def core_element_reorder(intervention_id: int):
    intervention = load_intervention(intervention_id)
    if not reorder(CoreElement, intervention, queries.core_elements(intervention)):
        # Changed by someone else since it was shown: the saved order, to move again.
        return render_htmx(
            CORE, "section", 409, **_core_context(intervention, reorder_refused=True)
        )
    return render_htmx(CORE, "section", **_core_context(intervention))


@bp.route("/kerneelementer/<int:core_element_id>/flyt", methods=["POST"])
def core_element_move(intervention_id: int, core_element_id: int):
    element = load_child(CoreElement, intervention_id, core_element_id)
    intervention = element.intervention
    if element.archived:
        abort(404)
    move(CoreElement, queries.core_elements(intervention), element)
    return render_htmx(CORE, "section", **_core_context(intervention, moved_id=element.id))


@bp.route("/kerneelementer/skabelon", methods=["POST"])
def core_element_template(intervention_id: int):
    """Copy the four core elements of the progression framework; the team then owns them."""
    intervention = load_intervention(intervention_id)
    # Names are unique among all the intervention's elements, archived ones too.
    existing = {name_key(name) for name, _a in queries.names_in_use(CoreElement, intervention)}
    position = queries.next_position(CoreElement, intervention)
    for item in read("progression_framework.yaml")["core_elements"]:
        if name_key(item["name"]) in existing:
            continue
        db.session.add(
            CoreElement(
                organization_id=intervention.organization_id,
                intervention_id=intervention.id,
                name=item["name"],
                description=item.get("description", ""),
                why=item.get("why", ""),
                focus=item.get("focus", ""),
                practice=item.get("practice", ""),
                status="potential",
                position=position,
            )
        )
        position += 1
    db.session.commit()
    return render_htmx(CORE, "section", **_core_context(intervention))


# ================================================================ development points


def _point_form(
    intervention: Intervention, point: DevelopmentPoint | None = None, **kwargs
) -> DevelopmentPointForm:
    form = DevelopmentPointForm(**kwargs)
    # The team, as for tests and action items (an evaluator, who may change nothing, is
    # never on it); an owner who has left the team stays a choice on their point.
    form.owner_id.choices = choices(
        person_choices(intervention, point.owner_id if point is not None else None)
    )
    form.core_elements.choices = choices(
        (e.id, e.name) for e in queries.core_elements(intervention)
    )
    form.practice_elements.choices = choices(
        (e.id, f"{e.number}. {e.name}") for e in queries.practice_elements()
    )
    return form


def _points_context(intervention: Intervention, form=None, **extra):
    points = queries.development_points(intervention)
    in_progress = sum(1 for p in points if p.status == "in_progress")
    context = {
        "intervention": intervention,
        "points": points,
        # One grouped query for every card's "Tests of change (n)".
        "test_counts": cycle_counts_by_point(intervention),
        "in_progress": in_progress,
        "limit": queries.wip_limit(intervention),
        "form": form or _point_form(intervention, formdata=None),
        "limit_form": extra.pop("limit_form", None)
        or LimitForm(formdata=None, limit=queries.wip_limit(intervention)),
    }
    context.update(extra)
    return context


def _fill_point(form, point: DevelopmentPoint, intervention: Intervention) -> None:
    for name in ("title", "description", "kind", "status", "owner_id"):
        setattr(point, name, getattr(form, name).data)
    core_ids = set(form.core_elements.data or [])
    cores = (
        list(
            db.session.scalars(
                select(CoreElement).where(
                    CoreElement.id.in_(core_ids), CoreElement.intervention_id == intervention.id
                )
            )
        )
        if core_ids
        else []
    )
    # Archived elements a point already refers to stay linked even though not offered.
    kept = [c for c in point.core_elements if c.archived]
    if len(cores) != len(core_ids):
        abort(404)
    point.core_elements = kept + [c for c in cores if c not in kept]
    element_ids = set(form.practice_elements.data or [])
    point.practice_elements = (
        list(db.session.scalars(select(PracticeElement).where(PracticeElement.id.in_(element_ids))))
        if element_ids
        else []
    )


@bp.route("/udviklingspunkter")
def development_point_listing(intervention_id: int):
    intervention = load_intervention(intervention_id)
    return render_htmx(POINTS, "section", **_points_context(intervention))


@bp.route("/udviklingspunkter", methods=["POST"])
def development_point_new(intervention_id: int):
    intervention = load_intervention(intervention_id)
    form = _point_form(intervention)
    if not form.validate_on_submit():
        return render_htmx(POINTS, "section", 422, **_points_context(intervention, form, open=True))
    point = DevelopmentPoint(
        organization_id=intervention.organization_id,
        intervention_id=intervention.id,
        position=queries.next_position(DevelopmentPoint, intervention),
    )
    _fill_point(form, point, intervention)
    db.session.add(point)
    db.session.commit()
    return render_htmx(POINTS, "section", **_points_context(intervention, created_id=point.id))


@bp.route("/udviklingspunkter/<int:point_id>/rediger", methods=["GET", "POST"])
def development_point_edit(intervention_id: int, point_id: int):
    point = load_child(DevelopmentPoint, intervention_id, point_id)
    intervention = point.intervention
    prefix = f"dp{point.id}"
    saved = {
        "core_elements": [c.id for c in point.core_elements],
        "practice_elements": [e.id for e in point.practice_elements],
    }
    if request.method == "GET":
        form = _point_form(intervention, point, obj=point, prefix=prefix)
        form.core_elements.data = saved["core_elements"]
        form.practice_elements.data = saved["practice_elements"]
        form.remember_links(saved)
        return render_fragment(POINTS, "point_form", form=form, point=point)
    form = _point_form(intervention, point, prefix=prefix)
    # Saved, the whole section comes back; refused, the form replaces only itself.
    in_place = f"#point-{point.id}"
    if not form.validate_on_submit():
        response = render_fragment(POINTS, "point_form", 422, form=form, point=point)
        return retarget(response, in_place)
    # Links a colleague added or removed meanwhile, and this user left alone, stay so.
    form.merge_links(saved)
    if form.is_stale(point):
        form.refuse_stale(point, theirs_shown=True)
        form.remember_links(saved)
        response = render_fragment(POINTS, "point_form", 409, form=form, point=point, conflict=True)
        return retarget(response, in_place)
    _fill_point(form, point, intervention)
    db.session.commit()
    # The whole section: the status may have changed the in-progress warning.
    return render_htmx(POINTS, "section", **_points_context(intervention))


@bp.route("/udviklingspunkter/graense", methods=["POST"])
def development_point_limit(intervention_id: int):
    """The team's own limit for how many points may be in progress at once."""
    intervention = load_intervention(intervention_id)
    form = LimitForm()
    if not form.validate_on_submit():
        return render_htmx(POINTS, "section", 422, **_points_context(intervention, limit_form=form))
    intervention.development_points_limit = form.limit.data
    db.session.commit()
    return render_htmx(POINTS, "section", **_points_context(intervention))


@bp.route("/udviklingspunkter/raekkefoelge", methods=["POST"])
def development_point_reorder(intervention_id: int):
    intervention = load_intervention(intervention_id)
    if not reorder(DevelopmentPoint, intervention, queries.development_points(intervention)):
        # Changed by someone else since it was shown: the saved order, to move again.
        return render_htmx(
            POINTS, "section", 409, **_points_context(intervention, reorder_refused=True)
        )
    return render_htmx(POINTS, "section", **_points_context(intervention))


@bp.route("/udviklingspunkter/<int:point_id>/flyt", methods=["POST"])
def development_point_move(intervention_id: int, point_id: int):
    point = load_child(DevelopmentPoint, intervention_id, point_id)
    intervention = point.intervention
    move(DevelopmentPoint, queries.development_points(intervention), point)
    return render_htmx(POINTS, "section", **_points_context(intervention, moved_id=point.id))


# ================================================================ phases and workflows


def _flows_context(intervention: Intervention, **extra):
    context = {
        "intervention": intervention,
        "rows": queries.workflows(intervention),
        "archived_phases": queries.phases(intervention, archived=True),
        "phase_form": extra.pop("phase_form", None) or PhaseForm(formdata=None),
        "make_step_form": lambda phase_id: WorkflowStepForm(formdata=None, prefix=f"new{phase_id}"),
        "step_form": None,
    }
    context.update(extra)
    return context


@bp.route("/arbejdsgange")
def workflow_listing(intervention_id: int):
    intervention = load_intervention(intervention_id)
    return render_htmx(FLOWS, "section", **_flows_context(intervention))


@bp.route("/arbejdsgange/faser", methods=["POST"])
def phase_new(intervention_id: int):
    intervention = load_intervention(intervention_id)
    form = PhaseForm()
    form.names_in_use = queries.names_in_use(Phase, intervention)
    if not form.validate_on_submit():
        return render_htmx(FLOWS, "section", 422, **_flows_context(intervention, phase_form=form))
    phase = Phase(
        organization_id=intervention.organization_id,
        intervention_id=intervention.id,
        name=form.name.data,
        description=form.description.data,
        position=queries.next_position(Phase, intervention),
    )
    db.session.add(phase)
    db.session.commit()
    return render_htmx(FLOWS, "section", **_flows_context(intervention))


def _refuse_archived_phase(form) -> None:
    form.form_errors.append(
        _(
            "Someone archived this phase meanwhile, so nothing was saved. Your text is "
            "still here: restore the phase (under the archived ones) to save it."
        )
    )


@bp.route("/arbejdsgange/faser/<int:phase_id>/rediger", methods=["GET", "POST"])
def phase_edit(intervention_id: int, phase_id: int):
    phase = load_child(Phase, intervention_id, phase_id)
    if request.method == "GET":
        form = PhaseForm(obj=phase, prefix=f"phase{phase.id}")
        return render_fragment(FLOWS, "phase_head_form", phase=phase, form=form)
    form = PhaseForm(prefix=f"phase{phase.id}")
    form.names_in_use = queries.names_in_use(Phase, phase.intervention, exclude_id=phase.id)
    if not form.validate_on_submit():
        return render_fragment(FLOWS, "phase_head_form", 422, phase=phase, form=form)
    if phase.archived:
        _refuse_archived_phase(form)
        return render_fragment(FLOWS, "phase_head_form", 409, phase=phase, form=form)
    if form.is_stale(phase):
        form.refuse_stale(phase, theirs_shown=True)
        return render_fragment(FLOWS, "phase_head_form", 409, phase=phase, form=form, conflict=True)
    form.populate_obj(phase)
    db.session.commit()
    return render_fragment(FLOWS, ["phase_head", "step_new_label"], phase=phase, oob=True)


@bp.route("/arbejdsgange/faser/<int:phase_id>", methods=["GET"])
def phase_detail(intervention_id: int, phase_id: int):
    phase = load_child(Phase, intervention_id, phase_id)
    return render_htmx(FLOWS, "phase_head", phase=phase, **_flows_context(phase.intervention))


@bp.route("/arbejdsgange/faser/<int:phase_id>/flyt", methods=["POST"])
def phase_move(intervention_id: int, phase_id: int):
    phase = load_child(Phase, intervention_id, phase_id)
    intervention = phase.intervention
    if phase.archived:
        abort(404)
    move(Phase, queries.phases(intervention), phase)
    return render_htmx(FLOWS, "section", **_flows_context(intervention))


@bp.route("/arbejdsgange/faser/<int:phase_id>/arkiver", methods=["POST"])
def phase_archive(intervention_id: int, phase_id: int):
    phase = load_child(Phase, intervention_id, phase_id)
    # Ratings per case refer to phases: archived, never destroyed.
    phase.archived = True
    db.session.commit()
    return render_htmx(FLOWS, "section", **_flows_context(phase.intervention))


@bp.route("/arbejdsgange/faser/<int:phase_id>/genskab", methods=["POST"])
def phase_restore(intervention_id: int, phase_id: int):
    phase = load_child(Phase, intervention_id, phase_id)
    phase.archived = False
    phase.position = queries.next_position(Phase, phase.intervention, archived=False)
    db.session.commit()
    return render_htmx(FLOWS, "section", **_flows_context(phase.intervention))


@bp.route("/arbejdsgange/faser/<int:phase_id>/trin", methods=["POST"])
def step_new(intervention_id: int, phase_id: int):
    phase = load_child(Phase, intervention_id, phase_id)
    intervention = phase.intervention
    form = WorkflowStepForm(prefix=f"new{phase.id}")
    status = None
    if not form.validate_on_submit():
        status = 422
    elif phase.archived:
        # Archived in another tab while the step was typed: a step saved there would not
        # be shown anywhere. Refused like an edit of the archived phase, the text kept.
        _refuse_archived_phase(form)
        status = 409
    if status is not None:
        response = render_fragment(
            FLOWS, "step_new_form", status, phase=phase, step_form=form, intervention=intervention
        )
        return retarget(response, f"#step-new-{phase.id}")
    step = WorkflowStep(
        organization_id=intervention.organization_id,
        intervention_id=intervention.id,
        phase_id=phase.id,
        position=queries.next_position(WorkflowStep, intervention, phase_id=phase.id),
    )
    form.populate_obj(step)
    db.session.add(step)
    db.session.commit()
    return render_htmx(FLOWS, "section", **_flows_context(intervention))


@bp.route("/arbejdsgange/trin/<int:step_id>", methods=["GET"])
def step_detail(intervention_id: int, step_id: int):
    step = load_child(WorkflowStep, intervention_id, step_id)
    return render_htmx(FLOWS, "step_row", step=step, **_flows_context(step.phase.intervention))


@bp.route("/arbejdsgange/trin/<int:step_id>/rediger", methods=["GET", "POST"])
def step_edit(intervention_id: int, step_id: int):
    step = load_child(WorkflowStep, intervention_id, step_id)
    if request.method == "GET":
        form = WorkflowStepForm(obj=step, prefix=f"step{step.id}")
        return render_fragment(FLOWS, "step_form", step=step, form=form)
    form = WorkflowStepForm(prefix=f"step{step.id}")
    if not form.validate_on_submit():
        return render_fragment(FLOWS, "step_form", 422, step=step, form=form)
    if step.phase.archived:
        _refuse_archived_phase(form)
        return render_fragment(FLOWS, "step_form", 409, step=step, form=form)
    if form.is_stale(step):
        form.refuse_stale(step, theirs_shown=True)
        return render_fragment(FLOWS, "step_form", 409, step=step, form=form, conflict=True)
    form.populate_obj(step)
    db.session.commit()
    return render_fragment(FLOWS, "step_row", step=step)


@bp.route("/arbejdsgange/trin/<int:step_id>/flyt", methods=["POST"])
def step_move(intervention_id: int, step_id: int):
    step = load_child(WorkflowStep, intervention_id, step_id)
    intervention = step.phase.intervention
    siblings = list(
        db.session.scalars(
            select(WorkflowStep)
            .where(WorkflowStep.phase_id == step.phase_id)
            .order_by(WorkflowStep.position, WorkflowStep.id)
        )
    )
    move(WorkflowStep, siblings, step)
    return render_htmx(FLOWS, "section", **_flows_context(intervention))


@bp.route("/arbejdsgange/trin/<int:step_id>/slet", methods=["POST"])
def step_delete(intervention_id: int, step_id: int):
    step = load_child(WorkflowStep, intervention_id, step_id)
    intervention = step.phase.intervention
    db.session.delete(step)
    db.session.commit()
    return render_htmx(FLOWS, "section", **_flows_context(intervention))


from . import (  # noqa: E402, F401  (routes on this blueprint)
    description_views,
    history_views,
    prerequisite_views,
    theory_views,
)
