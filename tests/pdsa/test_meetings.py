"""Meetings: decisions, action items and their follow-up at the next meeting."""

import re
from datetime import date, timedelta
from html import unescape

from sqlalchemy import select

from improvement import clock
from improvement.extensions import db
from improvement.models import ActionItem, Meeting
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_action_item, gen_meeting

HX = {"HX-Request": "true"}


def meeting_world():
    org = gen_org("Nord")
    user = gen_user(org, role="leader", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, user, "leader")
    db.session.commit()
    return org, user, intervention


def test_create_meeting_and_invalid_input(client, login):
    org, user, intervention = meeting_world()
    login(user, org)
    url = f"/indsatser/{intervention.id}/moeder"
    assert "Ingen møder endnu – registrér det første" in client.get(url).get_data(as_text=True)
    bad = client.post(url, data={"held_on": "", "kind": "standup"}, headers=HX)
    assert bad.status_code == 422
    assert "Feltet skal udfyldes." in bad.get_data(as_text=True)
    assert db.session.scalars(select(Meeting)).first() is None
    response = client.post(
        url,
        data={"held_on": "2026-02-01", "kind": "quality_team", "participants": "Lise, Bo"},
        headers=HX,
    )
    meeting = db.session.scalars(select(Meeting)).one()
    assert response.headers["HX-Redirect"].endswith(f"/moeder/{meeting.id}")
    assert meeting.organization_id == org.id


def test_open_items_follow_up_at_the_next_meeting_until_closed(client, login):
    org, user, intervention = meeting_world()
    first = gen_meeting(intervention, held_on=date(2026, 1, 10), decisions="A\nB")
    second = gen_meeting(intervention, held_on=date(2026, 2, 10))
    db.session.commit()
    login(user, org)
    response = client.post(
        f"/indsatser/{intervention.id}/moeder/{first.id}/handlinger",
        data={"what": "Udkast til dagsorden", "owner_id": str(user.id), "due_date": "2026-01-31"},
        headers=HX,
    )
    assert response.status_code == 200
    assert "Udkast til dagsorden" in response.get_data(as_text=True)
    item = db.session.scalars(select(ActionItem)).one()
    # Shown at the next meeting as open follow-up.
    page = client.get(f"/indsatser/{intervention.id}/moeder/{second.id}").get_data(as_text=True)
    assert "Opfølgning på opgaver fra tidligere møder" in page
    assert "Udkast til dagsorden" in page
    # Closed at the second meeting; a third meeting no longer shows it.
    response = client.post(
        f"/indsatser/{intervention.id}/moeder/{second.id}/handlinger/{item.id}",
        data={"status": "done", "version": str(item.version)},
        headers=HX,
    )
    assert response.status_code == 200
    db.session.refresh(item)
    assert item.status == "done" and item.closed_in_meeting_id == second.id
    third = gen_meeting(intervention, held_on=date(2026, 3, 10))
    db.session.commit()
    page = client.get(f"/indsatser/{intervention.id}/moeder/{third.id}").get_data(as_text=True)
    assert "Udkast til dagsorden" not in page
    # The first meeting's decisions are listed.
    page = client.get(f"/indsatser/{intervention.id}/moeder/{first.id}").get_data(as_text=True)
    assert "<li>A</li>" in page and "<li>B</li>" in page


def test_stale_item_status_is_a_conflict(client, login):
    org, user, intervention = meeting_world()
    meeting = gen_meeting(intervention)
    item = gen_action_item(meeting, what="Ring til skolen")
    db.session.commit()
    login(user, org)
    response = client.post(
        f"/indsatser/{intervention.id}/moeder/{meeting.id}/handlinger/{item.id}",
        data={"status": "done", "version": str(item.version + 1)},
        headers=HX,
    )
    assert response.status_code == 409
    assert "En anden har lige opdateret denne opgave" in response.get_data(as_text=True)
    db.session.refresh(item)
    assert item.status == "open"


