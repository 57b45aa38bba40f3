"""The rating grid: one cell saved per request, refused outside the rules, history kept."""

import re
from datetime import date
from html import unescape

import pytest
from sqlalchemy import select

from improvement.extensions import db
from improvement.models import Case, CoreElementRating, TeamMember
from tests.cases.helpers import gen_case, gen_core_element, gen_phase
from tests.helpers import gen_intervention, gen_member, gen_user

HX = {"HX-Request": "true"}


def _rate(client, team, score, phase=None, element=None, case=None, **extra):
    case = case or team.case
    data = {
        "phase_id": str((phase or team.phases[0]).id),
        "core_element_id": str((element or team.elements[0]).id),
        "score": str(score),
        **extra,
    }
    return client.post(
        f"/indsatser/{case.intervention_id}/forloeb/{case.id}/vurdering", data=data, headers=HX
    )


def _rows():
    return list(db.session.scalars(select(CoreElementRating).order_by(CoreElementRating.id)))


def test_grid_shows_an_input_per_active_cell(client, login, team):
    login(team.practitioner, team.org)
    body = client.get(f"/indsatser/{team.intervention.id}/forloeb/{team.case.id}").get_data(
        as_text=True
    )
    assert body.count('class="rating-input"') == 3 * 2  # 3 phases x 2 core elements
    assert "Slet ikke arbejdet med" in body  # the scale's labels come from the seed file


def test_save_a_cell_and_revise_it_keeping_history(client, login, team):
    login(team.practitioner, team.org)
    response = _rate(client, team, 3)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Gemt" in body and 'class="cell-state saved"' in body
    assert f'id="state-{team.phases[0].id}-{team.elements[0].id}"' in body

    assert _rate(client, team, 5).status_code == 200
    rows = _rows()
    assert [r.score for r in rows] == [3, 5]  # append-only: the revision is a new row
    assert all(r.rater_id == team.practitioner.id for r in rows)

    # Saving the same value again writes nothing new.
    assert _rate(client, team, 5).status_code == 200
    assert len(_rows()) == 2

    page = client.get(f"/indsatser/{team.intervention.id}/forloeb/{team.case.id}")
    html = page.get_data(as_text=True)
    assert 'value="5"' in html  # the latest counts in the grid
    assert "2 gemte vurderinger, nyeste først" in html  # both kept in the history
    # The stored flag follows the revision: only the 5 is the cell's latest.
    assert [r.is_latest for r in _rows()] == [False, True]


@pytest.mark.parametrize("score", ["0", "6", "x", "", "2.5", "-1", "010203-1234"])
def test_score_outside_the_scale_is_refused(client, login, team, score):
    login(team.practitioner, team.org)
    response = _rate(client, team, score)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Brug et helt tal fra 1 til 5." in body or "Det ligner et CPR-nummer" in body
    assert 'class="cell-state failed"' in body
    assert _rows() == []


def test_archived_core_element_is_refused_but_kept_in_history(client, login, team):
    login(team.practitioner, team.org)
    assert _rate(client, team, 4).status_code == 200
    element = team.elements[0]
    element.archived = True
    db.session.commit()
    response = _rate(client, team, 2)
    assert response.status_code == 422
    assert "Kerneelementet er arkiveret" in response.get_data(as_text=True)
    assert [r.score for r in _rows()] == [4]
    # Still shown, read-only, where it was rated; and still in the intervention's analysis.
    page = client.get(f"/indsatser/{team.intervention.id}/forloeb/{team.case.id}")
    html = page.get_data(as_text=True)
    assert "Tidlig tilstedeværelse <small>(arkiveret)</small>" in html
    quality = client.get(f"/indsatser/{team.intervention.id}/kvalitet").get_data(as_text=True)
    assert "Tidlig tilstedeværelse <small>(arkiveret)</small>" in quality


