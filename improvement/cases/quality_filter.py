"""The quality page's filter: only the open cases, and only the cells whose latest rating
is from one year.

A long-running intervention's heat map is mostly closed cases rated years ago; a team that
asks how the core elements are worked with now looks at the open cases, or at this year's
ratings. The heat map, the distribution and the trend follow the filter, and a cell opened
from the heat map lists the cases the filter kept. The low ratings list keeps its own
choice (open cases, or closed ones too): it is the list for the next reflection meeting.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Integer, cast, extract

from ..clock import local_moment
from ..ids import parse_id
from ..models import Case, CoreElementRating

# Query-string names (Danish, as the page's address shows them).
OPEN_ONLY = "aabne"
YEAR = "aar"


@dataclass(frozen=True)
class QualityFilter:
    open_only: bool = False
    year: int | None = None

    @classmethod
    def from_args(cls, args: Mapping) -> "QualityFilter":
        """What the query string asks for; a year that is no year is left out."""
        year = parse_id(args.get(YEAR))
        return cls(
            open_only=args.get(OPEN_ONLY) == "1",
            year=year if year is not None and 1900 <= year <= 2999 else None,
        )

    def within(self, years) -> "QualityFilter":
        """The filter with its year kept only if it is one of `years` (those with ratings)."""
        return self if self.year in years or self.year is None else QualityFilter(self.open_only)

    @property
    def active(self) -> bool:
        return self.open_only or self.year is not None

    def described(self) -> str:
        """What the filter keeps, in words: shown above what it counts, also on paper."""
        if self.open_only and self.year is not None:
            return _("Open cases, latest rating in %(year)s", year=self.year)
        if self.open_only:
            return _("Open cases only")
        return _("Latest rating in %(year)s", year=self.year)

    def as_args(self) -> dict:
        """The query string that asks for this filter (for links and the pager)."""
        args = {}
        if self.open_only:
            args[OPEN_ONLY] = 1
        if self.year is not None:
            args[YEAR] = self.year
        return args

    def where(self) -> list:
        """The filter as conditions on a latest-rating query joined to its case."""
        conditions = []
        if self.open_only:
            conditions.append(Case.end_date.is_(None))
        if self.year is not None:
            # The year on the Danish calendar, as the trend's quarters count it.
            rated_year = cast(extract("year", local_moment(CoreElementRating.rated_at)), Integer)
            conditions.append(rated_year == self.year)
        return conditions
