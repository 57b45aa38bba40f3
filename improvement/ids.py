"""Ids that come from outside (paths, query strings, form fields), kept to what the
database can hold.

Every id column is an INTEGER. Werkzeug's `int` converter and Python's `int()` take any
number of digits, and a number past INTEGER's range reached the database as a parameter
it cannot bind (OverflowError on SQLite past 2^63, "integer out of range" on PostgreSQL
past 2^31) and answered 500. An id that no row can have is answered like a missing row.
"""

from flask import Flask, abort

# The largest value of PostgreSQL's INTEGER, the type of every id column.
MAX_ID = 2**31 - 1


def parse_id(value) -> int | None:
    """A positive whole number the database can hold, or None."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def _refuse_ids_past_range(endpoint: str | None, values: dict | None) -> None:
    # After routing, before access control and the view, so a visitor who is not logged in
    # gets 404 here too, not the login page: no such row exists for anyone. A converter
    # with a maximum would refuse the same ids, but Werkzeug then answers a POST with 405.
    if values and any(isinstance(v, int) and v > MAX_ID for v in values.values()):
        abort(404)


def init_app(app: Flask) -> None:
    app.url_value_preprocessor(_refuse_ids_past_range)
