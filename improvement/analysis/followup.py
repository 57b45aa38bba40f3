"""Follow-up cadence in child cases under Serviceloven § 70 (seed 004).

The law sets a minimum: in cases with measures the municipality must follow up "mindst
hver 6. måned (første gang senest efter tre måneder)" - at least every 6 months, the
first time at the latest after three months (Serviceloven § 70, stk. 1, quoted in seed
004 section 2.1). Seed 004 calls this a minimum and suggests "opfølgningskadence" as a
key figure for leaders; a team may commit to a shorter cadence for its cases.

Rules used here (all dates are calendar days; the due date itself is still on time):

* The first follow-up is due ``first`` months after the start: 3, or the team's cadence
  if that is shorter (a team that follows up every 2 months does not wait 3 for the
  first; the legal 3 months still bound it).
* Each later follow-up is due ``interval`` months after the previous follow-up actually
  held: 6, or the team's cadence (1-5 months). A late follow-up restarts the clock from
  the day it was held, as the law counts from the last assessment.
* Months are added on the calendar and clamped to the month's end: 31 January + 1 month
  is 28 (or 29) February, 31 August + 6 months is the end of February.
* Several follow-ups on one day are one follow-up.
* A follow-up before the start, after ``today`` or after the case was closed is a data
  error and raises ValueError: a planned meeting is not a follow-up held.
"""

from __future__ import annotations

import calendar
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from improvement.analysis.rounding import percent

__all__ = [
    "FIRST_FOLLOWUP_MONTHS",
    "MAX_INTERVAL_MONTHS",
    "FollowUpCase",
    "FollowUpStatus",
    "Timeliness",
    "add_months",
    "followup_status",
    "followup_summary",
    "followup_timeliness",
    "followup_walk",
    "intervals",
    "share_on_time",
]

#: § 70: first follow-up at the latest three months after the start.
FIRST_FOLLOWUP_MONTHS = 3
#: § 70: then at least every six months.
MAX_INTERVAL_MONTHS = 6


