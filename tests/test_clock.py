"""Danish dates and quarters, whatever the server's own time zone."""

from datetime import UTC, date, datetime

from improvement import clock


def test_today_is_the_danish_date_also_in_the_hour_utc_is_behind():
    # 23:30 UTC on 6 December is 00:30 on 7 December in Copenhagen (CET, UTC+1); in summer
    # (CEST, UTC+2) the Danish date turns at 22:00 UTC.
    assert clock.today(datetime(2026, 12, 6, 23, 30, tzinfo=UTC)) == date(2026, 12, 7)
    assert clock.today(datetime(2026, 12, 6, 22, 30, tzinfo=UTC)) == date(2026, 12, 6)
    assert clock.today(datetime(2026, 6, 30, 22, 0, tzinfo=UTC)) == date(2026, 7, 1)


def test_the_sqlite_function_gives_copenhagen_wall_clock_time():
    # SQLite keeps a stored moment's UTC digits; the function the quarter is counted with.
    assert clock._sqlite_local_moment("2026-09-30 22:30:00.000000") == "2026-10-01 00:30:00.000000"
    assert clock._sqlite_local_moment("2026-01-15 10:00:00") == "2026-01-15 11:00:00.000000"
    assert clock._sqlite_local_moment(None) is None
