"""Import of quality ratings and self-assessment answers from the Excel template."""

from flask import Blueprint, abort, current_app, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from ..access import can_write, current_role, get_or_404_for_user
from ..cases.service import is_team_member
from ..exports.views import XLSX
from ..extensions import db
from ..forms import BaseForm
from ..models import Intervention
from ..rendering import render_htmx
from . import service
from .parsing import (
    Refused,
    check_answers,
    check_ratings,
    in_reading_order,
    only_new_errors,
    read_upload,
)

bp = Blueprint("imports", __name__)

PAGE = "imports/page.html"

# The template's guide: answers given on paper are entered by the leader on the
# respondent's behalf. Anyone else who writes imports only their own answers.
PROXY_ROLES = frozenset({"admin", "leader"})


class UploadForm(BaseForm):
    """Only for the CSRF token; the file is read from request.files."""


def _own_email() -> str | None:
    """The importer's e-mail where they may import only their own answers; None for a
    leader or an administrator."""
    return None if current_role() in PROXY_ROLES else current_user.email.lower()


def _size(limit: int) -> str:
    return f"{limit / 1_000_000:g} MB" if limit >= 1_000_000 else f"{limit / 1000:g} kB"


def _page(intervention, status=200, **context):
    context.setdefault("errors", [])
    return render_htmx(
        PAGE,
        "result",
        status,
        intervention=intervention,
        form=UploadForm(),
        max_size=_size(current_app.config["IMPORT_MAX_BYTES"]),
        **context,
    )


@bp.route("/indsatser/<int:intervention_id>/import")
def import_page(intervention_id: int):
    intervention = get_or_404_for_user(Intervention, intervention_id)
    return render_htmx(
        PAGE,
        "content",
        intervention=intervention,
        form=UploadForm(),
        max_size=_size(current_app.config["IMPORT_MAX_BYTES"]),
        errors=[],
    )


@bp.route("/indsatser/<int:intervention_id>/import/skabelon.xlsx")
def import_template(intervention_id: int):
    intervention = get_or_404_for_user(Intervention, intervention_id)
    return send_file(
        service.build_template_for(intervention, _own_email()),
        mimetype=XLSX,
        as_attachment=True,
        download_name=f"importskabelon-{intervention.id}.xlsx",
    )


def _read_limited(storage, limit: int) -> bytes | None:
    data = storage.stream.read(limit + 1)
    return None if len(data) > limit else data


@bp.route("/indsatser/<int:intervention_id>/import", methods=["POST"])
def import_upload(intervention_id: int):
    intervention = get_or_404_for_user(Intervention, intervention_id)
    if not can_write():
        abort(403)
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(intervention, 422, refusal=_("The form has expired; reload the page."))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(intervention, 422, refusal=_("Choose a file to import."))
    limit = current_app.config["IMPORT_MAX_BYTES"]
    data = _read_limited(upload, limit)
    if data is None:
        return _page(
            intervention,
            422,
            refusal=_(
                "The file is larger than %(size)s and cannot be imported.", size=_size(limit)
            ),
        )
    try:
        parsed = read_upload(upload.filename, data, max_rows=current_app.config["IMPORT_MAX_ROWS"])
    except Refused as refused:
        return _page(intervention, 422, refusal=str(refused))
    if not parsed.ratings and not parsed.answers and not parsed.errors:
        return _page(intervention, 422, refusal=_("The workbook has no filled-in rows to import."))
    if parsed.ratings and not is_team_member(intervention, current_user.id):
        # Imported ratings are saved in the importer's name, as the grid saves them.
        return _page(
            intervention,
            403,
            refusal=_(
                "Core element ratings are imported in your name, and only members of the "
                "intervention's team rate its cases. Ask a leader to add you to the team, or "
                "let a team member import the file."
            ),
        )
    ratings, errors = check_ratings(parsed.ratings or [], service.rating_context(intervention))
    answers, answer_errors = check_answers(
        parsed.answers or [], service.answer_context(intervention, _own_email())
    )
    # Every CPR-shaped cell is one error, among the other rows' errors, all in one go.
    errors = in_reading_order(
        parsed.errors + only_new_errors(errors + answer_errors, parsed.errors), parsed.sheets
    )
    if errors:
        return _page(intervention, 422, errors=errors, filename=upload.filename)
    counts = service.Counts()
    service.add_ratings(intervention, ratings, current_user.id, counts)
    service.add_answers(intervention, answers, counts)
    db.session.commit()
    return _page(intervention, counts=counts, filename=upload.filename)