def test_phase_or_element_of_another_intervention_is_404(client, login, team):
    other = gen_intervention(team.org, name="Anden indsats")
    foreign_phase = gen_phase(other, "Fremmed fase")
    foreign_element = gen_core_element(other, "Fremmed kerneelement")
    db.session.commit()
    login(team.practitioner, team.org)
    assert _rate(client, team, 3, phase=foreign_phase).status_code == 404
    assert _rate(client, team, 3, element=foreign_element).status_code == 404
    assert _rows() == []


@pytest.mark.parametrize("field", ["phase_id", "core_element_id"])
def test_an_id_past_the_databases_range_is_404(client, login, team, field):
    login(team.practitioner, team.org)
    response = _rate(client, team, 3, **{field: str(10**20)})
    assert response.status_code == 404
    assert "hører ikke til forløbets indsats" in response.get_data(as_text=True)
    assert _rows() == []


def test_closed_case_is_refused(client, login, team):
    case = db.session.get(Case, team.case.id)
    case.end_date = date(2026, 3, 1)
    db.session.commit()
    login(team.practitioner, team.org)
    response = _rate(client, team, 3)
    assert response.status_code == 422
    assert "Forløbet er afsluttet" in response.get_data(as_text=True)
    assert _rows() == []
    page = client.get(f"/indsatser/{team.intervention.id}/forloeb/{team.case.id}")
    assert 'class="rating-input"' not in page.get_data(as_text=True)
    # A comment sent from a page opened before the case was closed says why, too.
    response = _comment(client, team, "Familien aflyste.", score="3")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Forløbet er afsluttet" in html
    # The comment typed is shown beside the refusal, to copy.
    assert "Din kommentar blev ikke gemt" in html
    assert '<textarea id="comment-unsaved" readonly rows="4">Familien aflyste.</textarea>' in html
    assert _rows() == []


def test_evaluator_cannot_rate(client, login, team):
    login(team.evaluator, team.org)
    assert _rate(client, team, 3).status_code == 403
    assert _rows() == []
    page = client.get(f"/indsatser/{team.intervention.id}/forloeb/{team.case.id}")
    assert page.status_code == 200
    assert 'class="rating-input"' not in page.get_data(as_text=True)


NOT_ON_TEAM = (
    "Kun medlemmer af indsatsens team vurderer dens forløb. Bed en leder om at tilføje dig "
    "til teamet."
)
READ_ONLY_NOTE = "Du er ikke i indsatsens team, så skemaet vises kun til læsning"


