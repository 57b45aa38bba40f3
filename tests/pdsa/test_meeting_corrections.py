"""Meetings after QA: minutes that read the same after their action items are closed
later, a meeting's date that keeps its open action items due on or after it and on the
board, printed minutes with a context line and the notes over the full width, and the
corrections: a meeting or an action item deleted, an action item's text, owner and
deadline edited in its row."""

import re
from datetime import UTC, date, datetime, timedelta
from html import unescape

from sqlalchemy import func, select

from improvement import clock
from improvement.extensions import db
from improvement.models import ActionItem, AuditEvent, Meeting
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_action_item, gen_meeting
from tests.querycount import count_queries
from tests.test_history import meeting_entries

HX = {"HX-Request": "true"}


def meeting_world():
    org = gen_org("Nord")
    user = gen_user(org, role="leader", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, user, "leader")
    db.session.commit()
    return org, user, intervention


def _url(meeting, rest=""):
    return f"/indsatser/{meeting.intervention_id}/moeder/{meeting.id}{rest}"


def _section(page: str, heading: str) -> str:
    """The part of the action items section under `heading`, up to the next heading."""
    part = page.split(heading, 1)[1]
    return re.split(r"<h2|</section>", part, maxsplit=1)[0]


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


EARLIER = "Opfølgning på opgaver fra tidligere møder"
NONE_EARLIER = "Ingen åbne opgaver fra tidligere møder."


# ---------------------------------------------------------------- 1. minutes stay as held


def test_a_meeting_shows_the_items_open_at_its_date_after_they_are_closed_later(client, login):
    org, user, intervention = meeting_world()
    first = gen_meeting(intervention, held_on=date(2026, 1, 10))
    second = gen_meeting(intervention, held_on=date(2026, 2, 10))
    third = gen_meeting(intervention, held_on=date(2026, 3, 10))
    fourth = gen_meeting(intervention, held_on=date(2026, 4, 10))
    item = gen_action_item(first, what="Udkast til dagsorden", owner=user)
    done_early = gen_action_item(first, what="Lukket på andet møde")
    db.session.commit()
    login(user, org)
    # Closed at the second meeting: the third no longer lists it, the second does.
    client.post(
        _url(second, f"/handlinger/{done_early.id}"),
        data={"status": "done", "version": str(done_early.version)},
        headers=HX,
    )
    # Closed at the third meeting.
    response = client.post(
        _url(third, f"/handlinger/{item.id}"),
        data={"status": "done", "version": str(item.version)},
        headers=HX,
    )
    assert response.status_code == 200

    page = client.get(_url(second)).get_data(as_text=True)
    assert NONE_EARLIER not in page
    earlier = _section(page, EARLIER)
    assert "Udkast til dagsorden" in earlier and "Lukket på andet møde" in earlier
    # Its status now, with the day it was closed, linked to the meeting that closed it;
    # on paper the same words.
    row = earlier[earlier.index(f'id="item-{item.id}"') :].split("</tr>", 1)[0]
    assert "Færdig 10.03.2026" in _text(row)
    assert f'href="{_url(third)}"' in row
    assert 'name="status"' not in row  # changed where it was followed up, not here

    page = client.get(_url(third)).get_data(as_text=True)
    earlier = _section(page, EARLIER)
    assert "Udkast til dagsorden" in earlier  # closed here: still followed up here
    assert "Lukket på andet møde" not in earlier  # closed before this meeting
    assert f'id="status-{item.id}"' in earlier

    page = client.get(_url(fourth)).get_data(as_text=True)
    assert NONE_EARLIER in page


def test_an_item_closed_without_a_meeting_counts_from_the_day_it_was_closed(client, login):
    # Data from before meetings recorded where an item was closed (the demo's seed too).
    org, user, intervention = meeting_world()
    first = gen_meeting(intervention, held_on=date(2026, 1, 10))
    second = gen_meeting(intervention, held_on=date(2026, 2, 10))
    third = gen_meeting(intervention, held_on=date(2026, 3, 10))
    gen_action_item(
        first,
        what="Lukket i februar",
        status="done",
        closed_at=datetime(2026, 2, 20, 9, tzinfo=UTC),
    )
    db.session.commit()
    login(user, org)
    page = client.get(_url(second)).get_data(as_text=True)
    assert "Færdig 20.02.2026" in _text(_section(page, EARLIER))
    assert NONE_EARLIER in client.get(_url(third)).get_data(as_text=True)


