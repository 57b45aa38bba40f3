"""Slow down repeated failed logins per e-mail address.

After LOGIN_FREE_ATTEMPTS failures each further attempt must wait twice as long as the one
before (2 s, 4 s, 8 s, ...), capped at LOGIN_MAX_DELAY_SECONDS. A success resets the count.
Counting by address, known or not, means the answer never reveals whether an account exists.
"""

from datetime import UTC, datetime, timedelta

from flask import current_app

from ..extensions import db
from ..models import LoginThrottle


def _as_utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes even for timezone-aware columns.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def wait_seconds(email: str, now: datetime | None = None) -> int:
    """Seconds the user must still wait before another attempt is checked (0 = go ahead)."""
    row = db.session.get(LoginThrottle, email)
    free = current_app.config["LOGIN_FREE_ATTEMPTS"]
    if row is None or row.failures < free or row.last_failure_at is None:
        return 0
    delay = min(2 ** (row.failures - free + 1), current_app.config["LOGIN_MAX_DELAY_SECONDS"])
    ready_at = _as_utc(row.last_failure_at) + timedelta(seconds=delay)
    remaining = (ready_at - (now or datetime.now(UTC))).total_seconds()
    return max(0, int(remaining + 0.999))


def record_failure(email: str) -> None:
    row = db.session.get(LoginThrottle, email) or LoginThrottle(email=email, failures=0)
    row.failures += 1
    row.last_failure_at = datetime.now(UTC)
    db.session.add(row)
    db.session.commit()


def reset(email: str) -> None:
    row = db.session.get(LoginThrottle, email)
    if row is not None:
        db.session.delete(row)
        db.session.commit()
