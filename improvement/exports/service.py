"""Build an export workbook for an intervention or a whole organisation."""

from contextlib import suppress
from datetime import UTC, datetime
from io import BytesIO
from typing import BinaryIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import force_locale, get_timezone
from sqlalchemy import select

from ..extensions import db
from ..models import Intervention, Organization
from . import feature_sheets as f
from .sheets import (
    Scope,
    core_elements_sheet,
    definitions_sheet,
    development_points_sheet,
    interventions_sheet,
    overview_sheet,
    prerequisites_sheet,
    subject,
)
from .workbook import write_workbook

# The workbook's sheets in order, after Oversigt and before Datadefinitioner.
BUILDERS = [
    interventions_sheet,
    f.theory_sheet,
    core_elements_sheet,
    prerequisites_sheet,
    f.workflows_sheet,
    development_points_sheet,
    f.cycles_sheet,
    f.meetings_sheet,
    f.progress_sheet,
    f.rounds_sheet,
    f.assessment_sheet,
    f.results_sheet,
    f.assessment_elements_sheet,
    f.justifications_sheet,
    f.ratings_sheet,
    f.cases_sheet,
    f.followups_sheet,
]


def scope_for(
    organization: Organization, exported_by: str, intervention: Intervention | None = None
) -> Scope:
    if intervention is not None:
        ids = [intervention.id]
    else:
        ids = list(
            db.session.scalars(
                select(Intervention.id).where(Intervention.organization_id == organization.id)
            )
        )
    # The time zone the pages show times in (Flask-Babel's, BABEL_DEFAULT_TIMEZONE).
    zone = get_timezone()
    # The same zone from the standard library: Flask-Babel's is pytz's, whose conversion
    # is pure Python and cost twice as much per timestamp (a million in the ratings).
    with suppress(ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo(zone.zone) if getattr(zone, "zone", None) else zone
    return Scope(organization, ids, exported_by, datetime.now(UTC), intervention, zone)


def build_export(scope: Scope, target: BinaryIO | None = None) -> BinaryIO:
    """Write the workbook into `target` (a new BytesIO if None) and return it, rewound."""
    target = BytesIO() if target is None else target
    # The workbook is a data contract for evaluators: always Danish, whatever the UI language.
    with force_locale("da"):
        sheets = [build(scope) for build in BUILDERS]
        sheets.append(definitions_sheet(sheets))
        write_workbook(sheets, overview_sheet(scope), target, scope.zone, subject(scope))
    target.seek(0)
    return target


def filename(scope: Scope) -> str:
    name = scope.single.name if scope.single else scope.organization.name
    safe = "".join(c if c.isalnum() or c in " -_" else "_" for c in name).strip().replace(" ", "_")
    return f"{safe}_{scope.local(scope.exported_at):%Y-%m-%d}.xlsx"
