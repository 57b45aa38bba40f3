"""Key figures for a team's improvement work: PDSA throughput and PDSA fidelity.

The fidelity features follow the systematic review of PDSA use in healthcare by Taylor et
al. (2014, BMJ Quality & Safety), which found that few reports stated a prediction and
under a third scaled up. Each feature is the share of the team's cycles that show it:

* **chained**: the cycle is part of an iterative series, i.e. it continues an earlier
  cycle or is continued by a later one (linked through ``previous_id``);
* **prediction**: a prediction is written down;
* **scaled up**: the cycle belongs to a series whose first test states its scale and in
  which a later test states a different (larger) scale. A single test cannot have scaled
  up; the scale text is compared, not interpreted;
* **data over time**: the plan says which data are collected and the Do records the
  observations, so data exist for that test.

Monthly counts use calendar months ("2026-03"), every month from the first to the last
with a count, the empty ones between too: *started* by the day the cycle was created,
*completed* by the day it was closed, and the Act decision of each closed cycle
in the month it was closed. The median days from plan to act counts calendar days from
creation to entering Act, over cycles that reached Act.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from statistics import median

from improvement.analysis.rounding import percent, round_half_up

__all__ = ["CycleFacts", "Fidelity", "MonthCounts", "PdsaSummary", "summarise"]

FEATURES = ("chained", "prediction", "scaled_up", "data_over_time")


@dataclass(frozen=True)
class CycleFacts:
    id: int
    previous_id: int | None
    created: date
    acted: date | None = None
    closed: date | None = None
    act_decision: str = ""
    prediction: str = ""
    scale: str = ""
    data_collection: str = ""
    observations: str = ""


@dataclass(frozen=True)
class MonthCounts:
    month: str
    started: int = 0
    completed: int = 0
    adopted: int = 0
    adapted: int = 0
    abandoned: int = 0


@dataclass(frozen=True)
class Fidelity:
    feature: str
    count: int
    total: int

    @property
    def percent(self) -> int | None:
        return percent(self.count, self.total)


@dataclass(frozen=True)
class PdsaSummary:
    total: int
    months: list[MonthCounts] = field(default_factory=list)
    median_days_to_act: float | None = None
    fidelity: list[Fidelity] = field(default_factory=list)


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months_between(first: str, last: str) -> list[str]:
    """Every calendar month from `first` to `last` ("2026-01"), those without a test too:
    a table that skipped them would read as if the months it shows followed each other."""
    year, month = int(first[:4]), int(first[5:])
    months = []
    while (current := f"{year:04d}-{month:02d}") <= last:
        months.append(current)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _series(cycles: list[CycleFacts]) -> dict[int, int]:
    """cycle id → id of the first cycle of its series."""
    by_id = {c.id: c for c in cycles}
    roots: dict[int, int] = {}
    for cycle in cycles:
        current, seen = cycle, {cycle.id}
        while current.previous_id in by_id and current.previous_id not in seen:
            current = by_id[current.previous_id]
            seen.add(current.id)
        roots[cycle.id] = current.id
    return roots


def summarise(cycles: Iterable[CycleFacts]) -> PdsaSummary:
    cycles = list(cycles)
    if not cycles:
        return PdsaSummary(total=0, fidelity=[Fidelity(f, 0, 0) for f in FEATURES])

    started = Counter(_month(c.created) for c in cycles)
    completed = Counter(_month(c.closed) for c in cycles if c.closed)
    decisions = {
        key: Counter(_month(c.closed) for c in cycles if c.closed and c.act_decision == key)
        for key in ("adopt", "adapt", "abandon")
    }
    counted = set(started) | set(completed)
    months = _months_between(min(counted), max(counted))
    month_rows = [
        MonthCounts(
            month=m,
            started=started[m],
            completed=completed[m],
            adopted=decisions["adopt"][m],
            adapted=decisions["adapt"][m],
            abandoned=decisions["abandon"][m],
        )
        for m in months
    ]

    days = [(c.acted - c.created).days for c in cycles if c.acted]
    median_days = round_half_up(median(days), 1) if days else None

    roots = _series(cycles)
    members: dict[int, list[CycleFacts]] = {}
    for c in cycles:
        members.setdefault(roots[c.id], []).append(c)
    chained = sum(1 for c in cycles if len(members[roots[c.id]]) > 1)
    scaled_roots = set()
    for root_id, group in members.items():
        first = next(c for c in group if c.id == root_id)
        first_scale = first.scale.strip().casefold()
        if first_scale and any(
            c.scale.strip() and c.scale.strip().casefold() != first_scale
            for c in group
            if c.id != root_id
        ):
            scaled_roots.add(root_id)
    scaled = sum(1 for c in cycles if roots[c.id] in scaled_roots)
    predicted = sum(1 for c in cycles if c.prediction.strip())
    data = sum(1 for c in cycles if c.data_collection.strip() and c.observations.strip())
    total = len(cycles)
    return PdsaSummary(
        total=total,
        months=month_rows,
        median_days_to_act=median_days,
        fidelity=[
            Fidelity("chained", chained, total),
            Fidelity("prediction", predicted, total),
            Fidelity("scaled_up", scaled, total),
            Fidelity("data_over_time", data, total),
        ],
    )
