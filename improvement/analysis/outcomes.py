"""Outcome tables of a journal-based effect analysis, as in Randers' report (seed 002).

Closed cases are coded with goal attainment (målopnåelse), problem grade (problemgrad),
whether professional doubt led to an adjustment of the intervention ("reflected
intervention adjustment") and, optionally, alliance codes. The report's tables 2-5 are
counts with whole-number percentages; this module rebuilds them from case data so a
team can make the same tables for its own cases, on a page and in Excel.

Conventions taken from the seed, so numbers match what evaluators know:

* Cross-tabulations against goal attainment are percentaged by COLUMN: each goal group
  (I mål / På vej / Ikke i mål) sums to 100 %. Table 3's total row reads
  "20 (100%) 14 (100%) 17 (100%)" and table 4 says "Procentangivelser viser andel af
  kolonnesager". The Total column gives each row's share of all cases.
* Percentages are rounded half up from the first decimal ("I procentangivelser afrundes
  der fra første decimal", under table 3), not with Python's banker's rounding.
  Rounded shares need not add to 100 (table 2 prints 39 + 27 + 33 = 99).
* A case without a coded outcome is never silently dropped: it is counted separately and
  left out of the percentage base, as table 2 reports 51 assessed of 146 closed cases.

Cases are any objects or mappings with the fields of ``OutcomeCase``. A row may stand for
several cases coded alike (its ``count``), so a page can count in SQL and hand over the
groups; ``code_presence_from_counts`` takes table 4's counts the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from improvement.analysis._frames import frame
from improvement.analysis.rounding import percent

__all__ = [
    "GOAL_ATTAINMENT",
    "PROBLEM_GRADES",
    "REFLECTED_ADJUSTMENT",
    "TOTAL",
    "CrossTab",
    "Distribution",
    "OutcomeCase",
    "ReflectionPattern",
    "code_presence_by_goal",
    "code_presence_from_counts",
    "crosstab_by_goal",
    "goal_attainment_distribution",
    "percent",
    "problem_grade_by_goal",
    "reflected_adjustment_by_goal",
    "reflection_pattern",
]

#: Goal attainment: I mål, På vej, Ikke i mål (seed order).
GOAL_ATTAINMENT: tuple[str, ...] = ("achieved", "progressing", "not_achieved")
#: Problem grade: Svær (family in danger), Mellem (in crisis), Let (keeping up ordinary
#: life); the seed's table 3 lists them in this order.
PROBLEM_GRADES: tuple[str, ...] = ("severe", "moderate", "mild")
#: Reflected intervention adjustment: professional doubt led to an adjustment (yes), it
#: did not (no), or the journal does not describe doubt or adjustment (not_described).
REFLECTED_ADJUSTMENT: tuple[str, ...] = ("yes", "no", "not_described")
#: Label of total rows and columns in the DataFrames.
TOTAL = "total"


@dataclass(frozen=True)
class OutcomeCase:
    """One closed case as coded for the effect analysis; None means not coded.

    ``count`` is how many cases the row stands for: 1 for a case, more for a group of
    cases coded alike (the page counts its cases in SQL).
    """

    case_id: Any = None
    goal_attainment: str | None = None
    problem_grade: str | None = None
    reflected_adjustment: str | None = None
    codes: frozenset[str] = field(default_factory=frozenset)
    count: int = 1


@dataclass(frozen=True)
class Distribution:
    """Counts and percentages of one coded variable (seed table 2).

    ``base`` is the number of cases with a value: the percentage base and the table's
    total. ``missing`` is the number of cases without a value, kept out of the base.
    """

    categories: tuple[str, ...]
    counts: Mapping[str, int]
    percents: Mapping[str, int | None]
    base: int
    missing: int

    def to_frame(self) -> pd.DataFrame:
        """Rows: categories, "total" (the base, 100 %), "missing" (percent None)."""
        records = [{"count": self.counts[c], "percent": self.percents[c]} for c in self.categories]
        records.append({"count": self.base, "percent": percent(self.base, self.base)})
        records.append({"count": self.missing, "percent": None})
        index = [*self.categories, TOTAL, "missing"]
        return frame(records, ["count", "percent"], index=index)


@dataclass(frozen=True)
class CrossTab:
    """A table of row categories against goal attainment (seed tables 3 and 4).

    ``counts`` and ``percents`` are DataFrames indexed by the row categories plus
    "total", with the goal categories plus "total" as columns. Percentages are column
    percentages (each goal column's "total" row is 100), and the "total" column is the
    row's share of all cases in the table; a column without cases has None.
    ``excluded`` counts the cases left out and why: "no_goal_attainment" (outcome not
    coded) and "no_row_value" (outcome coded, row variable not).

    The cells are kept as (count, percent) rows; the frames are built when first asked
    for, since a page reading ``rows()`` has no use for them (six frames cost about as
    much as the rest of the outcome page).
    """

    row_categories: tuple[str, ...]
    column_categories: tuple[str, ...]
    cells: Mapping[str, list[tuple[int, int | None]]]
    base: int
    excluded: Mapping[str, int]

    def rows(self) -> dict[str, list[tuple[int, int | None]]]:
        """(count, percent) of each column (goal categories, then "total"), by row
        (row categories, then "total")."""
        return {row: list(cells) for row, cells in self.cells.items()}

    @cached_property
    def counts(self) -> pd.DataFrame:
        return self._frame(0)

    @cached_property
    def percents(self) -> pd.DataFrame:
        return self._frame(1).astype(object)

    def _frame(self, part: int) -> pd.DataFrame:
        columns = [*self.column_categories, TOTAL]
        records = [
            {column: cell[part] for column, cell in zip(columns, cells, strict=True)}
            for cells in self.cells.values()
        ]
        return frame(records, columns, index=list(self.cells))

    def labels(self) -> pd.DataFrame:
        """Cells printed the way the seed prints them: "6 (30%)", or "0" with no base."""
        data = {}
        for column in self.counts.columns:
            cells = []
            for row in self.counts.index:
                count = int(self.counts.at[row, column])
                share = self.percents.at[row, column]
                cells.append(f"{count}" if share is None else f"{count} ({share}%)")
            data[column] = pd.Series(cells, index=self.counts.index, dtype=object)
        return pd.DataFrame(data, index=self.counts.index, columns=self.counts.columns)


@dataclass(frozen=True)
class ReflectionPattern:
    """Seed 002's table 5: where reflected adjustment and goal attainment go together.

    Goal attainment is binary here: + is "achieved", - is "progressing" or
    "not_achieved" (the seed's 31 cases "med delvis eller ingen målopnåelse").
    Reflected adjustment + is "yes"; - is "no" or "not_described" (the seed's "fravær af
    enten professionel tvivl, indsatsjustering eller begge dele").

    * ``a``: goal +, reflection +, any problem grade (the expected pattern);
    * ``b``: goal +, reflection -, mild problem grade (reflection not needed when easy);
    * ``c``: goal -, reflection +, severe problem grade (not enough when in danger);
    * ``d``: goal -, reflection -, any problem grade (the expected pattern);
    * ``unplaced``: coded cases that fit none of the cells (the seed's "Ni sager kunne
      således ikke placeres");
    * ``missing``: cases that cannot be placed because goal attainment, reflected
      adjustment or - where the cell depends on it - problem grade is not coded.
    """

    a: int
    b: int
    c: int
    d: int
    unplaced: int
    missing: int

    @property
    def placed(self) -> int:
        """Cases in a cell: the seed's "42 ud af de 51 sager"."""
        return self.a + self.b + self.c + self.d

    @property
    def coded(self) -> int:
        """Cases coded well enough to be judged: placed plus unplaced."""
        return self.placed + self.unplaced

    def to_frame(self) -> pd.DataFrame:
        """2x2 counts as in the seed: rows goal attainment (+, -), columns reflection."""
        return pd.DataFrame(
            {"reflection_yes": [self.a, self.c], "reflection_no": [self.b, self.d]},
            index=pd.Index(["goal_achieved", "goal_not_achieved"]),
        )


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _value(case: Any, name: str, allowed: Sequence[str]) -> str | None:
    """Read a coded value; an unknown code raises instead of vanishing from the tables."""
    value = _get(case, name)
    if value is None:
        return None
    if value not in allowed:
        raise ValueError(f"{name} must be one of {tuple(allowed)} or None, got {value!r}")
    return str(value)


def _count(case: Any) -> int:
    """How many cases a row stands for; a row without the field is one case."""
    count = _get(case, "count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError(f"count must be a whole number of cases, got {count!r}")
    return count


def goal_attainment_distribution(cases: Iterable[Any]) -> Distribution:
    """Count and percentage per goal attainment category (seed 002, table 2).

    Cases whose goal attainment is None are counted in ``missing`` and kept out of the
    percentage base, so "of the cases with an outcome, 39 % reached the goal" is what the
    percentages say.
    """
    counts = dict.fromkeys(GOAL_ATTAINMENT, 0)
    missing = 0
    for case in cases:
        goal = _value(case, "goal_attainment", GOAL_ATTAINMENT)
        if goal is None:
            missing += _count(case)
        else:
            counts[goal] += _count(case)
    base = sum(counts.values())
    percents = {c: percent(n, base) for c, n in counts.items()}
    return Distribution(GOAL_ATTAINMENT, counts, percents, base, missing)


def _crosstab(
    cells: Mapping[tuple[str, str], int],
    rows: Sequence[str],
    column_totals: Mapping[str, int],
    excluded: Mapping[str, int],
) -> CrossTab:
    """Build counts and column percentages from the number of cases per (row, goal).

    ``column_totals`` is passed in because for multi-response tables (table 4) a column's
    base is its number of cases, not the sum of its cells.
    """
    columns = [*GOAL_ATTAINMENT, TOTAL]
    grand_total = sum(column_totals[g] for g in GOAL_ATTAINMENT)
    counts: dict[str, dict[str, int]] = {r: dict.fromkeys(columns, 0) for r in rows}
    for (row, goal), n in cells.items():
        counts[row][goal] += n
        counts[row][TOTAL] += n
    counts[TOTAL] = {**{g: column_totals[g] for g in GOAL_ATTAINMENT}, TOTAL: grand_total}

    bases = {**{g: column_totals[g] for g in GOAL_ATTAINMENT}, TOTAL: grand_total}
    cells = {
        r: [(counts[r][c], percent(counts[r][c], bases[c])) for c in columns]
        for r in [*rows, TOTAL]
    }
    return CrossTab(
        row_categories=tuple(rows),
        column_categories=GOAL_ATTAINMENT,
        cells=cells,
        base=grand_total,
        excluded=dict(excluded),
    )


def crosstab_by_goal(
    cases: Iterable[Any], row_field: str, row_categories: Sequence[str]
) -> CrossTab:
    """Cross-tabulate a coded field against goal attainment, column percentages.

    A case enters the table only when both its goal attainment and ``row_field`` are
    coded; the others are counted in ``excluded`` by reason ("no_goal_attainment" first,
    then "no_row_value"), never dropped without trace.
    """
    cells: Counter[tuple[str, str]] = Counter()
    column_totals = dict.fromkeys(GOAL_ATTAINMENT, 0)
    excluded = {"no_goal_attainment": 0, "no_row_value": 0}
    for case in cases:
        goal = _value(case, "goal_attainment", GOAL_ATTAINMENT)
        row = _value(case, row_field, row_categories)
        n = _count(case)
        if goal is None:
            excluded["no_goal_attainment"] += n
        elif row is None:
            excluded["no_row_value"] += n
        else:
            cells[row, goal] += n
            column_totals[goal] += n
    return _crosstab(cells, row_categories, column_totals, excluded)


def problem_grade_by_goal(cases: Iterable[Any], grades: Sequence[str] = PROBLEM_GRADES) -> CrossTab:
    """Problem grade x goal attainment (seed 002, table 3): severe, moderate, mild rows."""
    return crosstab_by_goal(cases, "problem_grade", grades)


def reflected_adjustment_by_goal(
    cases: Iterable[Any], values: Sequence[str] = REFLECTED_ADJUSTMENT
) -> CrossTab:
    """Reflected adjustment (yes / no / not described) x goal attainment, column %."""
    return crosstab_by_goal(cases, "reflected_adjustment", values)


def code_presence_by_goal(cases: Iterable[Any], codes: Sequence[str]) -> CrossTab:
    """Share of each goal group's cases in which a code was registered (seed table 4).

    A case may carry several codes (its ``codes`` field, a collection of strings), so
    rows do not add up to the total: the "total" row is the number of cases per goal
    group (100 %) and each code row is "cases with the code / cases in the column".
    Cases with no codes still count in the base: no code registered is a result.
    ``excluded["no_goal_attainment"]`` counts cases without an outcome. Codes not in
    ``codes`` are ignored, so a table can show a chosen subset.
    """
    cells: Counter[tuple[str, str]] = Counter()
    column_totals = dict.fromkeys(GOAL_ATTAINMENT, 0)
    without_goal = 0
    for case in cases:
        goal = _value(case, "goal_attainment", GOAL_ATTAINMENT)
        n = _count(case)
        if goal is None:
            without_goal += n
            continue
        column_totals[goal] += n
        case_codes = _get(case, "codes") or ()
        if isinstance(case_codes, str):
            raise TypeError("codes must be a collection of strings, not one string")
        for code in set(case_codes):
            cells[code, goal] += n
    return code_presence_from_counts(column_totals, cells, codes, without_goal)


def code_presence_from_counts(
    goal_totals: Mapping[str, int],
    code_counts: Mapping[tuple[str, str], int],
    codes: Sequence[str],
    without_goal: int,
) -> CrossTab:
    """Table 4 from counts already made (in SQL): cases per goal group, cases per (code,
    goal), and the number of cases without an outcome. Codes not in ``codes`` are left out.
    """
    for goal in goal_totals:
        if goal not in GOAL_ATTAINMENT:
            raise ValueError(f"goal_attainment must be one of {GOAL_ATTAINMENT}, got {goal!r}")
    wanted = set(codes)
    cells = {(code, goal): n for (code, goal), n in code_counts.items() if code in wanted}
    column_totals = {g: goal_totals.get(g, 0) for g in GOAL_ATTAINMENT}
    return _crosstab(cells, codes, column_totals, {"no_goal_attainment": without_goal})


def reflection_pattern(cases: Iterable[Any]) -> ReflectionPattern:
    """Place cases in seed 002's table 5 (see ``ReflectionPattern`` for the cells).

    The problem grade is only needed for the off-diagonal cells: an achieved case without
    reflected adjustment is placed (B) only if mild, a not-achieved case with reflected
    adjustment only if severe (C); other grades are ``unplaced`` and an uncoded grade
    there is ``missing``.
    """
    a = b = c = d = unplaced = missing = 0
    for case in cases:
        goal = _value(case, "goal_attainment", GOAL_ATTAINMENT)
        reflection = _value(case, "reflected_adjustment", REFLECTED_ADJUSTMENT)
        grade = _value(case, "problem_grade", PROBLEM_GRADES)
        n = _count(case)
        if goal is None or reflection is None:
            missing += n
            continue
        achieved = goal == "achieved"
        reflected = reflection == "yes"
        if achieved and reflected:
            a += n
        elif not achieved and not reflected:
            d += n
        elif grade is None:
            missing += n
        elif achieved and grade == "mild":
            b += n
        elif not achieved and grade == "severe":
            c += n
        else:
            unplaced += n
    return ReflectionPattern(a, b, c, d, unplaced, missing)