def test_the_meeting_page_queries_do_not_grow_with_the_items_followed_up(client, login):
    org, user, intervention = meeting_world()
    first = gen_meeting(intervention, held_on=date(2026, 1, 10))
    page_meeting = gen_meeting(intervention, held_on=date(2026, 2, 10))
    closer = gen_meeting(intervention, held_on=date(2026, 3, 1))
    gen_action_item(first, what="Første", owner=user)
    gen_action_item(first, what="Lukket", status="done", closed_in_meeting_id=closer.id, owner=user)
    gen_action_item(page_meeting, what="Egen", owner=user)
    db.session.commit()
    login(user, org)
    url = _url(page_meeting)
    client.get(url)  # warm caches
    with count_queries() as small:
        assert client.get(url).status_code == 200
    closers = [gen_meeting(intervention, held_on=date(2026, 3, n)) for n in range(2, 7)]
    for n in range(12):
        item = gen_action_item(first, what=f"Opgave {n}", owner=user)
        if n % 2:
            item.status = "done"
            item.closed_in_meeting_id = closers[n % 5].id
            item.closed_at = datetime(2026, 3, 1, tzinfo=UTC)
        gen_action_item(page_meeting, what=f"Egen {n}", owner=user)
    db.session.commit()
    with count_queries() as large:
        page = client.get(url).get_data(as_text=True)
    assert "Opgave 11" in page and "Færdig 03.03.2026" in page
    assert len(large) == len(small), "\n\n".join(large)


# ---------------------------------------------------------------- 2. the meeting's date


def _edit_data(meeting, **changes):
    data = {
        "held_on": meeting.held_on.isoformat(),
        "kind": meeting.kind,
        "participants": meeting.participants,
        "agenda": meeting.agenda,
        "notes": meeting.notes,
        "decisions": meeting.decisions,
        "version": str(meeting.version),
    }
    data.update(changes)
    return data


def test_a_meeting_does_not_move_past_the_deadlines_of_its_open_items(client, login):
    org, user, intervention = meeting_world()
    meeting = gen_meeting(intervention, held_on=date(2026, 1, 15), notes="Referat")
    gen_action_item(meeting, what="Ring til skolen", due_date=date(2026, 1, 20))
    gen_action_item(meeting, what="Lukket", due_date=date(2026, 1, 16), status="done")
    db.session.commit()
    login(user, org)
    url = _url(meeting, "/rediger")
    response = client.post(url, data=_edit_data(meeting, held_on="2026-01-25", notes="Nyt"))
    assert response.status_code == 422
    body = unescape(response.get_data(as_text=True))
    message = (
        "En åben opgave fra dette møde har frist før denne dato, den 20. januar 2026. "
        "Ret dens frist først, eller vælg en dato senest 20. januar 2026."
    )
    # At the date field, with the typed text kept; nothing saved.
    assert f'<small id="held_on-help" class="field-error">{message}</small>' in body
    assert "Nyt" in body
    db.session.refresh(meeting)
    assert (meeting.held_on, meeting.notes) == (date(2026, 1, 15), "Referat")

    gen_action_item(meeting, what="Send referat", due_date=date(2026, 1, 22))
    db.session.commit()
    response = client.post(url, data=_edit_data(meeting, held_on="2026-01-25"))
    assert response.status_code == 422
    assert (
        "2 åbne opgaver fra dette møde har frist før denne dato, den første den 20. januar 2026."
        in unescape(response.get_data(as_text=True))
    )
    # On the day of the first deadline, or earlier, it moves; so does any other save.
    assert client.post(url, data=_edit_data(meeting, held_on="2026-01-20")).status_code == 302
    db.session.refresh(meeting)
    assert meeting.held_on == date(2026, 1, 20)
    assert client.post(url, data=_edit_data(meeting, held_on="2026-01-02")).status_code == 302


def test_a_meeting_does_not_move_before_a_meeting_whose_item_it_followed_up(client, login):
    org, user, intervention = meeting_world()
    first = gen_meeting(intervention, held_on=date(2026, 11, 10))
    second = gen_meeting(intervention, held_on=date(2026, 11, 20), notes="Referat")
    gen_action_item(
        first, what="Opgave X", status="done", closed_in_meeting_id=second.id, owner=user
    )
    db.session.commit()
    login(user, org)
    url = _url(second, "/rediger")
    response = client.post(url, data=_edit_data(second, held_on="2026-11-05"))
    assert response.status_code == 422
    body = unescape(response.get_data(as_text=True))
    assert (
        "En opgave, der blev fulgt op på dette møde, blev tilføjet på mødet den 10. november "
        "2026, så dette møde kan ikke ligge før det. Vælg 10. november 2026 eller senere."
    ) in body
    db.session.refresh(second)
    assert second.held_on == date(2026, 11, 20)
    # The day of that meeting, or any later one, is fine.
    assert client.post(url, data=_edit_data(second, held_on="2026-11-10")).status_code == 302


