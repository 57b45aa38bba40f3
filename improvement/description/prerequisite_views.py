"""Organisational prerequisites (seed 004, chapter 4): what the organisation must have in
place for the core elements to be delivered, and how the team judges it now.

Built as core elements are: cards edited in place, ordered by drag or ↑/↓, archived and
restored; names unique among the intervention's prerequisites, archived ones too. Nothing
refers to a prerequisite, so an archived one can also be deleted.
"""

from flask import abort, request
from flask_babel import gettext as _

from ..extensions import db
from ..models import PREREQUISITE_STATUSES, Intervention, OrganisationalPrerequisite
from ..rendering import render_fragment, render_htmx
from ..seeding import read
from . import queries
from .common import load_child, load_intervention, move, reorder
from .forms import PrerequisiteForm
from .seed import copy_framework_prerequisites
from .views import bp

PAGE = "description/prerequisites.html"
Model = OrganisationalPrerequisite
# A status's badge borrows the colours of the core elements' and the cases' badges (text
# plus colour, never colour alone); the summary line counts them in this order.
BADGES = {
    "in_place": "confirmed",
    "partly": "potential",
    "missing": "bad",
    "not_assessed": "proposed",
}


def _tally(items: list[OrganisationalPrerequisite]) -> list[tuple[str, str, int]]:
    """(code, label, count) of each status some prerequisite has: the summary line."""
    counts = {code: sum(1 for p in items if p.status == code) for code in BADGES}
    return [(code, str(PREREQUISITE_STATUSES[code]), n) for code, n in counts.items() if n]


def _context(intervention: Intervention, form=None, **extra):
    items = queries.prerequisites(intervention)
    context = {
        "intervention": intervention,
        "prerequisites": items,
        "archived": queries.prerequisites(intervention, archived=True),
        "tally": _tally(items),
        "badges": BADGES,
        "form": form or PrerequisiteForm(formdata=None),
        "framework_name": read("progression_framework.yaml")["name"],
    }
    context.update(extra)
    return context


def _section(intervention: Intervention, status: int = 200, **extra):
    return render_htmx(PAGE, "section", status, **_context(intervention, **extra))


def _fill(form: PrerequisiteForm, item: OrganisationalPrerequisite) -> None:
    for name in ("name", "status", "description", "gap"):
        setattr(item, name, getattr(form, name).data)


@bp.route("/forudsaetninger")
def prerequisite_listing(intervention_id: int):
    return _section(load_intervention(intervention_id))


@bp.route("/forudsaetninger", methods=["POST"])
def prerequisite_new(intervention_id: int):
    intervention = load_intervention(intervention_id)
    form = PrerequisiteForm()
    form.names_in_use = queries.names_in_use(Model, intervention)
    if not form.validate_on_submit():
        return _section(intervention, 422, form=form, open=True)
    item = Model(
        organization_id=intervention.organization_id,
        intervention_id=intervention.id,
        position=queries.next_position(Model, intervention),
    )
    _fill(form, item)
    db.session.add(item)
    db.session.commit()
    return _section(intervention, created_id=item.id)


@bp.route("/forudsaetninger/<int:prerequisite_id>")
def prerequisite_detail(intervention_id: int, prerequisite_id: int):
    item = load_child(Model, intervention_id, prerequisite_id)
    return render_htmx(PAGE, "card", item=item, **_context(item.intervention))


@bp.route("/forudsaetninger/<int:prerequisite_id>/rediger", methods=["GET", "POST"])
def prerequisite_edit(intervention_id: int, prerequisite_id: int):
    item = load_child(Model, intervention_id, prerequisite_id)
    # Prefixed by the row, so several open editors never share field ids.
    prefix = f"op{item.id}"
    if request.method == "GET":
        form = PrerequisiteForm(obj=item, prefix=prefix)
        return render_fragment(PAGE, "card_form", form=form, item=item)
    form = PrerequisiteForm(prefix=prefix)
    form.names_in_use = queries.names_in_use(Model, item.intervention, exclude_id=item.id)
    if not form.validate_on_submit():
        return render_fragment(PAGE, "card_form", 422, form=form, item=item)
    if item.archived:
        form.form_errors.append(
            _(
                "Someone archived this prerequisite meanwhile, so nothing was saved. Your "
                "text is still here: restore the prerequisite (under the archived ones) to "
                "save it."
            )
        )
        return render_fragment(PAGE, "card_form", 409, form=form, item=item)
    if form.is_stale(item):
        form.refuse_stale(item, theirs_shown=True)
        return render_fragment(PAGE, "card_form", 409, form=form, item=item, conflict=True)
    _fill(form, item)
    db.session.commit()
    # The card, and the summary line its status may have changed.
    tally = _tally(queries.prerequisites(item.intervention))
    return render_fragment(PAGE, ["card", "tally"], item=item, badges=BADGES, tally=tally, oob=True)


@bp.route("/forudsaetninger/<int:prerequisite_id>/arkiver", methods=["POST"])
def prerequisite_archive(intervention_id: int, prerequisite_id: int):
    item = load_child(Model, intervention_id, prerequisite_id)
    item.archived = True
    db.session.commit()
    return _section(item.intervention)


@bp.route("/forudsaetninger/<int:prerequisite_id>/genskab", methods=["POST"])
def prerequisite_restore(intervention_id: int, prerequisite_id: int):
    item = load_child(Model, intervention_id, prerequisite_id)
    if item.archived:
        item.archived = False
        item.position = queries.next_position(Model, item.intervention, archived=False)
        db.session.commit()
    return _section(item.intervention)


@bp.route("/forudsaetninger/<int:prerequisite_id>/slet", methods=["POST"])
def prerequisite_delete(intervention_id: int, prerequisite_id: int):
    """Delete an archived prerequisite for good (one written by mistake). One restored
    meanwhile is in use again: refused, with the saved list."""
    item = load_child(Model, intervention_id, prerequisite_id)
    intervention = item.intervention
    if not item.archived:
        return _section(intervention, 409, delete_refused=item.name)
    db.session.delete(item)
    db.session.commit()
    return _section(intervention)


@bp.route("/forudsaetninger/raekkefoelge", methods=["POST"])
def prerequisite_reorder(intervention_id: int):
    intervention = load_intervention(intervention_id)
    if not reorder(Model, intervention, queries.prerequisites(intervention)):
        # Changed by someone else since it was shown: the saved order, to move again.
        return _section(intervention, 409, reorder_refused=True)
    return _section(intervention)


@bp.route("/forudsaetninger/<int:prerequisite_id>/flyt", methods=["POST"])
def prerequisite_move(intervention_id: int, prerequisite_id: int):
    item = load_child(Model, intervention_id, prerequisite_id)
    intervention = item.intervention
    if item.archived:
        abort(404)
    move(Model, queries.prerequisites(intervention), item)
    return _section(intervention)


@bp.route("/forudsaetninger/skabelon", methods=["POST"])
def prerequisite_template(intervention_id: int):
    """Copy the framework's four prerequisites; the team then owns and assesses them."""
    intervention = load_intervention(intervention_id)
    copy_framework_prerequisites(intervention)
    db.session.commit()
    return _section(intervention)
