"""The self-assessment sheets name each round's instrument version and the points of every
answer, and put the rounds in the pages' order (as opened), the radar's latest too."""

from datetime import UTC, datetime, timedelta
from io import BytesIO

from openpyxl import load_workbook

from improvement.exports.service import build_export, scope_for
from improvement.extensions import db
from tests.assessments.helpers import answer_all, gen_respondent, gen_round, setup_team

START = datetime(2025, 1, 6, 9, tzinfo=UTC)


def _workbook(org):
    return load_workbook(BytesIO(build_export(scope_for(org, "test")).read()))


def _closed(intervention, instrument, users, name, opened, closed, value="high"):
    round_ = gen_round(intervention, instrument, name, status="closed")
    round_.created_at, round_.closed_at = opened, closed
    for key, role in (("p1", "practitioner"), ("p2", "practitioner")):
        answer_all(gen_respondent(round_, users[key], role), instrument, {1: value, 2: "some"})
    return round_


def test_rounds_in_the_order_they_were_opened_with_version_and_points(app):
    org, intervention, instrument, users, _ = setup_team()
    # The baseline was opened first and closed last: the pages list it first.
    _closed(intervention, instrument, users, "Baseline", START, START + timedelta(days=90))
    _closed(
        intervention, instrument, users, "Midtvejs", START + timedelta(days=30), START, "little"
    )
    db.session.commit()
    wb = _workbook(org)

    per_element = wb["Selvevaluering pr. element"]
    assert [c.value for c in per_element[1]][2:] == [
        "Familiehuset: Baseline",
        "Familiehuset: Midtvejs",
    ]
    sheet = wb["Selvevaluering"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert [r["Runde"] for r in rows] == ["Baseline"] * 16 + ["Midtvejs"] * 16
    assert header[:3] == ["Indsats", "Runde", "Spørgeskemaversion"]
    assert {r["Spørgeskemaversion"] for r in rows} == {instrument.name}
    # The points each answer is worth on the round's scale: I høj grad 100, I nogen grad 67,
    # I mindre grad 33.
    points = {(r["Svar"], r["Point"]) for r in rows}
    assert points == {("I høj grad", 100), ("I nogen grad", 67), ("I mindre grad", 33)}

    definitions = {
        (r[0], r[1]): (r[2], r[4])
        for r in wb["Datadefinitioner"].iter_rows(min_row=2, values_only=True)
    }
    _meaning, allowed = definitions[("Selvevaluering", "Svar")]
    assert (
        f"{instrument.name}: I høj grad = 100 point, I nogen grad = 67 point, "
        "I mindre grad = 33 point, Slet ikke = 0 point, "
        "Ved ikke = ingen point (tæller som manglende)" == allowed
    )
    meaning, _allowed = definitions[("Selvevaluering pr. element", "Familiehuset: Midtvejs")]
    assert meaning.endswith(f"Spørgeskemaversion: {instrument.name}")


def test_the_radar_charts_the_six_latest_rounds_as_the_pages_order_them(app):
    org, intervention, instrument, users, _ = setup_team()
    # Seven rounds, each opened a month after the one before but closed in the opposite
    # order: the latest six as opened are rounds 2-7, in columns D-I (round 1 is in C).
    for n in range(7):
        _closed(
            intervention,
            instrument,
            users,
            f"Runde {n + 1}",
            START + timedelta(days=30 * n),
            START + timedelta(days=400 - 30 * n),
        )
    db.session.commit()
    sheet = _workbook(org)["Selvevaluering pr. element"]
    assert [c.value for c in sheet[1]][2:] == [f"Familiehuset: Runde {n}" for n in range(1, 8)]
    (chart,) = sheet._charts
    refs = [s.val.numRef.f for s in chart.series]
    assert refs == [f"'Selvevaluering pr. element'!${c}$2:${c}$12" for c in "DEFGHI"]