def test_only_the_interventions_team_rates(client, login, team):
    """Ratings are the team's (DOMAIN.md): a writing role off the team sees the grid
    read-only, and a rating or comment posted anyway is refused in the cell, 403."""
    partner = gen_user(team.org, role="partner", name="Pernille Pagh")
    db.session.commit()
    login(partner, team.org)
    page = client.get(f"/indsatser/{team.intervention.id}/forloeb/{team.case.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert READ_ONLY_NOTE in html
    assert 'class="rating-input"' not in html and 'id="comment-form"' not in html
    assert html.count('<span class="score-value">–</span>') == 3 * 2

    response = _rate(client, team, 4)
    assert response.status_code == 403
    body = unescape(response.get_data(as_text=True))
    phase, element = team.phases[0], team.elements[0]
    assert body == (
        f'<span id="state-{phase.id}-{element.id}" class="cell-state failed" role="alert">'
        f"✗ {NOT_ON_TEAM}</span>"
    )
    response = _comment(client, team, "Familien aflyste.", score="3")
    assert response.status_code == 403
    assert NOT_ON_TEAM in unescape(response.get_data(as_text=True))
    assert _rows() == []

    # Added to the team, they rate.
    gen_member(team.intervention, partner, professional_role="partner")
    db.session.commit()
    assert _rate(client, team, 4).status_code == 200
    assert [(r.score, r.rater_id) for r in _rows()] == [(4, partner.id)]
    html = client.get(f"/indsatser/{team.intervention.id}/forloeb/{team.case.id}").get_data(
        as_text=True
    )
    assert READ_ONLY_NOTE not in html and html.count('class="rating-input"') == 3 * 2


def test_someone_who_left_the_team_no_longer_rates_and_their_ratings_stay(client, login, team):
    login(team.colleague, team.org)
    assert _rate(client, team, 2).status_code == 200
    member = db.session.scalars(
        select(TeamMember).where(TeamMember.user_id == team.colleague.id)
    ).one()
    db.session.delete(member)
    db.session.commit()
    response = _rate(client, team, 5)
    assert response.status_code == 403
    assert NOT_ON_TEAM in unescape(response.get_data(as_text=True))
    # Their rating still counts, under their name; a team member may revise it.
    assert [(r.score, r.rater_id, r.is_latest) for r in _rows()] == [(2, team.colleague.id, True)]
    login(team.practitioner, team.org)
    assert _rate(client, team, 5).status_code == 200
    assert [(r.score, r.rater_id) for r in _rows()] == [
        (2, team.colleague.id),
        (5, team.practitioner.id),
    ]


def test_the_evaluator_is_not_told_about_the_team(client, login, team):
    """A read-only role is refused by the access check; the team note is for writers."""
    login(team.evaluator, team.org)
    html = client.get(f"/indsatser/{team.intervention.id}/forloeb/{team.case.id}").get_data(
        as_text=True
    )
    assert READ_ONLY_NOTE not in html


def test_case_under_the_wrong_intervention_is_404(client, login, team):
    other = gen_intervention(team.org, name="Anden indsats")
    db.session.commit()
    login(team.practitioner, team.org)
    response = client.post(
        f"/indsatser/{other.id}/forloeb/{team.case.id}/vurdering",
        data={"phase_id": team.phases[0].id, "core_element_id": team.elements[0].id, "score": 3},
        headers=HX,
    )
    assert response.status_code == 404
    assert _rows() == []


def _comment(client, team, comment, score=""):
    return client.post(
        f"/indsatser/{team.intervention.id}/forloeb/{team.case.id}/kommentar",
        data={
            "phase_id": str(team.phases[0].id),
            "core_element_id": str(team.elements[0].id),
            "score": score,
            "comment": comment,
        },
        headers=HX,
    )


def test_comment_keeps_the_score_and_grid_keeps_the_comment(client, login, team):
    login(team.practitioner, team.org)
    # Nothing to comment on yet without a score.
    response = _comment(client, team, "Familien aflyste")
    assert response.status_code == 422
    assert "Vurdér cellen (1–5), før du kommenterer den." in response.get_data(as_text=True)
    assert _rows() == []

    _rate(client, team, 2)
    response = _comment(client, team, "Familien aflyste to besøg.")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Kommentaren er gemt." in body
    assert 'id="rating-grid"' in body and 'hx-swap-oob="true"' in body  # grid updated too
    assert [(r.score, r.comment) for r in _rows()] == [(2, ""), (2, "Familien aflyste to besøg.")]

    # A later score from the grid by the comment's author keeps the comment.
    _rate(client, team, 3)
    assert _rows()[-1].comment == "Familien aflyste to besøg."


def _panel_error(body):
    """The message at the comment field (macros/forms.html), or None."""
    found = re.search(r'<small id="comment-help" class="field-error">(.*?)</small>', body, re.S)
    return unescape(found.group(1)) if found else None


EMPTY_COMMENT = "Kommentaren er tom, så intet er gemt. Skriv, hvorfor cellen fik sin vurdering."


@pytest.mark.parametrize("comment", ["", "   \n "])
def test_an_empty_comment_on_a_cell_without_one_saves_nothing_and_says_so(
    client, login, team, comment
):
    login(team.practitioner, team.org)
    # Not even rated yet: the empty text is what is wrong.
    response = _comment(client, team, comment)
    assert response.status_code == 422
    assert _panel_error(response.get_data(as_text=True)) == EMPTY_COMMENT
    assert _rows() == []

    _rate(client, team, 2)
    for score in ("", "2"):  # the score kept, or the very score the cell holds
        response = _comment(client, team, comment, score=score)
        assert response.status_code == 422
        body = response.get_data(as_text=True)
        assert "Kommentaren er gemt." not in body
        assert _panel_error(body) == EMPTY_COMMENT
        assert body.count(EMPTY_COMMENT) == 1  # at the field, not repeated above the form
        assert 'aria-invalid="true"' in body.split('id="comment-form"')[1]
    assert [(r.score, r.comment) for r in _rows()] == [(2, "")]


def test_emptying_a_cells_comment_removes_it_and_says_so(client, login, team):
    phase, element = team.phases[0], team.elements[0]
    login(team.practitioner, team.org)
    _rate(client, team, 2)
    _comment(client, team, "Familien aflyste to besøg.")
    response = _comment(client, team, "")
    assert response.status_code == 200
    body = unescape(response.get_data(as_text=True))
    assert "Kommentaren er fjernet fra cellen; historikken gemmer den." in body
    assert "Kommentaren er gemt." not in body
    assert f'id="mark-{phase.id}-{element.id}"' in body  # the grid, drawn again,
    assert 'class="comment-mark"' not in body  # marks no comment
    assert [(r.score, r.comment) for r in _rows()] == [
        (2, ""),
        (2, "Familien aflyste to besøg."),
        (2, ""),
    ]
    # Now the cell has none: emptying it again saves nothing.
    assert _comment(client, team, "").status_code == 422
    assert len(_rows()) == 3


def test_a_new_score_from_the_comment_form_without_text_is_saved_as_a_rating(client, login, team):
    login(team.practitioner, team.org)
    response = _comment(client, team, "", score="3")
    assert response.status_code == 200
    assert "Vurderingen er gemt uden kommentar." in response.get_data(as_text=True)
    _comment(client, team, "Familien aflyste.")
    response = _comment(client, team, "", score="4")
    assert response.status_code == 200
    assert "Vurderingen er gemt uden kommentar." in response.get_data(as_text=True)
    assert [(r.score, r.comment) for r in _rows()] == [(3, ""), (3, "Familien aflyste."), (4, "")]


def test_another_persons_new_score_does_not_take_over_the_comment(client, login, team):
    phase, element = team.phases[0], team.elements[0]
    login(team.practitioner, team.org)
    _rate(client, team, 2)
    _comment(client, team, "Familien aflyste to besøg.")

    login(team.leader, team.org)
    response = _rate(client, team, 4)
    assert response.status_code == 200
    assert [(r.score, r.comment, r.rater_id) for r in _rows()][-2:] == [
        (2, "Familien aflyste to besøg.", team.practitioner.id),
        (4, "", team.leader.id),
    ]
    body = response.get_data(as_text=True)
    # Out of band: the cell's comment mark is emptied, the list no longer shows the comment
    # under the new score, and the live region names the saved cell.
    assert f'<span id="mark-{phase.id}-{element.id}" hx-swap-oob="true"></span>' in body
    assert '<div id="comment-list" hx-swap-oob="true">' in body
    assert "Familien aflyste" not in body.split('id="comment-list"')[1].split("</div>")[0]
    assert f"Gemt: {element.name} – {phase.name}: 4" in body
    # The old comment stays in the history with its score and author.
    page = client.get(f"/indsatser/{team.intervention.id}/forloeb/{team.case.id}")
    history = page.get_data(as_text=True).split('id="history"')[1]
    assert "Familien aflyste to besøg." in history


def test_cpr_in_a_comment_is_refused(client, login, team):
    login(team.practitioner, team.org)
    _rate(client, team, 2)
    response = _comment(client, team, "Barnet 010203-1234 var syg")
    assert response.status_code == 422
    assert "Det ligner et CPR-nummer" in response.get_data(as_text=True)
    assert len(_rows()) == 1


def test_case_page_queries_do_not_grow_with_ratings(app, client, login, team):
    from sqlalchemy import event

    login(team.practitioner, team.org)
    url = f"/indsatser/{team.intervention.id}/forloeb/{team.case.id}"

    def count_queries():
        seen = []

        def listener(*_args):
            seen.append(1)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    _rate(client, team, 3)
    few = count_queries()
    for phase in team.phases:
        for element in team.elements:
            for score in (1, 4):
                _rate(client, team, score, phase=phase, element=element, comment="ok")
    assert count_queries() == few


def test_query_counts_of_the_analysis_pages_do_not_grow(app, client, login, team):
    from sqlalchemy import event

    login(team.leader, team.org)
    base = f"/indsatser/{team.intervention.id}"

    def count(url):
        seen = []

        def listener(*_args):
            seen.append(1)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    urls = [
        f"{base}/forloeb",
        f"{base}/kvalitet",
        f"{base}/resultater",
        f"{base}/kvalitet/moenster",
    ]
    before = [count(u) for u in urls]
    for n in range(5):
        case = gen_case(team.intervention, f"SP-{n}", followups=[date(2026, 3, 1)])
        from tests.cases.helpers import gen_rating

        for phase in team.phases:
            gen_rating(case, phase, team.elements[0], 1 + n % 5, rater=team.practitioner)
    db.session.commit()
    assert [count(u) for u in urls] == before


@pytest.mark.csrf
def test_grid_saves_with_the_csrf_header_and_refuses_without(client, login, team):
    import re

    login(team.practitioner, team.org)
    page = client.get(f"/indsatser/{team.intervention.id}/forloeb/{team.case.id}")
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page.get_data(as_text=True)).group(1)
    url = f"/indsatser/{team.intervention.id}/forloeb/{team.case.id}/vurdering"
    data = {"phase_id": team.phases[0].id, "core_element_id": team.elements[0].id, "score": 4}
    assert client.post(url, data=data, headers=HX).status_code == 400
    assert _rows() == []
    response = client.post(url, data=data, headers={**HX, "X-CSRFToken": token})
    assert response.status_code == 200
    assert [r.score for r in _rows()] == [4]