# A list of 700 cases walks a few thousand due dates, mostly the same few hundred days.
@lru_cache(maxsize=16384)
def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the end of the target month.

    31 Jan 2026 + 1 -> 28 Feb 2026; 31 Jan 2028 + 1 -> 29 Feb 2028; 31 Aug + 6 -> end
    of February. Negative ``months`` go back in time with the same clamping.
    """
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    month += 1
    # calendar.monthrange would also work out the weekday, which is most of its cost.
    last_day = calendar.mdays[month] + (month == 2 and calendar.isleap(year))
    return date(year, month, min(day.day, last_day))


def intervals(cadence_months: int | None = None) -> tuple[int, int]:
    """Months to the first follow-up and between later ones: (3, 6) or the team's cadence.

    A team cadence must be a whole number of months from 1 to 5 (shorter than the legal
    6); anything else raises ValueError instead of silently relaxing the law.
    """
    if cadence_months is None:
        return FIRST_FOLLOWUP_MONTHS, MAX_INTERVAL_MONTHS
    if (
        isinstance(cadence_months, bool)
        or not isinstance(cadence_months, int)
        or not 1 <= cadence_months < MAX_INTERVAL_MONTHS
    ):
        raise ValueError(f"team cadence must be 1-5 months, got {cadence_months!r}")
    return min(FIRST_FOLLOWUP_MONTHS, cadence_months), cadence_months


@dataclass(frozen=True)
class FollowUpCase:
    """A case as the follow-up figures need it; ``closed_on`` None means still open."""

    start: date
    followups: tuple[date, ...] = ()
    cadence_months: int | None = None
    closed_on: date | None = None
    case_id: Hashable = None


class FollowUpStatus(NamedTuple):
    """Where a case stands today (a tuple: lists build one for each of hundreds of cases).

    ``next_due`` is None when the case is closed (on or before ``today``); then it is
    never overdue. ``days_overdue`` is the number of days past ``next_due`` (0 when not
    overdue); ``overdue`` means ``today > next_due``.
    """

    followups_held: int
    last_followup: date | None
    next_due: date | None
    overdue: bool
    days_overdue: int


@dataclass(frozen=True)
class Timeliness:
    """How many due follow-ups were held on time, for one case or summed over cases.

    * ``on_time``: follow-ups held on or before the due date running when they were held;
    * ``late``: follow-ups held after that due date;
    * ``missed``: due dates that have passed (before ``today``, or before the closing day
      of a closed case) with no follow-up since; one per case at most, because the next
      due date is counted from a follow-up that has not happened;
    * ``due = on_time + late + missed`` and ``share = on_time / due`` (None when nothing
      was due yet), ``percent`` the same rounded half up to a whole number;
    * ``cases`` and ``overdue_cases`` count the cases behind the figure.

    Every follow-up held counts once, so a team following up more often than required
    has more follow-ups in the figure, all on time: the figure answers "of the follow-ups
    the cases needed, how many came in time?".
    """

    on_time: int = 0
    late: int = 0
    missed: int = 0
    cases: int = 0
    overdue_cases: int = 0

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.missed

    @property
    def share(self) -> float | None:
        return self.on_time / self.due if self.due else None

    @property
    def percent(self) -> int | None:
        return percent(self.on_time, self.due)

    def __add__(self, other: Timeliness) -> Timeliness:
        return Timeliness(
            self.on_time + other.on_time,
            self.late + other.late,
            self.missed + other.missed,
            self.cases + other.cases,
            self.overdue_cases + other.overdue_cases,
        )


def _held(
    start: date, followups: Iterable[date], today: date, closed_on: date | None
) -> list[date]:
    """Sorted distinct follow-up days, checked against start, today and closing."""
    given = list(followups)
    for day in given:
        if not isinstance(day, date):
            raise TypeError(f"follow-up must be a date, got {day!r}")
    # A datetime is a date subclass but does not compare with dates: keep the day.
    days = sorted({date(d.year, d.month, d.day) for d in given})
    for day in days:
        if day < start:
            raise ValueError(f"follow-up {day} is before the case started {start}")
        if day > today:
            raise ValueError(f"follow-up {day} is after today {today}; not held yet")
        if closed_on is not None and day > closed_on:
            raise ValueError(f"follow-up {day} is after the case closed {closed_on}")
    if closed_on is not None and closed_on < start:
        raise ValueError(f"case closed {closed_on} before it started {start}")
    return days


def followup_status(
    start: date,
    followups: Iterable[date],
    today: date,
    cadence_months: int | None = None,
    closed_on: date | None = None,
) -> FollowUpStatus:
    """Next due date and overdue flag of one case, for the board and the case page."""
    return followup_summary(start, followups, today, cadence_months, closed_on)[0]


def followup_summary(
    start: date,
    followups: Iterable[date],
    today: date,
    cadence_months: int | None = None,
    closed_on: date | None = None,
) -> tuple[FollowUpStatus, Timeliness]:
    """``followup_status`` and ``followup_timeliness`` of one case from one pass over its
    follow-ups: lists and key figures over hundreds of cases need both."""
    held = _held(start, followups, today, closed_on)
    status, on_time, late, missed = followup_walk(start, held, today, cadence_months, closed_on)
    return status, Timeliness(on_time, late, missed, 1, 1 if status.overdue else 0)


def followup_walk(
    start: date,
    held: Sequence[date],
    today: date,
    cadence_months: int | None,
    closed_on: date | None,
) -> tuple[FollowUpStatus, int, int, int]:
    """The status and the on-time, late and missed counts of one case, from follow-up
    days already checked as ``_held`` checks them: sorted, distinct, between the start
    and today (and the closing day). Lists over hundreds of cases read days that the
    query has checked, and skip checking each one again."""
    first, interval = intervals(cadence_months)
    on_time = late = 0
    due = add_months(start, first)
    for day in held:
        if day <= due:
            on_time += 1
        else:
            late += 1
        due = add_months(day, interval)
    # `due` is now the next due date: after the last follow-up, or the first one.
    end = today if closed_on is None else min(today, closed_on)
    missed = 1 if due < end else 0
    last = held[-1] if held else None
    if closed_on is not None and closed_on <= today:
        return FollowUpStatus(len(held), last, None, False, 0), on_time, late, missed
    days_overdue = max((today - due).days, 0)
    status = FollowUpStatus(len(held), last, due, days_overdue > 0, days_overdue)
    return status, on_time, late, missed


def followup_timeliness(
    start: date,
    followups: Iterable[date],
    today: date,
    cadence_months: int | None = None,
    closed_on: date | None = None,
) -> Timeliness:
    """Count one case's follow-ups as on time, late or missed (see ``Timeliness``).

    Walks the case from its start: the due date is ``start + first``; each follow-up is
    on time if held on or before the running due date, else late, and sets the next due
    date to ``follow-up + interval``. After the last follow-up, a due date before the end
    of the observation (``today``, or ``closed_on`` if the case closed earlier) is one
    missed follow-up.
    """
    return followup_summary(start, followups, today, cadence_months, closed_on)[1]


def _field(case: Any, name: str, default: Any = None) -> Any:
    if isinstance(case, Mapping):
        return case.get(name, default)
    return getattr(case, name, default)


def share_on_time(
    cases: Iterable[FollowUpCase | Mapping[str, Any] | Any], today: date
) -> Timeliness:
    """Key figure over many cases: the ``Timeliness`` counts summed over the cases.

    ``share``/``percent`` of the result is "the share of follow-ups done on time": the
    on-time follow-ups of all cases divided by all their due follow-ups (on time, late or
    missed). Each case may carry its own ``cadence_months`` and ``closed_on``. Cases are
    ``FollowUpCase`` objects, mappings or objects with ``start``, ``followups`` and,
    optionally, ``cadence_months`` and ``closed_on``.
    """
    total = Timeliness()
    for case in cases:
        total += followup_timeliness(
            start=_field(case, "start"),
            followups=_field(case, "followups", ()) or (),
            today=today,
            cadence_months=_field(case, "cadence_months"),
            closed_on=_field(case, "closed_on"),
        )
    return total
