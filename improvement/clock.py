"""Today and now where the users are: Denmark.

The server may run in UTC (containers usually do). Between midnight in Copenhagen and
midnight UTC its date is still yesterday's, so a date typed as today would be refused as
being in the future, and a rating saved just after midnight on the first of a quarter
would count in the quarter before. Dates the app compares with what people type or read
are Danish dates."""

import sqlite3
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

LOCAL = ZoneInfo("Europe/Copenhagen")


def today(now: datetime | None = None) -> date:
    """The date in Denmark now (or at the moment `now`)."""
    return (now or datetime.now(UTC)).astimezone(LOCAL).date()


# --- the same in SQL ---------------------------------------------------------------------


class local_moment(FunctionElement):  # noqa: N801  (used like an SQL function)
    """A stored moment (UTC) as Danish wall-clock time, in SQL, so that what is grouped by
    year, month or quarter in the database falls where the pages show it."""

    type = DateTime()
    inherit_cache = True


@compiles(local_moment, "postgresql")
def _local_moment_postgresql(element, compiler, **kw):
    return f"timezone('{LOCAL.key}', {compiler.process(element.clauses, **kw)})"


@compiles(local_moment, "sqlite")
def _local_moment_sqlite(element, compiler, **kw):
    return f"local_moment({compiler.process(element.clauses, **kw)})"


def _sqlite_local_moment(value: str | None) -> str | None:
    """SQLite keeps the UTC digits as text ("2026-09-30 22:30:00.000000"): the same text
    for Copenhagen, which SQLite's strftime then reads as before."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value).replace(tzinfo=UTC).astimezone(LOCAL)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


@event.listens_for(Engine, "connect")
def _register_sqlite_function(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function(
            "local_moment", 1, _sqlite_local_moment, deterministic=True
        )
