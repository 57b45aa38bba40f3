"""Self-assessment of an intervention against the 11 elements of promising practice.

Leaders, practitioners and the authority's caseworkers answer statements per element on a
four-point scale plus "ved ikke" (don't know). The quality team uses the result to see
strengths, the weakest elements (which point to development points) and where the team
disagrees, and repeats the assessment to show maturing over time.

Two rules carry the meaning of the numbers:

* "Ved ikke" is *missing*, not zero. Counting it as 0 would make an honest "I don't know"
  look like "not at all" and drag the element down. An element where a respondent only
  answered "ved ikke" gives that respondent no score for the element.
* A figure is never shown when it would reveal one person's answer: with a single
  leader, the "leaders" mean *is* that leader's score. Such role cells are suppressed,
  and so is a second role cell when the first could otherwise be recovered by
  subtracting the shown roles from the overall mean (complementary suppression). The
  same minimum (``MIN_GROUP_SIZE``) holds for the element's overall figures: with one
  respondent the element's mean, minimum and maximum *are* that person's score, so they
  are suppressed too - everywhere the results go (tables, charts, comparisons, Excel).

Inputs are plain objects: dataclasses defined here, mappings with the same keys, or any
object with those attributes (e.g. ORM rows). Outputs are frozen dataclasses, plus a
DataFrame view for Excel.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from improvement.analysis._frames import frame
from improvement.analysis.rounding import round_half_up

__all__ = [
    "DEFAULT_DISAGREEMENT_THRESHOLD",
    "ELEMENT_NUMBERS",
    "INTERVENTION_ELEMENTS",
    "ORGANISATION_ELEMENTS",
    "ROLES",
    "SFI_FOUR_POINT_WEIGHTS",
    "Answer",
    "ElementChange",
    "ElementResult",
    "RespondentElementScore",
    "RoleResult",
    "compare_rounds",
    "element_results",
    "element_results_frame",
    "respondent_element_scores",
    "track_of",
    "weakest_elements",
]

ELEMENT_NUMBERS: tuple[int, ...] = tuple(range(1, 12))
INTERVENTION_ELEMENTS: tuple[int, ...] = (1, 2, 3, 4, 5, 6)
ORGANISATION_ELEMENTS: tuple[int, ...] = (7, 8, 9, 10, 11)

#: Respondent roles as stored in code; the UI translates them.
ROLES: tuple[str, ...] = ("leader", "practitioner", "authority", "other")

#: The SFI-style four-point scale, offered as a ready-made argument for ``weights``.
#: It is not used implicitly: callers pass the weights of the questionnaire they used.
#: "dont_know" (ved ikke) maps to None: missing, not zero.
SFI_FOUR_POINT_WEIGHTS: Mapping[str, float | None] = {
    "high": 100,  # I høj grad
    "some": 67,  # I nogen grad
    "low": 33,  # I mindre grad
    "not_at_all": 0,  # Slet ikke
    "dont_know": None,  # Ved ikke
}

#: Respondents whose element scores lie more than this many points apart disagree.
#: 50 points is more than one step on the four-point scale (steps are about 33 apart):
#: "I høj grad" against "I nogen grad" is nuance, against "I mindre grad" is disagreement.
DEFAULT_DISAGREEMENT_THRESHOLD: float = 50.0

#: Smallest number of respondents behind a figure that may be shown: a role's mean and
#: an element's overall mean, minimum, maximum and spread alike.
MIN_GROUP_SIZE = 2


def track_of(element: int) -> str:
    """Return "intervention" for elements 1-6 and "organisation" for 7-11."""
    if element in INTERVENTION_ELEMENTS:
        return "intervention"
    if element in ORGANISATION_ELEMENTS:
        return "organisation"
    raise ValueError(f"element must be 1-11, got {element!r}")


@dataclass(frozen=True)
class Answer:
    """One respondent's answer to one statement; ``value`` None means "ved ikke"."""

    respondent_id: Any
    element: int
    statement_id: Any
    value: str | None
    role: str = "other"


@dataclass(frozen=True)
class RespondentElementScore:
    """A respondent's score 0-100 for one element (None: nothing but "ved ikke").

    ``score`` is unrounded so that means of means are not rounded twice.
    """

    respondent_id: Any
    role: str
    element: int
    score: float | None
    answered: int
    dont_know: int


