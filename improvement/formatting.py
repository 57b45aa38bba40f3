"""Jinja filters for Danish dates and numbers (via Flask-Babel, so English users get theirs)."""

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, get_locale


def _date(value: date | None, fmt: str = "short") -> str:
    # Danish short format is 01.03.2025; "long" gives 1. marts 2025.
    return format_date(value, fmt) if value else ""


def _datetime(value: datetime | None, fmt: str = "short") -> str:
    return format_datetime(value, fmt) if value else ""


def _number(value, digits: int = 0) -> str:
    if value is None:
        return ""
    return format_decimal(value, format="#,##0" + ("." + "0" * digits if digits else ""))


def init_app(app: Flask) -> None:
    app.add_template_filter(_date, "date")
    app.add_template_filter(_datetime, "datetime")
    app.add_template_filter(_number, "number")
    app.add_template_global(get_locale, "get_locale")
