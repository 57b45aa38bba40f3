"""The board at a Monday standup, with a second user moving cards at the same time.

A move to a board that changed meanwhile brings every column up to date in the same answer
(before, the counts came from the server and the other cards stayed where they had been:
"Planlæg 2" over three cards); a column emptied by a move still says it is empty; a move
refused for missing fields links each field to its place in the worksheet; the board has a
print button."""

import re

from improvement.extensions import db
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_cycle, gen_point
from tests.querycount import count_queries

HX = {"HX-Request": "true"}
READY = {"objective": "Mål", "prediction": "Gæt"}


def _world():
    org = gen_org("Nord")
    lise = gen_user(org, role="leader", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, lise, "leader")
    point = gen_point(intervention, title="Hjemmebesøg")
    calls = gen_cycle(point, title="Opkald", owner=lise, **READY)
    visits = gen_cycle(point, title="Besøg", owner=lise, **READY)
    leaflet = gen_cycle(point, title="Folder", owner=lise, **READY)
    db.session.commit()
    return org, lise, intervention, point, calls, visits, leaflet


def _board(client, intervention) -> tuple[str, str]:
    """The board page and the fingerprint of the cards it shows (sent back with a move)."""
    body = client.get(f"/indsatser/{intervention.id}/tavle").get_data(as_text=True)
    return body, re.search(r'id="board-seen" name="seen" value="(\w+)"', body).group(1)


def _moved_elsewhere(*cycles, phase="do"):
    """Another user's moves, made meanwhile (each raises the card's version)."""
    for cycle in cycles:
        cycle.phase = phase
    db.session.commit()


def _move(client, intervention, cycle, to, version, seen=None):
    data = {"to": to, "version": str(version)}
    if seen is not None:
        data["seen"] = seen
    return client.post(
        f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}/flyt", data=data, headers=HX
    )


def _column(body: str, phase: str) -> str:
    """What the answer puts in a column in place of what the browser had."""
    start = body.find(f'<div hx-swap-oob="innerHTML:#cards-{phase}">')
    if start == -1:
        return ""
    return body[start : body.index("<div hx-swap-oob=", start + 1)]


def test_a_conflict_brings_every_column_up_to_date(client, login):
    org, lise, intervention, point, calls, visits, leaflet = _world()
    login(lise, org)
    _page, seen = _board(client, intervention)
    stale = calls.version
    _moved_elsewhere(calls, visits)

    response = _move(client, intervention, calls, "study", stale, seen)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    # Plan keeps only the card nobody moved; Do gets the other one moved meanwhile; the card
    # itself lands on top of Do with the reason inside it.
    plan, do = _column(body, "plan"), _column(body, "do")
    assert f'id="card-{leaflet.id}"' in plan and f'id="card-{visits.id}"' not in plan
    assert f'id="card-{visits.id}"' in do and f'id="card-{calls.id}"' not in do
    assert 'hx-swap-oob="afterbegin:#cards-do"' in body
    assert f'id="card-{calls.id}"' in body and "En anden har lige flyttet" in body
    assert 'id="count-plan" hx-swap-oob="true" aria-label="1 kort">1<' in body
    assert 'id="count-do" hx-swap-oob="true" aria-label="2 kort">2<' in body
    # The page now shows the board as it is: its fingerprint is the board page's.
    _page, now = _board(client, intervention)
    assert f'id="board-seen" name="seen" value="{now}" hx-swap-oob="true"' in body


def test_a_move_made_while_others_moved_cards_brings_their_moves_too(client, login):
    org, lise, intervention, point, calls, visits, leaflet = _world()
    login(lise, org)
    _page, seen = _board(client, intervention)
    _moved_elsewhere(visits)

    response = _move(client, intervention, calls, "do", calls.version, seen)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert f'id="card-{visits.id}"' in _column(body, "do")
    assert f'id="card-{visits.id}"' not in _column(body, "plan")
    assert "“Opkald” er flyttet til Afprøv. Tavlen viser også, hvad andre har ændret imens." in body


