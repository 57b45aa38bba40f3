"""Serviceloven § 70 follow-up cadence: due dates, overdue flag and timeliness share."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from improvement.analysis.followup import (
    FollowUpCase,
    FollowUpStatus,
    Timeliness,
    add_months,
    followup_status,
    followup_timeliness,
    intervals,
    share_on_time,
)

D = date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),  # clamped to the end of February
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
        (D(2025, 8, 31), 6, D(2026, 2, 28)),  # across a year end, clamped
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
        (D(2026, 1, 15), 3, D(2026, 4, 15)),
        (D(2026, 3, 15), 12, D(2027, 3, 15)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 1, 15), -1, D(2025, 12, 15)),
        (D(2026, 5, 31), 0, D(2026, 5, 31)),
    ],
)
def test_add_months_clamps_to_month_end(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_intervals() -> None:
    assert intervals() == (3, 6)  # § 70: first within 3 months, then every 6
    assert intervals(4) == (3, 4)  # the legal 3 months still bound the first one
    assert intervals(2) == (2, 2)  # a shorter team cadence also brings the first forward
    for bad in (6, 7, 0, -1, True, 2.5):
        with pytest.raises(ValueError, match="cadence"):
            intervals(bad)  # type: ignore[arg-type]


# --- followup_status ---------------------------------------------------------------


def test_first_followup_due_three_months_after_start() -> None:
    # 15 Jan + 3 months = 15 Apr; on the due date itself the case is not overdue.
    status = followup_status(D(2026, 1, 15), [], today=D(2026, 4, 15))
    assert status == FollowUpStatus(0, None, D(2026, 4, 15), False, 0)
    # The day after it is 1 day overdue.
    status = followup_status(D(2026, 1, 15), [], today=D(2026, 4, 16))
    assert (status.overdue, status.days_overdue) == (True, 1)


def test_first_due_date_clamped_to_month_end() -> None:
    # 30 Nov 2025 + 3 months = 30 Feb -> 28 Feb 2026; 1 Mar is 1 day late.
    status = followup_status(D(2025, 11, 30), [], today=D(2026, 3, 1))
    assert status.next_due == D(2026, 2, 28)
    assert status.days_overdue == 1


def test_next_due_six_months_after_last_followup() -> None:
    # Last follow-up 1 Mar (earlier ones do not matter) -> due 1 Sep.
    status = followup_status(D(2026, 1, 15), [D(2026, 3, 1), D(2026, 2, 1)], today=D(2026, 8, 1))
    assert status == FollowUpStatus(2, D(2026, 3, 1), D(2026, 9, 1), False, 0)


def test_team_cadence_shortens_the_interval() -> None:
    # Cadence 4: 1 Mar + 4 months = 1 Jul; on 1 Aug that is 31 days (all of July) late.
    status = followup_status(D(2026, 1, 15), [D(2026, 3, 1)], today=D(2026, 8, 1), cadence_months=4)
    assert status.next_due == D(2026, 7, 1)
    assert (status.overdue, status.days_overdue) == (True, 31)
    # Cadence 2 brings the first follow-up forward: 15 Jan + 2 = 15 Mar.
    status = followup_status(D(2026, 1, 15), [], today=D(2026, 2, 1), cadence_months=2)
    assert status.next_due == D(2026, 3, 15)


def test_closed_case_is_never_overdue() -> None:
    status = followup_status(D(2026, 1, 15), [], today=D(2026, 8, 1), closed_on=D(2026, 5, 1))
    assert status == FollowUpStatus(0, None, None, False, 0)
    # A closing date after today: still open.
    status = followup_status(D(2026, 1, 15), [], today=D(2026, 8, 1), closed_on=D(2026, 9, 1))
    assert status.overdue


def test_same_day_followups_count_once_and_datetimes_are_days() -> None:
    status = followup_status(
        D(2026, 1, 15),
        [D(2026, 3, 1), datetime(2026, 3, 1, 14, 30)],
        today=D(2026, 4, 1),
    )
    assert (status.followups_held, status.last_followup) == (1, D(2026, 3, 1))


@pytest.mark.parametrize(
    ("followups", "closed_on", "message"),
    [
        ([D(2026, 1, 1)], None, "before the case started"),
        ([D(2026, 9, 1)], None, "after today"),
        ([D(2026, 6, 1)], D(2026, 5, 1), "after the case closed"),
        ([], D(2025, 5, 1), "before it started"),
    ],
)
def test_impossible_dates_are_errors(
    followups: list[date], closed_on: date | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        followup_status(D(2026, 1, 15), followups, today=D(2026, 8, 1), closed_on=closed_on)


def test_followup_that_is_not_a_date_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="must be a date"):
        followup_status(D(2026, 1, 15), ["2026-03-01"], today=D(2026, 8, 1))  # type: ignore[list-item]


# --- timeliness -------------------------------------------------------------------

TODAY = D(2026, 6, 1)

# Case X: start 31 Jan 2025. Due 31 Jan + 3 = 30 Apr (clamped); held 30 Apr -> on time.
# Due 30 Apr + 6 = 30 Oct; held 15 Nov -> late. Due 15 Nov + 6 = 15 May 2026, nothing
# held, 15 May < 1 Jun -> 1 missed. on time 1, late 1, missed 1.
CASE_X = FollowUpCase(D(2025, 1, 31), (D(2025, 4, 30), D(2025, 11, 15)))
# Case Y: start 31 Aug 2025. Due 30 Nov (31 Aug + 3, clamped); held 30 Nov -> on time.
# Due 30 Nov + 6 = 30 May 2026; held 30 May, on the due date -> on time. Next due
# 30 Nov 2026, after today: not counted. on time 2.
CASE_Y = FollowUpCase(D(2025, 8, 31), (D(2025, 11, 30), D(2026, 5, 30)))
# Case Z: closed 15 Mar 2025 before its first due date 1 Apr: nothing was due.
CASE_Z = FollowUpCase(D(2025, 1, 1), (), closed_on=D(2025, 3, 15))
# Case W: due 1 Apr 2025, closed 1 Jun 2025 without follow-up: 1 missed, not overdue now.
CASE_W = FollowUpCase(D(2025, 1, 1), (), closed_on=D(2025, 6, 1))


def test_timeliness_of_one_case() -> None:
    x = followup_timeliness(CASE_X.start, CASE_X.followups, TODAY)
    assert (x.on_time, x.late, x.missed, x.due) == (1, 1, 1, 3)
    assert x.overdue_cases == 1
    assert x.percent == 33  # 1/3 = 33.3 %
    y = followup_timeliness(CASE_Y.start, CASE_Y.followups, TODAY)
    assert (y.on_time, y.late, y.missed, y.overdue_cases) == (2, 0, 0, 0)
    assert y.share == 1.0


def test_nothing_due_has_no_share() -> None:
    z = followup_timeliness(CASE_Z.start, (), TODAY, closed_on=CASE_Z.closed_on)
    assert z == Timeliness(0, 0, 0, cases=1, overdue_cases=0)
    assert (z.share, z.percent) == (None, None)


def test_share_on_time_over_cases() -> None:
    # X + Y: on time 1 + 2 = 3, late 1, missed 1 -> 3 / 5 = 60 %.
    result = share_on_time([CASE_X, CASE_Y], TODAY)
    assert (result.on_time, result.late, result.missed, result.due) == (3, 1, 1, 5)
    assert (result.share, result.percent) == (0.6, 60)
    assert (result.cases, result.overdue_cases) == (2, 1)
    # + Z (nothing due) + W (1 missed): 3 / (3 + 1 + 2) = 3 / 6 = 50 %; W is closed, so
    # still only X is overdue.
    result = share_on_time([CASE_X, CASE_Y, CASE_Z, CASE_W], TODAY)
    assert (result.on_time, result.late, result.missed) == (3, 1, 2)
    assert result.percent == 50
    assert (result.cases, result.overdue_cases) == (4, 1)


def test_share_on_time_with_team_cadence_and_mappings() -> None:
    # Cadence 2: due 1 Jan + 2 = 1 Mar; held 20 Feb -> on time. Due 20 Apr; held 1 May
    # -> late. Due 1 Jul, after 15 Jun -> not counted. 1 / 2 = 50 %.
    case = {
        "start": D(2026, 1, 1),
        "followups": [D(2026, 2, 20), D(2026, 5, 1)],
        "cadence_months": 2,
    }
    result = share_on_time([case], D(2026, 6, 15))
    assert (result.on_time, result.late, result.missed) == (1, 1, 0)
    assert result.percent == 50
    # Without the team cadence the same dates are both on time: due 1 Apr, then 20 Aug.
    result = share_on_time([{**case, "cadence_months": None}], D(2026, 6, 15))
    assert (result.on_time, result.late) == (2, 0)


def test_missed_deadline_counts_once_however_long_ago() -> None:
    # Due 1 Apr 2024, nothing held by 1 Jun 2026 (over two years): one missed follow-up.
    result = followup_timeliness(D(2024, 1, 1), [], TODAY)
    assert (result.missed, result.due, result.percent) == (1, 1, 0)


def test_share_on_time_empty() -> None:
    result = share_on_time([], TODAY)
    assert result == Timeliness()
    assert (result.due, result.share, result.percent) == (0, None, None)


def test_percent_rounds_half_up() -> None:
    # 1 on time of 8 due = 12.5 % -> 13 %.
    assert Timeliness(on_time=1, late=7).percent == 13
