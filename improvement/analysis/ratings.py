"""Quality in core elements (kvalitet i kerneelementer): aggregates of practitioners' ratings.

Per case and per phase of the course, the practitioner rates 1-5 how far each core
element was worked with. The ratings feed case reflection ("did we deliver the core
elements, and why did we deviate?") and the team's view of the intervention: a heat map
core element x phase, the distribution of scores, the trend per quarter, the list of low
ratings to talk about, and one practitioner's pattern against the team's.

One rule runs through every function: a cell (case, phase, core element) counts once,
with its latest rating. A practitioner who revises a rating corrects it; counting both
would weigh revised cells double and keep a corrected score alive. The latest rating is
the one with the latest ``rated_at``; on equal ``rated_at`` the one later in the input
wins, so callers should pass rows in the order they were saved (e.g. by id). The latest
rating also supplies the cell's date (for the trend) and rater (for practitioner views).

Means are rounded half up to one decimal; empty cells have mean None and count 0, never
a mean of 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, time
from fractions import Fraction
from typing import Any

import pandas as pd

from improvement.analysis._frames import frame
from improvement.analysis.rounding import round_half_up

__all__ = [
    "DEFAULT_LOW_THRESHOLD",
    "SCORES",
    "CellCounts",
    "HeatMap",
    "Rating",
    "cell_counts",
    "cell_key",
    "distribution_from_counts",
    "heat_map",
    "heat_map_from_counts",
    "latest_ratings",
    "low_ratings",
    "quarter_index",
    "quarter_key",
    "quarterly_trend",
    "RaterSums",
    "rater_sums",
    "rater_vs_team",
    "rater_vs_team_of",
    "score_distribution",
    "trend_from_counts",
]

#: The rating scale.
SCORES: tuple[int, ...] = (1, 2, 3, 4, 5)
#: Latest cells counted by (core element, phase, score, quarter index): see cell_counts.
CellCounts = Mapping[tuple[Hashable, Hashable, int, int], int]
#: Ratings at or below this are "low" and listed for reflection by default.
DEFAULT_LOW_THRESHOLD = 2


@dataclass(frozen=True)
class Rating:
    """One rating of how far a core element was worked with in one phase of one case."""

    case_id: Hashable
    phase: Hashable
    core_element: Hashable
    score: int
    rated_at: date
    rater_id: Hashable
    role: str | None = None


@dataclass(frozen=True)
class HeatMap:
    """Core element (rows) x phase (columns): rounded means (None if empty) and counts."""

    means: pd.DataFrame
    counts: pd.DataFrame

    def cells(self) -> dict[tuple[Hashable, Hashable], tuple[float | None, int]]:
        """(mean, count) by (core element, phase), read out of the frames in one pass:
        a template asking pandas cell by cell paid about 15 µs a cell."""
        means, counts = self.means.to_numpy(), self.counts.to_numpy()
        return {
            (element, phase): (means[row, column], int(counts[row, column]))
            for row, element in enumerate(self.means.index)
            for column, phase in enumerate(self.means.columns)
        }

    def to_long(self) -> pd.DataFrame:
        """One row per cell (core_element, phase, mean, count), for charts and Excel."""
        records = [
            {
                "core_element": element,
                "phase": phase,
                "mean": self.means.at[element, phase],
                "count": int(self.counts.at[element, phase]),
            }
            for element in self.means.index
            for phase in self.means.columns
        ]
        return frame(records, ["core_element", "phase", "mean", "count"])


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        if name in obj:
            return obj[name]
        if name == "role":
            return None
        raise KeyError(f"missing field {name!r} in {obj!r}")
    if name == "role":
        return getattr(obj, name, None)
    return getattr(obj, name)


def _as_rating(obj: Any) -> Rating:
    """Accept a Rating, a mapping or an ORM-like object; check the score and the date."""
    if isinstance(obj, Rating):
        rating = obj
    else:
        rating = Rating(
            case_id=_get(obj, "case_id"),
            phase=_get(obj, "phase"),
            core_element=_get(obj, "core_element"),
            score=_get(obj, "score"),
            rated_at=_get(obj, "rated_at"),
            rater_id=_get(obj, "rater_id"),
            role=_get(obj, "role"),
        )
    if isinstance(rating.score, bool) or rating.score not in SCORES:
        raise ValueError(f"score must be one of {SCORES}, got {rating.score!r}")
    if not isinstance(rating.rated_at, date):
        raise TypeError(f"rated_at must be a date, got {rating.rated_at!r}")
    return rating


def _day(value: date) -> date:
    """The calendar day of a date or datetime (a datetime is a date subclass)."""
    return date(value.year, value.month, value.day)


def _moment(value: date) -> tuple[date, time]:
    """Sort key for ``rated_at``: dates and datetimes cannot be compared directly."""
    return _day(value), value.time() if isinstance(value, datetime) else time.min


def latest_ratings(ratings: Iterable[Any]) -> list[Rating]:
    """The latest rating of every (case, phase, core element) cell, in input order.

    See the module docstring for why only the latest counts and how ties are broken.
    """
    latest: dict[tuple[Hashable, Hashable, Hashable], tuple[tuple[Any, ...], Rating]] = {}
    for position, obj in enumerate(ratings):
        rating = _as_rating(obj)
        key = (rating.case_id, rating.phase, rating.core_element)
        rank = (*_moment(rating.rated_at), position)
        if key not in latest or rank >= latest[key][0]:
            latest[key] = (rank, rating)
    return [rating for _, rating in sorted(latest.values(), key=lambda item: item[0][-1])]


def _order(found: Iterable[Hashable], given: Sequence[Hashable] | None) -> list[Hashable]:
    """The given order, then anything else found (sorted if comparable, else as found).

    Given keys stay even without ratings, so a page shows every phase of the course.
    """
    seen = list(dict.fromkeys(found))
    if given is not None:
        rest = [key for key in seen if key not in set(given)]
        head = list(dict.fromkeys(given))
    else:
        rest, head = seen, []
    with suppress(TypeError):  # mixed id types stay in the order found
        rest = sorted(rest)  # type: ignore[type-var]
    return head + rest


def _mean(scores: Sequence[int]) -> float | None:
    return _mean_of(sum(scores), len(scores))


def cell_key(rating: Rating) -> tuple[Hashable, Hashable, int, int]:
    """The key a latest cell is counted under: core element, phase, score, quarter."""
    return (
        rating.core_element,
        rating.phase,
        rating.score,
        quarter_index(_day(rating.rated_at)),
    )


def cell_counts(ratings: Iterable[Any]) -> CellCounts:
    """How many latest cells share each (core element, phase, score, quarter) key.

    The heat map, the distribution and the trend are all sums over these counts, so a
    caller that can count in SQL (see improvement.cases.service) passes the counts to the
    ``*_from_counts`` functions and never holds the ratings themselves.
    """
    return Counter(cell_key(rating) for rating in latest_ratings(ratings))


def _sum_count(pairs: Iterable[tuple[int, int]]) -> tuple[int, int]:
    total = count = 0
    for score, n in pairs:
        total += score * n
        count += n
    return total, count


def _mean_of(total: int, count: int) -> float | None:
    return round_half_up(Fraction(total, count), 1) if count else None


def cells_within(
    rows: Iterable[tuple[Hashable, Hashable, int, int, bool, int]],
    open_only: bool = False,
    year: int | None = None,
) -> Counter:
    """``cell_counts`` of the cells a filter keeps, from rows of (core element, phase,
    score, quarter, case closed, cells): only open cases' cells with `open_only`, only the
    cells whose latest rating is from `year` with a year."""
    counts: Counter = Counter()
    for element, phase, score, quarter, closed, n in rows:
        if (open_only and closed) or (year is not None and quarter // 4 != year):
            continue
        counts[(element, phase, score, quarter)] += n
    return counts


def cells_and_facts(
    rows: Iterable[tuple[Hashable, Hashable, int, int, bool, int]], threshold: int
) -> tuple[Counter, list[int], int]:
    """In one pass over the rows of ``cells_within``: every cell's counts (no filter), the
    years with a latest rating (newest first), and how many cells of closed cases are rated
    at or below ``threshold``. A large intervention has thousands of rows."""
    counts: Counter = Counter()
    years: set[int] = set()
    closed_low = 0
    for element, phase, score, quarter, closed, n in rows:
        counts[(element, phase, score, quarter)] += n
        years.add(quarter // 4)
        if closed and score <= threshold:
            closed_low += n
    return counts, sorted(years, reverse=True), closed_low


def mean_of_scores(score_counts: Mapping[int, int]) -> float | None:
    """The mean of one heat map cell from its number of cells per score, rounded as the
    heat map rounds it (None for an empty cell)."""
    return _mean_of(*_sum_count(score_counts.items()))


def heat_map(
    ratings: Iterable[Any],
    phases: Sequence[Hashable] | None = None,
    core_elements: Sequence[Hashable] | None = None,
) -> HeatMap:
    """Mean score and number of rated cells per core element and phase.

    Pass ``phases`` and ``core_elements`` in the intervention's order to get every row
    and column even where nothing is rated yet; keys found in the ratings but not given
    are appended. Colour must not be the only carrier of meaning, so pages should print
    the mean and count in each cell; this returns both.
    """
    return heat_map_from_counts(cell_counts(ratings), phases, core_elements)


def heat_map_from_counts(
    counts: CellCounts,
    phases: Sequence[Hashable] | None = None,
    core_elements: Sequence[Hashable] | None = None,
) -> HeatMap:
    """``heat_map`` from ``cell_counts``."""
    element_keys = _order((key[0] for key in counts), core_elements)
    phase_keys = _order((key[1] for key in counts), phases)
    pairs: dict[tuple[Hashable, Hashable], list[tuple[int, int]]] = {}
    for (element, phase, score, _quarter), n in counts.items():
        pairs.setdefault((element, phase), []).append((score, n))
    sums = {cell: _sum_count(values) for cell, values in pairs.items()}
    mean_records = [
        {phase: _mean_of(*sums.get((element, phase), (0, 0))) for phase in phase_keys}
        for element in element_keys
    ]
    count_records = [
        {phase: sums.get((element, phase), (0, 0))[1] for phase in phase_keys}
        for element in element_keys
    ]
    means = frame(mean_records, phase_keys, index=element_keys).astype(object)
    counts_frame = frame(count_records, phase_keys, index=element_keys)
    return HeatMap(means=means, counts=counts_frame)


def score_distribution(
    ratings: Iterable[Any], core_elements: Sequence[Hashable] | None = None
) -> pd.DataFrame:
    """Number of cells with each score 1..5 per core element, plus a "total" column.

    Index: core elements; columns: 1, 2, 3, 4, 5, "total" (all int).
    """
    return distribution_from_counts(cell_counts(ratings), core_elements)


def distribution_from_counts(
    counts: CellCounts, core_elements: Sequence[Hashable] | None = None
) -> pd.DataFrame:
    """``score_distribution`` from ``cell_counts``."""
    element_keys = _order((key[0] for key in counts), core_elements)
    table = {element: dict.fromkeys(SCORES, 0) for element in element_keys}
    for (element, _phase, score, _quarter), n in counts.items():
        table[element][score] += n
    records = [{**table[e], "total": sum(table[e].values())} for e in element_keys]
    return frame(records, [*SCORES, "total"], index=element_keys)


def quarter_key(day: date) -> str:
    """A quarter as a key: 14 May 2026 -> "2026-Q2". Pages show it in the reader's
    language ("2026 K2" in Danish: formatting.quarter_labels)."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_index(day: date) -> int:
    """Quarters counted from year 0, so consecutive quarters differ by one."""
    return day.year * 4 + (day.month - 1) // 3


