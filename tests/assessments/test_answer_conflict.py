"""An answer given in another tab or window meanwhile is not overwritten unseen: the page
sends the answer it showed, and a save from an older page is refused (409) with the saved
answer, the radio put back on it."""

import re
from html import unescape

from sqlalchemy import select

from improvement.extensions import db
from improvement.models import AssessmentAnswer
from tests.assessments.helpers import HX, gen_respondent, gen_round, setup_team


def base(intervention):
    return f"/indsatser/{intervention.id}/selvevaluering"


def _stored() -> list[str]:
    db.session.expire_all()
    return db.session.scalars(select(AssessmentAnswer.value)).all()


def test_an_answer_from_another_window_is_not_overwritten_unseen(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument)
    gen_respondent(round_, users["p1"])
    db.session.commit()
    login(users["p1"], org)
    statement = instrument.statements[0]
    page = client.get(f"{base(intervention)}/{round_.id}/besvar").get_data(as_text=True)
    assert f'<input type="hidden" id="answer-base-{statement.id}" name="base" value=""' in page
    url = f"{base(intervention)}/{round_.id}/svar/{statement.id}"

    # Window 1 answers "I høj grad"; the answer tells the page what it now shows.
    response = client.post(url, data={"value": "high", "base": ""}, headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert re.search(rf'id="answer-base-{statement.id}" name="base" value="high" hx-swap-oob', body)
    # Window 2, opened before, answers "Slet ikke": refused, with the saved answer.
    response = client.post(url, data={"value": "none", "base": ""}, headers=HX)
    assert response.status_code == 409
    body = unescape(response.get_data(as_text=True))
    assert "Du har svaret anderledes i et andet vindue: I høj grad." in body
    assert _stored() == ["high"]
    # The radio goes back on the saved answer and the page's base follows it ...
    scale = re.search(
        rf'<div class="scale" id="scale-{statement.id}" hx-swap-oob="true">(.*?)</div>', body, re.S
    )
    assert scale
    checked = re.findall(r'value="(\w+)" checked', scale.group(1))
    assert checked == ["high"]
    assert re.search(rf'id="answer-base-{statement.id}" name="base" value="high" hx-swap-oob', body)
    # ... so choosing again changes it knowingly.
    response = client.post(url, data={"value": "none", "base": "high"}, headers=HX)
    assert response.status_code == 200
    assert _stored() == ["none"]
    # The same answer as saved is no conflict, whatever the page showed.
    response = client.post(url, data={"value": "none", "base": "some"}, headers=HX)
    assert response.status_code == 200


def test_a_reload_shows_the_saved_answer_as_the_base(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument)
    gen_respondent(round_, users["p1"])
    db.session.commit()
    login(users["p1"], org)
    statement = instrument.statements[0]
    url = f"{base(intervention)}/{round_.id}/svar/{statement.id}"
    assert client.post(url, data={"value": "some", "base": ""}, headers=HX).status_code == 200
    page = client.get(f"{base(intervention)}/{round_.id}/besvar").get_data(as_text=True)
    assert f'id="answer-base-{statement.id}" name="base" value="some"' in page
    assert re.search(rf'id="answer-{statement.id}-2" name="value" value="some" checked', page)
