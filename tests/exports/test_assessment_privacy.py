"""The exported self-assessment answers never show one person's answers as such: the
role of a lone respondent is hidden together with the smallest other role, rows run per
statement rather than per person, and a round with a single respondent is left out."""

from io import BytesIO

from openpyxl import load_workbook

from improvement.exports.feature_sheets import HIDDEN_ROLE
from improvement.exports.service import build_export, scope_for
from improvement.extensions import db
from tests.assessments.helpers import answer_all, gen_respondent, gen_round, setup_team
from tests.helpers import gen_user


def _rows(org):
    workbook = load_workbook(BytesIO(build_export(scope_for(org, "test")).read()))
    return list(workbook["Selvevaluering"].iter_rows(min_row=2, values_only=True))


def test_the_exported_answers_name_no_lone_respondent_and_run_per_statement(app):
    org, intervention, instrument, users, _members = setup_team()
    p3 = gen_user(org, role="practitioner", name="Per Praktiker")
    closed = gen_round(intervention, instrument, "Efterår", status="closed")
    # One leader, three practitioners, one caseworker: leader and caseworker are hidden,
    # and the practitioners with them, or the leader, knowing her own answers, could read
    # the caseworker's from the rest.
    for key, role, value in [
        ("leader", "leader", "high"),
        ("p1", "practitioner", "some"),
        ("p2", "practitioner", "little"),
        ("caseworker", "authority", "none"),
    ]:
        answer_all(
            gen_respondent(closed, users[key], role), instrument, dict.fromkeys(range(1, 12), value)
        )
    answer_all(gen_respondent(closed, p3, "practitioner"), instrument, {1: "high"})
    # A round only the leader answered would be the leader's answers under any label.
    alone = gen_round(intervention, instrument, "Forår", status="closed")
    answer_all(gen_respondent(alone, users["leader"], "leader"), instrument, {1: "high"})
    db.session.commit()

    rows = _rows(org)
    assert {row[1] for row in rows} == {"Efterår"}
    assert {row[3] for row in rows} == {HIDDEN_ROLE}
    # The rows of each statement follow each other, the answers in order: no run of rows
    # is one respondent's answers to statement after statement.
    statements = [row[6] for row in rows]
    assert statements == sorted(statements, key=statements.index)
    first = [row for row in rows if row[6] == statements[0]]
    assert len(first) == 5
