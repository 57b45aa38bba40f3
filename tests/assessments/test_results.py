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
    assert "66,7" in body and "33–100" in body
    assert "Uenige" in body
    # Element 2: leader 0, p1 only "ved ikke" (no score), p2 100 → mean 50.0, n=2 (+1).
    assert "50,0" in body and "(+1 ved ikke)" in body
    # Elements nobody answered have no score, shown as such (never 0).
    assert body.count("ingen score") == 9
    # The single leader's mean is hidden; with one cell hidden the smallest other role
    # (practitioners) is hidden too, so the leader cannot be recovered by subtraction.
    assert "for få til at vise" in body
    assert "Indsatssporet (element 1–6)" in body
    assert "Det organisatoriske spor (element 7–11)" in body
    chart = radar(body)
    assert chart["type"] == "radar"
    assert chart["datasets"][0]["data"][:3] == [66.7, 50.0, None]
    assert chart["tracks"][:7] == ["intervention"] * 6 + ["organisation"]
    # Weakest elements (lowest first) link to the element page.
    assert "Svageste elementer" in body
    assert f"{base(intervention)}/elementer/2#new-point" in body


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
    # A round of another intervention cannot be compared here: it is simply not offered.
    assert client.get(f"{base(intervention)}/sammenlign?a=999&b=998").status_code == 200


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
