"""Jinja filters for dates and numbers in the user's locale (Babel; the English UI keeps
Danish dates and numbers, en_DK).

Lists and heat maps print hundreds of dates and numbers a page, most of them repeats;
Babel parses the pattern and looks up the locale's symbols on every call, so the
formatted texts are remembered per (value, format, locale).
"""

from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache

from babel import dates, numbers
from flask import Flask
from flask_babel import format_datetime, get_locale, to_user_timezone
from flask_babel import gettext as _
from jinja2 import pass_context
from jinja2.runtime import Context

from .template_i18n import LOCALE


@lru_cache(maxsize=8192)
def _format_day(day: date, fmt: str, locale: str) -> str:
    return dates.format_date(day, fmt, locale=locale)


@lru_cache(maxsize=8192)
def _format_number(value, pattern: str, locale: str) -> str:
    return numbers.format_decimal(value, format=pattern, locale=locale)


def format_day(value: date | None, fmt: str = "short", locale: str | None = None) -> str:
    # Danish short format is 01.03.2025; "long" gives 1. marts 2025. A moment is shown
    # on the user's calendar day, as Flask-Babel's format_date does.
    if not value:
        return ""
    if isinstance(value, datetime):
        value = to_user_timezone(value).date()
    return _format_day(value, fmt, locale or str(get_locale()))


@pass_context
def _day_filter(context: Context, value: date | None, fmt: str = "short") -> str:
    # The page's locale, put into the context once (template_i18n), not asked per date.
    return format_day(value, fmt, context.get(LOCALE))


@lru_cache(maxsize=512)
def _format_month(month: str, locale: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return dates.format_skeleton("yMMMM", date(year, number, 1), locale=locale)


@pass_context
def _month_filter(context: Context, month: str) -> str:
    """A calendar month kept as "2026-09" (the analysis' key), as a reader says it:
    "september 2026"."""
    return _format_month(month, context.get(LOCALE) or str(get_locale()))


def quarter_labels(quarters: Iterable[str]) -> dict[str, str]:
    """Quarters kept as "2026-Q3" (the analysis' keys) as the reader's language writes
    them: "2026 K3" (kvartal) in Danish, "2026 Q3" in English. The pattern is translated
    once for them all: a trend of ten years has forty quarters, each shown three times."""
    pattern = _("%(year)s Q%(quarter)s")
    labels = {}
    for quarter in quarters:
        year, number = quarter.split("-Q")
        labels[quarter] = pattern % {"year": year, "quarter": number}
    return labels


def _datetime(value: datetime | None, fmt: str = "short") -> str:
    return format_datetime(value, fmt) if value else ""


def format_number(value, digits: int = 0, locale: str | None = None) -> str:
    """A number as the user's locale writes it: 2.000 and 1,5 (the English UI keeps Danish
    numbers, en_DK, as app.js's character count does)."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return _format_number(value, pattern, locale or str(get_locale()))


@pass_context
def _number(context: Context, value, digits: int = 0) -> str:
    return format_number(value, digits, context.get(LOCALE))


def init_app(app: Flask) -> None:
    app.add_template_filter(_day_filter, "date")
    app.add_template_filter(_datetime, "datetime")
    app.add_template_filter(_month_filter, "month")
    app.add_template_filter(_number, "number")
    app.add_template_global(get_locale, "get_locale")
