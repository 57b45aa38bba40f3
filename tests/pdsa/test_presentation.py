"""Presentation mode says what the room is looking at: which filter is on, not only that one is."""

from datetime import date

from improvement import clock
from improvement.extensions import db
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_action_item, gen_cycle, gen_meeting, gen_point


def _world():
    org = gen_org("Nord")
    lise = gen_user(org, role="leader", name="Lise Lund")
    bo = gen_user(org, role="practitioner", name="Bo Bach")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, lise, "leader")
    gen_member(intervention, bo)
    visits = gen_point(intervention, title="Visitation <allerede> i graviditeten")
    other = gen_point(intervention, title="Fast struktur for konferencer")
    gen_cycle(visits, title="Jordemoder ringer", owner=bo)
    gen_cycle(other, title="Fast dagsorden", owner=lise)
    db.session.commit()
    return org, lise, bo, intervention, visits, other


def _filtered_line(client, intervention, **args):
    body = client.get(
        f"/indsatser/{intervention.id}/tavle", query_string={"visning": "praesentation", **args}
    ).get_data(as_text=True)
    start = body.index('<p class="board-refreshed">')
    return body[start : body.index("</p>", start)]


def test_presentation_names_the_development_point_filtered_on(client, login):
    org, lise, bo, intervention, visits, other = _world()
    login(lise, org)
    line = _filtered_line(client, intervention, point=visits.id)
    # The title is the room's text: escaped, as everywhere.
    assert "Visitation &lt;allerede&gt; i graviditeten" in line
    assert "Fast struktur" not in line and "Bo Bach" not in line
    assert 'class="board-filtered"' in line


def test_presentation_names_the_owner_and_the_point_together(client, login):
    org, lise, bo, intervention, visits, other = _world()
    login(lise, org)
    line = _filtered_line(client, intervention, point=other.id, owner=bo.id)
    assert "Fast struktur for konferencer, Bo Bach" in line


def test_presentation_without_filter_says_nothing_about_one(client, login):
    org, lise, bo, intervention, *_ = _world()
    login(lise, org)
    line = _filtered_line(client, intervention)
    assert "board-filtered" not in line and "Filtre" not in line


def test_a_filter_naming_nothing_of_this_intervention_still_says_filtered(client, login):
    """A point of another intervention (an old link) names nothing here, and shows no card."""
    org, lise, bo, intervention, *_ = _world()
    elsewhere = gen_intervention(org, name="Anden indsats")
    foreign = gen_point(elsewhere, title="Fremmed punkt")
    db.session.commit()
    login(lise, org)
    line = _filtered_line(client, intervention, point=foreign.id)
    assert "Fremmed punkt" not in line
    assert "board-filtered" not in line and "Filtre" in line


def test_the_presented_board_shows_todays_decisions_and_the_open_action_items(client, login):
    org, lise, bo, intervention, *_ = _world()
    standup = gen_meeting(
        intervention, held_on=clock.today(), kind="standup", decisions="Vi prøver fast dagsorden"
    )
    gen_action_item(standup, what="Ring til jordemoderen", owner=bo, due_date=date(2026, 1, 2))
    gen_action_item(standup, what="Allerede klaret", owner=bo, status="done")
    db.session.commit()
    login(lise, org)
    url = f"/indsatser/{intervention.id}/tavle"
    body = client.get(url, query_string={"visning": "praesentation"}).get_data(as_text=True)
    summary = body[body.index('<section class="standup-summary"') :]
    assert "Vi prøver fast dagsorden" in summary
    assert "Ring til jordemoderen" in summary and "Bo Bach" in summary
    assert "Over frist" in summary and "Åben" in summary
    assert "Allerede klaret" not in summary
    # Read only: no status choice, no form; and it is inside #board, which the timed
    # refresh replaces.
    assert "<select" not in summary and "<form" not in summary
    assert body.index('id="board"') < body.index("standup-summary")
    # The board to edit has the panel with its forms instead.
    body = client.get(url).get_data(as_text=True)
    assert "standup-summary" not in body and 'id="standup-panel"' in body


def test_a_reader_sees_the_standup_read_only(client, login):
    org, lise, bo, intervention, *_ = _world()
    eva = gen_user(org, role="evaluator", name="Eva Evaluator")
    standup = gen_meeting(intervention, held_on=clock.today(), kind="standup")
    gen_action_item(standup, what="Ring til jordemoderen", owner=bo)
    db.session.commit()
    login(eva, org)
    body = client.get(f"/indsatser/{intervention.id}/tavle").get_data(as_text=True)
    assert "standup-summary" in body and "Ring til jordemoderen" in body
    assert 'id="standup-panel"' not in body