def test_edit_meeting_decisions_and_stale_edit(client, login):
    org, user, intervention = meeting_world()
    meeting = gen_meeting(intervention)
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{intervention.id}/moeder/{meeting.id}/rediger"
    data = {
        "held_on": "2026-01-15",
        "kind": "standup",
        "decisions": "Dagsorden afprøves",
        "version": str(meeting.version),
    }
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(meeting)
    assert meeting.kind == "standup" and meeting.decision_list == ["Dagsorden afprøves"]
    stale = client.post(url, data={**data, "decisions": "Min ændring"})
    assert stale.status_code == 409
    assert "Min ændring" in stale.get_data(as_text=True)


def _version(html: str) -> str:
    field = re.search(r'<input[^>]*name="version"[^>]*>', html)
    return re.search(r'value="(\d+)"', field.group(0)).group(1)


def test_meeting_edit_conflict_shows_their_version_and_saving_again_overwrites(client, login):
    org, user, intervention = meeting_world()
    meeting = gen_meeting(intervention, notes="Første udkast")
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{intervention.id}/moeder/{meeting.id}/rediger"
    old_version = _version(client.get(url).get_data(as_text=True))
    # Someone else saves first.
    meeting.notes = "Bos noter fra mødet"
    meeting.decisions = "Bos beslutning"
    db.session.commit()
    mine = {
        "held_on": "2026-01-15",
        "kind": "quality_team",
        "notes": "Mine noter",
        "decisions": "Min beslutning",
        "version": old_version,
    }
    response = client.post(url, data=mine)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert body.count("En anden har gemt mødet, mens du redigerede, og ændret de samme felter") == 1
    assert "genindlæs" not in body.lower()
    assert "Mine noter" in body and "Min beslutning" in body
    their = body[body.index("Gemt i mellemtiden") :]
    assert "Bos noter fra mødet" in their and "Bos beslutning" in their
    db.session.refresh(meeting)
    assert meeting.notes == "Bos noter fra mødet"
    assert _version(body) == str(meeting.version) != old_version

    again = client.post(url, data={**mine, "version": _version(body)})
    assert again.status_code == 302
    db.session.refresh(meeting)
    assert meeting.notes == "Mine noter" and meeting.decision_list == ["Min beslutning"]


def test_cpr_in_action_item_is_refused(client, login):
    org, user, intervention = meeting_world()
    meeting = gen_meeting(intervention)
    db.session.commit()
    login(user, org)
    response = client.post(
        f"/indsatser/{intervention.id}/moeder/{meeting.id}/handlinger",
        data={"what": "Ring om 010203-1234"},
        headers=HX,
    )
    assert response.status_code == 422
    assert db.session.scalars(select(ActionItem)).first() is None


def test_an_action_item_is_not_due_before_its_meeting(client, login):
    org, user, intervention = meeting_world()
    meeting = gen_meeting(intervention, held_on=date(2026, 12, 6))
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{intervention.id}/moeder/{meeting.id}/handlinger"
    data = {"what": "Ring til skolen", "owner_id": "", "due_date": "2001-01-01"}
    response = client.post(url, data=data, headers=HX)
    assert response.status_code == 422
    assert "Fristen kan ikke ligge før mødet (6. december 2026)." in response.get_data(as_text=True)
    assert db.session.scalars(select(ActionItem)).first() is None
    response = client.post(url, data={**data, "due_date": "2026-12-06"}, headers=HX)
    assert response.status_code == 200
    assert db.session.scalars(select(ActionItem)).one().due_date == date(2026, 12, 6)