def test_a_legacy_item_due_before_its_meeting_does_not_block_other_changes(client, login):
    org, user, intervention = meeting_world()
    meeting = gen_meeting(intervention, held_on=date(2026, 1, 15))
    gen_action_item(meeting, what="Fra før reglen", due_date=date(2026, 1, 1))
    db.session.commit()
    login(user, org)
    response = client.post(_url(meeting, "/rediger"), data=_edit_data(meeting, notes="Tilføjet"))
    assert response.status_code == 302


def test_a_held_meeting_with_open_items_stays_on_the_board(client, login):
    org, user, intervention = meeting_world()
    today = clock.today()
    meeting = gen_meeting(intervention, held_on=today - timedelta(days=2))
    gen_action_item(meeting, what="Ring til skolen", due_date=today + timedelta(days=30))
    empty = gen_meeting(intervention, held_on=today - timedelta(days=1))
    planned = gen_meeting(intervention, held_on=today + timedelta(days=5))
    gen_action_item(planned, what="Forberedt", due_date=today + timedelta(days=30))
    db.session.commit()
    login(user, org)
    later = (today + timedelta(days=7)).isoformat()
    response = client.post(_url(meeting, "/rediger"), data=_edit_data(meeting, held_on=later))
    assert response.status_code == 422
    assert (
        "Tavlen viser mødets åbne opgave. Et møde, der er holdt, kan ikke flyttes til en dag "
        "efter i dag: opgaven ville forsvinde fra tavlen indtil da."
        in unescape(response.get_data(as_text=True))
    )
    board = client.get(f"/indsatser/{intervention.id}/tavle").get_data(as_text=True)
    assert "Ring til skolen" in board
    # Within the days up to today it moves; a meeting without open items moves anywhere,
    # and a meeting still planned keeps its items off the board until it is held.
    assert (
        client.post(_url(meeting, "/rediger"), data=_edit_data(meeting, held_on=today.isoformat()))
    ).status_code == 302
    assert (
        client.post(_url(empty, "/rediger"), data=_edit_data(empty, held_on=later)).status_code
        == 302
    )
    assert (
        client.post(_url(planned, "/rediger"), data=_edit_data(planned, held_on=later))
    ).status_code == 302


def test_a_meeting_held_today_keeps_its_items_on_the_board(client, login):
    org, user, intervention = meeting_world()
    today = clock.today()
    meeting = gen_meeting(intervention, held_on=today)
    gen_action_item(meeting, what="Frist om en uge", due_date=today + timedelta(days=7))
    db.session.commit()
    login(user, org)
    # Moving it a week on is refused, so the item never leaves the panel.
    later = (today + timedelta(days=8)).isoformat()
    response = client.post(_url(meeting, "/rediger"), data=_edit_data(meeting, held_on=later))
    assert response.status_code == 422
    db.session.refresh(meeting)
    assert meeting.held_on == today
    assert "Frist om en uge" in client.get(f"/indsatser/{intervention.id}/tavle").get_data(
        as_text=True
    )


# ---------------------------------------------------------------- 3. printed minutes


def test_printed_minutes_name_organisation_intervention_and_date(client, login):
    from tests.pdsa.test_board_print import danish_day

    org, user, intervention = meeting_world()
    meeting = gen_meeting(
        intervention, participants="Lise, Bo", agenda="Tavlen", notes="Langt referat"
    )
    db.session.commit()
    login(user, org)
    page = client.get(_url(meeting)).get_data(as_text=True)
    line = re.search(r'<p class="print-context[^"]*"([^>]*)>(.*?)</p>', page, re.S)
    assert line, "the minutes have no print context line"
    today = clock.today()
    assert _text(line.group(2)) == f"Nord · Spædbarnsindsats · Udskrevet {danish_day(today)}"
    assert f'data-printed-day="{today.isoformat()}"' in line.group(1)
    # The facts first, side by side; the notes after them, in a list of their own, so they
    # take the whole width.
    facts, notes = re.findall(r'<dl class="facts[^"]*">(.*?)</dl>', page, re.S)[:2]
    assert "Deltagere" in facts and "Dagsorden" in facts and "Referat" not in facts
    assert "Referat" in notes and "Langt referat" in notes and "Deltagere" not in notes


