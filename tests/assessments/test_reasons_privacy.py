"""Justifications ("Hvad får os til at sige det?") follow the small-group rule of the scores:
beside an element only one respondent scored, the words would be that person's."""

from improvement.analysis.assessment import element_results
from improvement.assessments.service import reasons_shown
from improvement.extensions import db
from improvement.models import AssessmentJustification
from tests.assessments.helpers import answer_all, gen_respondent, gen_round, setup_team


def base(intervention):
    return f"/indsatser/{intervention.id}/selvevaluering"


def _say(respondent, element, text):
    db.session.add(
        AssessmentJustification(
            organization_id=respondent.organization_id,
            respondent_id=respondent.id,
            element=element,
            text=text,
        )
    )


def _result(scores: list[float | None]):
    rows = [
        {"respondent_id": i, "role": "practitioner", "element": 1, "score": s}
        for i, s in enumerate(scores)
    ]
    return element_results(rows, elements=(1,))[0]


def test_the_rule_on_results():
    assert reasons_shown(_result([100.0, 0.0]))
    assert not reasons_shown(_result([100.0]))  # "too few to show"
    assert not reasons_shown(_result([100.0, None, None]))  # one score, two "ved ikke"
    assert reasons_shown(_result([None, None]))  # no score, two who did not know
    assert not reasons_shown(_result([None]))
    assert not reasons_shown(_result([]))


def test_a_lone_respondents_words_are_not_shown(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument, "Efterår", status="closed")
    caseworker = gen_respondent(round_, users["caseworker"], "authority")
    answer_all(caseworker, instrument, dict.fromkeys(range(1, 12), "high"))
    _say(caseworker, 1, "Kun mine egne ord om teorien")
    db.session.commit()
    login(users["leader"], org)
    for url in (
        f"{base(intervention)}/{round_.id}",
        f"{base(intervention)}/{round_.id}/udskriv",
        f"{base(intervention)}/elementer/1",
    ):
        body = client.get(url).get_data(as_text=True)
        assert ">for få til at vise<" in body or ">for få<" in body, url  # on paper: "for få"
        assert "Kun mine egne ord" not in body, url
        assert "begrundelser, så ingen enkeltpersons svar kan aflæses" in body, url


def test_words_beside_a_result_of_two_or_more_are_shown(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument, "Efterår", status="closed")
    p1 = gen_respondent(round_, users["p1"], "practitioner")
    p2 = gen_respondent(round_, users["p2"], "practitioner")
    answer_all(p1, instrument, {1: "high", 2: "high", 3: "dont_know"})
    answer_all(p2, instrument, {1: "some", 3: "dont_know"})
    _say(p1, 1, "Vi har en forandringsteori")  # element 1: two scores
    _say(p1, 2, "Kun Bo scorede virkning")  # element 2: one score
    _say(p2, 3, "Ingen af os ved det")  # element 3: two "ved ikke", no score
    db.session.commit()
    login(users["leader"], org)
    body = client.get(f"{base(intervention)}/{round_.id}").get_data(as_text=True)
    assert "Vi har en forandringsteori" in body
    assert "Ingen af os ved det" in body
    assert "Kun Bo scorede virkning" not in body
    element = client.get(f"{base(intervention)}/elementer/2").get_data(as_text=True)
    assert "Kun Bo scorede virkning" not in element
    element = client.get(f"{base(intervention)}/elementer/1").get_data(as_text=True)
    assert "Vi har en forandringsteori" in element
