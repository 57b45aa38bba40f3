"""Meetings after the third QA round: the team listed in Danish alphabetical order wherever
a person is chosen, this meeting's action items without a "from the meeting" column, a
print button on the minutes, forms that warn before their text is left behind, and the
meeting conflict said in plain Danish."""

import re
from datetime import date
from html import unescape

from improvement.extensions import db
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_action_item, gen_meeting, gen_point

HX = {"HX-Request": "true"}

# The demo's team, and two names the database's own order puts wrong: Danish puts Ø
# before Å (after Z), and Frederik is not in the quality team but is a team member.
DANISH_ORDER = [
    "Birgitte Bach",
    "Frederik Friis",
    "Lise Lund",
    "Morten Munk",
    "Sofie Skovgaard",
    "Øjvind Ørum",
    "Åse Ågaard",
]


def _team_world():
    org = gen_org("Demo Kommune Nord")
    intervention = gen_intervention(org, name="Intensiv spædbarnsindsats")
    leader = gen_user(org, role="leader", name="Lise Lund")
    gen_member(intervention, leader, "leader")
    # Added in an order that is neither alphabetical nor the quality team first.
    for name in [
        "Sofie Skovgaard",
        "Åse Ågaard",
        "Frederik Friis",
        "Øjvind Ørum",
        "Birgitte Bach",
        "Morten Munk",
    ]:
        gen_member(intervention, gen_user(org, name=name), in_quality_team=name != "Frederik Friis")
    db.session.commit()
    return org, leader, intervention


def _options(html: str, select_id: str) -> list[str]:
    select = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    labels = re.findall(r"<option[^>]*>(.*?)</option>", select.group(1), re.S)
    return [unescape(label).strip() for label in labels]


def _people(html: str, select_id: str) -> list[str]:
    """The names a person select offers, without its "nobody" and "everyone" choices."""
    return [name for name in _options(html, select_id) if name in DANISH_ORDER]


def test_the_team_is_listed_in_danish_alphabetical_order_wherever_a_person_is_chosen(client, login):
    org, leader, intervention = _team_world()
    point = gen_point(intervention, title="Fast dagsorden")
    meeting = gen_meeting(intervention)
    db.session.commit()
    login(leader, org)
    base = f"/indsatser/{intervention.id}"

    board = client.get(f"{base}/tavle").get_data(as_text=True)
    assert _people(board, "filter-owner") == DANISH_ORDER
    minutes = client.get(f"{base}/moeder/{meeting.id}").get_data(as_text=True)
    assert _people(minutes, "owner_id") == DANISH_ORDER
    tests = client.get(f"{base}/udvikling/{point.id}").get_data(as_text=True)
    assert _people(tests, "owner_id") == DANISH_ORDER
    cases = client.get(f"{base}/forloeb").get_data(as_text=True)
    assert _people(cases, "practitioner_id") == DANISH_ORDER
    overview = client.get(base).get_data(as_text=True)
    team = overview[overview.index('class="team-table"') :]
    rows = [unescape(name) for name in re.findall(r'<th scope="row">(.*?)</th>', team)]
    assert rows == DANISH_ORDER


def _meeting_world():
    org = gen_org("Nord")
    user = gen_user(org, role="leader", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, user, "leader")
    earlier = gen_meeting(intervention, held_on=date(2026, 1, 10))
    meeting = gen_meeting(intervention, held_on=date(2026, 2, 10))
    old = gen_action_item(earlier, what="Ring til jordemoderen", owner=user)
    new = gen_action_item(meeting, what="Book lokale", owner=user)
    db.session.commit()
    return org, user, intervention, meeting, old, new


def _section(page: str, heading: str) -> str:
    part = page.split(heading, 1)[1]
    return re.split(r"<h2|</section>", part, maxsplit=1)[0]


def test_this_meetings_items_leave_out_the_meeting_they_come_from(client, login):
    org, user, intervention, meeting, old, new = _meeting_world()
    login(user, org)
    url = f"/indsatser/{intervention.id}/moeder/{meeting.id}"
    page = client.get(url).get_data(as_text=True)

    earlier = _section(page, "Opfølgning på opgaver fra tidligere møder")
    assert "Fra mødet" in earlier and "10.01.2026" in earlier
    this = _section(page, "Opgaver fra dette møde")
    assert "Book lokale" in this
    assert "Fra mødet" not in this and "col-from" not in this
    # An item's edit row spans its own table's columns: five here, six in the follow-up.
    own = client.get(f"{url}/handlinger/{new.id}/rediger", headers=HX).get_data(as_text=True)
    assert 'colspan="5"' in own
    carried = client.get(f"{url}/handlinger/{old.id}/rediger", headers=HX)
    assert 'colspan="6"' in carried.get_data(as_text=True)
    # Cancelled, the row comes back as its table shows it.
    row = client.get(f"{url}/handlinger/{new.id}", headers=HX).get_data(as_text=True)
    assert "col-from" not in row


def test_the_minutes_have_a_print_button_for_every_reader(client, login):
    org, user, intervention, meeting, _old, _new = _meeting_world()
    reader = gen_user(org, role="evaluator", name="Erik Engberg")
    db.session.commit()
    url = f"/indsatser/{intervention.id}/moeder/{meeting.id}"
    for who in (user, reader):
        login(who, org)
        page = client.get(url).get_data(as_text=True)
        start = page.index('class="summary-head"')
        head = page[start : page.index("</header>", start)]
        assert re.search(r"<button[^>]*data-print[^>]*>Udskriv</button>", head), who.name


def test_the_meeting_forms_warn_before_their_text_is_left_behind(client, login):
    org, user, intervention, meeting, _old, new = _meeting_world()
    login(user, org)
    url = f"/indsatser/{intervention.id}/moeder/{meeting.id}"
    page = client.get(url).get_data(as_text=True)
    assert re.search(r'<form class="add-item" data-warn-unsaved', page)
    edit_row = client.get(f"{url}/handlinger/{new.id}/rediger", headers=HX)
    assert "<form data-warn-unsaved" in edit_row.get_data(as_text=True)
    minutes = client.get(f"{url}/rediger").get_data(as_text=True)
    assert re.search(r'<form method="post"[^>]*data-warn-unsaved', minutes)
    listing = client.get(f"/indsatser/{intervention.id}/moeder").get_data(as_text=True)
    assert "<form data-warn-unsaved" in listing


def _drawn(html: str) -> dict:
    """The version and base the edit form was drawn with."""
    fields = {}
    for name in ("version", "base"):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        fields[name] = unescape(re.search(r'value="([^"]*)"', field).group(1))
    return fields


def test_a_meeting_conflict_is_explained_in_plain_danish(client, login):
    org, user, intervention, meeting, _old, _new = _meeting_world()
    meeting.notes = "Første udkast"
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{intervention.id}/moeder/{meeting.id}/rediger"
    drawn = _drawn(client.get(url).get_data(as_text=True))
    meeting.notes = "Bos referat"
    meeting.agenda = "Bos dagsorden"
    db.session.commit()
    mine = {"held_on": "2026-02-10", "kind": "quality_team", "notes": "Mit referat"}
    response = client.post(url, data={**mine, **drawn})
    assert response.status_code == 409
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())
    assert (
        "En anden har gemt mødet, mens du redigerede, og ændret de samme felter: Referat. "
        "Din tekst står stadig i formularen, og deres vises ved siden af. Deres ændringer i "
        "andre felter er allerede kommet med i formularen. Gem igen for at beholde din tekst."
    ) in text
    assert "står der stadig" not in text and "det, kun de ændrede" not in text