def test_a_move_on_an_unchanged_board_answers_with_the_card_alone(client, login):
    org, lise, intervention, point, calls, visits, leaflet = _world()
    login(lise, org)
    _page, seen = _board(client, intervention)

    first = _move(client, intervention, calls, "do", calls.version, seen).get_data(as_text=True)
    assert "innerHTML:#cards-" not in first
    assert "Tavlen viser også" not in first
    # The next move sends the fingerprint the first one gave back: still nothing else.
    seen = re.search(r'id="board-seen" name="seen" value="(\w+)"', first).group(1)
    db.session.refresh(visits)
    second = _move(client, intervention, visits, "do", visits.version, seen)
    assert "innerHTML:#cards-" not in second.get_data(as_text=True)


def test_a_move_to_a_changed_board_costs_the_same_queries_however_big_the_board(client, login):
    org, lise, intervention, point, calls, visits, leaflet = _world()
    login(lise, org)

    def move(cycle, to):
        _page, seen = _board(client, intervention)
        _moved_elsewhere(leaflet, phase="do" if leaflet.phase == "plan" else "plan")
        db.session.refresh(cycle)
        with count_queries() as statements:
            response = _move(client, intervention, cycle, to, cycle.version, seen)
        assert response.status_code == 200
        assert "innerHTML:#cards-plan" in response.get_data(as_text=True)
        return len(statements)

    few = move(calls, "do")
    for n in range(12):
        gen_cycle(point, title=f"Mere {n}", owner=lise, phase=("plan", "do", "act")[n % 3], **READY)
    db.session.commit()
    assert move(visits, "do") == few


def test_every_column_has_its_empty_text_for_when_a_move_empties_it(client, login):
    org, lise, intervention, *_ = _world()
    login(lise, org)
    page, _seen = _board(client, intervention)
    # Shown by app.css only while the column has no card (Plan has three here).
    assert page.count('<p class="column-empty muted">Ingen prøvehandlinger her.</p>') == 5


def test_a_refused_move_links_each_missing_field_to_the_worksheet(client, login):
    org, lise, intervention, point, *_ = _world()
    empty = gen_cycle(point, title='<b>"Tom"</b> plan', owner=lise)
    db.session.commit()
    login(lise, org)
    body = _move(client, intervention, empty, "do", empty.version).get_data(as_text=True)
    worksheet = f"/indsatser/{intervention.id}/proevehandlinger/{empty.id}/rediger"
    assert (
        "“&lt;b&gt;&#34;Tom&#34;&lt;/b&gt; plan” kan ikke flyttes til Afprøv endnu. Udfyld først: "
        f'<a href="{worksheet}#objective">Formål med prøvehandlingen</a>, '
        f'<a href="{worksheet}#prediction">Forudsigelse</a>.'
    ) in body
    # The worksheet has the fields at those ids.
    form = client.get(worksheet).get_data(as_text=True)
    assert 'id="objective"' in form and 'id="prediction"' in form


def test_a_refused_move_without_javascript_links_the_fields_on_the_test_page(client, login):
    org, lise, intervention, point, calls, *_ = _world()
    login(lise, org)
    url = f"/indsatser/{intervention.id}/proevehandlinger/{calls.id}/flyt"
    client.post(url, data={"to": "do", "version": str(calls.version)})
    db.session.refresh(calls)
    response = client.post(
        url, data={"to": "study", "version": str(calls.version)}, follow_redirects=True
    )
    body = response.get_data(as_text=True)
    assert (
        f'Udfyld først: <a href="/indsatser/{intervention.id}/proevehandlinger/{calls.id}'
        '/rediger#do_description">Hvad blev faktisk gjort</a>.'
    ) in body


def test_the_board_has_a_print_button_and_the_presentation_view_no_controls(client, login):
    org, lise, intervention, *_ = _world()
    login(lise, org)
    page, _seen = _board(client, intervention)
    assert (
        '<button type="button" class="secondary outline board-print no-print" data-print>'
        "Udskriv</button>"
    ) in page
    presented = client.get(
        f"/indsatser/{intervention.id}/tavle", query_string={"visning": "praesentation"}
    ).get_data(as_text=True)
    assert "data-print>" not in presented and 'id="board-seen"' not in presented
