"""Rounds: opening, inviting, answering alone with HTMX saves, refusals, closing."""

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from improvement import seeding
from improvement.assessments.service import build_instrument
from improvement.extensions import db
from improvement.models import (
    AssessmentAnswer,
    AssessmentJustification,
    AssessmentRespondent,
    AssessmentRound,
)
from tests.assessments.helpers import (
    HX,
    answer_all,
    gen_respondent,
    gen_round,
    setup_team,
    shared_instrument,
)
from tests.helpers import gen_intervention, gen_org, gen_user


def base(intervention):
    return f"/indsatser/{intervention.id}/selvevaluering"


def test_seeded_instrument_is_shared_and_loaded_once(app):
    first = shared_instrument()
    again = shared_instrument()
    assert first.id == again.id
    assert first.organization_id is None
    assert len(first.statements) == 44
    assert {s.element for s in first.statements} == set(range(1, 12))
    assert first.weights == {"high": 100, "some": 67, "little": 33, "none": 0, "dont_know": None}


def test_empty_listing_explains_and_offers_first_round(client, login):
    org, intervention, _instrument, users, _ = setup_team()
    login(users["leader"], org)
    body = client.get(base(intervention)).get_data(as_text=True)
    assert "Ingen runder endnu" in body
    assert "Åbn runden" in body
    assert "Selvevaluering" in body  # the sub-navigation entry


def test_open_round_with_htmx_redirects_to_it(client, login):
    org, intervention, instrument, users, _ = setup_team()
    login(users["leader"], org)
    response = client.post(
        base(intervention),
        data={"name": "Baseline 2026", "instrument_id": instrument.id},
        headers=HX,
    )
    assert response.status_code == 200
    round_ = db.session.scalars(select(AssessmentRound)).one()
    assert response.headers["HX-Redirect"].endswith(f"/selvevaluering/{round_.id}")
    assert (round_.status, round_.instrument_id, round_.organization_id) == (
        "open",
        instrument.id,
        org.id,
    )


def test_open_round_invalid_input_is_422_and_writes_nothing(client, login):
    org, intervention, instrument, users, _ = setup_team()
    gen_round(intervention, instrument, name="Baseline")
    db.session.commit()
    login(users["leader"], org)
    response = client.post(
        base(intervention), data={"name": "", "instrument_id": instrument.id}, headers=HX
    )
    assert response.status_code == 422
    assert "Feltet skal udfyldes." in response.get_data(as_text=True)
    response = client.post(
        base(intervention), data={"name": "Baseline", "instrument_id": instrument.id}, headers=HX
    )
    assert response.status_code == 422
    assert "En runde med dette navn findes allerede." in response.get_data(as_text=True)
    # Another organisation's instrument version is not a choice.
    other = gen_org("Syd")
    foreign = build_instrument(seeding.read("assessment_instrument.yaml"), other.id)
    db.session.add(foreign)
    db.session.commit()
    response = client.post(
        base(intervention), data={"name": "Ny", "instrument_id": foreign.id}, headers=HX
    )
    assert response.status_code == 422
    assert "Ikke et gyldigt valg" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AssessmentRound)) == 1


def test_invite_copies_the_role_from_the_team(client, login):
    org, intervention, instrument, users, members = setup_team()
    round_ = gen_round(intervention, instrument)
    db.session.commit()
    login(users["leader"], org)
    response = client.post(
        f"{base(intervention)}/{round_.id}/respondenter",
        data={"member_id": [members["leader"].id, members["caseworker"].id]},
        headers=HX,
    )
    assert response.status_code == 200
    roles = dict(
        db.session.execute(select(AssessmentRespondent.user_id, AssessmentRespondent.role)).all()
    )
    assert roles == {users["leader"].id: "leader", users["caseworker"].id: "authority"}
    # Nobody chosen, or nothing that is an id ("²" is a digit to str.isdigit, not to int):
    # 422 with a message, nothing written.
    for data in ({}, {"member_id": ["²", str(10**20), "abc"]}):
        url = f"{base(intervention)}/{round_.id}/respondenter"
        response = client.post(url, data=data, headers=HX)
        assert response.status_code == 422
        assert "Vælg mindst ét teammedlem." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AssessmentRespondent)) == 2


def _oob_actions(body: str) -> str:
    """The out-of-band copy of the round page's action buttons in an HTMX response."""
    match = re.search(
        r'<div class="actions" id="round-actions" hx-swap-oob="true">(.*?)</div>', body, re.S
    )
    assert match, "no out-of-band action buttons in the response"
    return match.group(1)