def test_two_saves_in_one_case_at_once_leave_one_latest_row(app, team):
    """Two practitioners saving the same cell at the same moment: the second save waits for
    the first (on PostgreSQL the case is locked while the latest flag is set; SQLite lets
    one writer in at a time by itself), so exactly one row of the cell is marked latest."""
    import threading
    from datetime import UTC, datetime, timedelta

    from sqlalchemy.orm import Session

    cell = {
        "organization_id": team.org.id,
        "case_id": team.case.id,
        "phase_id": team.phases[0].id,
        "core_element_id": team.elements[0].id,
    }
    start = datetime(2026, 3, 1, 10, tzinfo=UTC)
    first, second = Session(db.engine), Session(db.engine)
    first.add(CoreElementRating(**cell, score=2, rated_at=start))
    first.flush()  # the first save is in its transaction, not committed yet
    started = threading.Event()

    def save_second():
        second.add(CoreElementRating(**cell, score=4, rated_at=start + timedelta(minutes=1)))
        started.set()
        second.flush()
        second.commit()

    thread = threading.Thread(target=save_second)
    thread.start()
    started.wait(5)
    thread.join(0.3)  # without the lock the second save would finish here
    first.commit()
    thread.join(10)
    first.close()
    second.close()
    assert [(r.score, r.is_latest) for r in _rows()] == [(2, False), (4, True)]


