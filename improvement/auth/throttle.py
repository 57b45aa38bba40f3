"""Slow down repeated failed password checks: per e-mail address at login, per user when a
password is changed.

After LOGIN_FREE_ATTEMPTS failures each further attempt must wait twice as long as the one
before (2 s, 4 s, 8 s, ...), capped at LOGIN_MAX_DELAY_SECONDS. A success resets the count.
Counting by address, known or not, means the answer never reveals whether an account exists.

An attempt is counted before its password is checked (`claim`), and the count is raised
only if nobody else raised it meanwhile, in one statement: of many attempts sent at once,
only as many are checked as the count allows, however they interleave.

The row is written on the session's connection, not through the ORM: no page shows it, so
it must not raise the organisations' data versions (models/data_version.py).
"""

from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import LoginThrottle

THROTTLE = LoginThrottle.__table__
# The longest key the table holds (its e-mail column).
MAX_KEY_LENGTH = THROTTLE.c.email.type.length
INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def login_key(email: str) -> str:
    """An e-mail address as login compares it (lower case, as SQL's lower() on the stored
    address). Longer than the table holds (lower() makes "İ" two characters) only for an
    address no account has, which is then answered as a wrong password."""
    return email.strip().lower()


def user_key(user_id: int) -> str:
    """The key of a signed-in user's password checks (changing the password). In upper
    case, so no login key (lower case) can ever be it: failed logins with someone's
    address do not hold up their password change, nor the other way round."""
    return f"USER:{user_id}"


def _as_utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes even for timezone-aware columns.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _wait(failures: int, last_failure_at: datetime | None, now: datetime) -> int:
    free = current_app.config["LOGIN_FREE_ATTEMPTS"]
    if failures < free or last_failure_at is None:
        return 0
    delay = min(2 ** (failures - free + 1), current_app.config["LOGIN_MAX_DELAY_SECONDS"])
    remaining = (_as_utc(last_failure_at) + timedelta(seconds=delay) - now).total_seconds()
    return max(0, int(remaining + 0.999))


def _read(key: str) -> tuple[int, datetime | None]:
    row = (
        db.session.connection()
        .execute(
            select(THROTTLE.c.failures, THROTTLE.c.last_failure_at).where(THROTTLE.c.email == key)
        )
        .first()
    )
    return (row.failures or 0, row.last_failure_at) if row is not None else (0, None)


def claim(key: str) -> int:
    """Count an attempt for `key` before its password is checked. 0: counted, check the
    password (and `reset` on success); otherwise the seconds to wait, and nothing counted.

    The count goes from the number read to one more only if it still is that number
    (INSERT ... ON CONFLICT DO UPDATE ... WHERE, one statement on PostgreSQL and SQLite);
    an attempt that lost the race reads again, and then usually has to wait."""
    insert = INSERTS[db.session.get_bind().dialect.name]
    free = current_app.config["LOGIN_FREE_ATTEMPTS"]
    # Each round one of the attempts racing for the key wins; past the free ones the rest
    # have to wait. The bound only guards against a count that keeps changing.
    for _round in range(free + 10):
        now = datetime.now(UTC)
        failures, last = _read(key)
        if wait := _wait(failures, last, now):
            db.session.commit()
            return wait
        statement = (
            insert(THROTTLE)
            .values(email=key, failures=1, last_failure_at=now)
            .on_conflict_do_update(
                index_elements=[THROTTLE.c.email],
                set_={"failures": THROTTLE.c.failures + 1, "last_failure_at": now},
                where=THROTTLE.c.failures == failures,
            )
            .returning(THROTTLE.c.failures)
        )
        counted = db.session.connection().execute(statement).first()
        db.session.commit()  # seen by the other attempts before the slow password check
        if counted is not None:
            return 0
    return 1


def reset(key: str) -> None:
    db.session.connection().execute(delete(THROTTLE).where(THROTTLE.c.email == key))
    db.session.commit()