def test_inviting_oneself_shows_the_answer_button_without_a_reload(client, login):
    org, intervention, instrument, users, members = setup_team()
    round_ = gen_round(intervention, instrument)
    db.session.commit()
    login(users["leader"], org)
    page = client.get(f"{base(intervention)}/{round_.id}").get_data(as_text=True)
    answer_url = f"{base(intervention)}/{round_.id}/besvar"
    assert answer_url not in page  # not invited yet: no answer button
    assert 'id="round-actions"' in page and "hx-swap-oob" not in page

    # The leader ticks herself and a practitioner and clicks "Invitér" (an HTMX request
    # swapping #respondents): the answer button comes along out of band.
    response = client.post(
        f"{base(intervention)}/{round_.id}/respondenter",
        data={"member_id": [members["leader"].id, members["p1"].id]},
        headers=HX,
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<section class="panel" id="respondents"')
    assert "Besvar selvevalueringen" in _oob_actions(body)
    assert answer_url in _oob_actions(body)

    # Inviting only others leaves the button out; removing oneself takes it away again.
    me = db.session.scalars(
        select(AssessmentRespondent).where(AssessmentRespondent.user_id == users["leader"].id)
    ).one()
    response = client.post(
        f"{base(intervention)}/{round_.id}/respondenter/{me.id}/fjern", headers=HX
    )
    assert response.status_code == 200
    assert answer_url not in _oob_actions(response.get_data(as_text=True))
    response = client.post(
        f"{base(intervention)}/{round_.id}/respondenter",
        data={"member_id": [members["p2"].id]},
        headers=HX,
    )
    assert answer_url not in _oob_actions(response.get_data(as_text=True))
    # Without HTMX the whole page comes back, the button in place and not out of band.
    response = client.post(
        f"{base(intervention)}/{round_.id}/respondenter",
        data={"member_id": [members["leader"].id]},
    )
    body = response.get_data(as_text=True)
    assert answer_url in body and "<html" in body and "hx-swap-oob" not in body


def test_answer_is_saved_per_statement_and_shows_saved_state(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument)
    respondent = gen_respondent(round_, users["p1"])
    db.session.commit()
    statement = instrument.statements[0]
    login(users["p1"], org)
    page = client.get(f"{base(intervention)}/{round_.id}/besvar").get_data(as_text=True)
    assert statement.text in page
    assert "Du har besvaret 0 af 44 udsagn." in page
    url = f"{base(intervention)}/{round_.id}/svar/{statement.id}"
    response = client.post(url, data={"value": "some"}, headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Gemt" in body
    assert 'hx-swap-oob="true"' in body and "Du har besvaret 1 af 44 udsagn." in body
    # Changing the answer updates the same row.
    client.post(url, data={"value": "dont_know"}, headers=HX)
    answers = db.session.scalars(select(AssessmentAnswer)).all()
    assert [(a.respondent_id, a.value) for a in answers] == [(respondent.id, "dont_know")]


def test_answer_outside_the_scale_is_refused(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument)
    gen_respondent(round_, users["p1"])
    db.session.commit()
    login(users["p1"], org)
    url = f"{base(intervention)}/{round_.id}/svar/{instrument.statements[0].id}"
    for value in ("very_high", "", "100"):
        response = client.post(url, data={"value": value}, headers=HX)
        assert response.status_code == 422
        assert "Vælg et af svarene på skalaen." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AssessmentAnswer)) == 0


def test_answer_to_a_closed_round_is_refused(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument, status="closed")
    gen_respondent(round_, users["p1"])
    db.session.commit()
    login(users["p1"], org)
    url = f"{base(intervention)}/{round_.id}/svar/{instrument.statements[0].id}"
    response = client.post(url, data={"value": "high"}, headers=HX)
    assert response.status_code == 409
    assert "Runden er lukket" in response.get_data(as_text=True)
    response = client.post(
        f"{base(intervention)}/{round_.id}/begrundelse/1", data={"text": "Fordi"}, headers=HX
    )
    assert response.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(AssessmentAnswer)) == 0
    # The answer page sends the respondent to the round instead.
    assert client.get(f"{base(intervention)}/{round_.id}/besvar").status_code == 302


def test_answer_by_someone_not_invited_is_refused(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument)
    gen_respondent(round_, users["p1"])
    db.session.commit()
    login(users["leader"], org)  # can write, but is not a respondent
    url = f"{base(intervention)}/{round_.id}/svar/{instrument.statements[0].id}"
    response = client.post(url, data={"value": "high"}, headers=HX)
    assert response.status_code == 403
    assert "Du er ikke inviteret" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AssessmentAnswer)) == 0


