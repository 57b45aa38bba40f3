"""Results of closed rounds, comparison, the element page with development points, print."""

import json
import re

from sqlalchemy import event, func, select

from improvement.extensions import db
from improvement.models import AssessmentJustification, DevelopmentPoint
from tests.assessments.helpers import (
    HX,
    answer_all,
    gen_respondent,
    gen_round,
    setup_team,
)
from tests.pdsa.factories import gen_cycle


def base(intervention):
    return f"/indsatser/{intervention.id}/selvevaluering"


def radar(body: str) -> dict:
    match = re.search(r'data-chart="([^"]+)"', body)
    assert match, "no chart on the page"
    return json.loads(match.group(1).replace("&#34;", '"').replace("&quot;", '"'))


def closed_round(intervention, instrument, users, name="Baseline", answers=None):
    """Leader 'some' (67), two practitioners 'high' (100) and 'little' (33) on element 1."""
    round_ = gen_round(intervention, instrument, name=name, status="closed")
    answers = answers or {
        ("leader", "leader"): {1: "some", 2: "none"},
        ("p1", "practitioner"): {1: "high", 2: "dont_know"},
        ("p2", "practitioner"): {1: "little", 2: "high"},
    }
    for (key, role), values in answers.items():
        answer_all(gen_respondent(round_, users[key], role), instrument, values)
    db.session.commit()
    return round_


