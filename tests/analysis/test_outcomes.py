"""Outcome tables rebuilt from case data, checked against the Randers report (seed 002).

The seed is /work/shared/seeds/002_f647badb1135a605.txt, a text extract without printed
page numbers; each expectation names the table and the extract's line numbers instead.

One synthetic set of 146 closed cases reproduces tables 2, 3, 4 and 5 at once:
51 cases with a discharge report (coded outcome) and 95 without (seed lines 268-269:
"Det samlede antal (51) afspejler antallet af tilgængelige udskrivningsrapporter, som er
lavere end det samlede antal afsluttede børn og familier (146)").
"""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from improvement.analysis.outcomes import (
    OutcomeCase,
    code_presence_by_goal,
    code_presence_from_counts,
    crosstab_by_goal,
    goal_attainment_distribution,
    percent,
    problem_grade_by_goal,
    reflected_adjustment_by_goal,
    reflection_pattern,
)

# (goal attainment, problem grade, reflected adjustment "yes", "no", "not_described").
# Grade x goal totals are table 3 (lines 336-338). The yes/- split is derived from the
# table 5 text: achieved & yes = 8 (cell A, line 571); achieved & - = 12 of which 8 mild
# (cell B, line 581; "otte af de 12 sager ... lette", line 527); not achieved & yes = 9
# of which 4 severe (cell C, line 594; "fire ud af de ni ... svære", line 529);
# not achieved & - = 22 (cell D, line 606; "22 ud af de 31 sager", line 517).
# How "-" splits into "no" and "not_described" is our choice (the seed has only +/-).
SEED_002_CELLS = [
    ("achieved", "severe", 3, 3, 0),  # 6 severe achieved (table 3: "Svær 6")
    ("achieved", "moderate", 3, 1, 0),  # 4 ("Mellem 4")
    ("achieved", "mild", 2, 3, 5),  # 10 ("Let 10"); 8 mild without reflection = cell B
    ("progressing", "severe", 2, 3, 0),  # 5
    ("progressing", "moderate", 2, 3, 3),  # 8
    ("progressing", "mild", 0, 0, 1),  # 1
    ("not_achieved", "severe", 2, 5, 0),  # 7
    ("not_achieved", "moderate", 2, 3, 2),  # 7
    ("not_achieved", "mild", 1, 0, 2),  # 3
]

# Table 4 (lines 454-472): cases per goal column with each alliance code registered.
SEED_002_TABLE_4_COUNTS = {
    "negative_alliance": {"achieved": 18, "progressing": 10, "not_achieved": 13},
    "positive_alliance": {"achieved": 13, "progressing": 11, "not_achieved": 9},
    "professional_doubt": {"achieved": 15, "progressing": 7, "not_achieved": 8},
    "relational_work": {"achieved": 14, "progressing": 9, "not_achieved": 13},
}
CODES = list(SEED_002_TABLE_4_COUNTS)


def seed_002_cases() -> list[OutcomeCase]:
    """The 146 closed cases: 51 coded as in tables 2-5, 95 without a discharge report."""
    coded: list[tuple[str, str, str]] = []
    for goal, grade, yes, no, not_described in SEED_002_CELLS:
        coded += [(goal, grade, "yes")] * yes
        coded += [(goal, grade, "no")] * no
        coded += [(goal, grade, "not_described")] * not_described
    cases = []
    for goal in ("achieved", "progressing", "not_achieved"):
        column = [c for c in coded if c[0] == goal]
        # Reflected adjustment presupposes professional doubt: "yes" cases come first,
        # and the first k cases of a column get a code registered k times in table 4.
        column.sort(key=lambda c: c[2] != "yes")
        for position, (_, grade, reflection) in enumerate(column):
            codes = frozenset(
                code
                for code, per_goal in SEED_002_TABLE_4_COUNTS.items()
                if position < per_goal[goal]
            )
            cases.append(
                OutcomeCase(
                    case_id=f"C{len(cases):03}",
                    goal_attainment=goal,
                    problem_grade=grade,
                    reflected_adjustment=reflection,
                    codes=codes,
                )
            )
    cases += [OutcomeCase(case_id=f"U{i:03}") for i in range(95)]
    return cases


def test_seed_002_case_set_has_the_seed_totals() -> None:
    cases = seed_002_cases()
    assert len(cases) == 146  # line 60: "i 2019 blev 146 sager afsluttet"
    assert sum(c.goal_attainment is not None for c in cases) == 51


