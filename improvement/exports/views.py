"""Excel downloads for an intervention and for the whole organisation."""

import re

from flask import Blueprint, request, send_file
from flask_login import current_user

from ..access import current_membership, current_org, get_or_404_for_user
from ..models import Intervention
from .service import build_export, filename, scope_for

bp = Blueprint("exports", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# fullmatch, not match with "$": "$" also matches before a final newline, and a newline in
# a cookie name would make the response unsendable (a 500).
TOKEN = re.compile(r"[A-Za-z0-9]{6,40}")


def _send(scope):
    response = send_file(
        build_export(scope), mimetype=XLSX, as_attachment=True, download_name=filename(scope)
    )
    # The page shows "preparing export" until this cookie appears (see app.js).
    token = request.args.get("token", "")
    if TOKEN.fullmatch(token):
        response.set_cookie(f"export_{token}", "done", max_age=120, samesite="Lax")
    return response


def _exported_by() -> str:
    return f"{current_user.name} ({current_membership().role_label})"


@bp.route("/indsatser/<int:intervention_id>/eksport.xlsx")
def intervention_export(intervention_id: int):
    intervention = get_or_404_for_user(Intervention, intervention_id)
    return _send(scope_for(current_org(), _exported_by(), intervention))


@bp.route("/eksport.xlsx")
def organisation_export():
    return _send(scope_for(current_org(), _exported_by()))
