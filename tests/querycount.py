"""Count the SQL statements a block of code issues (for constant-queries-per-page tests)."""

from contextlib import contextmanager

from sqlalchemy import event

from improvement.extensions import db


@contextmanager
def count_queries():
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