# --- percent: half up, not banker's rounding ---------------------------------------


@pytest.mark.parametrize(
    ("part", "base", "expected"),
    [
        (1, 8, 13),  # 1/8 = 12.5 % -> 13 (Python's round(12.5) would give 12)
        (1, 40, 3),  # 2.5 % -> 3 (round(2.5) == 2)
        (7, 8, 88),  # 87.5 % -> 88
        (1, 3, 33),  # 33.33 % -> 33
        (2, 3, 67),  # 66.67 % -> 67
        (0, 5, 0),
        (5, 5, 100),
        (51, 146, 35),  # line 271: "baseres således på 35% af de afsluttede sager" (34.93)
    ],
)
def test_percent_rounds_half_up(part: int, base: int, expected: int) -> None:
    assert percent(part, base) == expected


def test_percent_of_nothing_is_none_not_zero() -> None:
    assert percent(0, 0) is None


# --- table 2 -------------------------------------------------------------------------


def test_table_2_goal_attainment() -> None:
    # Table 2, lines 260-266: I mål 20 (39%), På vej 14 (27%), Ikke i mål 17 (33%),
    # i alt 51 (100%). 20/51 = 39.22 -> 39; 14/51 = 27.45 -> 27; 17/51 = 33.33 -> 33.
    result = goal_attainment_distribution(seed_002_cases())
    assert result.counts == {"achieved": 20, "progressing": 14, "not_achieved": 17}
    assert result.percents == {"achieved": 39, "progressing": 27, "not_achieved": 33}
    assert result.base == 51
    # Lines 268-269: 146 closed, 51 with a report -> 95 without outcome, counted apart.
    assert result.missing == 95
    # The seed's shares add up to 99, not 100: rounding is not forced to a total.
    assert sum(result.percents.values()) == 99

    table = result.to_frame()
    assert list(table.index) == ["achieved", "progressing", "not_achieved", "total", "missing"]
    assert table.loc["total", "count"] == 51
    assert table.loc["total", "percent"] == 100
    assert table.loc["missing", "count"] == 95
    assert table.loc["missing", "percent"] is None


def test_goal_distribution_without_any_outcome() -> None:
    result = goal_attainment_distribution([OutcomeCase(), {"goal_attainment": None}])
    assert result.base == 0
    assert result.missing == 2
    assert result.percents == {"achieved": None, "progressing": None, "not_achieved": None}


def test_goal_distribution_empty_input() -> None:
    result = goal_attainment_distribution([])
    assert (result.base, result.missing) == (0, 0)
    assert result.to_frame().loc["total", "percent"] is None


def test_unknown_code_is_an_error_not_a_silent_drop() -> None:
    with pytest.raises(ValueError, match="goal_attainment"):
        goal_attainment_distribution([{"goal_attainment": "i mål"}])


# --- table 3 -------------------------------------------------------------------------


def test_table_3_problem_grade_by_goal_attainment_column_percentages() -> None:
    # Table 3, lines 331-340 ("Celleindhold: Antal sager. I procentangivelser afrundes
    # der fra første decimal", line 342). Column percentages: each goal column is 100 %.
    result = problem_grade_by_goal(seed_002_cases())
    counts, pct = result.counts, result.percents
    assert list(counts.index) == ["severe", "moderate", "mild", "total"]
    assert list(counts.columns) == ["achieved", "progressing", "not_achieved", "total"]

    # "Svær 6 (30%) 5 (36%) 7 (41%) 18 (35%)": 6/20=30; 5/14=35.71->36; 7/17=41.18->41;
    # 18/51=35.29->35.
    assert counts.loc["severe"].tolist() == [6, 5, 7, 18]
    assert pct.loc["severe"].tolist() == [30, 36, 41, 35]
    # "Mellem 4 (20%) 8 (57%) 7 (41%) 19 (37%)": 4/20=20; 8/14=57.14->57; 7/17->41;
    # 19/51=37.25->37.
    assert counts.loc["moderate"].tolist() == [4, 8, 7, 19]
    assert pct.loc["moderate"].tolist() == [20, 57, 41, 37]
    # "Let 10 (50%) 1 (7%) 3 (18%) 14 (27%)": 10/20=50; 1/14=7.14->7; 3/17=17.65->18;
    # 14/51=27.45->27.
    assert counts.loc["mild"].tolist() == [10, 1, 3, 14]
    assert pct.loc["mild"].tolist() == [50, 7, 18, 27]
    # "Total 20 (100%) 14 (100%) 17 (100%) 51 (100%)".
    assert counts.loc["total"].tolist() == [20, 14, 17, 51]
    assert pct.loc["total"].tolist() == [100, 100, 100, 100]

    assert result.base == 51
    assert result.excluded == {"no_goal_attainment": 95, "no_row_value": 0}
    # The printed form of the seed's cells.
    assert result.labels().loc["severe"].tolist() == ["6 (30%)", "5 (36%)", "7 (41%)", "18 (35%)"]
    # The same cells as (count, percent) pairs per row, for templates.
    assert result.rows() == {
        "severe": [(6, 30), (5, 36), (7, 41), (18, 35)],
        "moderate": [(4, 20), (8, 57), (7, 41), (19, 37)],
        "mild": [(10, 50), (1, 7), (3, 18), (14, 27)],
        "total": [(20, 100), (14, 100), (17, 100), (51, 100)],
    }