@dataclass(frozen=True)
class RoleResult:
    """The mean of one role's respondents for one element.

    ``suppressed`` is True when ``mean`` is withheld to protect an individual;
    ``suppressed_reason`` is "single_respondent" (the cell rests on one person) or
    "complementary" (shown, it would let a reader compute a suppressed cell).
    ``n`` is still given: a head count reveals no answer.
    """

    role: str
    n: int
    mean: float | None
    suppressed: bool = False
    suppressed_reason: str | None = None


@dataclass(frozen=True)
class ElementResult:
    """The team's result for one element.

    ``mean``, ``minimum``, ``maximum`` and ``spread`` are rounded half up to one decimal;
    ``disagreement`` is decided on the unrounded spread (``spread > threshold``).
    ``n`` counts respondents with a score; ``n_without_score`` those who answered the
    element with "ved ikke" only, so a page can say how many did not know.
    ``by_role`` has an entry for every role in ``ROLES``.

    ``suppressed`` is True when fewer than ``MIN_GROUP_SIZE`` respondents scored the
    element (but at least one did): ``mean``, ``minimum``, ``maximum`` and ``spread`` are
    then None, as for an element nobody scored, because they would be one person's
    score. ``n`` is still given. A page tells the two apart by ``suppressed``.
    """

    element: int
    track: str
    n: int
    n_without_score: int
    mean: float | None
    minimum: float | None
    maximum: float | None
    spread: float | None
    disagreement: bool
    by_role: Mapping[str, RoleResult]
    suppressed: bool = False


@dataclass(frozen=True)
class ElementChange:
    """An element's mean in two rounds and the change ``after - before`` (None-safe).

    ``before_suppressed``/``after_suppressed`` say that a missing mean is withheld
    (too few respondents) rather than absent (nobody scored the element).
    """

    element: int
    track: str
    before: float | None
    after: float | None
    difference: float | None
    before_suppressed: bool = False
    after_suppressed: bool = False


# Inputs whose fields are plain attributes: this module's own records.
_RECORDS = frozenset({Answer, RespondentElementScore})
_ELEMENT_SET = frozenset(ELEMENT_NUMBERS)
_ROLE_SET = frozenset(ROLES)


def _get(obj: Any, name: str, default: Any = ...) -> Any:
    """Read a field from a mapping or an object, so dicts, dataclasses and ORM rows fit."""
    # Fast paths for the common inputs: scoring an organisation reads ~a million fields,
    # and the generic Mapping check costs more than the rest of the work.
    kind = type(obj)
    if kind is dict:
        if name in obj:
            return obj[name]
    elif kind in _RECORDS:
        try:
            return getattr(obj, name)
        except AttributeError:
            pass
    elif isinstance(obj, Mapping):
        if name in obj:
            return obj[name]
    elif hasattr(obj, name):
        return getattr(obj, name)
    if default is ...:
        raise KeyError(f"missing field {name!r} in {obj!r}")
    return default


def _check_element(element: Any) -> int:
    if type(element) is int and element in _ELEMENT_SET:  # the common case, quickly
        return element
    if isinstance(element, bool) or not isinstance(element, int):
        raise TypeError(f"element must be an int 1-11, got {element!r}")
    track_of(element)
    return element


def _check_role(role: Any) -> str:
    if role is None:
        return "other"
    if type(role) is str and role in _ROLE_SET:  # the common case, quickly
        return role
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, got {role!r}")
    return str(role)