def test_statement_of_another_instrument_or_round_of_another_intervention_is_404(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument)
    gen_respondent(round_, users["p1"])
    other = gen_intervention(org, name="Anden indsats")
    db.session.commit()
    login(users["p1"], org)
    url = f"/indsatser/{other.id}/selvevaluering/{round_.id}/svar/{instrument.statements[0].id}"
    assert client.post(url, data={"value": "high"}, headers=HX).status_code == 404
    url = f"{base(intervention)}/{round_.id}/svar/999999"
    assert client.post(url, data={"value": "high"}, headers=HX).status_code == 404


def test_foreign_round_is_404(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument)
    gen_respondent(round_, users["p1"])
    stranger_org = gen_org("Syd")
    stranger = gen_user(stranger_org, role="admin")
    db.session.commit()
    login(stranger, stranger_org)
    assert client.get(f"{base(intervention)}/{round_.id}").status_code == 404
    url = f"{base(intervention)}/{round_.id}/svar/{instrument.statements[0].id}"
    assert client.post(url, data={"value": "high"}, headers=HX).status_code == 404


def test_evaluator_cannot_answer(client, login):
    org, intervention, instrument, users, _ = setup_team()
    evaluator = gen_user(org, role="evaluator")
    round_ = gen_round(intervention, instrument)
    gen_respondent(round_, evaluator)
    db.session.commit()
    login(evaluator, org)
    url = f"{base(intervention)}/{round_.id}/svar/{instrument.statements[0].id}"
    assert client.post(url, data={"value": "high"}, headers=HX).status_code == 403


def test_a_justification_saved_meanwhile_in_another_tab_is_not_overwritten_unseen(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument)
    gen_respondent(round_, users["p1"])
    db.session.commit()
    login(users["p1"], org)
    page = client.get(f"{base(intervention)}/{round_.id}/besvar").get_data(as_text=True)
    assert '<textarea hidden id="text-base-4" name="base"' in page
    url = f"{base(intervention)}/{round_.id}/begrundelse/4"
    # Tab 1 saves; tab 2, drawn before, saves its own text.
    assert client.post(url, data={"text": "Fane 1", "base": ""}, headers=HX).status_code == 200
    response = client.post(url, data={"text": "Fane 2", "base": ""}, headers=HX)
    assert response.status_code == 409
    html = unescape(response.get_data(as_text=True))
    assert "Gemt i mellemtiden i et andet vindue: “Fane 1”." in html
    # The answer tells the page what is saved, so typing on replaces it knowingly.
    assert 'hx-swap-oob="true">Fane 1</textarea>' in html
    assert db.session.scalars(select(AssessmentJustification.text)).all() == ["Fane 1"]
    response = client.post(url, data={"text": "Fane 2", "base": "Fane 1"}, headers=HX)
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.scalars(select(AssessmentJustification.text)).all() == ["Fane 2"]
    # The same page saving on as it types is no conflict.
    response = client.post(url, data={"text": "Fane 2 og mere", "base": "Fane 2"}, headers=HX)
    assert response.status_code == 200


def test_justification_is_saved_and_cpr_refused(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument)
    gen_respondent(round_, users["p1"])
    db.session.commit()
    login(users["p1"], org)
    url = f"{base(intervention)}/{round_.id}/begrundelse/4"
    response = client.post(url, data={"text": "Målene er ikke skrevet ned."}, headers=HX)
    assert response.status_code == 200 and "Gemt" in response.get_data(as_text=True)
    response = client.post(url, data={"text": "Barnet 010203-1234"}, headers=HX)
    assert response.status_code == 422
    assert "CPR-nummer" in response.get_data(as_text=True)
    texts = db.session.scalars(select(AssessmentJustification.text)).all()
    assert texts == ["Målene er ikke skrevet ned."]
    assert (
        client.post(f"{base(intervention)}/{round_.id}/begrundelse/12", headers=HX).status_code
        == 404
    )


def test_answers_are_hidden_while_the_round_is_open(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument)
    p1 = gen_respondent(round_, users["p1"])
    gen_respondent(round_, users["p2"])
    answer_all(p1, instrument, {1: "high"})
    db.session.commit()
    login(users["p2"], org)
    page = client.get(f"{base(intervention)}/{round_.id}/besvar").get_data(as_text=True)
    assert "checked" not in page  # p2 sees none of p1's answers
    round_page = client.get(f"{base(intervention)}/{round_.id}").get_data(as_text=True)
    assert "4 / 44" in round_page  # progress only
    assert "Svageste elementer" not in round_page
    assert "data-chart" not in round_page


