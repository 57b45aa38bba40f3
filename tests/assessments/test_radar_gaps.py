"""The charts say which elements have no score, in the table's words, so an empty axis or
a missing line is not read as 0: the radar beside the element's name where no round shown
has a score, in a round's legend entry where only that round has none; the line chart
over time in the element's legend entry."""

from datetime import UTC, datetime, timedelta

from improvement.extensions import db
from tests.assessments.helpers import answer_all, gen_respondent, gen_round, setup_team
from tests.assessments.test_over_time import line_chart

START = datetime(2026, 1, 5, 9, tzinfo=UTC)


def base(intervention):
    return f"/indsatser/{intervention.id}/selvevaluering"


def _round(intervention, instrument, users, name, answers, day=0):
    """A closed round; `answers` maps a practitioner to {element: scale key}."""
    round_ = gen_round(intervention, instrument, name, status="closed")
    round_.created_at = round_.closed_at = START + timedelta(days=day)
    for key, values in answers.items():
        answer_all(gen_respondent(round_, users[key], "practitioner"), instrument, values)
    return round_


def _all_but(unscored, value):
    return {n: "dont_know" if n in unscored else value for n in range(1, 12)}


def test_an_element_without_a_score_says_so_beside_its_name(client, login):
    org, intervention, instrument, users, _ = setup_team()
    # Element 10: only p1 scored it (too few to show); element 11: "ved ikke" from both.
    answers = {"p1": _all_but({11}, "high"), "p2": _all_but({10, 11}, "some")}
    round_ = _round(intervention, instrument, users, "Forår", answers)
    db.session.commit()
    login(users["leader"], org)
    for view in ("", "/udskriv"):
        body = client.get(f"{base(intervention)}/{round_.id}{view}").get_data(as_text=True)
        chart = line_chart(body)
        assert chart["datasets"] == [{"label": "Forår", "data": [83.5] * 9 + [None, None]}]
        assert chart["notes"] == [None] * 9 + ["for få til at vise", "ingen score"]


def test_compared_rounds_name_the_elements_only_one_of_them_misses(client, login):
    org, intervention, instrument, users, _ = setup_team()
    both = ("p1", "p2")
    before = _round(
        intervention, instrument, users, "Forår", dict.fromkeys(both, _all_but({1, 5, 11}, "high"))
    )
    after = _round(
        intervention,
        instrument,
        users,
        "Efterår",
        dict.fromkeys(both, _all_but({10, 11}, "some")),
        1,
    )
    db.session.commit()
    login(users["leader"], org)
    body = client.get(
        f"{base(intervention)}/sammenlign?before={before.id}&after={after.id}"
    ).get_data(as_text=True)
    chart = line_chart(body)
    assert chart["notes"] == [None] * 10 + ["ingen score"]
    assert [d["label"] for d in chart["datasets"]] == [
        "Forår – ingen score vist for element 1, 5",
        "Efterår – ingen score vist for element 10",
    ]
    assert chart["datasets"][0]["data"][:2] == [None, 100.0]
    assert chart["datasets"][1]["data"][9:] == [None, None]


def test_the_line_chart_names_an_element_without_a_score_in_any_round(client, login):
    org, intervention, instrument, users, _ = setup_team()
    for day, name in enumerate(("Forår", "Efterår")):
        answers = dict.fromkeys(("p1", "p2"), _all_but({11}, "high"))
        _round(intervention, instrument, users, name, answers, day)
    db.session.commit()
    login(users["leader"], org)
    chart = line_chart(client.get(base(intervention)).get_data(as_text=True))
    labels = [d["label"] for d in chart["datasets"]]
    assert labels[0] == "1. Teori og viden"
    assert labels[10] == "11. Opfølgning (ingen score)"
    assert chart["datasets"][10]["data"] == [None, None]