def respondent_element_scores(
    answers: Iterable[Answer | Mapping[str, Any] | Any],
    weights: Mapping[str, float | None],
) -> list[RespondentElementScore]:
    """Score each respondent on each element they answered: the mean of their weights.

    ``weights`` maps answer values to points (see ``SFI_FOUR_POINT_WEIGHTS``); a value
    mapped to None, or an answer whose value is None, is "ved ikke" and left out of the
    mean. A respondent with only "ved ikke" in an element gets ``score=None`` - never 0.
    An answer value not in ``weights`` raises ValueError rather than being guessed.
    A respondent's role is taken from their answers and must be the same on all of them.

    Returns one row per (respondent, element) that has any answer, ordered by first
    appearance of the respondent and then by element number.
    """
    sums: dict[tuple[Any, int], float] = {}
    answered: dict[tuple[Any, int], int] = {}
    dont_know: dict[tuple[Any, int], int] = {}
    roles: dict[Any, str] = {}
    respondent_order: dict[Any, int] = {}

    for answer in answers:
        respondent = _get(answer, "respondent_id")
        element = _check_element(_get(answer, "element"))
        role = _check_role(_get(answer, "role", "other"))
        value = _get(answer, "value")
        if roles.setdefault(respondent, role) != role:
            raise ValueError(f"respondent {respondent!r} has more than one role")
        respondent_order.setdefault(respondent, len(respondent_order))
        key = (respondent, element)
        sums.setdefault(key, 0.0)
        answered.setdefault(key, 0)
        dont_know.setdefault(key, 0)
        if value is None:
            dont_know[key] += 1
            continue
        if value not in weights:
            raise ValueError(f"answer value {value!r} is not on the scale {list(weights)}")
        weight = weights[value]
        if weight is None:
            dont_know[key] += 1
            continue
        sums[key] += float(weight)
        answered[key] += 1

    keys = sorted(sums, key=lambda k: (respondent_order[k[0]], k[1]))
    return [
        RespondentElementScore(
            respondent_id=respondent,
            role=roles[respondent],
            element=element,
            score=sums[(respondent, element)] / answered[(respondent, element)]
            if answered[(respondent, element)]
            else None,
            answered=answered[(respondent, element)],
            dont_know=dont_know[(respondent, element)],
        )
        for respondent, element in keys
    ]


def _round1(value: float | None) -> float | None:
    return None if value is None else round_half_up(value, 1)


def _role_results(scores_by_role: Mapping[str, list[float]]) -> dict[str, RoleResult]:
    """Per-role means with small-group and complementary suppression.

    Complementary suppression: the overall mean and the shown roles give away the sum of
    the hidden cells (n_total * mean_total - sum of shown role sums). One person's score
    must never follow from it, also not for someone hidden with them, who knows their own
    score: so roles are hidden, smallest first, until the hidden cells hold at least
    ``MIN_GROUP_SIZE + 1`` respondents (or no role is left to hide). A lone leader is
    hidden with the smallest other role; two lone respondents in two roles with a third.
    """
    small = {role for role, scores in scores_by_role.items() if 0 < len(scores) < MIN_GROUP_SIZE}
    complementary: set[str] = set()
    candidates = sorted(
        (len(scores), ROLES.index(role), role)
        for role, scores in scores_by_role.items()
        if role not in small and scores
    )
    hidden = sum(len(scores_by_role[role]) for role in small)
    while small and hidden < MIN_GROUP_SIZE + 1 and candidates:
        count, _order, role = candidates.pop(0)
        complementary.add(role)
        hidden += count

    results: dict[str, RoleResult] = {}
    for role in ROLES:
        scores = scores_by_role.get(role, [])
        if role in small:
            results[role] = RoleResult(role, len(scores), None, True, "single_respondent")
        elif role in complementary:
            results[role] = RoleResult(role, len(scores), None, True, "complementary")
        else:
            mean = sum(scores) / len(scores) if scores else None
            results[role] = RoleResult(role, len(scores), _round1(mean))
    return results


