"""A history and the case list's count of caseworker changes read the audit trail through
its object indexes (migration 0017), not through every event of the organisation: the
trail grows with every save for as long as the tool is used (on PostgreSQL with 300,000
events, a case page's history took 119 ms without them, 3 ms with them)."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event, text

from improvement.extensions import db
from improvement.models import CaseFollowUp
from tests.pdsa.factories import gen_cycle, gen_point

HX = {"HX-Request": "true"}


@contextmanager
def audit_reads():
    """The statements (with their parameters) that read the audit trail in the block."""
    reads: list[tuple] = []

    def record(_conn, _cursor, statement, parameters, *_args):
        if statement.lstrip().startswith("SELECT") and "FROM audit_event" in statement:
            reads.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield reads
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture
def long_trail(team):
    """On PostgreSQL, a trail as a year's use leaves it: 20,000 events of other objects in
    the organisation, a few of them deletions, and the statistics the planner goes by (on
    a test's few rows it would rightly read the whole table). SQLite is asked as
    installations have it: unanalysed, its planner goes by the indexes alone."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO audit_event"
                    " (at, organization_id, object_type, object_id, action, changes)"
                    " SELECT now() - g * interval '1 minute', :org,"
                    " (ARRAY['Case', 'CaseFollowUp', 'PdsaCycle', 'Meeting'])[1 + g % 4],"
                    " 100000 + g % 5000,"
                    " CASE WHEN g % 100 = 0 THEN 'delete' ELSE 'update' END, '{}'"
                    " FROM generate_series(1, 20000) AS g"
                ),
                {"org": team.org.id},
            )
            conn.execute(text("ANALYZE audit_event"))
    return team


def plan(statement: str, parameters) -> str:
    """The database's plan for a statement, as one text."""
    with db.engine.connect() as conn:
        explain = "EXPLAIN QUERY PLAN " if conn.dialect.name == "sqlite" else "EXPLAIN "
        rows = conn.exec_driver_sql(explain + statement, parameters)
        return "\n".join(row[-1] if explain.endswith("PLAN ") else row[0] for row in rows)


def reads_the_whole_trail(used: str) -> bool:
    """A plan that goes through the audit table, or one of its indexes, from end to end (or
    through the organisation's events, or all of them newest first) instead of looking up
    the events asked for."""
    whole = (
        "SCAN audit_event",  # SQLite: the table or an index, every row
        "Seq Scan on audit_event",
        "ix_audit_event_at",
        "ix_audit_event_organization_id (organization_id=?)\n",
        "Index Cond: (organization_id =",
    )
    return any(sign in used + "\n" for sign in whole)


def test_a_case_page_reads_its_history_by_the_object_indexes(client, login, team, long_trail):
    # A follow-up registered and removed: the history finds it among the deletions.
    case = team.case
    base = f"/indsatser/{case.intervention_id}/forloeb/{case.id}"
    login(team.leader, team.org)
    client.post(f"{base}/opfoelgning", data={"held_on": "2026-02-10"}, headers=HX)
    followup = db.session.query(CaseFollowUp).filter_by(case_id=case.id).one()
    client.post(f"{base}/opfoelgning/fjern", data={"followup_id": str(followup.id)}, headers=HX)

    with audit_reads() as reads:
        page = client.get(base).get_data(as_text=True)
    assert page.count("Opfølgning holdt den 10.02.2026") == 2  # registered, removed
    (history,) = [r for r in reads if "UNION ALL" in r[0]]
    used = plan(*history)
    assert "ix_audit_event_object" in used
    assert "ix_audit_event_deleted" in used
    assert not reads_the_whole_trail(used), used


def test_the_case_list_counts_caseworker_changes_by_the_index(client, login, team, long_trail):
    login(team.leader, team.org)
    with audit_reads() as reads:
        client.get(f"/indsatser/{team.intervention.id}/forloeb")
    (count,) = reads
    used = plan(*count)
    assert "ix_audit_event_object" in used
    assert not reads_the_whole_trail(used), used


def test_a_test_of_change_reads_its_history_by_the_object_index(client, login, team, long_trail):
    cycle = gen_cycle(gen_point(team.intervention), title="Fælles skema")
    db.session.commit()
    login(team.leader, team.org)
    with audit_reads() as reads:
        client.get(f"/indsatser/{team.intervention.id}/proevehandlinger/{cycle.id}")
    history = [r for r in reads if "object_type" in r[0]]
    assert history
    for read in history:
        used = plan(*read)
        assert "ix_audit_event_object" in used
        assert not reads_the_whole_trail(used), used
