"""Rounding the way Danish reports print numbers.

Python's ``round`` uses banker's rounding (``round(12.5) == 12``), but the reports the
tool must reproduce round half up: seed 002 says under table 3 "I procentangivelser
afrundes der fra første decimal" (percentages are rounded from the first decimal), so
12.5 % is printed as 13 %. Every displayed percentage and mean in the analysis package
goes through these two functions so a page, a chart and an Excel sheet never disagree
by one in the last digit.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from numbers import Rational

__all__ = ["percent", "round_half_up"]


def _to_decimal(value: float | Decimal | Rational) -> Decimal:
    """Convert without binary-float surprises.

    ``Decimal(2.675)`` is 2.67499999..., which would round down; going through ``repr``
    keeps the number the user sees. Fractions are divided in Decimal arithmetic.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a bool is not a number to round")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Rational):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(repr(float(value)))


def round_half_up(value: float | Decimal | Rational, places: int = 0) -> float:
    """Round ``value`` to ``places`` decimals, halves away from zero (12.5 -> 13.0).

    Returns a float because templates, Chart.js and openpyxl all want plain numbers.
    """
    exponent = Decimal(1).scaleb(-places)
    return float(_to_decimal(value).quantize(exponent, rounding=ROUND_HALF_UP))


def percent(part: int, base: int) -> int | None:
    """Whole-number percentage ``part / base * 100``, rounded half up.

    The division is done in Decimal, so 1 of 8 is exactly 12.5 and becomes 13. A zero
    base has no percentage (None), never 0 %, because "nothing to count" is not the
    same as "none of them".
    """
    if base < 0 or part < 0:
        raise ValueError("counts cannot be negative")
    if base == 0:
        return None
    exact = Decimal(part) * 100 / Decimal(base)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