def test_standup_panel_on_the_board(client, login):
    org, user, intervention = meeting_world()
    earlier = gen_meeting(intervention, held_on=date(2026, 1, 10))
    old_item = gen_action_item(earlier, what="Udkast til dagsorden")
    # A meeting planned for later has agreed nothing yet.
    planned = gen_meeting(intervention, held_on=clock.today() + timedelta(days=30))
    gen_action_item(planned, what="Opgave fra et planlagt møde")
    db.session.commit()
    login(user, org)
    board = client.get(f"/indsatser/{intervention.id}/tavle").get_data(as_text=True)
    assert "Start dagens tavlemøde" in board and "Udkast til dagsorden" in board
    assert "Opgave fra et planlagt møde" not in board
    panel = client.post(f"/indsatser/{intervention.id}/tavle/moede", headers=HX)
    assert panel.status_code == 200
    standup = db.session.scalars(select(Meeting).where(Meeting.kind == "standup")).one()
    assert standup.held_on == clock.today()
    # Starting twice reuses today's standup.
    client.post(f"/indsatser/{intervention.id}/tavle/moede", headers=HX)
    assert len(db.session.scalars(select(Meeting)).all()) == 3

    base = f"/indsatser/{intervention.id}/moeder/{standup.id}"
    bad = client.post(f"{base}/beslutninger", data={"panel": "board", "text": ""}, headers=HX)
    assert bad.status_code == 422 and "Feltet skal udfyldes." in bad.get_data(as_text=True)
    response = client.post(
        f"{base}/beslutninger", data={"panel": "board", "text": "Skemaet tages i brug"}, headers=HX
    )
    assert "<li>Skemaet tages i brug</li>" in response.get_data(as_text=True)
    response = client.post(
        f"{base}/handlinger",
        data={"panel": "board", "panel-what": "Ring til skolen", "panel-owner_id": str(user.id)},
        headers=HX,
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'id="standup-items"' in body and "Ring til skolen" in body
    response = client.post(
        f"{base}/handlinger/{old_item.id}",
        data={"panel": "board", "status": "done", "version": str(old_item.version)},
        headers=HX,
    )
    assert response.status_code == 200
    db.session.refresh(old_item)
    assert old_item.status == "done" and old_item.closed_in_meeting_id == standup.id
    db.session.refresh(standup)
    assert standup.decision_list == ["Skemaet tages i brug"]


def _base(html: str) -> str:
    field = re.search(r'<input[^>]*name="base"[^>]*>', html).group(0)
    return unescape(re.search(r'value="([^"]*)"', field).group(1))


def test_a_save_meanwhile_is_merged_field_by_field(client, login):
    # The note-taker edits the minutes while the leader adds a decision at the board.
    org, user, intervention = meeting_world()
    meeting = gen_meeting(intervention, notes="Første udkast", decisions="Gammel beslutning")
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{intervention.id}/moeder/{meeting.id}/rediger"
    page = client.get(url).get_data(as_text=True)
    drawn = {"version": _version(page), "base": _base(page)}
    meeting.decisions = "Gammel beslutning\nBeslutning fra tavlen"
    db.session.commit()
    mine = {
        "held_on": "2026-01-15",
        "kind": "quality_team",
        "notes": "Referat\r\nmed to linjer",
        "decisions": "Gammel beslutning",  # as drawn: untouched
        **drawn,
    }
    response = client.post(url, data=mine)
    assert response.status_code == 302
    db.session.refresh(meeting)
    assert meeting.decision_list == ["Gammel beslutning", "Beslutning fra tavlen"]
    assert meeting.notes.replace("\r\n", "\n") == "Referat\nmed to linjer"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Mødet er gemt, sammen med de ændringer, en anden gemte i mellemtiden." in page

    # Both change the decisions: asked, with what only they changed taken into the form.
    page = client.get(url).get_data(as_text=True)
    drawn = {"version": _version(page), "base": _base(page)}
    meeting.decisions = "Deres beslutning"
    meeting.agenda = "Deres dagsorden"
    db.session.commit()
    response = client.post(url, data={**mine, "decisions": "Min beslutning", **drawn})
    assert response.status_code == 409
    body = unescape(response.get_data(as_text=True))
    assert "ændret de samme felter: Beslutninger." in body
    form = body[: body.index("Gemt i mellemtiden")]
    assert "Min beslutning" in form and "Deres dagsorden" in form
    # Saved again as it stands, the form keeps their agenda and the user's decision.
    again = {
        **mine,
        "agenda": "Deres dagsorden",
        "decisions": "Min beslutning",
        "version": _version(body),
        "base": _base(body),
    }
    assert client.post(url, data=again).status_code == 302
    db.session.refresh(meeting)
    assert (meeting.agenda, meeting.decisions) == ("Deres dagsorden", "Min beslutning")