def element_results(
    rows: Iterable[RespondentElementScore | Mapping[str, Any] | Any],
    disagreement_threshold: float = DEFAULT_DISAGREEMENT_THRESHOLD,
    elements: Sequence[int] = ELEMENT_NUMBERS,
) -> list[ElementResult]:
    """Aggregate respondents' element scores into one result per element.

    ``rows`` carry ``respondent_id``, ``role``, ``element`` and ``score`` (None = no
    score), e.g. the output of ``respondent_element_scores``. The element mean is the
    mean of respondents' scores, so every respondent weighs the same however many
    statements they answered. Every element in ``elements`` gets a result, also when
    nobody scored it (``n=0``, ``mean=None``), so a page always shows all 11 rows.

    ``disagreement`` is True when ``maximum - minimum > disagreement_threshold``; a
    spread exactly at the threshold is not disagreement.

    An element scored by fewer than ``MIN_GROUP_SIZE`` respondents is ``suppressed``:
    its mean, minimum, maximum and spread are None, like its role cells.

    Raises ValueError for a repeated (respondent, element) pair, which would otherwise
    let one person count twice.
    """
    wanted = [_check_element(e) for e in elements]
    scores: dict[int, list[tuple[str, float]]] = {e: [] for e in wanted}
    without_score: dict[int, int] = dict.fromkeys(wanted, 0)
    seen: set[tuple[Any, int]] = set()

    for row in rows:
        respondent = _get(row, "respondent_id")
        element = _check_element(_get(row, "element"))
        role = _check_role(_get(row, "role", "other"))
        score = _get(row, "score")
        if (respondent, element) in seen:
            raise ValueError(f"respondent {respondent!r} scored element {element} twice")
        seen.add((respondent, element))
        if element not in scores:
            continue
        if score is None:
            without_score[element] += 1
            continue
        score = float(score)
        if not 0 <= score <= 100:
            raise ValueError(f"score must be 0-100, got {score!r}")
        scores[element].append((role, score))

    results = []
    for element in wanted:
        values = [score for _, score in scores[element]]
        by_role: dict[str, list[float]] = {role: [] for role in ROLES}
        for role, score in scores[element]:
            by_role[role].append(score)
        suppressed = 0 < len(values) < MIN_GROUP_SIZE
        if values and not suppressed:
            low, high = min(values), max(values)
            spread: float | None = high - low
            mean: float | None = sum(values) / len(values)
        else:
            low = high = spread = mean = None
        results.append(
            ElementResult(
                element=element,
                track=track_of(element),
                n=len(values),
                n_without_score=without_score[element],
                mean=_round1(mean),
                minimum=_round1(low),
                maximum=_round1(high),
                spread=_round1(spread),
                disagreement=spread is not None and spread > disagreement_threshold,
                by_role=_role_results(by_role),
                suppressed=suppressed,
            )
        )
    return results


def element_results_frame(results: Iterable[ElementResult]) -> pd.DataFrame:
    """One row per element, flat columns, for an Excel sheet or a table.

    Per-role columns are ``<role>_n`` and ``<role>_mean``; a suppressed mean is empty
    (None) and ``<role>_suppressed`` says why it is empty. ``suppressed`` does the same
    for the element's overall figures.
    """
    records = []
    for r in results:
        record: dict[str, Any] = {
            "element": r.element,
            "track": r.track,
            "n": r.n,
            "n_without_score": r.n_without_score,
            "mean": r.mean,
            "minimum": r.minimum,
            "maximum": r.maximum,
            "spread": r.spread,
            "disagreement": r.disagreement,
            "suppressed": r.suppressed,
        }
        for role in ROLES:
            role_result = r.by_role[role]
            record[f"{role}_n"] = role_result.n
            record[f"{role}_mean"] = role_result.mean
            record[f"{role}_suppressed"] = role_result.suppressed
        records.append(record)
    columns = ["element", "track", "n", "n_without_score", "mean", "minimum", "maximum"]
    columns += ["spread", "disagreement", "suppressed"]
    for role in ROLES:
        columns += [f"{role}_n", f"{role}_mean", f"{role}_suppressed"]
    return frame(records, columns)


def compare_rounds(
    before: Iterable[ElementResult], after: Iterable[ElementResult]
) -> list[ElementChange]:
    """Change per element from an earlier round ``before`` to a later round ``after``.

    ``difference`` is ``after.mean - before.mean`` rounded to one decimal, or None when
    either round has no score for the element (a missing score is not a change from 0),
    also when the score is withheld because too few answered (the difference would give
    the one person's score away). Elements present in either round are listed, in
    element order.
    """
    first = {r.element: r for r in before}
    second = {r.element: r for r in after}
    changes = []
    for element in sorted(first.keys() | second.keys()):
        x, y = first.get(element), second.get(element)
        a = x.mean if x else None
        b = y.mean if y else None
        difference = None if a is None or b is None else round_half_up(b - a, 1)
        changes.append(
            ElementChange(
                element,
                track_of(element),
                a,
                b,
                difference,
                before_suppressed=bool(x and x.suppressed),
                after_suppressed=bool(y and y.suppressed),
            )
        )
    return changes


def weakest_elements(results: Iterable[ElementResult], n: int = 3) -> list[ElementResult]:
    """The ``n`` lowest-scoring elements, lowest first; elements without score are skipped.

    Ties are broken by element number so the list is stable between page loads; an
    element nobody could score is not "weak", it is unknown, and is left out, as is one
    whose score is withheld because too few answered.
    """
    if n < 0:
        raise ValueError("n cannot be negative")
    scored = [r for r in results if r.mean is not None]
    scored.sort(key=lambda r: (r.mean, r.element))
    return scored[:n]
