"""The long form "Selvevaluering" is at least as strict as the result page, element by
element and statement by statement, counting only answers with a score: no set of its rows
is one person's answers (and "Ved ikke", which is no score, is not in it)."""

import random
from io import BytesIO

from openpyxl import load_workbook

from improvement.exports.feature_sheets import HIDDEN_ROLE, shareable
from improvement.exports.service import build_export, scope_for
from improvement.extensions import db
from improvement.models import AssessmentAnswer
from tests.assessments.helpers import answer_all, gen_respondent, gen_round, setup_team


def _sheet(org) -> list[dict]:
    workbook = load_workbook(BytesIO(build_export(scope_for(org, "test")).read()))
    sheet = workbook["Selvevaluering"]
    header = [c.value for c in sheet[1]]
    rows = [
        dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    overview = {
        row[0]: row[2] for row in workbook["Oversigt"].iter_rows(min_row=2, values_only=True)
    }
    return rows, overview


# --- the rule, on counts -----------------------------------------------------------------


def test_a_statement_fewer_than_two_scored_is_left_out():
    # s2: only the leader scored it: one row would be the leader's answer.
    shown, hidden = shareable({"s1": {"leader": 1, "practitioner": 2}, "s2": {"leader": 1}})
    assert shown == {"s1"}
    # In s1 the leader is alone in the role: hidden, and with it the practitioners (2),
    # or the hidden row of s1 would be the leader's.
    assert hidden == {"leader", "practitioner"}


def test_a_role_short_in_one_statement_is_hidden_in_the_whole_element():
    # Practitioners: 2 in s1 but 1 in s2 -> not named in the element at all; in s2 the
    # hidden row would then be one person's, so the authority (3) is hidden with it.
    counts = {"s1": {"practitioner": 2, "authority": 3}, "s2": {"practitioner": 1, "authority": 3}}
    assert shareable(counts) == ({"s1", "s2"}, {"practitioner", "authority"})


def test_the_smallest_other_role_goes_with_a_lone_one_ties_by_the_roles_order():
    counts = {"s1": {"leader": 2, "practitioner": 2, "authority": 1}}
    assert shareable(counts) == ({"s1"}, {"authority", "leader"})
    # Two lone roles hide each other: the hidden rows are two people's.
    counts = {"s1": {"leader": 1, "authority": 1, "practitioner": 4}}
    assert shareable(counts) == ({"s1"}, {"leader", "authority"})


def test_groups_of_two_are_named_and_the_pages_hidden_roles_stay_hidden():
    counts = {"s1": {"practitioner": 2, "authority": 2}}
    assert shareable(counts) == ({"s1"}, set())
    # What the result page hides for the element (say the practitioners, hidden with a
    # lone leader who scored another statement) is hidden in the sheet too; two hidden
    # rows are two people's, so the authority stays named.
    assert shareable(counts, {"practitioner"}) == ({"s1"}, {"practitioner"})
    assert shareable({"s1": {"leader": 1}}, {"leader"}) == (set(), {"leader"})


# --- the workbook -----------------------------------------------------------------------


def test_elements_only_one_person_scored_have_no_rows(app):
    """Lise answers all 44 statements, two colleagues only elements 1-2: the page shows
    elements 3-11 as "too few to show", so the sheet has no row of them (36 statements
    whose only row would be Lise's answer)."""
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument, "Forår", status="closed")
    answer_all(
        gen_respondent(round_, users["leader"], "leader"),
        instrument,
        dict.fromkeys(range(1, 12), "high"),
    )
    for key, value in (("p1", "some"), ("p2", "little")):
        answer_all(
            gen_respondent(round_, users[key], "practitioner"), instrument, {1: value, 2: value}
        )
    db.session.commit()

    rows, overview = _sheet(org)
    assert {row["Element nr."] for row in rows} == {1, 2}
    per_element = sum(1 for s in instrument.statements if s.element == 1)
    assert len(rows) == 2 * per_element * 3
    # Three respondents, one of them the only leader: the leader is hidden, and the
    # practitioners with the leader, in every statement.
    assert {row["Respondentens rolle"] for row in rows} == {HIDDEN_ROLE}
    # Oversigt says what is left out: Lise's 36 answers to elements 3-11.
    assert (
        "Udeladt: 36 svar på udsagn, som færre end 2 respondenter gav en score"
        in (overview["Rækker i arket Selvevaluering"])
    )


