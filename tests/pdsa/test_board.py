"""The board (tavle): columns, filters, markers, presentation mode and the move endpoint."""

from datetime import UTC, datetime, timedelta

from improvement import clock
from improvement.extensions import db
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_action_item, gen_cycle, gen_meeting, gen_point
from tests.querycount import count_queries

HX = {"HX-Request": "true"}


def board_world():
    org = gen_org("Nord")
    lise = gen_user(org, role="leader", name="Lise Lund")
    bo = gen_user(org, role="practitioner", name="Bo Bach")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, lise, "leader")
    gen_member(intervention, bo)
    visits = gen_point(intervention, title="Hjemmebesøg")
    meetings = gen_point(intervention, title="Konferencer")
    ready = gen_cycle(
        visits, title="Klar til afprøvning", owner=lise, objective="Mål", prediction="Gæt"
    )
    empty = gen_cycle(visits, title="Tom plan", owner=bo)
    late = gen_cycle(
        meetings,
        title="Fast dagsorden",
        owner=bo,
        phase="do",
        objective="o",
        prediction="p",
        due_date=clock.today() - timedelta(days=2),
        phase_changed_at=datetime.now(UTC) - timedelta(days=20),
    )
    old_done = gen_cycle(
        visits,
        title="Gammel afsluttet",
        phase="done",
        closed_at=datetime.now(UTC) - timedelta(weeks=10),
    )
    recent_done = gen_cycle(
        visits, title="Nyligt afsluttet", phase="done", closed_at=datetime.now(UTC)
    )
    db.session.commit()
    return org, lise, bo, intervention, visits, ready, empty, late, old_done, recent_done


def test_board_columns_markers_and_done_window(client, login):
    org, lise, bo, intervention, *_ = board_world()
    login(lise, org)
    body = client.get(f"/indsatser/{intervention.id}/tavle").get_data(as_text=True)
    assert "Klar til afprøvning" in body and "Tom plan" in body
    assert "Nyligt afsluttet" in body
    assert "Gammel afsluttet" not in body  # done longer ago than the window
    assert "Over frist" in body and "Ingen bevægelse i 14 dage" in body
    assert 'id="count-plan"' in body and "Sortable.min.js" in body
    # The texts translated once per request still carry each card's own values.
    late_day = (clock.today() - timedelta(days=2)).strftime("%d.%m.%Y")
    assert f'<span class="card-due">Frist {late_day}</span>' in body
    assert 'aria-label="Flyt Klar til afprøvning til Afprøv"' in body
    assert 'aria-label="Flyt Fast dagsorden tilbage til Planlæg"' in body
    assert ">← Planlæg</button>" in body and ">Studér →</button>" in body


def test_card_and_panel_texts_escape_what_users_typed(client, login):
    org, lise, bo, intervention, visits, *_ = board_world()
    gen_cycle(visits, title='<b>"Fed"</b> & co', owner=lise)
    meeting = gen_meeting(intervention, held_on=clock.today() - timedelta(days=7))
    gen_action_item(meeting, what="<i>Ring</i>", owner=bo, due_date=clock.today())
    db.session.commit()
    login(lise, org)
    body = client.get(f"/indsatser/{intervention.id}/tavle").get_data(as_text=True)
    assert "<b>" not in body and "<i>Ring" not in body
    assert 'aria-label="Flyt &lt;b&gt;&#34;Fed&#34;&lt;/b&gt; &amp; co til Afprøv"' in body
    assert "&lt;i&gt;Ring&lt;/i&gt;" in body


def test_board_filters_by_owner_and_point(client, login):
    org, lise, bo, intervention, visits, *_ = board_world()
    login(lise, org)
    url = f"/indsatser/{intervention.id}/tavle"
    body = client.get(url, query_string={"owner": bo.id}, headers=HX).get_data(as_text=True)
    assert "<html" not in body
    assert "Tom plan" in body and "Fast dagsorden" in body
    assert "Klar til afprøvning" not in body
    body = client.get(url, query_string={"point": visits.id}).get_data(as_text=True)
    assert "Fast dagsorden" not in body and "Klar til afprøvning" in body


