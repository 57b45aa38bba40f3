"""The self-assessment's change over time with many rounds: the line chart has the latest
rounds only and says so, the table has every round, and on paper the table comes in parts
of a page's width."""

import html
import json
import re

from improvement.assessments.service import LINE_CHART_ROUNDS
from improvement.extensions import db
from tests.assessments.helpers import answer_all, gen_respondent, gen_round, setup_team


def closed_rounds(intervention, instrument, users, count):
    """`count` closed rounds, "Runde 1" oldest, each answered by three respondents."""
    for n in range(1, count + 1):
        round_ = gen_round(intervention, instrument, name=f"Runde {n}", status="closed")
        for key, role, value in (
            ("leader", "leader", "some"),
            ("p1", "practitioner", "high"),
            ("p2", "practitioner", "little"),
        ):
            answer_all(gen_respondent(round_, users[key], role), instrument, {1: value})
    db.session.commit()


def line_chart(body: str) -> dict:
    match = re.search(r'data-chart="([^"]+)"', body)
    assert match, "no line chart on the page"
    return json.loads(html.unescape(match.group(1)))


def over_time_tables(body: str) -> list[list[str]]:
    """The round names heading each over-time table, in the page's order."""
    tables = re.findall(r'<table class="over-time-table.*?</thead>', body, re.S)
    return [re.findall(r'<th scope="col" class="num">([^<]+)</th>', t) for t in tables]


def test_the_line_chart_shows_the_latest_rounds_and_says_so(client, login):
    org, intervention, instrument, users, _ = setup_team()
    closed_rounds(intervention, instrument, users, 10)
    login(users["leader"], org)
    body = client.get(f"/indsatser/{intervention.id}/selvevaluering").get_data(as_text=True)

    chart = line_chart(body)
    assert LINE_CHART_ROUNDS == 8
    assert chart["labels"] == [f"Runde {n}" for n in range(3, 11)]
    assert all(len(line["data"]) == 8 for line in chart["datasets"])
    assert len(chart["datasets"]) == 11
    # Element 1: (67 + 100 + 33) / 3 in every round, the newest included.
    assert chart["datasets"][0]["data"][-1] == 66.7
    assert "Viser de 8 seneste runder af 10; alle står i tabellen." in body
    # The table has every round, oldest first; ten print as one table.
    assert over_time_tables(body) == [[f"Runde {n}" for n in range(1, 11)]]
    assert 'id="over-time-scroll"' in body and "data-scroll-end" in body
    assert "print-parts" not in body


def test_no_note_when_the_chart_shows_every_round(client, login):
    org, intervention, instrument, users, _ = setup_team()
    closed_rounds(intervention, instrument, users, LINE_CHART_ROUNDS)
    login(users["leader"], org)
    body = client.get(f"/indsatser/{intervention.id}/selvevaluering").get_data(as_text=True)

    assert line_chart(body)["labels"] == [f"Runde {n}" for n in range(1, 9)]
    assert "seneste runder af" not in body


def test_many_rounds_print_in_even_parts_each_with_the_elements(client, login):
    org, intervention, instrument, users, _ = setup_team()
    closed_rounds(intervention, instrument, users, 25)
    login(users["leader"], org)
    body = client.get(f"/indsatser/{intervention.id}/selvevaluering").get_data(as_text=True)

    names = [f"Runde {n}" for n in range(1, 26)]
    screen, *parts = over_time_tables(body)
    assert screen == names
    # At most ten rounds a part, as even as they go: 9, 8 and 8.
    assert parts == [names[:9], names[9:17], names[17:]]
    assert 'class="table-scroll screen-only"' in body
    printed = body[body.index('class="print-parts"') :]
    assert printed.count("1. Teori og viden") == 3
    assert "Viser de 8 seneste runder af 25; alle står i tabellen." in body