def test_closing_with_few_respondents_warns_first(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument)
    answer_all(gen_respondent(round_, users["p1"]), instrument, {1: "high"})
    db.session.commit()
    login(users["leader"], org)
    url = f"{base(intervention)}/{round_.id}/luk"
    response = client.post(url, data={}, headers=HX)
    assert response.status_code == 200
    assert "Kun 1 respondent har svaret" in response.get_data(as_text=True)
    db.session.refresh(round_)
    assert round_.is_open
    response = client.post(url, data={"confirm": "1"}, headers=HX)
    assert response.headers["HX-Redirect"].endswith(f"/selvevaluering/{round_.id}")
    db.session.refresh(round_)
    assert round_.status == "closed" and round_.closed_at is not None
    # A second click (or a colleague first) leads to the page, not into the close section.
    again = client.post(url, data={"confirm": "1"}, headers=HX)
    assert again.status_code == 200
    assert again.headers["HX-Redirect"].endswith(f"/selvevaluering/{round_.id}")


def test_closing_with_enough_respondents_closes_at_once(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument)
    # Everyone has answered everything: someone unfinished is asked about first.
    for key in ("p1", "p2", "leader"):
        answer_all(
            gen_respondent(round_, users[key]), instrument, dict.fromkeys(range(1, 12), "high")
        )
    db.session.commit()
    login(users["leader"], org)
    response = client.post(f"{base(intervention)}/{round_.id}/luk", data={})
    assert response.status_code == 302
    db.session.refresh(round_)
    assert round_.status == "closed"
    # Inviting to a closed round is refused.
    response = client.post(
        f"{base(intervention)}/{round_.id}/respondenter", data={"member_id": "1"}, headers=HX
    )
    assert response.status_code == 409


def test_removing_a_respondent_removes_their_answers(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument)
    respondent = gen_respondent(round_, users["p1"])
    keep = gen_respondent(round_, users["p2"])
    answer_all(respondent, instrument, {1: "high"})
    answer_all(keep, instrument, {1: "some"})
    db.session.add(
        AssessmentJustification(
            organization_id=org.id, respondent_id=respondent.id, element=1, text="Fordi"
        )
    )
    db.session.commit()
    login(users["leader"], org)
    response = client.post(
        f"{base(intervention)}/{round_.id}/respondenter/{respondent.id}/fjern", headers=HX
    )
    assert response.status_code == 200
    assert 'id="invite-' in response.get_data(as_text=True)  # Bo can be invited again
    assert set(db.session.scalars(select(AssessmentRespondent.id))) == {keep.id}
    respondent_ids = set(db.session.scalars(select(AssessmentAnswer.respondent_id)))
    assert respondent_ids == {keep.id}
    assert db.session.scalar(select(func.count()).select_from(AssessmentJustification)) == 0


def test_rename_round_inline_and_stale_edit_is_409(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument, name="Basline")
    gen_round(intervention, instrument, name="Midtvejs")
    db.session.commit()
    login(users["leader"], org)
    url = f"{base(intervention)}/{round_.id}/navn"
    form = client.get(url, headers=HX).get_data(as_text=True)
    assert 'value="Basline"' in form
    version = round_.version
    response = client.post(url, data={"name": "Baseline", "version": version}, headers=HX)
    assert response.status_code == 200 and "Baseline" in response.get_data(as_text=True)
    # Saved meanwhile (by the same user, in another tab, which the message says): the old
    # version is refused, the input kept.
    response = client.post(url, data={"name": "Baseline 2026", "version": version}, headers=HX)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Baseline 2026" in body and "Gem igen for at erstatte den gemte version" in body
    assert "Du har selv gemt ændringer i et andet vindue" in body
    # What they saved is listed: the name the user's save would replace.
    theirs = body[body.index('class="their-version"') : body.index("</aside>")]
    assert "<dd>Baseline</dd>" in theirs
    db.session.refresh(round_)
    assert round_.name == "Baseline"
    response = client.post(url, data={"name": "Midtvejs", "version": round_.version}, headers=HX)
    assert response.status_code == 422
    response = client.post(url, data={"name": "", "version": round_.version}, headers=HX)
    assert response.status_code == 422 and "Feltet skal udfyldes." in response.get_data(
        as_text=True
    )


@pytest.mark.csrf
def test_answers_need_the_csrf_token_htmx_sends(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument)
    gen_respondent(round_, users["p1"])
    db.session.commit()
    login(users["p1"], org)
    page = client.get(f"{base(intervention)}/{round_.id}/besvar").get_data(as_text=True)
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    url = f"{base(intervention)}/{round_.id}/svar/{instrument.statements[0].id}"
    assert client.post(url, data={"value": "high"}, headers=HX).status_code == 400
    response = client.post(url, data={"value": "high"}, headers={**HX, "X-CSRFToken": token})
    assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(AssessmentAnswer)) == 1