def test_crosstab_counts_missing_row_value_separately() -> None:
    # Two achieved cases, one mild and one without grade; one case without outcome.
    cases = [
        {"goal_attainment": "achieved", "problem_grade": "mild"},
        {"goal_attainment": "achieved", "problem_grade": None},
        {"goal_attainment": None, "problem_grade": "severe"},
    ]
    result = problem_grade_by_goal(cases)
    assert result.base == 1
    assert result.excluded == {"no_goal_attainment": 1, "no_row_value": 1}
    assert result.percents.loc["mild", "achieved"] == 100
    # Empty columns have no percentage (None), not 0 %.
    assert result.percents.loc["mild", "progressing"] is None
    assert result.counts.loc["mild", "progressing"] == 0
    assert result.labels().loc["mild", "progressing"] == "0"


def test_crosstab_rounds_a_half_up() -> None:
    # Column "progressing" holds 8 cases, 1 of them severe: 1/8 = 12.5 % -> 13 %,
    # 7/8 = 87.5 % -> 88 %. Banker's rounding would print 12 % and 88 %.
    cases = [{"goal_attainment": "progressing", "problem_grade": "severe"}]
    cases += [{"goal_attainment": "progressing", "problem_grade": "mild"}] * 7
    result = problem_grade_by_goal(cases)
    assert result.percents.loc["severe", "progressing"] == 13
    assert result.percents.loc["mild", "progressing"] == 88
    assert result.percents.loc["moderate", "progressing"] == 0


def test_crosstab_empty_input() -> None:
    result = problem_grade_by_goal([])
    assert result.base == 0
    assert result.counts.loc["total", "total"] == 0
    assert result.percents.loc["total", "total"] is None
    assert result.excluded == {"no_goal_attainment": 0, "no_row_value": 0}
    assert result.rows()["total"] == [(0, None)] * 4  # no base: a count, no percent


def test_percent_frames_hold_none_not_nan() -> None:
    result = problem_grade_by_goal([])
    assert result.percents.isna().all().all()
    assert all(v is None for v in result.percents.to_numpy().ravel())


# --- reflected adjustment x goal attainment ------------------------------------------


def test_reflected_adjustment_by_goal_column_percentages() -> None:
    # Not printed in the seed (its table 5 has no percentages); hand-computed from the
    # same 51 cases. Columns: achieved 20, progressing 14, not achieved 17, total 51.
    # yes:           8/20=40;  4/14=28.57->29; 5/17=29.41->29; 17/51=33.33->33
    # no:            7/20=35;  6/14=42.86->43; 8/17=47.06->47; 21/51=41.18->41
    # not_described: 5/20=25;  4/14=28.57->29; 4/17=23.53->24; 13/51=25.49->25
    result = reflected_adjustment_by_goal(seed_002_cases())
    assert result.counts.loc["yes"].tolist() == [8, 4, 5, 17]
    assert result.counts.loc["no"].tolist() == [7, 6, 8, 21]
    assert result.counts.loc["not_described"].tolist() == [5, 4, 4, 13]
    assert result.percents.loc["yes"].tolist() == [40, 29, 29, 33]
    assert result.percents.loc["no"].tolist() == [35, 43, 47, 41]
    assert result.percents.loc["not_described"].tolist() == [25, 29, 24, 25]
    assert result.excluded == {"no_goal_attainment": 95, "no_row_value": 0}


