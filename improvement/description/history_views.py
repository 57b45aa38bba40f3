"""An item's history, and an earlier text put back from it ("Gendan").

A restore is an ordinary change, made as a save of the item's edit form would make it: the
text is checked as if it were typed (the field's validators and the CPR guard, a test's
phase), it is refused when the field was saved after the history was drawn (the button
carries the version it was drawn with; saves of other fields, such as a board move, leave
the text as shown), and it enters the history like any save. HTMX gets
the part of the page that shows the item drawn again, with the history open and a note at
its top (history_list's restore form swaps the region out of band and the list in place);
a plain form gets the page again with the note as a message.
"""

from collections.abc import Callable
from functools import cache
from typing import Any, NamedTuple

from flask import (
    Response,
    abort,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ..access import get_or_404_for_user
from ..extensions import db
from ..forms import BaseForm, saved_only_by_self, saves_since
from ..history import (
    LABELS,
    RESTORABLE,
    RESTORABLE_MODELS,
    fields_saved_since,
    intervention_of,
    restorable_text,
)
from ..history import history as audit_history
from ..models import (
    PDSA_PHASES,
    Assumption,
    AuditEvent,
    ChangeTheoryItem,
    CoreElement,
    DevelopmentPoint,
    ImprovementPlan,
    Meeting,
    OrganisationalPrerequisite,
    PdsaCycle,
    Phase,
    WorkflowStep,
)
from ..pdsa.forms import CycleForm, ImprovementPlanForm, MeetingForm
from ..pdsa.rules import OPENS_IN, fixed_now, not_yet_open
from ..pdsa.views import MEETING, _meeting_context, cycle_detail, point_detail
from ..rendering import render_fragment, render_htmx, wants_fragment
from . import queries
from .common import history, load_child, load_intervention
from .forms import (
    AssumptionForm,
    CoreElementForm,
    DevelopmentPointForm,
    PhaseForm,
    PrerequisiteForm,
    TheoryItemForm,
    WorkflowStepForm,
)
from .prerequisite_views import prerequisite_detail
from .theory_views import TOC, assumption_detail
from .views import (
    FLOWS,
    bp,
    core_element_detail,
    development_point_listing,
    phase_detail,
)

HISTORY = "description/_history.html"

HISTORY_KINDS = {
    "kerneelement": CoreElement,
    "forudsaetning": OrganisationalPrerequisite,
    "udviklingspunkt": DevelopmentPoint,
    "fase": Phase,
    "trin": WorkflowStep,
    "punkt": ChangeTheoryItem,
    "antagelse": Assumption,
}


@bp.route("/historik/<kind>/<int:object_id>")
def item_history(intervention_id: int, kind: str, object_id: int):
    model = HISTORY_KINDS.get(kind)
    if model is None:
        abort(404)
    obj = load_child(model, intervention_id, object_id)
    return render_htmx(
        HISTORY,
        "history",
        intervention=load_intervention(intervention_id),
        obj=obj,
        kind=kind,
        events=history(model, obj),
    )


# ================================================================ restoring a text


def _step_editor(step: WorkflowStep):
    # As step_edit draws it (its prefix too): a step's history is shown in its editor.
    form = WorkflowStepForm(formdata=None, obj=step, prefix=f"step{step.id}")
    return render_fragment(FLOWS, "step_form", step=step, form=form)


def _theory_item_editor(item: ChangeTheoryItem):
    # As theory_item_edit draws it: a box's history is shown in its editor.
    intervention = load_intervention(item.intervention_id)
    form = TheoryItemForm(formdata=None, obj=item, prefix=f"item{item.id}")
    return render_fragment(
        TOC,
        "item_form",
        form=form,
        item=item,
        intervention=intervention,
        theory=queries.theory(intervention),
    )


def _meeting_page(meeting: Meeting):
    # The minutes are not a block of their own: the page, which the answer takes them from.
    return make_response(render_template(MEETING, **_meeting_context(meeting)))


class Place(NamedTuple):
    """Where a restorable row is edited and shown: its edit form, whose checks a restored
    text passes; the address of its page; and its region (history.RESTORABLE) drawn for an
    HTMX answer."""

    form: type
    page: Callable[[Any], str]
    draw: Callable[[Any], Response]


def _listing(endpoint: str) -> Callable[[Any], str]:
    return lambda row: url_for(endpoint, intervention_id=row.intervention_id)


PLACES: dict[type, Place] = {
    CoreElement: Place(
        CoreElementForm,
        _listing("description.core_element_listing"),
        lambda row: core_element_detail(row.intervention_id, row.id),
    ),
    OrganisationalPrerequisite: Place(
        PrerequisiteForm,
        _listing("description.prerequisite_listing"),
        lambda row: prerequisite_detail(row.intervention_id, row.id),
    ),
    DevelopmentPoint: Place(
        DevelopmentPointForm,
        _listing("description.development_point_listing"),
        lambda row: development_point_listing(row.intervention_id),
    ),
    Phase: Place(
        PhaseForm,
        _listing("description.workflow_listing"),
        lambda row: phase_detail(row.intervention_id, row.id),
    ),
    WorkflowStep: Place(WorkflowStepForm, _listing("description.workflow_listing"), _step_editor),
    ChangeTheoryItem: Place(
        TheoryItemForm, _listing("description.theory_of_change"), _theory_item_editor
    ),
    Assumption: Place(
        AssumptionForm,
        _listing("description.theory_of_change"),
        lambda row: assumption_detail(row.intervention_id, row.id),
    ),
    ImprovementPlan: Place(
        ImprovementPlanForm,
        lambda row: url_for(
            "pdsa.point_detail",
            intervention_id=intervention_of(row),
            point_id=row.development_point_id,
        ),
        lambda row: point_detail(intervention_of(row), row.development_point_id),
    ),
    PdsaCycle: Place(
        CycleForm,
        lambda row: url_for(
            "pdsa.cycle_detail", intervention_id=row.intervention_id, cycle_id=row.id
        ),
        lambda row: cycle_detail(row.intervention_id, row.id),
    ),
    Meeting: Place(
        MeetingForm,
        lambda row: url_for(
            "pdsa.meeting_detail", intervention_id=row.intervention_id, meeting_id=row.id
        ),
        _meeting_page,
    ),
}


@cache
def _field_form(form_class: type, name: str) -> type:
    """A form of one field: `name` as `form_class` declares it (its validators, and an
    inline validate_<name> if it has one), on BaseForm, which cleans every text and refuses
    CPR numbers. The rest of the edit form is not asked: the restore changes nothing else,
    and its other fields need what only its view gives them (choices, a phase)."""
    attrs = {name: getattr(form_class, name)}
    inline = getattr(form_class, f"validate_{name}", None)
    if inline is not None:
        attrs[f"validate_{name}"] = inline
    return type(f"{form_class.__name__}Field", (BaseForm,), attrs)


def checked_text(form_class: type, name: str, text: str) -> tuple[str, list[str]]:
    """`text` as the edit form takes it typed into field `name`: (cleaned text, errors)."""
    form = _field_form(form_class, name)(formdata=MultiDict({name: text}), meta={"csrf": False})
    form.validate()
    return form[name].data, [str(error) for error in form[name].errors]


def _refusal(row, name: str, text: str) -> tuple[str, list[str]]:
    """The text to save, and why it cannot be (nothing when it can)."""
    value, errors = checked_text(PLACES[type(row)].form, name, text)
    if isinstance(row, PdsaCycle) and name in not_yet_open(row.phase):
        # The worksheet's rule: a later phase's findings are not written before it.
        phase = PDSA_PHASES[OPENS_IN[name]]
        errors.append(
            _("It is written in %(phase)s. Move the test to %(phase)s first.", phase=phase)
        )
    if isinstance(row, PdsaCycle) and name in fixed_now(row.phase):
        errors.append(
            _("It is fixed once the test has left Plan. Move the test back to Plan first.")
        )
    return value, errors


def _archived(row) -> bool:
    """Archived items are not edited (their edit views refuse), nor steps of an archived
    phase."""
    if isinstance(row, WorkflowStep):
        return row.phase.archived
    return bool(getattr(row, "archived", False))


class RestoreNote(NamedTuple):
    """What a restore answer says, at the top of the restored row's history."""

    object_type: str
    object_id: int
    category: str
    text: str


@bp.route("/historik/gendan/<int:event_id>", methods=["POST"])
def item_restore(intervention_id: int, event_id: int):
    """Put back the text a change replaced: field `field` of the change `event_id`, on the
    row as it was when the history was drawn (`version`)."""
    event = get_or_404_for_user(AuditEvent, event_id)
    name = request.form.get("field", "")
    text = restorable_text(event, name)
    if text is None:
        abort(404)
    row = get_or_404_for_user(RESTORABLE_MODELS[event.object_type], event.object_id)
    if intervention_of(row) != intervention_id:
        abort(404)
    status, message = _restore(row, name, text, event, request.form.get("version"))
    return _answer(row, status, message)


def _restore(row, name: str, text: str, event: AuditEvent, version: str | None):
    """Save `text` into the row's field `name` if it may be: (HTTP status, note)."""
    field = str(LABELS[type(row).__name__][name])
    if str(row.version) != (version or "") and not _only_other_fields_saved(row, name, version):
        if saved_only_by_self(row, version):
            return 409, _(
                "You saved changes to this in another window or tab after the history was "
                "shown, so nothing was restored. Here is what is saved now; restore again if "
                "the earlier text is still the one to keep."
            )
        return 409, _(
            "Someone else changed this after the history was shown, so nothing was "
            "restored. Here is what is saved now; restore again if the earlier text is "
            "still the one to keep."
        )
    if _archived(row):
        return 409, _(
            "Nothing was restored: this is archived. Restore it from the archived ones first."
        )
    value, errors = _refusal(row, name, text)
    if errors:
        return 422, _(
            "«%(field)s» was not restored: %(reason)s", field=field, reason=" ".join(errors)
        )
    setattr(row, name, value)
    db.session.commit()
    return 200, _(
        "«%(field)s» is restored: it reads as it did before the change of %(when)s.",
        field=field,
        when=format_datetime(event.at, "short"),
    )


def _only_other_fields_saved(row, name: str, version: str | None) -> bool:
    """Whether every save since the history was drawn left field `name` as it was (a board
    move changes a test's status, not its texts): then the text shown as replaced is still
    the one in the field, and putting the earlier one back overwrites no one's words."""
    saves = saves_since(row, version)
    if saves < 1:
        return False
    fields = fields_saved_since(type(row).__name__, row.id, saves)
    return fields is not None and name not in fields


def _answer(row, status: int, message: str):
    category = "success" if status == 200 else "error"
    if not wants_fragment():
        flash(message, category)
        return redirect(_page(row))
    g.restore_note = RestoreNote(type(row).__name__, row.id, category, message)
    response = PLACES[type(row)].draw(row)
    response.status_code = status
    # The region comes out of band (the form's hx-select-oob); in place, only the list.
    response.headers["HX-Reselect"] = ".history-list"
    return response


def _page(row) -> str:
    """The row's page, at its region (a plain form's answer)."""
    return f"{PLACES[type(row)].page(row)}#{RESTORABLE[type(row)].region.format(id=row.id)}"


@bp.app_template_global()
def restore_note(events: list[dict]) -> RestoreNote | None:
    """The note of this request's restore, for the history of the row it restored."""
    note = g.get("restore_note")
    if note is None:
        return None
    mine = (note.object_type, note.object_id)
    return note if any((e["object_type"], e["object_id"]) == mine for e in events) else None


@bp.app_template_global()
def restored_history(kind: str, object_id: int) -> list[dict] | None:
    """The history of the description item this request restored, to show open (its region
    is drawn again around it); None for any other item, whose history loads when opened."""
    note = g.get("restore_note")
    model = HISTORY_KINDS.get(kind)
    if note is None or model is None or note[:2] != (model.__name__, object_id):
        return None
    return audit_history(note.object_type, object_id)
