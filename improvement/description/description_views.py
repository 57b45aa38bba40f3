"""The compiled intervention description, its published versions and their comparison."""

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..access import scoped
from ..analysis.description_diff import compare, count_changes
from ..extensions import db
from ..models import DescriptionVersion
from ..rendering import render_htmx
from . import queries
from .common import load_child, load_intervention
from .forms import PublishForm
from .views import bp

PAGE = "description/description.html"
VERSION = "description/version.html"
COMPARE = "description/compare.html"


def _page_context(intervention, form=None):
    versions = queries.versions(intervention)
    current = queries.snapshot(intervention)
    latest = versions[0] if versions else None
    diff = compare(latest.snapshot, current, queries.diff_labels()) if latest else None
    return {
        "intervention": intervention,
        "doc": current,
        "versions": versions,
        "latest": latest,
        "diff": diff,
        "counts": count_changes(diff) if diff else None,
        "form": form or PublishForm(formdata=None),
        "sections": _section_titles(),
    }


def _section_titles() -> dict[str, str]:
    return {
        "basics": _("Target group and purpose"),
        "theory": _("Theory of change"),
        "core_elements": _("Core elements"),
        "workflows": _("Workflows"),
        "development_points": _("Current development points"),
    }


@bp.route("/indsatsbeskrivelse")
def description_page(intervention_id: int):
    intervention = load_intervention(intervention_id)
    return render_htmx(PAGE, "versions", **_page_context(intervention))


@bp.route("/indsatsbeskrivelse/versioner", methods=["POST"])
def description_publish(intervention_id: int):
    """Publish the current draft as the next numbered, immutable version."""
    intervention = load_intervention(intervention_id)
    form = PublishForm()
    if not form.validate_on_submit():
        return render_htmx(PAGE, "versions", 422, **_page_context(intervention, form))
    number = (
        db.session.scalar(
            scoped(DescriptionVersion, select(func.max(DescriptionVersion.number))).where(
                DescriptionVersion.intervention_id == intervention.id
            )
        )
        or 0
    ) + 1
    db.session.add(
        DescriptionVersion(
            organization_id=intervention.organization_id,
            intervention_id=intervention.id,
            number=number,
            note=form.note.data,
            snapshot=queries.snapshot(intervention),
            published_by_id=current_user.id,
        )
    )
    db.session.commit()
    flash(_("Version %(number)d is published.", number=number), "success")
    return redirect(url_for("description.description_page", intervention_id=intervention.id))


@bp.route("/indsatsbeskrivelse/versioner/<int:version_id>")
def version_detail(intervention_id: int, version_id: int):
    version = load_child(DescriptionVersion, intervention_id, version_id)
    intervention = load_intervention(intervention_id)
    return render_htmx(
        VERSION,
        "document",
        intervention=intervention,
        version=version,
        doc=version.snapshot,
        versions=queries.versions(intervention),
    )


@bp.route("/indsatsbeskrivelse/sammenlign")
def version_compare(intervention_id: int):
    """Any two versions side by side; "draft" stands for the current, unpublished text."""
    intervention = load_intervention(intervention_id)
    versions = queries.versions(intervention)
    by_number = {str(v.number): v for v in versions}

    def pick(key: str, default: str):
        value = request.args.get(key, default)
        if value == "draft":
            return "draft", queries.snapshot(intervention)
        if value not in by_number:
            abort(404)
        return value, by_number[value].snapshot

    if not versions:
        abort(404)
    default_old = str(versions[1].number) if len(versions) > 1 else str(versions[0].number)
    old_key, old = pick("fra", default_old)
    new_key, new = pick("til", str(versions[0].number) if len(versions) > 1 else "draft")
    diff = compare(old, new, queries.diff_labels())
    return render_htmx(
        COMPARE,
        "comparison",
        intervention=intervention,
        versions=versions,
        old_key=old_key,
        new_key=new_key,
        diff=diff,
        counts=count_changes(diff),
        sections=_section_titles(),
    )