def test_generic_crosstab_validates_row_values() -> None:
    with pytest.raises(ValueError, match="problem_grade"):
        crosstab_by_goal(
            [{"goal_attainment": "achieved", "problem_grade": "let"}], "problem_grade", ["mild"]
        )


# --- table 4 -------------------------------------------------------------------------


def test_table_4_alliance_codes_share_of_column_cases() -> None:
    # Table 4, lines 454-474 ("Procentangivelser viser andel af kolonnesager, hvor der
    # er registreret kodning"). Bases 20 / 14 / 17.
    result = code_presence_by_goal(seed_002_cases(), CODES)
    pct = result.percents[["achieved", "progressing", "not_achieved"]]
    counts = result.counts[["achieved", "progressing", "not_achieved"]]
    # "Negative alliancebeskrivelser 18 (90%) 10 (71%) 13 (76%)": 18/20=90;
    # 10/14=71.43->71; 13/17=76.47->76.
    assert counts.loc["negative_alliance"].tolist() == [18, 10, 13]
    assert pct.loc["negative_alliance"].tolist() == [90, 71, 76]
    # "Positive alliancebeskrivelser 13 (65%) 11 (79%) 9 (53%)": 13/20=65;
    # 11/14=78.57->79; 9/17=52.94->53.
    assert counts.loc["positive_alliance"].tolist() == [13, 11, 9]
    assert pct.loc["positive_alliance"].tolist() == [65, 79, 53]
    # "Professionel tvivl 15 (75%) 7 (50%) 8 (47%)": 15/20=75; 7/14=50; 8/17=47.06->47.
    assert counts.loc["professional_doubt"].tolist() == [15, 7, 8]
    assert pct.loc["professional_doubt"].tolist() == [75, 50, 47]
    # "Relationsarbejde 14 (70%) 9 (64%) 13 (76%)": 14/20=70; 9/14=64.29->64; 13/17->76.
    assert counts.loc["relational_work"].tolist() == [14, 9, 13]
    assert pct.loc["relational_work"].tolist() == [70, 64, 76]
    # "Total 20 (100%) 14 (100%) 17 (100%)".
    assert counts.loc["total"].tolist() == [20, 14, 17]
    assert pct.loc["total"].tolist() == [100, 100, 100]
    # Not in the seed: the total column, 41 of 51 cases with a negative description
    # (18+10+13 = 41; 41/51 = 80.39 -> 80).
    assert result.counts.loc["negative_alliance", "total"] == 41
    assert result.percents.loc["negative_alliance", "total"] == 80
    assert result.excluded == {"no_goal_attainment": 95}


def test_code_presence_keeps_uncoded_cases_in_the_base() -> None:
    # 2 achieved cases, one with the code and one without any code: 1/2 = 50 %.
    cases = [
        {"goal_attainment": "achieved", "codes": ["professional_doubt", "other_code"]},
        {"goal_attainment": "achieved"},
    ]
    result = code_presence_by_goal(cases, ["professional_doubt"])
    assert result.counts.loc["professional_doubt", "achieved"] == 1
    assert result.percents.loc["professional_doubt", "achieved"] == 50
    assert list(result.counts.index) == ["professional_doubt", "total"]


# --- table 5 -------------------------------------------------------------------------


def test_table_5_reflection_pattern() -> None:
    # Table 5, lines 542-609: A 8 (line 571), B 8 (line 581), C 4 (line 594),
    # D 22 (line 606); "42 ud af de 51 sager ... Ni sager kunne således ikke placeres"
    # (line 609). Unplaced: 4 achieved non-mild without reflection + 5 not-achieved
    # non-severe with reflection = 9. The 95 cases without report cannot be placed.
    result = reflection_pattern(seed_002_cases())
    assert (result.a, result.b, result.c, result.d) == (8, 8, 4, 22)
    assert result.placed == 42
    assert result.unplaced == 9
    assert result.coded == 51
    assert result.missing == 95
    frame = result.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert frame.loc["goal_achieved"].tolist() == [8, 8]
    assert frame.loc["goal_not_achieved"].tolist() == [4, 22]


