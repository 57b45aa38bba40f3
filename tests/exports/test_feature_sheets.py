"""The full workbook on the demo data: every feature's sheet, typed, and no identities."""

from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import func, select

from improvement.exports.feature_sheets import HIDDEN_ROLE
from improvement.exports.service import build_export, scope_for
from improvement.extensions import db
from improvement.models import (
    PROGRESS_SCALE,
    RESPONDENT_ROLES,
    Case,
    CoreElementRating,
    Organization,
    PdsaCycle,
    ProgressScore,
    User,
)

SHEETS = [
    "Oversigt",
    "Indsatser",
    "Forandringsteori",
    "Kerneelementer",
    "Organisatoriske forudsætninger",
    "Arbejdsgange",
    "Udviklingspunkter",
    "Prøvehandlinger",
    "Møder og beslutninger",
    "Fremdrift",
    "Selvevalueringsrunder",
    "Selvevaluering",
    "Selvevaluering – resultater",
    "Selvevaluering pr. element",
    "Selvevaluering – begrundelser",
    "Kvalitet i kerneelementer",
    "Forløb",
    "Opfølgninger (§ 70)",
    "Datadefinitioner",
]


def _export(org):
    return load_workbook(BytesIO(build_export(scope_for(org, "test")).read()))


def _org(runner, name="Demo Kommune Nord"):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return db.session.scalars(select(Organization).where(Organization.name == name)).one()


def _count(stmt):
    return db.session.scalar(stmt)


def test_workbook_has_every_sheet_in_order_with_counts(runner):
    org = _org(runner)
    wb = _export(org)
    assert wb.sheetnames == SHEETS
    overview = {row[0]: row[1] for row in wb["Oversigt"].iter_rows(min_row=2, values_only=True)}
    cases = _count(select(func.count()).select_from(Case).where(Case.organization_id == org.id))
    assert overview["Rækker i arket Forløb"] == cases == wb["Forløb"].max_row - 1
    versions = [v for k, v in overview.items() if k.startswith("Indsatsbeskrivelse: ")]
    assert len(versions) == 2 and all(v.startswith(("version ", "ingen")) for v in versions)
    ratings = _count(
        select(func.count())
        .select_from(CoreElementRating)
        .where(CoreElementRating.organization_id == org.id)
    )
    assert overview["Rækker i arket Kvalitet i kerneelementer"] == ratings
    cycles = _count(
        select(func.count()).select_from(PdsaCycle).where(PdsaCycle.organization_id == org.id)
    )
    assert overview["Rækker i arket Prøvehandlinger"] == cycles


def test_ratings_are_numbers_and_dates_with_heat_map(runner):
    wb = _export(_org(runner))
    sheet = wb["Kvalitet i kerneelementer"]
    score, counts, moment = sheet["E2"], sheet["F2"], sheet["G2"]
    assert isinstance(score.value, int) and 1 <= score.value <= 5
    assert counts.value in ("Ja", "Nej")
    assert moment.is_date and moment.number_format == "DD-MM-YYYY HH:MM"
    assert len(sheet.conditional_formatting) == 1


def test_assessment_sheets_name_roles_not_people(runner):
    org = _org(runner)
    wb = _export(org)
    names = set(db.session.scalars(select(User.name))) | set(db.session.scalars(select(User.email)))
    for title in ("Selvevaluering", "Selvevaluering pr. element", "Kvalitet i kerneelementer"):
        values = {v for row in wb[title].iter_rows(values_only=True) for v in row}
        assert not values & names, title
    roles = {row[3] for row in wb["Selvevaluering"].iter_rows(min_row=2, values_only=True)}
    allowed = {str(label) for label in RESPONDENT_ROLES.values()} | {HIDDEN_ROLE}
    assert roles <= allowed
    per_element = wb["Selvevaluering pr. element"]
    assert per_element.max_row == 12  # header + 11 elements
    assert len(per_element._charts) == 1  # the radar chart


def test_every_column_is_defined(runner):
    wb = _export(_org(runner))
    defined = {(r[0], r[1]) for r in wb["Datadefinitioner"].iter_rows(min_row=2, values_only=True)}
    for title in SHEETS[1:-1]:
        headers = [c.value for c in wb[title][1]]
        assert {(title, h) for h in headers} <= defined, title
    # The PDSA phases by the names the board gives them, the outcome codes by the app's.
    cycles = [c.value for c in wb["Prøvehandlinger"][1]]
    assert "Afprøv: hvad blev gjort" in cycles and "Handl: beslutning" in cycles
    assert not [h for h in cycles if h.split(":")[0] in ("Plan", "Do", "Study", "Act")]
    assert "Reflekteret indsatsjustering" in [c.value for c in wb["Forløb"][1]]


def test_round_trip_through_pandas_gives_the_rows_the_app_shows(runner):
    import pandas as pd

    org = _org(runner)
    data = build_export(scope_for(org, "test")).read()
    sheets = pd.read_excel(BytesIO(data), sheet_name=None)
    assert list(sheets) == SHEETS
    cases = sheets["Forløb"]
    codes = sorted(db.session.scalars(select(Case.code).where(Case.organization_id == org.id)))
    assert sorted(cases["Forløbskode"]) == codes
    assert pd.api.types.is_datetime64_any_dtype(cases["Startdato"])
    ratings = sheets["Kvalitet i kerneelementer"]
    assert pd.api.types.is_integer_dtype(ratings["Score"])
    assert ratings["Score"].between(1, 5).all()


def test_progress_scores_are_a_sheet_of_their_own(runner):
    org = _org(runner)
    wb = _export(org)
    rows = list(wb["Fremdrift"].iter_rows(min_row=2, values_only=True))
    scores = _count(
        select(func.count())
        .select_from(ProgressScore)
        .where(ProgressScore.organization_id == org.id)
    )
    assert scores and len(rows) == scores
    steps = {str(label) for label, _meaning in PROGRESS_SCALE.values()}
    for _name, day, score, step, _note, _who in rows:
        assert day is not None and 1.0 <= score <= 5.0 and step in steps
