"""The standup panel beside the board redraws only the part that saved.

A decision refused for CPR-shaped text stayed in its field, but adding an action item in
the other form redrew the whole panel: the unsaved-text guard asked to throw the decision
away, and cancelling did not save the task. Now the decisions (list, form) and the open
action items (list, status choices, add form, message) each answer with only themselves.
"""

from datetime import date

from sqlalchemy import select

from improvement.extensions import db
from improvement.models import ActionItem, Meeting
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_action_item, gen_meeting

HX = {"HX-Request": "true"}


def _standup(client, login):
    org = gen_org("Nord")
    user = gen_user(org, role="leader", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, user, "leader")
    earlier = gen_meeting(intervention, held_on=date(2026, 1, 10))
    old_item = gen_action_item(earlier, what="Udkast til dagsorden")
    db.session.commit()
    login(user, org)
    client.post(f"/indsatser/{intervention.id}/tavle/moede", headers=HX)
    standup = db.session.scalars(select(Meeting).where(Meeting.kind == "standup")).one()
    return user, intervention, standup, old_item


def test_a_decision_from_the_board_answers_with_the_decisions_only(client, login):
    user, intervention, standup, _old = _standup(client, login)
    url = f"/indsatser/{intervention.id}/moeder/{standup.id}/beslutninger"

    response = client.post(url, data={"panel": "board", "text": "Skemaet tages i brug"}, headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="standup-decisions"')
    assert "<li>Skemaet tages i brug</li>" in body
    assert 'hx-target="#standup-decisions"' in body
    # Not the panel, not the action item form beside it.
    assert 'id="standup-panel"' not in body and 'id="standup-items"' not in body
    assert "panel-what" not in body and "Udkast til dagsorden" not in body

    # Refused (CPR-shaped): 422, the message at the field, the text kept in it.
    refused = client.post(url, data={"panel": "board", "text": "Mor 010190-1234"}, headers=HX)
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="standup-decisions"')
    assert 'aria-invalid="true"' in body and 'class="field-error"' in body
    assert 'value="Mor 010190-1234"' in body
    assert "panel-what" not in body
    db.session.refresh(standup)
    assert standup.decision_list == ["Skemaet tages i brug"]


def test_an_action_item_from_the_board_answers_with_the_items_only(client, login):
    user, intervention, standup, old_item = _standup(client, login)
    base = f"/indsatser/{intervention.id}/moeder/{standup.id}"
    client.post(f"{base}/beslutninger", data={"panel": "board", "text": "Besluttet"}, headers=HX)

    response = client.post(
        f"{base}/handlinger",
        data={"panel": "board", "panel-what": "Ring til skolen", "panel-owner_id": str(user.id)},
        headers=HX,
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="standup-items"')
    assert "Ring til skolen" in body and "Udkast til dagsorden" in body
    assert 'hx-target="#standup-items"' in body and 'name="panel-what"' in body
    assert 'id="standup-panel"' not in body and 'id="standup-decisions"' not in body
    assert "Besluttet" not in body and 'name="text"' not in body

    # Refused: 422 in place, the text kept at its field.
    refused = client.post(
        f"{base}/handlinger",
        data={"panel": "board", "panel-what": "Ring 010190-1234", "panel-owner_id": ""},
        headers=HX,
    )
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="standup-items"')
    assert 'aria-invalid="true"' in body and 'value="Ring 010190-1234"' in body
    assert 'id="standup-decisions"' not in body
    assert db.session.scalars(select(ActionItem.what).order_by(ActionItem.id)).all() == [
        "Udkast til dagsorden",
        "Ring til skolen",
    ]


def test_a_status_change_from_the_board_answers_with_the_items_only(client, login):
    user, intervention, standup, old_item = _standup(client, login)
    url = f"/indsatser/{intervention.id}/moeder/{standup.id}/handlinger/{old_item.id}"
    drawn = str(old_item.version)

    response = client.post(
        url, data={"panel": "board", "status": "done", "version": drawn}, headers=HX
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="standup-items"')
    assert 'class="item-done"' in body and 'id="standup-decisions"' not in body
    db.session.refresh(old_item)
    assert old_item.status == "done" and old_item.closed_in_meeting_id == standup.id

    # A choice made on a list drawn before that change: 409 and the conflict message, in
    # the items part.
    stale = client.post(
        url, data={"panel": "board", "status": "dropped", "version": drawn}, headers=HX
    )
    assert stale.status_code == 409
    body = stale.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="standup-items"')
    assert 'role="alert"' in body and 'id="standup-decisions"' not in body
    assert "En anden har lige opdateret denne opgave." in body
    db.session.refresh(old_item)
    assert old_item.status == "done"


def test_starting_the_standup_draws_the_whole_panel(client, login):
    org = gen_org("Nord")
    user = gen_user(org, role="leader")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, user, "leader")
    db.session.commit()
    login(user, org)
    body = client.post(f"/indsatser/{intervention.id}/tavle/moede", headers=HX).get_data(
        as_text=True
    )
    assert body.lstrip().startswith('<aside id="standup-panel"')
    assert 'id="standup-decisions"' in body and 'id="standup-items"' in body
    board = client.get(f"/indsatser/{intervention.id}/tavle").get_data(as_text=True)
    assert board.count('id="standup-decisions"') == board.count('id="standup-items"') == 1