def test_reflection_pattern_needs_grade_only_off_diagonal() -> None:
    cases = [
        # A and D do not need a grade.
        {"goal_attainment": "achieved", "reflected_adjustment": "yes"},
        {"goal_attainment": "not_achieved", "reflected_adjustment": "not_described"},
        # Off-diagonal without a grade cannot be judged: missing.
        {"goal_attainment": "achieved", "reflected_adjustment": "no"},
        # No reflection coded: missing.
        {"goal_attainment": "progressing", "problem_grade": "severe"},
        # Progressing counts as "not achieved" in the binary table: C.
        {
            "goal_attainment": "progressing",
            "reflected_adjustment": "yes",
            "problem_grade": "severe",
        },
    ]
    result = reflection_pattern(cases)
    assert (result.a, result.b, result.c, result.d) == (1, 0, 1, 1)
    assert (result.unplaced, result.missing) == (0, 2)


def test_reflection_pattern_empty() -> None:
    result = reflection_pattern([])
    assert (result.placed, result.unplaced, result.missing) == (0, 0, 0)


# --- groups of cases, counted in SQL -------------------------------------------------


def _grouped(cases: list[OutcomeCase]) -> list[dict]:
    """The seed's cases as the outcome page gets them: one row per coding, with its count."""
    counts = Counter((c.goal_attainment, c.problem_grade, c.reflected_adjustment) for c in cases)
    return [
        {"goal_attainment": g, "problem_grade": p, "reflected_adjustment": r, "count": n}
        for (g, p, r), n in counts.items()
    ]


def test_groups_of_cases_give_the_tables_of_the_cases() -> None:
    cases, groups = seed_002_cases(), _grouped(seed_002_cases())
    # 146 cases in 21 codings: the 9 cells of SEED_002_CELLS split by reflection, 20 of
    # them with cases (counted from the table: 2+2+3+2+3+1+2+3+2), and the 95 uncoded.
    assert len(groups) == 21
    assert sum(g["count"] for g in groups) == 146
    assert {
        "goal_attainment": None,
        "problem_grade": None,
        "reflected_adjustment": None,
        "count": 95,
    } in groups
    assert goal_attainment_distribution(groups) == goal_attainment_distribution(cases)
    for table in (problem_grade_by_goal, reflected_adjustment_by_goal):
        assert table(groups).rows() == table(cases).rows()
        assert table(groups).excluded == table(cases).excluded
    grouped = reflection_pattern(groups)
    assert (grouped.a, grouped.b, grouped.c, grouped.d) == (8, 8, 4, 22)
    assert (grouped.unplaced, grouped.missing) == (9, 95)


def test_code_presence_from_counts_matches_the_cases() -> None:
    cases = seed_002_cases()
    # Counted as SQL counts them: cases per goal group, cases per (code, goal).
    goal_totals = Counter(c.goal_attainment for c in cases if c.goal_attainment)
    code_counts = Counter(
        (code, c.goal_attainment) for c in cases if c.goal_attainment for code in c.codes
    )
    code_counts["not_shown", "achieved"] = 3  # a code the table does not list is left out
    result = code_presence_from_counts(goal_totals, code_counts, CODES, without_goal=95)
    assert result.rows() == code_presence_by_goal(cases, CODES).rows()
    # Hand-counted: "Negative alliancebeskrivelser 18 (90%) 10 (71%) 13 (76%)", 41 (80%).
    assert result.rows()["negative_alliance"] == [(18, 90), (10, 71), (13, 76), (41, 80)]
    assert result.excluded == {"no_goal_attainment": 95}
    assert list(result.counts.index) == [*CODES, "total"]


def test_code_presence_from_counts_refuses_an_unknown_goal() -> None:
    with pytest.raises(ValueError, match="goal_attainment"):
        code_presence_from_counts({"i mål": 2}, {}, CODES, without_goal=0)


@pytest.mark.parametrize("count", [-1, 1.5, True, "2"])
def test_a_group_count_must_be_a_whole_number_of_cases(count) -> None:
    with pytest.raises(ValueError, match="count"):
        goal_attainment_distribution([{"goal_attainment": "achieved", "count": count}])


def test_a_group_of_no_cases_counts_nothing() -> None:
    result = problem_grade_by_goal(
        [{"goal_attainment": "achieved", "problem_grade": "mild", "count": 0}]
    )
    assert result.rows()["total"] == [(0, None), (0, None), (0, None), (0, None)]
