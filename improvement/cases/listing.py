"""The case list's filters: a search on the code, the responsible practitioner, the
authority caseworker, the status (open, closed, closed without a full outcome, overdue
follow-up) and the current phase.

A large intervention has thousands of cases, and the code is the only name a team knows
a case by, so the list must find one without paging through it. The filters work on the
list's lines (`service.case_lines`), which the key figures read anyway: filtering adds
no query, whatever the number of cases.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace

from ..analysis.followup import FollowUpStatus
from ..ids import parse_id
from ..names import sort_key
from .service import CaseLine

# Query-string values of the status filter. "ukodede": closed cases whose outcome the
# results' tables cannot place yet (the results page links to them).
STATUSES = ("aabne", "afsluttede", "ukodede", "forsinkede")
UNCODED = "ukodede"
# The responsible and caseworker filters' value for cases with nobody chosen.
NOBODY = "ingen"
# A search longer than any code finds nothing; it is cut rather than refused.
SEARCH_MAX = 40


def _squeezed(text: str) -> str:
    """A code as it is searched: case, spaces and dashes aside ("sp 2026 1" finds
    "SP-2026-001" only where the digits follow, as typed)."""
    return "".join(ch for ch in text.casefold() if ch not in " -_/.")


@dataclass(frozen=True)
class CaseFilter:
    search: str = ""
    responsible: int | str | None = None  # a user id, NOBODY, or None for everyone
    caseworker: int | str | None = None  # the same, of the authority caseworker
    status: str | None = None
    phase: int | None = None

    @classmethod
    def from_args(cls, args: Mapping) -> "CaseFilter":
        """What the query string asks for; a value that names nothing is left out."""
        responsible = args.get("ansvarlig")
        caseworker = args.get("sagsbehandler")
        status = args.get("status")
        return cls(
            search=(args.get("soeg") or "").strip()[:SEARCH_MAX],
            responsible=NOBODY if responsible == NOBODY else parse_id(responsible),
            caseworker=NOBODY if caseworker == NOBODY else parse_id(caseworker),
            status=status if status in STATUSES else None,
            phase=parse_id(args.get("fase")),
        )

    @property
    def active(self) -> bool:
        return bool(self.search or self.responsible or self.caseworker or self.status or self.phase)

    def as_args(self) -> dict:
        """The query string that asks for this filter (for the pager and the forms)."""
        pairs = (
            ("soeg", self.search),
            ("ansvarlig", self.responsible),
            ("sagsbehandler", self.caseworker),
            ("status", self.status),
            ("fase", self.phase),
        )
        return {key: value for key, value in pairs if value}

    def within_mine(self) -> "CaseFilter":
        """The filter over one's own cases, where "mine" takes the place of the responsible
        and caseworker filters: the list shows no control for them, so none is kept (one
        for another person would hide most of one's cases, with nothing on the page to
        say why)."""
        return replace(self, responsible=None, caseworker=None)

    def apply(self, lines: list[CaseLine], statuses: dict[int, FollowUpStatus]):
        """The lines the filter lets through, in the list's order."""
        wanted = _squeezed(self.search)
        return [
            line
            for line in lines
            if (not wanted or wanted in _squeezed(line.code))
            and self._person(self.responsible, line.practitioner_id)
            and self._person(self.caseworker, line.caseworker_id)
            and self._status(line, statuses.get(line.id))
            and (self.phase is None or line.phase_id == self.phase)
        ]

    @staticmethod
    def _person(wanted: int | str | None, user_id: int | None) -> bool:
        if wanted == NOBODY:
            return user_id is None
        return wanted is None or user_id == wanted

    def _status(self, line: CaseLine, status: FollowUpStatus | None) -> bool:
        if self.status == "aabne":
            return line.end_date is None
        if self.status == "afsluttede":
            return line.end_date is not None
        if self.status == UNCODED:
            return line.end_date is not None and not line.outcome_coded
        if self.status == "forsinkede":
            return status is not None and status.overdue
        return True


def responsible_choices(lines: list[CaseLine]) -> list[tuple[int, str]]:
    """Everyone responsible for a case of the list, team or no longer, by name."""
    return _people({line.practitioner_id: line.practitioner_name for line in lines})


def caseworker_choices(lines: list[CaseLine]) -> list[tuple[int, str]]:
    """Every authority caseworker on a case of the list, team or no longer, by name."""
    return _people({line.caseworker_id: line.caseworker_name for line in lines})


def is_mine(line: CaseLine, user_id: int) -> bool:
    """One's own cases: those one is the responsible practitioner or the caseworker on."""
    return user_id in (line.practitioner_id, line.caseworker_id)


def _people(people: dict) -> list[tuple[int, str]]:
    people.pop(None, None)
    return sorted(people.items(), key=lambda person: sort_key(person[1]))


def phase_choices(lines: list[CaseLine]) -> list[tuple[int, str]]:
    """The phases cases are in now, in the workflow's order (archived ones too)."""
    phases = {line.phase_id: (line.phase_position, line.phase_name) for line in lines}
    phases.pop(None, None)
    return [
        (phase_id, name)
        for phase_id, (_position, name) in sorted(phases.items(), key=lambda p: (p[1][0], p[0]))
    ]
