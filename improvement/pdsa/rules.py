"""The PDSA discipline, as plain functions of a cycle's values (no Flask, no database).

A cycle may only enter a phase when the fields that phase builds on are filled in: no Do
without an objective and a prediction, no Act without Study compared with the prediction,
and no closing without Study and Act. Nor may a phase's findings be written before it: the
result and learning wait for Study, the decision and next step for Act, and only a test
decided there continues in a next one. Moving back is allowed, except that a finished test
reopens one step, to Act: one stray drag must not send a closed test, with its decision
and learning, back to Plan and out of the key figures; and a test a next test continues
stays in Act or Done, where the decision it builds on stands. Once the test has left Plan,
its prediction stays as it was written before the test.
"""

import re
from datetime import UTC, date, datetime, timedelta

from flask_babel import lazy_gettext as _l

from ..names import name_key

PHASE_ORDER = ("plan", "do", "study", "act", "done")

FIELD_LABELS = {
    "objective": _l("Objective of this test"),
    "prediction": _l("Prediction"),
    "do_description": _l("What was actually done"),
    "study_result": _l("Result compared with the prediction"),
    "learning": _l("What we learned"),
    "act_decision": _l("Adopt, adapt or abandon"),
    "next_step": _l("Next step"),
}

# The fields that must be filled before a cycle may ENTER the phase (cumulative).
REQUIRED_TO_ENTER = {
    "plan": (),
    "do": ("objective", "prediction"),
    "study": ("objective", "prediction", "do_description"),
    "act": ("objective", "prediction", "do_description", "study_result", "learning"),
    "done": (
        "objective",
        "prediction",
        "do_description",
        "study_result",
        "learning",
        "act_decision",
        "next_step",
    ),
}

# Fields that record what a later phase finds, and the phase they open in: a result
# written before the test is carried out, or a decision before the result is studied, is
# a guess recorded as a finding (and a decision to adopt would let the test be continued
# before it was done).
OPENS_IN = {
    "study_result": "study",
    "learning": "study",
    "act_decision": "act",
    "next_step": "act",
}

# Fields fixed once the test has left the phase they are written in, by that phase: the
# prediction is made before the test and Study compares the result with it, so one changed
# after the test has started is hindsight. Moving the test back to Plan opens it again,
# and the history shows the move.
FIXED_AFTER = {"prediction": "plan"}

# A decision that continues the test in a next one.
CONTINUING = ("adopt", "adapt")

STALE_AFTER = timedelta(days=14)

# A development point that is finished or dropped takes no new tests, and is not waiting
# for its first one.
CLOSED_POINT_STATUSES = ("done", "dropped")


def missing_fields(values, phase: str) -> list[str]:
    """Names of the fields `phase` needs that are empty in `values` (an object or a dict)."""

    def get(name):
        if isinstance(values, dict):
            return values.get(name)
        return getattr(values, name, None)

    return [name for name in REQUIRED_TO_ENTER[phase] if not (get(name) or "").strip()]


def missing_labels(values, phase: str) -> list[str]:
    return [str(FIELD_LABELS[name]) for name in missing_fields(values, phase)]


def not_yet_open(phase: str) -> list[str]:
    """Names of the fields a test in `phase` cannot fill in yet."""
    here = PHASE_ORDER.index(phase)
    return [name for name, opens in OPENS_IN.items() if PHASE_ORDER.index(opens) > here]


def fixed_now(phase: str) -> list[str]:
    """Names of the fields a test in `phase` no longer changes."""
    here = PHASE_ORDER.index(phase)
    return [name for name, last in FIXED_AFTER.items() if PHASE_ORDER.index(last) < here]


def can_continue(phase: str, decision: str | None) -> bool:
    """Whether a test may be continued in a next one: decided in Act as adopt or adapt."""
    return phase in ("act", "done") and decision in CONTINUING


def leaves_act(phase: str, target: str) -> bool:
    """Whether a move takes a test from Act or Done back to before Act, where its decision
    no longer stands."""
    act = PHASE_ORDER.index("act")
    return PHASE_ORDER.index(phase) >= act > PHASE_ORDER.index(target)


def reopens_too_far(phase: str, target: str) -> bool:
    """Whether a move takes a finished test further back than Act."""
    return phase == "done" and target not in ("done", "act")


def neighbours(phase: str) -> tuple[str | None, str | None]:
    """The phases one step back and one step forward (for the move buttons)."""
    i = PHASE_ORDER.index(phase)
    back = PHASE_ORDER[i - 1] if i > 0 else None
    forward = PHASE_ORDER[i + 1] if i < len(PHASE_ORDER) - 1 else None
    return back, forward


def is_overdue(due: date | None, phase: str, today: date) -> bool:
    return due is not None and phase != "done" and due < today


def is_stuck(phase_changed_at: datetime | None, phase: str, now: datetime) -> bool:
    """No movement for 14 days (open cycles only)."""
    if phase == "done" or phase_changed_at is None:
        return False
    if phase_changed_at.tzinfo is None:  # SQLite returns naive UTC datetimes
        phase_changed_at = phase_changed_at.replace(tzinfo=UTC)
    return now - phase_changed_at >= STALE_AFTER


# A title that already ends in a number in brackets: "Fælles gennemgang (2)".
_NUMBERED = re.compile(r"(?P<base>.*?\S)\s*\((?P<n>\d{1,4})\)")
TITLE_MAX = 200


def next_title(title: str, number: int, taken=(), limit: int = TITLE_MAX) -> str:
    """The title of the next test in a series: the series' title with the test's number in
    it, "Fælles gennemgang (2)", "(3)", … so tests in a ramp and on the board can be told
    apart.

    `number` is the new test's place in its series (the parent's series plus one). A title
    that already ends in a number in brackets has it replaced, not doubled, and the number
    never goes down ("X (4)" continues as "X (5)" even as the second test of a series).
    A title in `taken` (the other tests of the development point, say a parallel series
    of the same name) moves on to the next free number.
    """
    title = " ".join(title.split())
    match = _NUMBERED.fullmatch(title)
    base = title
    if match:
        base = match["base"]
        number = max(number, int(match["n"]) + 1)
    used = {name_key(t) for t in taken}
    while True:
        suffix = f" ({number})"
        candidate = base[: limit - len(suffix)].rstrip() + suffix
        if name_key(candidate) not in used:
            return candidate
        number += 1
