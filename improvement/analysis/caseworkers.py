"""Changes of authority caseworker on cases (seed 004: "antal skift i foranstaltninger og
sagsbehandlere på sager" is a key figure for leaders).

The input is a case's saved changes of caseworker in the order they were made, each as
(case id, old caseworker, new caseworker), None for "not chosen" (the audit trail's
``changes["caseworker_id"]`` of a case's updates). What counts as a change:

* a case that gets a caseworker other than the last one it had: the citizen meets a new
  caseworker. Removing the caseworker and choosing another later is one change, from the
  one before the removal to the new one;
* not the first caseworker chosen (from none): nobody was replaced;
* not a removal (to none): no one new has taken over yet;
* not the same caseworker chosen again after a removal.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass

__all__ = ["CaseworkerChanges", "caseworker_changes"]


@dataclass(frozen=True)
class CaseworkerChanges:
    """``cases``: cases whose caseworker changed at least once; ``changes``: all changes."""

    cases: int = 0
    changes: int = 0


def caseworker_changes(
    saves: Iterable[tuple[Hashable, Hashable | None, Hashable | None]],
    case_ids: Collection[Hashable] | None = None,
) -> CaseworkerChanges:
    """Count the changes of caseworker in ``saves`` (oldest first), of the cases in
    ``case_ids`` only when given (a list narrowed to one's own cases)."""
    last: dict[Hashable, Hashable] = {}
    per_case: dict[Hashable, int] = {}
    for case_id, old, new in saves:
        if case_ids is not None and case_id not in case_ids:
            continue
        # The trail's own "before" is the caseworker the case had, should an earlier
        # save be missing from it (a change made outside the app).
        if old is not None:
            last[case_id] = old
        if new is None:
            continue
        before = last.get(case_id)
        if before is not None and before != new:
            per_case[case_id] = per_case.get(case_id, 0) + 1
        last[case_id] = new
    return CaseworkerChanges(cases=len(per_case), changes=sum(per_case.values()))
