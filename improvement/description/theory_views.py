"""Theory of change: the logic model edited in place, one item at a time."""

from flask import abort, request
from flask_babel import gettext as _
from sqlalchemy import delete, or_, select
from wtforms import SelectChoice

from ..extensions import db
from ..forms import choices
from ..ids import parse_id
from ..models import (
    THEORY_KINDS,
    Assumption,
    AssumptionReference,
    ChangeTheory,
    ChangeTheoryItem,
    ChangeTheoryLink,
    Intervention,
)
from ..models.theory import NEXT_KIND, core_element_activity
from ..rendering import render_fragment, render_htmx, retarget, wants_fragment
from . import queries
from .common import load_child, load_intervention, move
from .forms import AssumptionForm, ChangeTheoryForm, LinkForm, ReferenceForm, TheoryItemForm
from .views import bp

TOC = "description/theory.html"


def _link_form(theory: queries.Theory, **kwargs) -> LinkForm:
    form = LinkForm(**kwargs)
    sources = theory.items["activity"] + theory.items["short_term"]
    targets = theory.items["short_term"] + theory.items["long_term"]
    # Each source names the kind a link from it must reach, each target its own kind, so
    # app.js offers only the targets one column to the right of the chosen source.
    form.source_id.choices = [
        SelectChoice(i.id, _item_label(theory, i), render_kw={"data-links-to": NEXT_KIND[i.kind]})
        for i in sources
    ]
    form.target_id.choices = [
        SelectChoice(i.id, _item_label(theory, i), render_kw={"data-kind": i.kind}) for i in targets
    ]
    form.assumption_id.choices = _assumption_choices(theory)
    return form