def test_grid_shows_the_latest_dated_rating_even_when_an_older_one_came_later(client, login, team):
    """An import can add a rating dated before one already saved; the grid, like the heat
    map, shows the cell's latest by date, and a comment keeps that rating's score."""
    from tests.cases.helpers import gen_rating

    gen_rating(team.case, team.phases[0], team.elements[0], 4, day=date(2026, 3, 1))
    gen_rating(team.case, team.phases[0], team.elements[0], 2, day=date(2026, 1, 1))
    db.session.commit()
    login(team.practitioner, team.org)
    html = client.get(f"/indsatser/{team.intervention.id}/forloeb/{team.case.id}").get_data(
        as_text=True
    )
    cell = f'id="cell-{team.phases[0].id}-{team.elements[0].id}" name="score"'
    assert f'{cell} value="4"' in html
    assert _comment(client, team, "Drøftet på mødet").status_code == 200
    assert [r.score for r in _rows()] == [4, 2, 4]


def _seen(html, team):
    """The rating id the cell's hidden `seen` field holds in a page or an answer."""
    cell = f"seen-{team.phases[0].id}-{team.elements[0].id}"
    return re.search(rf'id="{cell}" name="seen" value="(\d+)"', html).group(1)


def test_a_cell_rated_by_someone_else_meanwhile_is_not_overwritten_unseen(client, login, team):
    # Both open the case while the cell holds Birgitte's 4.
    login(team.practitioner, team.org)
    assert _rate(client, team, 4, seen="0").status_code == 200
    page = client.get(f"/indsatser/{team.intervention.id}/forloeb/{team.case.id}")
    seen = _seen(page.get_data(as_text=True), team)
    assert seen == str(_rows()[0].id)
    # Birgitte changes it to 5; Frederik, still seeing 4, types 2.
    assert _rate(client, team, 5, seen=seen).status_code == 200
    login(team.colleague, team.org)
    response = _rate(client, team, 2, seen=seen)
    assert response.status_code == 409
    html = unescape(response.get_data(as_text=True))
    assert "Birgitte Bach har givet 5 i mellemtiden; din blev ikke gemt." in html
    assert 'data-score="5"' in html
    assert 'class="cell-state failed"' in html
    assert [r.score for r in _rows()] == [4, 5]
    # The answer brings the cell's current rating: typed again, Frederik's 2 replaces it.
    now = _seen(html, team)
    assert now == str(_rows()[1].id) and 'hx-swap-oob="true"' in html
    assert _rate(client, team, 2, seen=now).status_code == 200
    assert [r.score for r in _rows()] == [4, 5, 2]
    # One's own newer rating (another tab) is no conflict.
    assert _rate(client, team, 3, seen=seen).status_code == 200