def quarterly_trend(
    ratings: Iterable[Any], core_elements: Sequence[Hashable] | None = None
) -> pd.DataFrame:
    """Mean and count per core element per quarter of the latest rating's date.

    Long format, columns ``core_element``, ``quarter`` ("2026-Q1"), ``mean`` (None when
    the quarter has no rating), ``count``; sorted by core element, then time. Every
    quarter from the first to the last rated one appears for every core element, so a
    line chart's axis has no silent jumps over empty quarters.

    A revised cell counts in the quarter of its latest rating: the revision is the
    team's current judgement, made then.
    """
    return trend_from_counts(cell_counts(ratings), core_elements)


def trend_from_counts(
    counts: CellCounts, core_elements: Sequence[Hashable] | None = None
) -> pd.DataFrame:
    """``quarterly_trend`` from ``cell_counts``."""
    element_keys = _order((key[0] for key in counts), core_elements)
    columns = ["core_element", "quarter", "mean", "count"]
    if not counts:
        return frame([], columns)
    pairs: dict[tuple[Hashable, int], list[tuple[int, int]]] = {}
    for (element, _phase, score, quarter), n in counts.items():
        pairs.setdefault((element, quarter), []).append((score, n))
    quarters = [key[3] for key in counts]
    records = []
    for element in element_keys:
        for quarter in range(min(quarters), max(quarters) + 1):
            total, count = _sum_count(pairs.get((element, quarter), []))
            label = quarter_key(date(quarter // 4, quarter % 4 * 3 + 1, 1))
            records.append(
                {
                    "core_element": element,
                    "quarter": label,
                    "mean": _mean_of(total, count),
                    "count": count,
                }
            )
    return frame(records, columns)


def low_ratings(ratings: Iterable[Any], threshold: int = DEFAULT_LOW_THRESHOLD) -> list[Rating]:
    """Latest ratings with ``score <= threshold``: the cells to reflect on.

    A low score later revised upwards is no longer listed; one revised downwards is.
    Sorted by case, phase, core element (compared as text, so mixed ids sort).
    """
    cells = [r for r in latest_ratings(ratings) if r.score <= threshold]
    return sorted(cells, key=lambda r: (str(r.case_id), str(r.phase), str(r.core_element)))


@dataclass(frozen=True)
class RaterSums:
    """One core element's latest cells, summed: everyone's and one practitioner's."""

    core_element: Hashable
    team_total: int
    team_count: int
    rater_total: int
    rater_count: int


def rater_sums(ratings: Iterable[Any], rater_id: Hashable) -> list[RaterSums]:
    """The sums `rater_vs_team_of` reads, from ratings; the app sums in SQL instead
    (cases.service.rater_sums) and these are the rule it keeps."""
    sums: dict[Hashable, list[int]] = {}
    for rating in latest_ratings(ratings):
        row = sums.setdefault(rating.core_element, [0, 0, 0, 0])
        row[0] += rating.score
        row[1] += 1
        if rating.rater_id == rater_id:
            row[2] += rating.score
            row[3] += 1
    return [RaterSums(element, *row) for element, row in sums.items()]


def rater_vs_team(
    ratings: Iterable[Any],
    rater_id: Hashable,
    core_elements: Sequence[Hashable] | None = None,
) -> pd.DataFrame:
    """One practitioner's mean per core element against the whole team's, from ratings."""
    return rater_vs_team_of(rater_sums(ratings, rater_id), core_elements)


def rater_vs_team_of(
    sums: Iterable[RaterSums], core_elements: Sequence[Hashable] | None = None
) -> pd.DataFrame:
    """One practitioner's mean per core element against the whole team's.

    The team includes the practitioner: it is "everyone's ratings", the yardstick a
    practitioner sees on their own page. Columns: ``rater_mean``, ``rater_count``,
    ``team_mean``, ``team_count``, ``difference`` (rater minus team, from the rounded
    means so the page's arithmetic adds up; None when the rater has no rating there).
    Index: core elements. A cell belongs to the rater of its latest rating.
    """
    by_element = {row.core_element: row for row in sums}
    element_keys = _order(by_element, core_elements)
    empty = RaterSums(None, 0, 0, 0, 0)
    records = []
    for element in element_keys:
        row = by_element.get(element, empty)
        rater_mean = _mean_of(row.rater_total, row.rater_count)
        team_mean = _mean_of(row.team_total, row.team_count)
        difference = (
            None
            if rater_mean is None or team_mean is None
            else round_half_up(Fraction(str(rater_mean)) - Fraction(str(team_mean)), 1)
        )
        records.append(
            {
                "rater_mean": rater_mean,
                "rater_count": row.rater_count,
                "team_mean": team_mean,
                "team_count": row.team_count,
                "difference": difference,
            }
        )
    columns = ["rater_mean", "rater_count", "team_mean", "team_count", "difference"]
    result = frame(records, columns, index=element_keys)
    return result.astype({"rater_mean": object, "team_mean": object, "difference": object})