def test_ved_ikke_does_not_let_the_lone_authority_be_read(app):
    """The leader only answered "ved ikke", two practitioners and one caseworker scored.
    The page: Ledere "–", Medarbejdere hidden (n=2), Myndighed "for få". Counting the
    leader as a respondent named the practitioners, so the hidden rows with a score were
    the lone caseworker's."""
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument, "Forår", status="closed")
    for key, role, value in (
        ("leader", "leader", "dont_know"),
        ("p1", "practitioner", "high"),
        ("p2", "practitioner", "some"),
        ("caseworker", "authority", "none"),
    ):
        answer_all(
            gen_respondent(round_, users[key], role), instrument, dict.fromkeys(range(1, 12), value)
        )
    db.session.commit()

    rows, overview = _sheet(org)
    statements = len(instrument.statements)
    assert len(rows) == 3 * statements  # the scored answers, no "Ved ikke"
    assert {row["Respondentens rolle"] for row in rows} == {HIDDEN_ROLE}
    assert "Ved ikke" not in {row["Svar"] for row in rows}
    assert f"{statements} svar »Ved ikke«" in overview["Rækker i arket Selvevaluering"]


def test_a_practitioner_who_skipped_statements_is_not_named_there(app):
    """Two practitioners named on the page for element 1 (both scored it), but one of them
    answered only its first statement: named rows of the other three statements would be
    the other practitioner's answers alone."""
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument, "Forår", status="closed")
    answer_all(gen_respondent(round_, users["p1"], "practitioner"), instrument, {1: "high"})
    answer_all(gen_respondent(round_, users["caseworker"], "authority"), instrument, {1: "some"})
    leader = gen_respondent(round_, users["leader"], "authority")
    answer_all(leader, instrument, {1: "little"})
    p2 = gen_respondent(round_, users["p2"], "practitioner")
    first = next(s for s in instrument.statements if s.element == 1)
    db.session.add(
        AssessmentAnswer(
            organization_id=org.id, respondent_id=p2.id, statement_id=first.id, value="none"
        )
    )
    db.session.commit()

    rows, _overview = _sheet(org)
    # Every statement of element 1 has 3 or 4 scored answers, so all are there ...
    assert len(rows) == 4 * 3 + 1
    # ... but the practitioners are not named anywhere in the element, and neither are
    # the authority's two (in statements 2-4 the hidden row would be one practitioner's).
    assert {row["Respondentens rolle"] for row in rows} == {HIDDEN_ROLE}


def test_no_set_of_rows_rests_on_one_person_whatever_the_counts():
    """The rule's promises on 2,000 random elements: every statement shown has two scored
    answers or more, and so has every named role and the hidden rows in it (or none)."""
    rng = random.Random(7)
    roles = ("leader", "practitioner", "authority", "other")
    for _ in range(2000):
        counts = {
            s: {r: rng.choice((0, 0, 1, 1, 2, 3)) for r in rng.sample(roles, rng.randint(1, 4))}
            for s in range(rng.randint(1, 5))
        }
        screen = set(rng.sample(roles, rng.randint(0, 2)))
        shown, hidden = shareable(counts, screen)
        assert screen <= hidden
        for s, by_role in counts.items():
            assert (s in shown) == (sum(by_role.values()) >= 2)
            if s not in shown:
                continue
            for role, n in by_role.items():
                assert role in hidden or n == 0 or n >= 2, (counts, screen, hidden)
            assert sum(n for r, n in by_role.items() if r in hidden) != 1, (counts, screen)
