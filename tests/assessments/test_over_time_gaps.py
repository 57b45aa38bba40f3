"""Over time: a round without a score for an element is a gap in its line, rounds answered
with different instrument versions are flagged (the compare page's warning), rounds are
in the order they were opened, and the element page says where respondents agree."""

from datetime import UTC, datetime, timedelta

from improvement.assessments.service import build_instrument, parse_instrument
from improvement.extensions import db
from tests.assessments.helpers import answer_all, gen_respondent, gen_round, setup_team
from tests.assessments.test_instruments import OWN
from tests.assessments.test_over_time import line_chart, over_time_tables

MIXED = "Runderne er besvaret med forskellige versioner af spørgeskemaet."
START = datetime(2025, 1, 6, 9, tzinfo=UTC)


def base(intervention):
    return f"/indsatser/{intervention.id}/selvevaluering"


def _closed(intervention, instrument, users, name, who, opened, closed=None):
    round_ = gen_round(intervention, instrument, name=name, status="closed")
    round_.created_at, round_.closed_at = opened, closed or opened
    for key, value in who:
        answer_all(gen_respondent(round_, users[key], "practitioner"), instrument, {1: value})
    return round_


def test_a_round_too_few_scored_is_a_gap_in_the_line(client, login):
    org, intervention, instrument, users, _ = setup_team()
    two = (("p1", "high"), ("p2", "some"))
    _closed(intervention, instrument, users, "Forår", two, START)
    _closed(intervention, instrument, users, "Sommer", (("p1", "none"),), START + timedelta(1))
    _closed(intervention, instrument, users, "Efterår", two, START + timedelta(2))
    db.session.commit()
    login(users["leader"], org)
    body = client.get(base(intervention)).get_data(as_text=True)
    chart = line_chart(body)
    first = chart["datasets"][0]
    # (100 + 67) / 2 = 83.5; Sommer: one score, withheld; no line drawn across it.
    assert first["data"] == [83.5, None, 83.5]
    assert all(d["spanGaps"] is False for d in chart["datasets"])
    assert "giver et hul i linjen" in body
    assert MIXED not in body


def test_rounds_of_different_versions_are_flagged_over_time_and_compared(client, login):
    org, intervention, instrument, users, _ = setup_team()
    data, errors = parse_instrument(OWN)
    assert not errors
    own = build_instrument(data, org.id)
    db.session.add(own)
    db.session.flush()
    two = (("p1", "ja"), ("p2", "nej"))
    _closed(intervention, instrument, users, "Forår", (("p1", "high"), ("p2", "some")), START)
    _closed(intervention, own, users, "Efterår", two, START + timedelta(1))
    db.session.commit()
    login(users["leader"], org)
    assert MIXED in client.get(base(intervention)).get_data(as_text=True)
    assert MIXED in client.get(f"{base(intervention)}/sammenlign").get_data(as_text=True)


def test_rounds_are_in_the_order_they_were_opened_not_closed(client, login):
    org, intervention, instrument, users, _ = setup_team()
    two = (("p1", "high"), ("p2", "some"))
    # The baseline was opened first but closed last.
    _closed(intervention, instrument, users, "Baseline", two, START, START + timedelta(90))
    _closed(intervention, instrument, users, "Midtvejs", two, START + timedelta(30), START)
    db.session.commit()
    login(users["leader"], org)
    body = client.get(base(intervention)).get_data(as_text=True)
    assert line_chart(body)["labels"] == ["Baseline", "Midtvejs"]
    assert over_time_tables(body)[0] == ["Baseline", "Midtvejs"]


def test_the_element_page_says_where_respondents_agree(client, login):
    org, intervention, instrument, users, _ = setup_team()
    # 100 and 67 are 33 apart: they agree; 100 and 0 are 100 apart: they disagree.
    _closed(intervention, instrument, users, "Forår", (("p1", "high"), ("p2", "some")), START)
    _closed(
        intervention,
        instrument,
        users,
        "Efterår",
        (("p1", "high"), ("p2", "none")),
        START + timedelta(1),
    )
    db.session.commit()
    login(users["leader"], org)
    body = client.get(f"{base(intervention)}/elementer/1").get_data(as_text=True)
    rows = body[body.index('class="element-history"') : body.index("</table>")]
    assert rows.count('<span class="muted">Enige</span>') == 1
    assert rows.count("Uenige") == 1