def test_a_comment_over_someone_elses_newer_rating_is_refused_with_the_text_kept(
    client, login, team
):
    login(team.practitioner, team.org)
    page = client.get(f"/indsatser/{team.intervention.id}/forloeb/{team.case.id}")
    assert 'name="seen" value="0"' in page.get_data(as_text=True)
    assert _rate(client, team, 4, comment="Mors forklaring").status_code == 200
    login(team.colleague, team.org)
    response = client.post(
        f"/indsatser/{team.intervention.id}/forloeb/{team.case.id}/kommentar",
        data={
            "phase_id": str(team.phases[0].id),
            "core_element_id": str(team.elements[0].id),
            "score": "",
            "comment": "Fars forklaring",
            "seen": "0",
        },
        headers=HX,
    )
    assert response.status_code == 409
    html = unescape(response.get_data(as_text=True))
    assert "Birgitte Bach har vurderet cellen til 4 i mellemtiden (se skemaet)" in html
    assert "Fars forklaring" in html
    assert [r.comment for r in _rows()] == ["Mors forklaring"]
    # The panel now carries the newest rating: saving again replaces the comment.
    newest = str(_rows()[0].id)
    assert f'name="seen" value="{newest}"' in html
    response = client.post(
        f"/indsatser/{team.intervention.id}/forloeb/{team.case.id}/kommentar",
        data={
            "phase_id": str(team.phases[0].id),
            "core_element_id": str(team.elements[0].id),
            "score": "",
            "comment": "Fars forklaring",
            "seen": newest,
        },
        headers=HX,
    )
    assert response.status_code == 200
    assert [r.comment for r in _rows()] == ["Mors forklaring", "Fars forklaring"]


def test_the_same_score_a_colleague_gave_meanwhile_is_no_conflict(client, login, team):
    login(team.practitioner, team.org)
    assert _rate(client, team, 5, seen="0").status_code == 200
    login(team.colleague, team.org)
    response = _rate(client, team, 5, seen="0")
    assert response.status_code == 200
    assert "i mellemtiden" not in response.get_data(as_text=True)
    assert [r.score for r in _rows()] == [5]  # theirs stands; nothing new to write