def _short(text: str, limit: int = 70) -> str:
    """The text as a choice shows it: whole if short, else cut after a word, with "…"
    (the printed page shows the whole text, not the choice)."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    if not text[limit].isspace() and " " in head.strip():
        head = head.rstrip().rsplit(" ", 1)[0]  # not in the middle of a word
    return head.rstrip(" ,.;:–-") + "…"


def _item_label(theory: queries.Theory, item) -> str:
    return f"{theory.labels[item.id]}: {_short(item.text)}"


def _assumption_choices(theory: queries.Theory):
    return choices(
        [("", _("No assumption"))]
        + [
            (a.id, f"{theory.assumption_labels[a.id]}: {_short(a.text)}")
            for a in theory.assumptions
        ]
    )


def _context(intervention: Intervention, **extra):
    theory = queries.theory(intervention)
    context = {
        "intervention": intervention,
        "theory": theory,
        "kinds": THEORY_KINDS,
        "item_forms": extra.pop("item_forms", {}),
        "link_form": extra.pop("link_form", None) or _link_form(theory, formdata=None),
        "assumption_form": extra.pop("assumption_form", None) or AssumptionForm(formdata=None),
        "assumption_choices": _assumption_choices(theory),
        "make_reference_form": lambda i: _reference_form(i, formdata=None),
        "reference_form": None,
    }
    context.update(extra)
    return context


def _reference_form(assumption_id: int, **kwargs) -> ReferenceForm:
    # One add-reference form per assumption card: prefixed so ids stay unique on the page.
    return ReferenceForm(prefix=f"ref{assumption_id}", **kwargs)


def _section(intervention: Intervention, status: int = 200, **extra):
    return render_htmx(TOC, "theory", status, **_context(intervention, **extra))


def _retarget_section(intervention: Intervention):
    return retarget(render_fragment(TOC, "theory", **_context(intervention)), "#theory")


@bp.route("/forandringsteori")
def theory_of_change(intervention_id: int):
    intervention = load_intervention(intervention_id)
    return render_htmx(TOC, "theory", **_context(intervention))


# ---------------------------------------------------------------- the overall aim


@bp.route("/forandringsteori/formaal", methods=["GET", "POST"])
def theory_aim_edit(intervention_id: int):
    intervention = load_intervention(intervention_id)
    record = queries.theory(intervention).record
    ctx = {"intervention": intervention, "record": record}
    if request.method == "GET":
        if request.args.get("cancel"):
            return render_fragment(TOC, "aim", theory=queries.theory(intervention), **ctx)
        form = ChangeTheoryForm(obj=record) if record else ChangeTheoryForm(formdata=None)
        if record is None:
            form.version.data = "0"
        return render_fragment(TOC, "aim_form", form=form, **ctx)
    form = ChangeTheoryForm()
    if not form.validate_on_submit():
        return render_fragment(TOC, "aim_form", 422, form=form, **ctx)
    current = str(record.version) if record else "0"
    if (form.version.data or "") != current:
        form.refuse_stale(record, theirs_shown=True)
        return render_fragment(TOC, "aim_form", 409, form=form, conflict=True, **ctx)
    if record is None:
        record = ChangeTheory(
            organization_id=intervention.organization_id, intervention_id=intervention.id
        )
        db.session.add(record)
    record.purpose = form.purpose.data
    db.session.commit()
    return render_fragment(TOC, "aim", theory=queries.theory(intervention), **ctx)


# ---------------------------------------------------------------- items


@bp.route("/forandringsteori/punkter", methods=["POST"])
def theory_item_new(intervention_id: int):
    intervention = load_intervention(intervention_id)
    kind = request.form.get("kind", "")
    if kind not in THEORY_KINDS:
        abort(400)
    form = TheoryItemForm()
    if not form.validate_on_submit():
        return _section(intervention, 422, item_forms={kind: form})
    db.session.add(
        ChangeTheoryItem(
            organization_id=intervention.organization_id,
            intervention_id=intervention.id,
            kind=kind,
            text=form.text.data,
            position=queries.next_position(ChangeTheoryItem, intervention, kind=kind),
        )
    )
    db.session.commit()
    return _section(intervention)


@bp.route("/forandringsteori/punkter/<int:item_id>")
def theory_item_detail(intervention_id: int, item_id: int):
    item = load_child(ChangeTheoryItem, intervention_id, item_id)
    intervention = load_intervention(intervention_id)
    return render_htmx(TOC, "item", item=item, **_context(intervention))


@bp.route("/forandringsteori/punkter/<int:item_id>/rediger", methods=["GET", "POST"])
def theory_item_edit(intervention_id: int, item_id: int):
    item = load_child(ChangeTheoryItem, intervention_id, item_id)
    intervention = load_intervention(intervention_id)
    theory = queries.theory(intervention)
    ctx = {"item": item, "intervention": intervention, "theory": theory}
    if request.method == "GET":
        form = TheoryItemForm(obj=item, prefix=f"item{item.id}")
        return render_fragment(TOC, "item_form", form=form, **ctx)
    form = TheoryItemForm(prefix=f"item{item.id}")
    if not form.validate_on_submit():
        return render_fragment(TOC, "item_form", 422, form=form, **ctx)
    if form.is_stale(item):
        form.refuse_stale(item, theirs_shown=True)
        return render_fragment(TOC, "item_form", 409, form=form, conflict=True, **ctx)
    item.text = form.text.data
    db.session.commit()
    # Labels in the link form and arrow positions depend on the text: refresh the section.
    return _retarget_section(intervention)


@bp.route("/forandringsteori/punkter/<int:item_id>/flyt", methods=["POST"])
def theory_item_move(intervention_id: int, item_id: int):
    item = load_child(ChangeTheoryItem, intervention_id, item_id)
    intervention = load_intervention(intervention_id)
    move(ChangeTheoryItem, queries.theory(intervention).items[item.kind], item)
    return _section(intervention)


@bp.route("/forandringsteori/punkter/<int:item_id>/slet", methods=["POST"])
def theory_item_delete(intervention_id: int, item_id: int):
    item = load_child(ChangeTheoryItem, intervention_id, item_id)
    intervention = load_intervention(intervention_id)
    # SQLite does not enforce ON DELETE CASCADE here, so the links go explicitly.
    for link in db.session.scalars(
        select(ChangeTheoryLink).where(
            or_(ChangeTheoryLink.source_id == item.id, ChangeTheoryLink.target_id == item.id)
        )
    ):
        db.session.delete(link)
    db.session.execute(
        delete(core_element_activity).where(core_element_activity.c.item_id == item.id)
    )
    db.session.delete(item)
    db.session.commit()
    return _section(intervention)


# ---------------------------------------------------------------- links


@bp.route("/forandringsteori/forbindelser", methods=["POST"])
def theory_link_new(intervention_id: int):
    intervention = load_intervention(intervention_id)
    theory = queries.theory(intervention)
    form = _link_form(theory)
    if not form.validate_on_submit():
        return _section(intervention, 422, link_form=form)
    source = load_child(ChangeTheoryItem, intervention_id, form.source_id.data)
    target = load_child(ChangeTheoryItem, intervention_id, form.target_id.data)
    if form.assumption_id.data:
        load_child(Assumption, intervention_id, form.assumption_id.data)
    if NEXT_KIND.get(source.kind) != target.kind:
        form.target_id.errors.append(
            _(
                "A link goes one column to the right: from an activity to a short-term result, "
                "or from a short-term to a long-term result."
            )
        )
        return _section(intervention, 422, link_form=form)
    if any(link.source_id == source.id and link.target_id == target.id for link in theory.links):
        form.target_id.errors.append(_("These two are already linked."))
        return _section(intervention, 422, link_form=form)
    db.session.add(
        ChangeTheoryLink(
            organization_id=intervention.organization_id,
            intervention_id=intervention.id,
            source_id=source.id,
            target_id=target.id,
            assumption_id=form.assumption_id.data,
        )
    )
    db.session.commit()
    return _section(intervention)


@bp.route("/forandringsteori/forbindelser/<int:link_id>/antagelse", methods=["POST"])
def theory_link_assumption(intervention_id: int, link_id: int):
    link = load_child(ChangeTheoryLink, intervention_id, link_id)
    intervention = load_intervention(intervention_id)
    value = request.form.get("assumption_id") or ""
    if value:
        if not value.isdigit():
            abort(400)
        assumption_id = parse_id(value)
        if assumption_id is None:
            abort(404)
        link.assumption_id = load_child(Assumption, intervention_id, assumption_id).id
    else:
        link.assumption_id = None
    db.session.commit()
    return _section(intervention)


@bp.route("/forandringsteori/forbindelser/<int:link_id>/slet", methods=["POST"])
def theory_link_delete(intervention_id: int, link_id: int):
    link = load_child(ChangeTheoryLink, intervention_id, link_id)
    intervention = load_intervention(intervention_id)
    # Named as the row named it ("A1 → K2"), for the news read out in the page's message
    # area: the row is gone, and focus goes to the list of links (app.js).
    label = queries.theory(intervention).link_label(link)
    db.session.delete(link)
    db.session.commit()
    return _section(intervention, removed_link=label if wants_fragment() else None)


# ---------------------------------------------------------------- assumptions and references


@bp.route("/forandringsteori/antagelser", methods=["POST"])
def assumption_new(intervention_id: int):
    intervention = load_intervention(intervention_id)
    form = AssumptionForm()
    if not form.validate_on_submit():
        return _section(intervention, 422, assumption_form=form, open_assumption=True)
    db.session.add(
        Assumption(
            organization_id=intervention.organization_id,
            intervention_id=intervention.id,
            text=form.text.data,
            knowledge=form.knowledge.data,
            position=queries.next_position(Assumption, intervention),
        )
    )
    db.session.commit()
    return _section(intervention)


def _assumption_ctx(assumption: Assumption, intervention: Intervention) -> dict:
    return {
        "assumption": assumption,
        "intervention": intervention,
        "theory": queries.theory(intervention),
        "reference_form": None,
        "make_reference_form": lambda i: _reference_form(i, formdata=None),
    }


@bp.route("/forandringsteori/antagelser/<int:assumption_id>")
def assumption_detail(intervention_id: int, assumption_id: int):
    assumption = load_child(Assumption, intervention_id, assumption_id)
    intervention = load_intervention(intervention_id)
    return render_htmx(TOC, "assumption", assumption=assumption, **_context(intervention))


@bp.route("/forandringsteori/antagelser/<int:assumption_id>/rediger", methods=["GET", "POST"])
def assumption_edit(intervention_id: int, assumption_id: int):
    assumption = load_child(Assumption, intervention_id, assumption_id)
    intervention = load_intervention(intervention_id)
    ctx = _assumption_ctx(assumption, intervention)
    if request.method == "GET":
        form = AssumptionForm(obj=assumption, prefix=f"as{assumption.id}")
        return render_fragment(TOC, "assumption_form", form=form, **ctx)
    form = AssumptionForm(prefix=f"as{assumption.id}")
    if not form.validate_on_submit():
        return render_fragment(TOC, "assumption_form", 422, form=form, **ctx)
    if form.is_stale(assumption):
        form.refuse_stale(assumption, theirs_shown=True)
        return render_fragment(TOC, "assumption_form", 409, form=form, conflict=True, **ctx)
    form.populate_obj(assumption)
    db.session.commit()
    return _retarget_section(intervention)


@bp.route("/forandringsteori/antagelser/<int:assumption_id>/slet", methods=["POST"])
def assumption_delete(intervention_id: int, assumption_id: int):
    assumption = load_child(Assumption, intervention_id, assumption_id)
    intervention = load_intervention(intervention_id)
    for link in db.session.scalars(
        select(ChangeTheoryLink).where(ChangeTheoryLink.assumption_id == assumption.id)
    ):
        link.assumption_id = None
    db.session.delete(assumption)
    db.session.commit()
    return _section(intervention)


@bp.route("/forandringsteori/antagelser/<int:assumption_id>/referencer", methods=["POST"])
def reference_new(intervention_id: int, assumption_id: int):
    assumption = load_child(Assumption, intervention_id, assumption_id)
    intervention = load_intervention(intervention_id)
    ctx = _assumption_ctx(assumption, intervention)
    form = _reference_form(assumption.id)
    if not form.validate_on_submit():
        ctx["reference_form"] = form
        return render_fragment(TOC, "assumption", 422, **ctx)
    reference = AssumptionReference(organization_id=intervention.organization_id)
    form.populate_obj(reference)
    assumption.references.append(reference)
    db.session.commit()
    return render_fragment(TOC, "assumption", **ctx)


@bp.route(
    "/forandringsteori/antagelser/<int:assumption_id>/referencer/<int:reference_id>/slet",
    methods=["POST"],
)
def reference_delete(intervention_id: int, assumption_id: int, reference_id: int):
    assumption = load_child(Assumption, intervention_id, assumption_id)
    intervention = load_intervention(intervention_id)
    reference = next((r for r in assumption.references if r.id == reference_id), None)
    if reference is None:
        abort(404)
    assumption.references.remove(reference)
    db.session.commit()
    return render_fragment(TOC, "assumption", **_assumption_ctx(assumption, intervention))