# ---------------------------------------------------------------- 4. status waits for Enter


def test_status_selects_wait_for_enter(client, login):
    org, user, intervention = meeting_world()
    standup = gen_meeting(intervention, held_on=clock.today(), kind="standup")
    item = gen_action_item(standup, what="Ring til skolen")
    db.session.commit()
    login(user, org)
    hint = 'data-save-on-enter="Tryk Enter for at gemme valget."'
    page = client.get(_url(standup)).get_data(as_text=True)
    select = re.search(rf'<select id="status-{item.id}"[^>]*>', page).group(0)
    assert hint in select
    assert '<small class="save-hint no-print" aria-hidden="true">Tryk Enter' in page
    board = client.get(f"/indsatser/{intervention.id}/tavle").get_data(as_text=True)
    select = re.search(rf'<select id="panel-status-{item.id}"[^>]*>', board).group(0)
    assert hint in select


# ---------------------------------------------------------------- 5. corrections


def test_a_meeting_created_by_mistake_is_deleted(client, login):
    org, user, intervention = meeting_world()
    meeting = gen_meeting(intervention, notes="Forkert møde", decisions="Intet")
    db.session.commit()
    login(user, org)
    page = client.get(_url(meeting)).get_data(as_text=True)
    form = re.search(r'<form method="post" action="([^"]*/slet)" data-confirm="([^"]*)"', page)
    assert form and form.group(1) == _url(meeting, "/slet")
    assert unescape(form.group(2)).startswith("Slet mødet 15. januar 2026? Gør det kun")
    meeting_id = meeting.id
    response = client.post(_url(meeting, "/slet"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/indsatser/{intervention.id}/moeder")
    assert "Mødet 15. januar 2026 er slettet." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert db.session.get(Meeting, meeting_id) is None
    deleted = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "Meeting",
            AuditEvent.object_id == meeting_id,
            AuditEvent.action == "delete",
        )
    ).one()
    assert deleted.user_id == user.id


def test_a_meeting_with_action_items_is_not_deleted(client, login):
    org, user, intervention = meeting_world()
    earlier = gen_meeting(intervention, held_on=date(2026, 1, 1))
    old = gen_action_item(earlier, what="Gammel opgave")
    meeting = gen_meeting(intervention, held_on=date(2026, 1, 15))
    own = gen_action_item(meeting, what="Egen opgave")
    db.session.commit()
    login(user, org)
    assert "/slet" not in client.get(_url(meeting)).get_data(as_text=True).split("<h2")[0]
    response = client.post(_url(meeting, "/slet"))
    assert response.status_code == 302 and response.headers["Location"].endswith(_url(meeting))
    page = unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Mødet kan ikke slettes, så længe der hører opgaver til det (1)." in page
    # With its own item deleted, an earlier one followed up here still holds it.
    db.session.delete(own)
    old.status, old.closed_in_meeting_id = "dropped", meeting.id
    db.session.commit()
    response = client.post(_url(meeting, "/slet"))
    page = unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Mødet kan ikke slettes: opgaver fra tidligere møder blev fulgt op på det (1)." in page
    assert db.session.get(Meeting, meeting.id) is not None


def _edit_form(client, meeting, item):
    return client.get(_url(meeting, f"/handlinger/{item.id}/rediger"), headers=HX)


def _item_data(item, **changes):
    data = {
        f"item{item.id}-what": item.what,
        f"item{item.id}-owner_id": str(item.owner_id or ""),
        f"item{item.id}-due_date": item.due_date.isoformat() if item.due_date else "",
        f"item{item.id}-version": str(item.version),
    }
    data.update({f"item{item.id}-{key}": value for key, value in changes.items()})
    return data


