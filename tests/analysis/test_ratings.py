"""Quality in core elements: aggregates over the latest rating per cell."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from improvement.analysis.ratings import (
    Rating,
    cell_counts,
    heat_map,
    latest_ratings,
    low_ratings,
    quarter_key,
    quarterly_trend,
    rater_vs_team,
    score_distribution,
)


def r(case: str, phase: str, element: str, score: int, day: date, rater: str = "p1") -> Rating:
    return Rating(case, phase, element, score, day, rater, "practitioner")


# Cases A and B, phases "start" and "middle", core elements "contact" and "goals".
# Cell (A, start, contact) is rated 2 and later revised to 4; only the 4 counts.
RATINGS = [
    r("A", "start", "contact", 2, date(2026, 1, 10), "p1"),
    r("A", "start", "contact", 4, date(2026, 4, 2), "p1"),  # revision of the cell above
    r("B", "start", "contact", 3, date(2026, 2, 1), "p2"),
    r("A", "start", "goals", 1, date(2026, 1, 10), "p1"),
    r("B", "start", "goals", 2, date(2026, 2, 1), "p2"),
    r("A", "middle", "contact", 5, date(2026, 5, 20), "p1"),
    r("B", "middle", "goals", 4, date(2026, 8, 3), "p2"),
]


def test_latest_ratings_keep_one_per_cell() -> None:
    latest = latest_ratings(RATINGS)
    assert len(latest) == 6  # 7 ratings, one cell revised once
    contact_a = [
        x for x in latest if (x.case_id, x.phase, x.core_element) == ("A", "start", "contact")
    ]
    assert [x.score for x in contact_a] == [4]


def test_latest_wins_regardless_of_input_order() -> None:
    newer = r("A", "start", "contact", 5, date(2026, 3, 1))
    older = r("A", "start", "contact", 1, date(2026, 1, 1))
    assert [x.score for x in latest_ratings([newer, older])] == [5]


def test_same_day_revision_later_in_input_wins() -> None:
    first = r("A", "start", "contact", 1, date(2026, 3, 1))
    second = r("A", "start", "contact", 3, date(2026, 3, 1))
    assert [x.score for x in latest_ratings([first, second])] == [3]


def test_dates_and_datetimes_mix() -> None:
    morning = r("A", "s", "c", 1, datetime(2026, 3, 1, 9, 0))
    day_only = r("A", "s", "c", 2, date(2026, 2, 28))
    evening = r("A", "s", "c", 3, datetime(2026, 3, 1, 17, 0))
    assert [x.score for x in latest_ratings([evening, day_only, morning])] == [3]


def test_mappings_are_accepted_and_scores_checked() -> None:
    row = {
        "case_id": "A",
        "phase": 1,
        "core_element": 2,
        "score": 3,
        "rated_at": date(2026, 1, 1),
        "rater_id": 7,
    }
    assert latest_ratings([row])[0].role is None
    with pytest.raises(ValueError, match="score"):
        latest_ratings([{**row, "score": 6}])
    with pytest.raises(ValueError, match="score"):
        latest_ratings([{**row, "score": 0}])
    with pytest.raises(TypeError, match="rated_at"):
        latest_ratings([{**row, "rated_at": "2026-01-01"}])


def test_cell_counts_count_latest_cells_by_element_phase_score_and_quarter() -> None:
    q1, q2, q3 = 2026 * 4, 2026 * 4 + 1, 2026 * 4 + 2
    assert cell_counts(RATINGS) == {
        ("contact", "start", 4, q2): 1,  # A's revision; the 2 it replaced is gone
        ("contact", "start", 3, q1): 1,
        ("goals", "start", 1, q1): 1,
        ("goals", "start", 2, q1): 1,
        ("contact", "middle", 5, q2): 1,
        ("goals", "middle", 4, q3): 1,
    }
    assert cell_counts(
        [r("A", "s", "e", 3, date(2026, 1, 1)), r("B", "s", "e", 3, date(2026, 3, 31))]
    ) == {("e", "s", 3, q1): 2}


def test_heat_map_means_and_counts() -> None:
    result = heat_map(
        RATINGS, phases=["start", "middle", "end"], core_elements=["contact", "goals"]
    )
    means, counts = result.means, result.counts
    assert list(means.columns) == ["start", "middle", "end"]
    assert list(means.index) == ["contact", "goals"]
    # contact x start: latest of A is 4 (not 2), B is 3 -> (4 + 3) / 2 = 3.5, 2 cells.
    assert (means.at["contact", "start"], counts.at["contact", "start"]) == (3.5, 2)
    # goals x start: (1 + 2) / 2 = 1.5.
    assert means.at["goals", "start"] == 1.5
    # contact x middle: 5; goals x middle: 4.
    assert (means.at["contact", "middle"], means.at["goals", "middle"]) == (5.0, 4.0)
    # An empty phase has mean None and count 0, never 0.0.
    assert means.at["contact", "end"] is None
    assert counts.at["contact", "end"] == 0
    # The same cells as plain pairs, for templates; counts are Python ints.
    assert result.cells() == {
        ("contact", "start"): (3.5, 2),
        ("contact", "middle"): (5.0, 1),
        ("contact", "end"): (None, 0),
        ("goals", "start"): (1.5, 2),
        ("goals", "middle"): (4.0, 1),
        ("goals", "end"): (None, 0),
    }
    assert type(result.cells()["contact", "start"][1]) is int
    long = result.to_long()
    assert len(long) == 6  # 2 core elements x 3 phases
    assert long.iloc[0].to_dict() == {
        "core_element": "contact",
        "phase": "start",
        "mean": 3.5,
        "count": 2,
    }


def test_heat_map_mean_rounds_half_up_to_one_decimal() -> None:
    # 2, 2, 2, 3 -> 9 / 4 = 2.25 -> 2.3 half up (Python's round(2.25, 1) gives 2.2).
    ratings = [
        r(case, "p", "e", s, date(2026, 1, 1)) for case, s in zip("wxyz", [2, 2, 2, 3], strict=True)
    ]
    assert heat_map(ratings).means.at["e", "p"] == 2.3
    # 1, 2, 2 -> 5 / 3 = 1.666... -> 1.7.
    ratings = [
        r(case, "p", "e", s, date(2026, 1, 1)) for case, s in zip("xyz", [1, 2, 2], strict=True)
    ]
    assert heat_map(ratings).means.at["e", "p"] == 1.7


def test_heat_map_empty() -> None:
    result = heat_map([])
    assert result.means.empty and result.counts.empty
    given = heat_map([], phases=["p1"], core_elements=["e1"])
    assert given.means.at["e1", "p1"] is None
    assert given.counts.at["e1", "p1"] == 0


def test_score_distribution() -> None:
    table = score_distribution(RATINGS)
    # contact: A/start 4 (revised from 2), B/start 3, A/middle 5 -> one each of 3, 4, 5.
    assert table.loc["contact"].tolist() == [0, 0, 1, 1, 1, 3]
    # goals: 1, 2, 4.
    assert table.loc["goals"].tolist() == [1, 1, 0, 1, 0, 3]
    assert list(table.columns) == [1, 2, 3, 4, 5, "total"]


def test_score_distribution_empty() -> None:
    assert score_distribution([]).empty
    table = score_distribution([], core_elements=["e"])
    assert table.loc["e"].tolist() == [0, 0, 0, 0, 0, 0]


@pytest.mark.parametrize(
    ("day", "key"),
    [
        (date(2026, 1, 1), "2026-Q1"),
        (date(2026, 3, 31), "2026-Q1"),
        (date(2026, 4, 1), "2026-Q2"),
        (date(2026, 9, 30), "2026-Q3"),
        (date(2026, 12, 31), "2026-Q4"),
    ],
)
def test_quarter_key(day: date, key: str) -> None:
    assert quarter_key(day) == key


def test_quarterly_trend_fills_empty_quarters() -> None:
    trend = quarterly_trend(RATINGS, core_elements=["contact", "goals"])
    # Latest ratings: contact A/start 4 on 2 Apr (K2, the revision's date), B/start 3 on
    # 1 Feb (K1), A/middle 5 on 20 May (K2); goals A/start 1 (K1), B/start 2 (K1),
    # B/middle 4 on 3 Aug (K3). Quarters K1..K3 for both elements.
    rows = [tuple(x) for x in trend.itertuples(index=False)]
    assert rows == [
        ("contact", "2026-Q1", 3.0, 1),
        ("contact", "2026-Q2", 4.5, 2),  # (4 + 5) / 2
        ("contact", "2026-Q3", None, 0),
        ("goals", "2026-Q1", 1.5, 2),  # (1 + 2) / 2
        ("goals", "2026-Q2", None, 0),
        ("goals", "2026-Q3", 4.0, 1),
    ]


def test_quarterly_trend_across_a_year_end() -> None:
    ratings = [
        r("A", "p", "e", 2, date(2025, 11, 5)),
        r("B", "p", "e", 4, date(2026, 2, 5)),
    ]
    trend = quarterly_trend(ratings)
    assert trend["quarter"].tolist() == ["2025-Q4", "2026-Q1"]
    assert trend["mean"].tolist() == [2.0, 4.0]


def test_quarterly_trend_empty() -> None:
    trend = quarterly_trend([])
    assert trend.empty
    assert list(trend.columns) == ["core_element", "quarter", "mean", "count"]


def test_low_ratings_use_latest_rating() -> None:
    ratings = [
        *RATINGS,
        r("B", "middle", "goals", 2, date(2026, 9, 1), "p2"),  # revised down from 4
    ]
    low = low_ratings(ratings, threshold=2)
    # A/start/contact was 2 but is now 4: not listed. A/start/goals 1, B/start/goals 2,
    # B/middle/goals now 2.
    assert [(x.case_id, x.phase, x.core_element, x.score) for x in low] == [
        ("A", "start", "goals", 1),
        ("B", "middle", "goals", 2),
        ("B", "start", "goals", 2),
    ]
    assert [x.score for x in low_ratings(ratings, threshold=1)] == [1]
    assert low_ratings([]) == []


def test_rater_vs_team() -> None:
    table = rater_vs_team(RATINGS, "p1")
    # contact, latest cells: A/start 4 (p1), B/start 3 (p2), A/middle 5 (p1).
    # p1: (4 + 5) / 2 = 4.5 over 2; team: (4 + 3 + 5) / 3 = 4.0 over 3; 4.5 - 4.0 = 0.5.
    assert table.loc["contact"].tolist() == [4.5, 2, 4.0, 3, 0.5]
    # goals: A/start 1 (p1), B/start 2 (p2), B/middle 4 (p2).
    # p1: 1.0; team: 7 / 3 = 2.33 -> 2.3; difference 1.0 - 2.3 = -1.3.
    assert table.loc["goals"].tolist() == [1.0, 1, 2.3, 3, -1.3]


def test_rater_without_ratings_has_no_mean() -> None:
    table = rater_vs_team(RATINGS, "nobody")
    assert table.loc["contact", "rater_mean"] is None
    assert table.loc["contact", "rater_count"] == 0
    assert table.loc["contact", "difference"] is None
    assert table.loc["contact", "team_mean"] == 4.0


def test_revised_cell_belongs_to_the_reviser() -> None:
    ratings = [
        r("A", "s", "e", 1, date(2026, 1, 1), "p1"),
        r("A", "s", "e", 3, date(2026, 2, 1), "p2"),  # p2 revises p1's rating
    ]
    assert rater_vs_team(ratings, "p1").loc["e", "rater_count"] == 0
    assert rater_vs_team(ratings, "p2").loc["e", "rater_mean"] == 3.0
