"""The ratings sheet says which rating of a cell counts, as the quality heat map counts it.

Hand-computed: one phase, one core element, three cases.
- F-1 rated 2 at 10:00, corrected to 4 at 14:15 (Copenhagen, winter time): 4 counts.
- F-2 rated 5 once: 5 counts.
- F-3 rated 1, then 3, saved with the same time: the later saved (3) counts.
The heat map's cell is (4 + 5 + 3) / 3 = 4.0 with n = 3; the mean of every row would be
3.0, and the first saved winning the tie would give 3.3.
"""

import re
from datetime import UTC, datetime
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import select

from improvement.exports.service import build_export, scope_for
from improvement.extensions import db
from improvement.models import CoreElementRating, Organization
from tests.cases.helpers import gen_case, gen_core_element, gen_phase, gen_rating
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

HEADER = [
    "Indsats",
    "Forløbskode",
    "Fase",
    "Kerneelement",
    "Score",
    "Gældende",
    "Tidspunkt",
    "Vurderet af (rolle)",
    "Kommentar",
]


def _rate(case, phase, element, score, at, rater):
    rating = gen_rating(case, phase, element, score, rater=rater)
    rating.rated_at = at
    db.session.flush()
    return rating


def _world():
    org = gen_org("Nord")
    leader = gen_user(org, role="leader", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarn")
    gen_member(intervention, leader, "leader")
    phase = gen_phase(intervention, "Opstart")
    element = gen_core_element(intervention, "Kontakt")
    f1, f2, f3 = (gen_case(intervention, code) for code in ("F-1", "F-2", "F-3"))
    _rate(f1, phase, element, 2, datetime(2026, 3, 2, 9, 0, tzinfo=UTC), leader)
    _rate(f1, phase, element, 4, datetime(2026, 3, 2, 13, 15, tzinfo=UTC), leader)
    _rate(f2, phase, element, 5, datetime(2026, 3, 3, 8, 0, tzinfo=UTC), leader)
    tie = datetime(2026, 3, 4, 11, 0, tzinfo=UTC)
    _rate(f3, phase, element, 1, tie, leader)
    _rate(f3, phase, element, 3, tie, leader)
    db.session.commit()
    return org, leader, intervention


EXPECTED = [
    # code, score, counts, Copenhagen time (UTC+1 in March)
    ("F-1", 2, "Nej", datetime(2026, 3, 2, 10, 0)),
    ("F-1", 4, "Ja", datetime(2026, 3, 2, 14, 15)),
    ("F-2", 5, "Ja", datetime(2026, 3, 3, 9, 0)),
    ("F-3", 1, "Nej", datetime(2026, 3, 4, 12, 0)),
    ("F-3", 3, "Ja", datetime(2026, 3, 4, 12, 0)),
]


def _ratings(wb):
    rows = list(wb["Kvalitet i kerneelementer"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    return [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]


def _heat_cell(page: str) -> tuple[str, str]:
    mean = re.search(r'<span class="heat-mean">([^<]+)</span>', page).group(1)
    n = re.search(r'<span class="heat-n">([^<]+)</span>', page).group(1)
    return mean, n


def test_only_the_latest_rating_of_a_cell_counts_as_on_the_heat_map(client, login):
    org, leader, intervention = _world()
    login(leader, org)
    page = client.get(f"/indsatser/{intervention.id}/kvalitet").get_data(as_text=True)
    assert _heat_cell(page) == ("4,0", "n = 3")
    for url in (f"/indsatser/{intervention.id}/eksport.xlsx", "/eksport.xlsx"):
        response = client.get(url)
        assert response.status_code == 200
        rows = _ratings(load_workbook(BytesIO(response.data)))
        assert [(r["Forløbskode"], r["Score"], r["Gældende"], r["Tidspunkt"]) for r in rows] == (
            EXPECTED
        )
        assert {r["Vurderet af (rolle)"] for r in rows} == {"Leder"}
        counted = [r["Score"] for r in rows if r["Gældende"] == "Ja"]
        # The evaluator's figure from the sheet is the page's: mean 4.0 of n = 3.
        assert (sum(counted) / len(counted), len(counted)) == (4.0, 3)


def test_the_flag_survives_sorting_and_is_defined(client, login):
    org, leader, intervention = _world()
    login(leader, org)
    wb = load_workbook(BytesIO(client.get(f"/indsatser/{intervention.id}/eksport.xlsx").data))
    sheet = wb["Kvalitet i kerneelementer"]
    # Every column is under the autofilter, so sorting moves the flag with its row.
    assert sheet.auto_filter.ref == "A1:I6"
    assert sheet["G2"].is_date and sheet["G2"].number_format == "DD-MM-YYYY HH:MM"
    # Sorted by score, the rows that count are still the ones that count.
    by_score = sorted(_ratings(wb), key=lambda r: r["Score"])
    assert [(r["Score"], r["Gældende"]) for r in by_score] == [
        (1, "Nej"),
        (2, "Nej"),
        (3, "Ja"),
        (4, "Ja"),
        (5, "Ja"),
    ]
    definitions = {
        (r[0], r[1]): r for r in wb["Datadefinitioner"].iter_rows(min_row=2, values_only=True)
    }
    meaning, kind, allowed = definitions[("Kvalitet i kerneelementer", "Gældende")][2:]
    assert "Kun den tæller i appens tal" in meaning and "historik" in meaning
    assert (kind, allowed) == ("Ja/nej", "Ja, Nej")
    assert definitions[("Kvalitet i kerneelementer", "Tidspunkt")][3] == "Dato og tid"


def test_demo_data_every_cell_has_one_counting_rating_its_last(runner):
    """On the demo data: per (case, phase, core element), exactly one "Ja", on the cell's
    last row, and as many "Ja" as the database has latest ratings."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    org = db.session.scalars(select(Organization).where(Organization.name == "Demo Kommune Nord"))
    org = org.one()
    wb = load_workbook(BytesIO(build_export(scope_for(org, "test")).read()))
    cells: dict[tuple, list[str]] = {}
    for r in _ratings(wb):
        key = (r["Indsats"], r["Forløbskode"], r["Fase"], r["Kerneelement"])
        cells.setdefault(key, []).append(r["Gældende"])
    assert cells
    assert all(flags == ["Nej"] * (len(flags) - 1) + ["Ja"] for flags in cells.values())
    latest = db.session.scalars(
        select(CoreElementRating.id).where(
            CoreElementRating.organization_id == org.id, CoreElementRating.is_latest
        )
    ).all()
    assert len(cells) == len(latest)
