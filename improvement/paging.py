"""Paging of long lists: the page a request asks for, and the numbers a pager shows.

The page number travels as `?side=N` (Danish, like the app's other query parameters);
page 1 has no parameter, so a list's plain address is its first page.
"""

from dataclasses import dataclass

from flask import abort, request
from flask_babel import gettext as _

PARAM = "side"


def requested_page() -> int:
    """The page number asked for: 1 when none is given, 400 when it is not a page number."""
    raw = request.args.get(PARAM)
    if raw is None:
        return 1
    # Only plain digits: int() would also take " 2", "+2", "2_0" and non-ASCII digits.
    if raw.isascii() and raw.isdigit() and raw.strip("0"):
        # Past the end means the last page; a number that long need not even be parsed.
        return int(raw) if len(raw) <= 9 else 10**9
    abort(
        400,
        description=_(
            "The page number must be a whole number from 1 and up, e.g. %(example)s.",
            example=f"{PARAM}=2",
        ),
    )


@dataclass(frozen=True)
class Page:
    """Page `number` (from 1) of a list of `total` items shown `size` at a time."""

    number: int
    size: int
    total: int

    @classmethod
    def of(cls, number: int, size: int, total: int) -> "Page":
        """A number past the end gives the last page, so an old link still shows something."""
        return cls(min(number, cls._pages(size, total)), size, total)

    @staticmethod
    def _pages(size: int, total: int) -> int:
        return max(1, -(-total // size))  # at least one page, even for an empty list

    @property
    def count(self) -> int:
        return self._pages(self.size, self.total)

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def first_item(self) -> int:
        return min(self.offset + 1, self.total)

    @property
    def last_item(self) -> int:
        return min(self.offset + self.size, self.total)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.count

    def param(self, number: int | None = None) -> dict[str, int]:
        """The query parameter for page `number` (this page by default); none for page 1."""
        number = self.number if number is None else number
        return {PARAM: number} if number > 1 else {}

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers for the pager: the first, the last and `around` on each side of
        this one; None where numbers are left out (shown as an ellipsis)."""
        shown = {1, self.count, *range(self.number - around, self.number + around + 1)}
        numbers = sorted(n for n in shown if 1 <= n <= self.count)
        out: list[int | None] = []
        for n in numbers:
            if out and n - out[-1] == 2:
                out.append(n - 1)  # one missing page is shown, not hidden behind "…"
            elif out and n - out[-1] > 2:
                out.append(None)
            out.append(n)
        return out
