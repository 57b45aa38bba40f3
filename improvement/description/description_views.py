"""The compiled intervention description, its published versions and their comparison."""

from flask import abort, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

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
    if form is None:
        form = PublishForm(formdata=None)
    # The version the draft was shown against: a publish finding a newer one was raced.
    form.latest.data = str(latest.number if latest else 0)
    return {
        "intervention": intervention,
        "doc": queries.readable(current),
        "versions": versions,
        "latest": latest,
        "diff": diff,
        "counts": count_changes(diff) if diff else None,
        "form": form,
        "sections": _section_titles(),
    }


def _section_titles() -> dict[str, str]:
    return {
        "basics": _("Target group and purpose"),
        "theory": _("Theory of change"),
        "core_elements": _("Core elements"),
        "prerequisites": _("Organisational prerequisites"),
        "workflows": _("Workflows"),
        "development_points": _("Current development points"),
    }


@bp.route("/indsatsbeskrivelse")
def description_page(intervention_id: int):
    intervention = load_intervention(intervention_id)
    return render_htmx(PAGE, "versions", **_page_context(intervention))


def _latest_version(intervention) -> DescriptionVersion | None:
    return db.session.scalars(
        scoped(DescriptionVersion)
        .where(DescriptionVersion.intervention_id == intervention.id)
        .order_by(DescriptionVersion.number.desc())
        .limit(1)
    ).first()


def _unchanged(old: dict, new: dict) -> bool:
    """Nothing a reader would see differs (as the page's "the same as version n")."""
    return not any(count_changes(compare(old, new, queries.diff_labels())).values())


@bp.route("/indsatsbeskrivelse/versioner", methods=["POST"])
def description_publish(intervention_id: int):
    """Publish the current draft as the next numbered, immutable version.

    A draft the same as the latest version is not published again: that is a double click
    (answered as the publish it repeats), a colleague who published it meanwhile, or
    nothing changed since. Two publishes at once both take the next number; the database's
    unique (intervention, number) refuses the second, which then looks again."""
    intervention = load_intervention(intervention_id)
    form = PublishForm()
    if not form.validate_on_submit():
        return render_htmx(PAGE, "versions", 422, **_page_context(intervention, form))
    for _attempt in range(3):
        latest = _latest_version(intervention)
        draft = queries.snapshot(intervention)
        if latest is not None and _unchanged(latest.snapshot, draft):
            return _already_published(intervention, form, latest)
        number = (latest.number if latest else 0) + 1
        db.session.add(
            DescriptionVersion(
                organization_id=intervention.organization_id,
                intervention_id=intervention.id,
                number=number,
                note=form.note.data,
                snapshot=draft,
                published_by_id=current_user.id,
            )
        )
        try:
            db.session.commit()
        except IntegrityError:
            # Someone published this number meanwhile: look again.
            db.session.rollback()
            continue
        flash(_("Version %(number)d is published.", number=number), "success")
        return redirect(url_for("description.description_page", intervention_id=intervention.id))
    abort(409)


def _already_published(intervention, form: PublishForm, latest: DescriptionVersion):
    """The draft is the same as the latest version: nothing to publish."""
    drawn = form.latest.data or ""
    # Published since the page was shown (unknown for a page from before it said).
    meanwhile = not drawn.isdigit() or int(drawn) < latest.number
    if meanwhile and latest.published_by_id == current_user.id and latest.note == form.note.data:
        # The same publish again (a double click): it is done, and said once.
        message = _("Version %(number)d is published.", number=latest.number)
        if ("success", message) not in session.get("_flashes", []):
            flash(message, "success")
        return redirect(url_for("description.description_page", intervention_id=intervention.id))
    if meanwhile and drawn.isdigit():
        message = _(
            "%(name)s published the draft as version %(number)d meanwhile, so there is "
            "nothing new to publish.",
            name=latest.published_by.name if latest.published_by else "–",
            number=latest.number,
        )
    else:
        message = _(
            "The draft is the same as version %(number)d, so there is nothing new to "
            "publish. Change the description first.",
            number=latest.number,
        )
    form.form_errors.append(message)
    return render_htmx(PAGE, "versions", 422, **_page_context(intervention, form))


@bp.route("/indsatsbeskrivelse/versioner/<int:version_id>")
def version_detail(intervention_id: int, version_id: int):
    version = load_child(DescriptionVersion, intervention_id, version_id)
    intervention = load_intervention(intervention_id)
    return render_htmx(
        VERSION,
        "document",
        intervention=intervention,
        version=version,
        doc=queries.readable(version.snapshot),
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