def _hidden(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    return unescape(re.search(r'value="([^"]*)"', tag).group(1))


def _drawn(html: str, item) -> dict:
    """What the row's edit form carries for itself: the version and values it was drawn with."""
    return {
        f"item{item.id}-{name}": _hidden(html, f"item{item.id}-{name}")
        for name in ("version", "base")
    }


def test_an_action_item_is_edited_in_its_row(client, login):
    org, user, intervention = meeting_world()
    bo = gen_user(org, role="practitioner", name="Bo Bach")
    gen_member(intervention, bo)
    meeting = gen_meeting(intervention, held_on=date(2026, 1, 15))
    later = gen_meeting(intervention, held_on=date(2026, 2, 15))
    item = gen_action_item(meeting, what="Ring til skolne", owner=user, due_date=date(2026, 1, 31))
    db.session.commit()
    login(user, org)
    page = client.get(_url(later)).get_data(as_text=True)
    edit_url = _url(later, f"/handlinger/{item.id}/rediger")
    assert f'hx-get="{edit_url}"' in page  # also from a later meeting's follow-up

    form = _edit_form(client, later, item)
    assert form.status_code == 200
    body = form.get_data(as_text=True)
    assert body.lstrip().startswith(f'<tr id="item-{item.id}" class="editing">')
    assert 'value="Ring til skolne"' in body and "autofocus" in body

    # Refused in place, with Danish messages; nothing saved.
    bad = client.post(edit_url, data=_item_data(item, what="", due_date="2026-01-10"), headers=HX)
    assert bad.status_code == 422
    body = unescape(bad.get_data(as_text=True))
    assert body.lstrip().startswith(f'<tr id="item-{item.id}" class="editing">')
    assert "Feltet skal udfyldes." in body
    assert "Fristen kan ikke ligge før mødet (15. januar 2026)." in body
    cpr = client.post(edit_url, data=_item_data(item, what="Ring om 010203-1234"), headers=HX)
    assert cpr.status_code == 422
    db.session.refresh(item)
    assert item.what == "Ring til skolne"

    response = client.post(
        edit_url,
        data=_item_data(item, what="Ring til skolen", owner_id=str(bo.id), due_date="2026-02-06"),
        headers=HX,
    )
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#items"
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="items"') and "Ring til skolen" in body
    db.session.refresh(item)
    assert (item.what, item.owner_id, item.due_date) == ("Ring til skolen", bo.id, date(2026, 2, 6))
    entries = meeting_entries(client.get(_url(meeting)).get_data(as_text=True))
    assert entries[0] == (
        "Opgave «Ring til skolen» · ændret | Hvad: Ring til skolne → Ring til skolen"
        " | Hvem: Lise Lund → Bo Bach | Hvornår: 31.01.2026 → 06.02.2026"
    )
    # Cancel puts the row back.
    row = client.get(_url(later, f"/handlinger/{item.id}"), headers=HX).get_data(as_text=True)
    assert row.lstrip().startswith(f'<tr id="item-{item.id}" class="item-open">')


def test_an_action_item_edited_meanwhile_is_merged_or_a_conflict(client, login):
    org, user, intervention = meeting_world()
    meeting = gen_meeting(intervention)
    item = gen_action_item(meeting, what="Ring til skolen", due_date=date(2026, 1, 31))
    db.session.commit()
    login(user, org)
    edit_url = _url(meeting, f"/handlinger/{item.id}/rediger")
    drawn = _drawn(_edit_form(client, meeting, item).get_data(as_text=True), item)
    # Meanwhile someone closes it and moves its deadline: no field both changed, so the
    # text is saved and their deadline and status stay.
    client.post(
        _url(meeting, f"/handlinger/{item.id}"),
        data={"status": "done", "version": str(item.version)},
        headers=HX,
    )
    db.session.refresh(item)
    item.due_date = date(2026, 2, 14)
    db.session.commit()
    mine = _item_data(item, what="Ring til skolen i dag", due_date="2026-01-31")
    response = client.post(edit_url, data={**mine, **drawn}, headers=HX)
    assert response.status_code == 200
    db.session.refresh(item)
    assert (item.what, item.due_date, item.status) == (
        "Ring til skolen i dag",
        date(2026, 2, 14),
        "done",
    )
    # Both change its text: refused, their text shown, the next save keeps the user's.
    drawn = _drawn(_edit_form(client, meeting, item).get_data(as_text=True), item)
    item.what = "Deres tekst"
    db.session.commit()
    mine = _item_data(item, what="Min tekst")
    response = client.post(edit_url, data={**mine, **drawn}, headers=HX)
    assert response.status_code == 409
    body = unescape(response.get_data(as_text=True))
    assert "Gemt i mellemtiden" in body and "Deres tekst" in body and 'value="Min tekst"' in body
    db.session.refresh(item)
    assert item.what == "Deres tekst"
    again = {**mine, **_drawn(body, item)}
    assert client.post(edit_url, data=again, headers=HX).status_code == 200
    db.session.refresh(item)
    assert item.what == "Min tekst"


def test_an_action_item_added_by_mistake_is_deleted(client, login):
    org, user, intervention = meeting_world()
    meeting = gen_meeting(intervention)
    item = gen_action_item(meeting, what="Dobbelt opgave")
    closed = gen_action_item(meeting, what="Afsluttet opgave", status="done")
    db.session.commit()
    login(user, org)
    page = client.get(_url(meeting)).get_data(as_text=True)
    delete_url = _url(meeting, f"/handlinger/{item.id}/slet")
    assert f'hx-post="{delete_url}"' in page
    assert _url(meeting, f"/handlinger/{closed.id}/slet") not in page  # followed up: kept
    assert "Slet opgaven “Dobbelt opgave”? Gør det kun" in unescape(page)

    stale = client.post(delete_url, data={"version": str(item.version + 1)}, headers=HX)
    assert stale.status_code == 409
    refused = client.post(
        _url(meeting, f"/handlinger/{closed.id}/slet"),
        data={"version": str(closed.version)},
        headers=HX,
    )
    assert refused.status_code == 422
    assert "“Afsluttet opgave” er fulgt op (Færdig)" in unescape(refused.get_data(as_text=True))

    item_id = item.id
    response = client.post(delete_url, data={"version": str(item.version)}, headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="items"') and "Dobbelt opgave</td>" not in body
    assert db.session.get(ActionItem, item_id) is None
    # The meeting's history says which item was deleted, and that it was created.
    entries = meeting_entries(client.get(_url(meeting)).get_data(as_text=True))
    assert entries[0] == "Opgave «Dobbelt opgave» · slettet"
    assert "Opgave «Dobbelt opgave» · oprettet" in entries
    events = db.session.scalar(
        select(func.count()).where(
            AuditEvent.object_type == "ActionItem", AuditEvent.object_id == item_id
        )
    )
    assert events == 2  # created, deleted


def test_an_item_deleted_and_added_again_keeps_its_own_text_in_the_history(client, login):
    """An action item deleted and another added: the new one is a new row with an id of
    its own (SQLite gave it the deleted one's, and the deleted one's lines then read the
    new text: migration 0016)."""
    org, user, intervention = meeting_world()
    meeting = gen_meeting(intervention, held_on=date(2026, 1, 15))
    db.session.commit()
    login(user, org)
    client.post(_url(meeting, "/handlinger"), data={"what": "Tastefejl"}, headers=HX)
    wrong = db.session.scalars(select(ActionItem).where(ActionItem.what == "Tastefejl")).one()
    wrong_id = wrong.id
    response = client.post(
        _url(meeting, f"/handlinger/{wrong_id}/slet"), data={"version": "1"}, headers=HX
    )
    assert response.status_code == 200
    client.post(_url(meeting, "/handlinger"), data={"what": "Ring til skolen"}, headers=HX)
    right = db.session.scalars(select(ActionItem).where(ActionItem.what == "Ring til skolen")).one()
    assert right.id != wrong_id
    assert meeting_entries(client.get(_url(meeting)).get_data(as_text=True))[:3] == [
        "Opgave «Ring til skolen» · oprettet",
        "Opgave «Tastefejl» · slettet",
        "Opgave «Tastefejl» · oprettet",
    ]


def test_a_deleted_items_history_stays_with_its_meeting(client, login):
    org, user, intervention = meeting_world()
    meeting = gen_meeting(intervention, held_on=date(2026, 1, 15))
    other = gen_meeting(intervention, held_on=date(2026, 1, 20))
    db.session.commit()
    login(user, org)
    client.post(_url(meeting, "/handlinger"), data={"what": "Tastefejl"}, headers=HX)
    client.post(_url(other, "/handlinger"), data={"what": "Andet møde"}, headers=HX)
    item = db.session.scalars(select(ActionItem).where(ActionItem.what == "Tastefejl")).one()
    client.post(_url(meeting, f"/handlinger/{item.id}/slet"), data={"version": "1"}, headers=HX)
    assert meeting_entries(client.get(_url(meeting)).get_data(as_text=True))[:2] == [
        "Opgave «Tastefejl» · slettet",
        "Opgave «Tastefejl» · oprettet",
    ]
    assert "Tastefejl" not in client.get(_url(other)).get_data(as_text=True)