def test_filter_values_that_are_no_id_show_the_whole_board(client, login):
    """Past INTEGER's range, negative or not a number: no filter, not a 500."""
    org, lise, bo, intervention, *_ = board_world()
    login(lise, org)
    url = f"/indsatser/{intervention.id}/tavle"
    for value in (str(10**20), str(2**31), "-3", "abc"):
        response = client.get(url, query_string={"owner": value, "point": value, "uger": value})
        assert response.status_code == 200, value
        body = response.get_data(as_text=True)
        assert "Klar til afprøvning" in body and "Fast dagsorden" in body


def test_presentation_mode_has_no_editing_chrome_and_refreshes_with_filters(client, login):
    org, lise, bo, intervention, *_ = board_world()
    login(lise, org)
    body = client.get(
        f"/indsatser/{intervention.id}/tavle",
        query_string={"visning": "praesentation", "owner": bo.id},
    ).get_data(as_text=True)
    assert 'class="board-page presenting"' in body
    assert "hx-post" not in body and "data-sortable" not in body
    assert f"owner={bo.id}" in body and 'hx-trigger="every 45s"' in body
    assert "Klar til afprøvning" not in body


def test_move_returns_only_the_card_and_the_counts(client, login):
    org, lise, bo, intervention, visits, ready, *_ = board_world()
    login(lise, org)
    response = client.post(
        f"/indsatser/{intervention.id}/proevehandlinger/{ready.id}/flyt",
        data={"to": "do", "version": str(ready.version)},
        headers=HX,
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body
    assert 'hx-swap-oob="afterbegin:#cards-do"' in body
    assert f'id="card-{ready.id}"' in body
    assert '<span class="count" id="count-do" hx-swap-oob="true"' in body
    assert "er flyttet til Afprøv" in body
    db.session.refresh(ready)
    assert ready.phase == "do"


def test_move_queries_do_not_grow_with_the_board(client, login):
    """A move reads the user, the membership and the cycle (with its owner and point),
    writes the cycle and its audit row and counts the columns; the board's size and the
    commit add nothing (the answer is rendered before the commit expires what it shows)."""
    org, lise, bo, intervention, visits, ready, *_ = board_world()
    login(lise, org)
    url = f"/indsatser/{intervention.id}/proevehandlinger/{ready.id}/flyt"

    def move(to):
        db.session.refresh(ready)
        with count_queries() as statements:
            response = client.post(url, data={"to": to, "version": ready.version}, headers=HX)
        assert response.status_code == 200
        return len(statements)

    few = move("do")
    for n in range(12):
        gen_cycle(visits, title=f"Mere {n}", owner=bo, phase=("plan", "do", "act")[n % 3])
    db.session.commit()
    assert move("plan") == few <= 6


def test_refused_move_puts_the_card_back_and_says_what_is_missing(client, login):
    org, lise, bo, intervention, visits, ready, empty, *_ = board_world()
    login(lise, org)
    response = client.post(
        f"/indsatser/{intervention.id}/proevehandlinger/{empty.id}/flyt",
        data={"to": "do", "version": str(empty.version)},
        headers=HX,
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    # The card replaces itself where it stands, saying why inside it; nothing else moves.
    assert body.lstrip().startswith(f'<article id="card-{empty.id}"')
    assert 'hx-swap-oob="afterbegin' not in body and 'id="count-' not in body
    refusal = body[body.index('class="card-refusal"') : body.index("</article>")]
    # Each missing field named, as a link to it in the worksheet (test_board_standup_fixes.py).
    assert "Udfyld først: <a" in refusal and ">Formål med prøvehandlingen</a>, <a" in refusal
    assert '<div id="messages" hx-swap-oob="innerHTML"></div>' in body
    db.session.refresh(empty)
    assert empty.phase == "plan"


def test_a_finished_test_reopens_one_step_only(client, login):
    org, lise, bo, intervention, visits, ready, empty, late, old_done, recent_done = board_world()
    login(lise, org)
    url = f"/indsatser/{intervention.id}/proevehandlinger/{recent_done.id}/flyt"
    for target in ("plan", "do", "study"):
        response = client.post(
            url, data={"to": target, "version": str(recent_done.version)}, headers=HX
        )
        assert response.status_code == 422
        refusal = response.get_data(as_text=True)
        refusal = refusal[refusal.index('class="card-refusal"') :]
        assert "er afsluttet. Den genåbnes ét trin tilbage, til Handl" in refusal
        db.session.refresh(recent_done)
        assert (recent_done.phase, recent_done.closed_at is not None) == ("done", True)
    response = client.post(url, data={"to": "act", "version": str(recent_done.version)}, headers=HX)
    assert response.status_code == 200
    db.session.refresh(recent_done)
    assert (recent_done.phase, recent_done.closed_at) == ("act", None)
    # From Act it moves back as any open test does.
    response = client.post(
        url, data={"to": "plan", "version": str(recent_done.version)}, headers=HX
    )
    assert response.status_code == 200


def test_concurrent_moves_the_later_one_is_told(client, login):
    org, lise, bo, intervention, visits, ready, *_ = board_world()
    login(lise, org)
    url = f"/indsatser/{intervention.id}/proevehandlinger/{ready.id}/flyt"
    seen = str(ready.version)  # both browsers show this version
    first = client.post(url, data={"to": "do", "version": seen}, headers=HX)
    assert first.status_code == 200
    second = client.post(url, data={"to": "plan", "version": seen}, headers=HX)
    assert second.status_code == 409
    body = second.get_data(as_text=True)
    # The later browser gets the card where it really is, with the reason inside it.
    assert 'hx-swap-oob="afterbegin:#cards-do"' in body
    refusal = body[body.index('class="card-refusal"') : body.index("</article>")]
    assert "En anden har lige flyttet eller ændret" in refusal
    db.session.refresh(ready)
    assert ready.phase == "do"


def test_move_to_unknown_phase_is_a_bad_request(client, login):
    org, lise, bo, intervention, visits, ready, *_ = board_world()
    login(lise, org)
    response = client.post(
        f"/indsatser/{intervention.id}/proevehandlinger/{ready.id}/flyt",
        data={"to": "elsewhere", "version": str(ready.version)},
        headers=HX,
    )
    assert response.status_code == 400


def test_cycle_under_another_intervention_is_404(client, login):
    org, lise, bo, intervention, visits, ready, *_ = board_world()
    other = gen_intervention(org, name="Anden indsats")
    db.session.commit()
    login(lise, org)
    response = client.get(f"/indsatser/{other.id}/proevehandlinger/{ready.id}")
    assert response.status_code == 404


def test_empty_board_offers_first_step(client, login):
    org = gen_org("Nord")
    user = gen_user(org)
    intervention = gen_intervention(org)
    db.session.commit()
    login(user, org)
    body = client.get(f"/indsatser/{intervention.id}/tavle").get_data(as_text=True)
    assert "Tavlen er tom" in body and "Gå til prøvehandlingerne" in body


def test_done_window_can_be_widened_and_is_kept_in_presentation(client, login):
    org, lise, bo, intervention, *_ = board_world()
    login(lise, org)
    url = f"/indsatser/{intervention.id}/tavle"
    assert "Gammel afsluttet" not in client.get(url).get_data(as_text=True)
    body = client.get(url, query_string={"uger": 13}).get_data(as_text=True)
    assert "Gammel afsluttet" in body
    assert "visning=praesentation&amp;uger=13" in body
    # Unknown windows fall back to the default.
    body = client.get(url, query_string={"uger": 999}).get_data(as_text=True)
    assert "Gammel afsluttet" not in body