def test_result_table_radar_and_suppression(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = closed_round(intervention, instrument, users)
    login(users["leader"], org)
    body = client.get(f"{base(intervention)}/{round_.id}").get_data(as_text=True)
    # Element 1: (67 + 100 + 33) / 3 = 66.7; min 33, max 100, spread 67 > 50: disagreement.
    # The range has the score's one decimal.
    assert "66,7" in body and "33,0–100,0" in body
    assert "Uenige" in body
    # Element 2: leader 0, p1 only "ved ikke" (no score), p2 100 → mean 50.0, n=2 (+1).
    assert "50,0" in body and "(+1 ved ikke)" in body
    # Elements nobody answered have no score, shown as such in the table (never 0).
    assert body.count('<span class="muted">ingen score</span>') == 9
    # The single leader's mean is hidden; with one cell hidden the smallest other role
    # (practitioners) is hidden too, so the leader cannot be recovered by subtraction. No
    # role cell is left to show: the role columns are left out, and the page says why.
    assert "Gennemsnittet pr. rolle vises ikke" in body
    assert '<th scope="col" class="num">Ledere</th>' not in body
    assert "Indsatssporet (element 1–6)" in body
    assert "Det organisatoriske spor (element 7–11)" in body
    chart = radar(body)
    assert chart["type"] == "radar"
    assert chart["datasets"][0]["data"][:3] == [66.7, 50.0, None]
    assert chart["tracks"][:7] == ["intervention"] * 6 + ["organisation"]
    # Weakest elements (lowest first) link to the element page.
    assert "Svageste elementer" in body
    assert f"{base(intervention)}/elementer/2#new-point" in body


def test_a_role_hidden_to_protect_another_says_so(client, login):
    org, intervention, instrument, users, _ = setup_team()
    # Element 2, which the leader did not answer, has the practitioners' mean to show: the
    # role columns stay.
    answers = {
        ("leader", "leader"): {1: "high"},
        ("p1", "practitioner"): {1: "little", 2: "some"},
        ("p2", "practitioner"): {1: "none", 2: "some"},
    }
    round_ = closed_round(intervention, instrument, users, answers=answers)
    login(users["p1"], org)
    body = client.get(f"{base(intervention)}/{round_.id}").get_data(as_text=True)
    row = body[body.index('/elementer/1">1.') :]
    row = row[: row.index("</tr>")]
    # The one leader's cell is too few; the two practitioners' cell would give the
    # leader's score away (3 × overall − 2 × practitioners), so it is hidden, not "too few".
    assert "for få til at vise" in row
    assert 'skjult</span> <small class="muted">(n=2)</small>' in row
    assert "ville afsløre en anden rolles" in body


def test_a_round_nobody_answered_says_so(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument, name="Ingen svar", status="closed")
    gen_respondent(round_, users["p1"], "practitioner")
    db.session.commit()
    login(users["leader"], org)
    body = client.get(f"{base(intervention)}/{round_.id}").get_data(as_text=True)
    assert "Intet element har en score: ingen har svaret i denne runde." in body
    assert "ved ikke" not in body[body.index("Svageste") :][:400]


def test_per_role_shown_when_groups_have_two(client, login):
    org, intervention, instrument, users, _ = setup_team()
    answers = {
        ("leader", "leader"): {1: "high"},
        ("caseworker", "leader"): {1: "some"},
        ("p1", "practitioner"): {1: "little"},
        ("p2", "practitioner"): {1: "none"},
    }
    round_ = closed_round(intervention, instrument, users, answers=answers)
    login(users["p1"], org)
    body = client.get(f"{base(intervention)}/{round_.id}").get_data(as_text=True)
    # Leaders (100 + 67) / 2 = 83.5; practitioners (33 + 0) / 2 = 16.5.
    assert "83,5" in body and "16,5" in body
    assert "for få til at vise" not in body


def test_compare_two_rounds_and_line_over_time(client, login):
    org, intervention, instrument, users, _ = setup_team()
    first = closed_round(intervention, instrument, users, name="Baseline")
    second = closed_round(
        intervention,
        instrument,
        users,
        name="Opfølgning",
        answers={
            ("leader", "leader"): {1: "high", 2: "some"},
            ("p1", "practitioner"): {1: "high"},
            ("p2", "practitioner"): {2: "some"},
        },
    )
    login(users["leader"], org)
    body = client.get(f"{base(intervention)}/sammenlign?a={first.id}&b={second.id}").get_data(
        as_text=True
    )
    # Element 1: 66.7 → 100.0 = +33.3; element 2: 50.0 → 67.0 = +17.0; element 3: no change.
    assert "+33,3" in body and "+17,0" in body
    chart = radar(body)
    assert [d["label"] for d in chart["datasets"]] == ["Baseline", "Opfølgning"]
    listing = client.get(base(intervention)).get_data(as_text=True)
    line = radar(listing)
    assert line["type"] == "line"
    assert line["labels"] == ["Baseline", "Opfølgning"]
    assert line["datasets"][0]["data"] == [66.7, 100.0]
    assert len(line["datasets"]) == 11
    # Chosen the wrong way round, the rounds are put in time order: the change still
    # reads forward, as progress, and the page says why the selects changed.
    body = client.get(f"{base(intervention)}/sammenlign?a={second.id}&b={first.id}").get_data(
        as_text=True
    )
    assert "+33,3" in body and "+17,0" in body and "▼" not in body
    assert "Runderne vises i tidsorden: «Baseline» er den tidligere" in body
    assert [d["label"] for d in radar(body)["datasets"]] == ["Baseline", "Opfølgning"]
    # A round of another intervention, or one still open, cannot be compared here: it is
    # not offered, and an address naming it says what can be compared.
    still_open = gen_round(intervention, instrument, name="Igangværende")
    db.session.commit()
    for query in ("a=999&b=998", f"a={still_open.id}&b={second.id}"):
        response = client.get(f"{base(intervention)}/sammenlign?{query}")
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert "Vælg to lukkede runder i denne indsats" in body
        assert "compare-table" not in body


def test_results_are_not_shown_for_an_open_round(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument)
    db.session.commit()
    login(users["leader"], org)
    response = client.get(f"{base(intervention)}/{round_.id}/udskriv")
    assert response.status_code == 302


def test_print_page_has_radar_and_table(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = closed_round(intervention, instrument, users)
    login(users["leader"], org)
    body = client.get(f"{base(intervention)}/{round_.id}/udskriv").get_data(as_text=True)
    assert 'class="print-page"' in body
    assert "data-chart" in body and "result-table" in body
    assert "data-print" in body


def test_development_point_from_an_element(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = closed_round(intervention, instrument, users)
    p2 = next(r for r in round_.respondents if r.user_id == users["p2"].id)
    db.session.add(
        AssessmentJustification(
            organization_id=org.id, respondent_id=p2.id, element=2, text="Ingen måling endnu."
        )
    )
    db.session.commit()
    login(users["leader"], org)
    url = f"{base(intervention)}/elementer/2"
    page = client.get(url).get_data(as_text=True)
    assert "Virkning" in page
    assert "Intet udviklingspunkt er knyttet til dette element endnu." in page
    assert "50,0" in page  # the element's score in the closed round
    assert "Ingen måling endnu." in page  # p2's justification, without a name
    response = client.post(
        url + "/udviklingspunkter",
        data={"title": "Før- og eftermåling med SDQ", "kind": "practice", "description": ""},
        headers=HX,
    )
    assert response.status_code == 200
    assert "Før- og eftermåling med SDQ" in response.get_data(as_text=True)
    point = db.session.scalars(select(DevelopmentPoint)).one()
    assert [e.number for e in point.practice_elements] == [2]
    assert (point.intervention_id, point.organization_id, point.status) == (
        intervention.id,
        org.id,
        "proposed",
    )
    # Listed on element 2's page, not on element 3's.
    assert "Før- og eftermåling med SDQ" in client.get(url).get_data(as_text=True)
    other = client.get(f"{base(intervention)}/elementer/3").get_data(as_text=True)
    assert "Før- og eftermåling med SDQ" not in other
    # What the team is doing about the weakness: the tests under the point are listed too.
    assert "Ingen prøvehandling under dette udviklingspunkt endnu." in client.get(url).get_data(
        as_text=True
    )
    gen_cycle(point, title="SDQ med to familier")
    db.session.commit()
    assert "SDQ med to familier" in client.get(url).get_data(as_text=True)


def test_development_point_invalid_is_422(client, login):
    org, intervention, _instrument, users, _ = setup_team()
    login(users["leader"], org)
    url = f"{base(intervention)}/elementer/2/udviklingspunkter"
    response = client.post(url, data={"title": "", "kind": "practice"}, headers=HX)
    assert response.status_code == 422
    assert "Feltet skal udfyldes." in response.get_data(as_text=True)
    response = client.post(url, data={"title": "Ok", "kind": "galaxy"}, headers=HX)
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(DevelopmentPoint)) == 0
    assert client.get(f"{base(intervention)}/elementer/12").status_code == 404


def _count_queries(client, url) -> int:
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_pages_issue_a_constant_number_of_queries(client, login):
    org, intervention, instrument, users, _ = setup_team()
    first = closed_round(intervention, instrument, users, name="R1")
    login(users["leader"], org)
    urls = [
        base(intervention),
        f"{base(intervention)}/{first.id}",
        f"{base(intervention)}/elementer/1",
        f"{base(intervention)}/sammenlign",
    ]
    closed_round(intervention, instrument, users, name="R2")
    before = {url: _count_queries(client, url) for url in urls}
    for name in ("R3", "R4", "R5"):
        closed_round(intervention, instrument, users, name=name)
    after = {url: _count_queries(client, url) for url in urls}
    assert after == before


def test_results_of_several_rounds_are_scored_round_by_round(app):
    from improvement.assessments import service

    _, intervention, instrument, users, _ = setup_team()
    first = closed_round(intervention, instrument, users)
    nobody = gen_round(intervention, instrument, name="Ingen svar", status="closed")
    both_high = {("p1", "practitioner"): {1: "high"}, ("p2", "practitioner"): {1: "high"}}
    second = closed_round(intervention, instrument, users, name="Opfølgning", answers=both_high)
    results = service.results_for([second, nobody, first])
    assert list(results) == [second.id, nobody.id, first.id]
    assert results[first.id].by_element()[1].mean == 66.7
    assert results[first.id].respondents == 3
    assert results[second.id].by_element()[1].mean == 100.0
    assert results[nobody.id].respondents == 0
    assert all(e.mean is None for e in results[nobody.id].elements)
    # One round alone scores the same as among others.
    assert dict(service.iter_results([first])) == {first.id: results[first.id]}


def test_an_element_one_respondent_scored_is_suppressed_everywhere(client, login):
    """Closed anyway with one leader, one practitioner and one caseworker answering: where
    only one of them gave a score, the overall figure would be that person's answer (and
    the respondent box says who), so it is hidden like the role cells; elements two or
    more scored keep their results."""
    org, intervention, instrument, users, _ = setup_team()
    baseline = closed_round(intervention, instrument, users, name="Baseline")
    answers = {
        # Element 1: everyone scores it: shown. Element 2: only the leader gives a score
        # (the others answer "ved ikke"): n = 1, hidden. Element 3: only the leader: hidden.
        ("leader", "leader"): {1: "some", 2: "little", 3: "high"},
        ("p1", "practitioner"): {1: "high", 2: "dont_know"},
        ("caseworker", "authority"): {1: "little", 2: "dont_know"},
    }
    few = closed_round(intervention, instrument, users, name="Få svar", answers=answers)
    login(users["leader"], org)
    page = client.get(f"{base(intervention)}/{few.id}").get_data(as_text=True)
    table = page[page.index('class="result-table"') :]
    rows = {
        int(m.group(1)): m.group(0)
        for m in re.finditer(
            r'<tr class="[^"]*">\s*<th scope="row">.*?(\d+)\. .*?</tr>', table, re.S
        )
    }
    # Element 1: (67 + 100 + 33) / 3 = 66.7, range 33.0-100.0: kept.
    assert "66,7" in rows[1] and "33,0–100,0" in rows[1]
    # Elements 2 and 3: the leader's 33.0 and 100.0 appear nowhere; "too few to show".
    for n in (2, 3):
        assert "for få til at vise" in rows[n].split('class="num role-cell"')[0], n
        assert "33,0" not in rows[n] and "100,0" not in rows[n], n
    assert "(+2 ved ikke)" in rows[2]
    assert "Et element, som kun én respondent har givet en score" in page
    # Not among the weakest either (it would print the score), and a gap in the radar.
    weakest = page[page.index("Svageste elementer") : page.index("result-facts")]
    assert "33,0" not in weakest and "elementer/2#new-point" not in weakest
    assert radar(page)["datasets"][0]["data"][:4] == [66.7, None, None, None]

    # The printed result, the element page, the listing's table and line, the comparison.
    printed = client.get(f"{base(intervention)}/{few.id}/udskriv").get_data(as_text=True)
    # On paper in two words, to keep to a line in the narrow columns.
    assert printed.count(">for få<") == page.count(">for få til at vise<") > 0
    assert radar(printed)["datasets"][0]["data"][:3] == [66.7, None, None]
    element = client.get(f"{base(intervention)}/elementer/3").get_data(as_text=True)
    history = element[element.index("element-history") : element.index("</table>")]
    assert "for få til at vise" in history and "100,0" not in history
    listing = client.get(base(intervention)).get_data(as_text=True)
    over_time = listing[listing.index("over-time-table") :]
    assert "for få til at vise" in over_time
    line = radar(listing)
    assert [d["data"] for d in line["datasets"][:3]] == [[66.7, 66.7], [50.0, None], [None, None]]
    compare = client.get(f"{base(intervention)}/sammenlign?a={baseline.id}&b={few.id}").get_data(
        as_text=True
    )
    # Element 2: 50.0 before, withheld after: no change shown (it would give 33 away).
    assert "for få til at vise" in compare and "-17,0" not in compare and "▼" not in compare
    assert radar(compare)["datasets"][1]["data"][:3] == [66.7, None, None]


def test_a_round_where_every_element_rests_on_one_respondent(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = closed_round(
        intervention, instrument, users, answers={("leader", "leader"): {1: "some", 2: "high"}}
    )
    login(users["leader"], org)
    page = client.get(f"{base(intervention)}/{round_.id}").get_data(as_text=True)
    assert "Intet element har en score, der kan vises: for få har svaret." in page
    assert "67,0" not in page and "100,0" not in page
    assert radar(page)["datasets"][0]["data"] == [None] * 11


def test_range_has_the_scores_decimal(client, login):
    """A 49.8 is never printed next to a range of "50–50"."""
    org, intervention, instrument, users, _ = setup_team()
    round_ = closed_round(
        intervention,
        instrument,
        users,
        answers={("p1", "practitioner"): {1: "some"}, ("p2", "practitioner"): {1: "little"}},
    )
    login(users["leader"], org)
    page = client.get(f"{base(intervention)}/{round_.id}").get_data(as_text=True)
    # (67 + 33) / 2 = 50.0, range 33.0-67.0.
    assert "50,0" in page and "33,0–67,0" in page and "33–67" not in page
    element = client.get(f"{base(intervention)}/elementer/1").get_data(as_text=True)
    assert "33,0–67,0" in element
