"""The round flow a quality team walks: answering (the justification's limit and what is not
saved, the elements with statements left), the rounds list telling an invited member,
closing with someone unfinished, and comparing a closed round with the one before."""

import re
from datetime import UTC, datetime
from html import unescape

from improvement.extensions import db
from improvement.models import AssessmentAnswer
from tests.assessments.helpers import HX, answer_all, gen_respondent, gen_round, setup_team
from tests.querycount import count_queries

ALL_ELEMENTS = dict.fromkeys(range(1, 12), "high")


def base(intervention):
    return f"/indsatser/{intervention.id}/selvevaluering"


def answer_first(respondent, instrument, count: int, value="some") -> None:
    """Answer the first `count` statements in the instrument's order."""
    ordered = sorted(instrument.statements, key=lambda s: (s.element, s.position))
    for statement in ordered[:count]:
        db.session.add(
            AssessmentAnswer(
                organization_id=respondent.organization_id,
                respondent_id=respondent.id,
                statement_id=statement.id,
                value=value,
            )
        )
    db.session.flush()


def text(html: str) -> str:
    """The page's words as read, tags and runs of white space aside."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def tag(html: str, name: str, element_id: str) -> str:
    match = re.search(rf'<{name}\b[^>]*\bid="{element_id}"[^>]*>', html)
    assert match, f"no <{name} id={element_id}>"
    return match.group(0)


# --- 1. The justification ---------------------------------------------------------------


def test_the_justification_has_the_apps_counter_its_limit_and_room(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument)
    gen_respondent(round_, users["p1"])
    db.session.commit()
    login(users["p1"], org)
    page = client.get(f"{base(intervention)}/{round_.id}/besvar").get_data(as_text=True)
    area = tag(page, "textarea", "text-6")
    # The data attributes app.js counts by, as forms.BaseForm gives every long text.
    assert 'data-max-length="4000"' in area
    assert 'data-length-message="{count} af højst {max} tegn"' in area
    assert 'rows="5"' in area
    assert "maxlength=" not in area  # a browser would cut pasted text without a word
    assert "Højst 4.000 tegn." in text(page)
    # The text belongs to an empty form that app.js watches for text not saved.
    assert 'form="text-form-6"' in area
    assert "data-warn-unsaved" in tag(page, "form", "text-form-6")


def test_only_a_saved_justification_clears_its_not_saved_mark(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument)
    gen_respondent(round_, users["p1"])
    db.session.commit()
    login(users["p1"], org)
    url = f"{base(intervention)}/{round_.id}/begrundelse/4"
    saved = client.post(url, data={"text": "Målene står i planen."}, headers=HX)
    assert saved.status_code == 200
    assert 'hx-swap-oob="true"' in tag(saved.get_data(as_text=True), "form", "text-form-4")
    # Refused (a CPR number, too long, saved meanwhile elsewhere): the mark stays, so leaving
    # the page still asks.
    for data, status in (
        ({"text": "Barnet 010203-1234"}, 422),
        ({"text": "x" * 4001}, 422),
        ({"text": "Mit", "base": "Noget andet"}, 409),
    ):
        response = client.post(url, data=data, headers=HX)
        assert response.status_code == status
        assert "text-form-4" not in response.get_data(as_text=True)


# --- 5. Which elements still have statements --------------------------------------------


def jump_link(html: str, number: int) -> str:
    match = re.search(rf'<a href="#element-{number}"[^>]*>.*?</a>', html, re.S)
    assert match, f"no jump link to element {number}"
    return match.group(0)


def test_jump_links_mark_elements_with_statements_left_and_follow_a_save(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument)
    respondent = gen_respondent(round_, users["p1"])
    answer_all(respondent, instrument, {1: "high", 2: "some"})
    element3 = sorted(
        (s for s in instrument.statements if s.element == 3), key=lambda s: s.position
    )
    for statement in element3[:-1]:
        db.session.add(
            AssessmentAnswer(
                organization_id=org.id,
                respondent_id=respondent.id,
                statement_id=statement.id,
                value="little",
            )
        )
    db.session.commit()
    login(users["p1"], org)
    page = client.get(f"{base(intervention)}/{round_.id}/besvar").get_data(as_text=True)
    for done in (1, 2):
        assert "has-unanswered" not in jump_link(page, done)
    marked = jump_link(page, 3)
    assert "has-unanswered" in marked
    assert "1 ikke besvaret" in text(marked)  # what a screen reader reads
    assert "4 ikke besvaret" in text(jump_link(page, 11))
    # Answering element 3's last statement takes its mark away, out of band.
    response = client.post(
        f"{base(intervention)}/{round_.id}/svar/{element3[-1].id}",
        data={"value": "high", "base": ""},
        headers=HX,
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'hx-swap-oob="true"' in tag(body, "nav", "element-jump")
    assert "has-unanswered" not in jump_link(body, 3)
    assert "has-unanswered" in jump_link(body, 4)
    assert "Du har besvaret 12 af 44 udsagn." in text(body)


# --- 2. Closing -------------------------------------------------------------------------


def test_closing_names_who_has_not_answered_everything_first(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument)
    answer_all(gen_respondent(round_, users["p1"]), instrument, ALL_ELEMENTS)
    answer_all(gen_respondent(round_, users["caseworker"], "authority"), instrument, ALL_ELEMENTS)
    answer_first(gen_respondent(round_, users["p2"]), instrument, 20)
    gen_respondent(round_, users["leader"], "leader")
    db.session.commit()
    login(users["leader"], org)
    url = f"{base(intervention)}/{round_.id}/luk"
    response = client.post(url, data={}, headers=HX)
    words = text(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "Sara Sundhed: 20 af 44" in words
    assert "Lise Leder: ikke svaret" in words
    assert "Bo Behandler" not in words  # answered everything
    assert "en lukket runde kan ikke åbnes igen" in words
    assert "Kun " not in words  # three answered: the fewer-than-three warning is not given
    assert 'name="confirm" value="1"' in response.get_data(as_text=True)
    db.session.refresh(round_)
    assert round_.is_open
    response = client.post(url, data={"confirm": "1"}, headers=HX)
    assert response.headers["HX-Redirect"].endswith(f"/selvevaluering/{round_.id}")
    db.session.refresh(round_)
    assert round_.status == "closed"


def test_closing_with_few_and_unfinished_says_both(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument)
    answer_first(gen_respondent(round_, users["p1"]), instrument, 5)
    db.session.commit()
    login(users["leader"], org)
    response = client.post(f"{base(intervention)}/{round_.id}/luk", data={}, headers=HX)
    words = text(response.get_data(as_text=True))
    assert "Bo Behandler: 5 af 44" in words
    assert "Kun 1 respondent har svaret" in words


def test_closing_when_everyone_answered_everything_asks_nothing(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument)
    for key in ("p1", "p2", "leader"):
        answer_all(gen_respondent(round_, users[key]), instrument, ALL_ELEMENTS)
    db.session.commit()
    login(users["leader"], org)
    response = client.post(f"{base(intervention)}/{round_.id}/luk", data={}, headers=HX)
    assert response.headers["HX-Redirect"].endswith(f"/selvevaluering/{round_.id}")
    db.session.refresh(round_)
    assert round_.status == "closed"


def test_the_close_question_costs_the_same_queries_with_more_respondents(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument)
    answer_first(gen_respondent(round_, users["p1"]), instrument, 3)
    db.session.commit()
    login(users["leader"], org)
    url = f"{base(intervention)}/{round_.id}/luk"
    client.post(url, data={}, headers=HX)  # warm caches
    with count_queries() as small:
        assert "Bo Behandler: 3 af 44" in text(client.post(url, data={}, headers=HX).get_data(True))
    for key in ("p2", "caseworker", "leader"):
        answer_first(gen_respondent(round_, users[key]), instrument, 7)
    db.session.commit()
    with count_queries() as large:
        assert "Lise Leder: 7 af 44" in text(client.post(url, data={}, headers=HX).get_data(True))
    assert len(large) == len(small), large


def test_a_closed_rounds_respondents_are_said_in_plain_danish(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument, status="closed")
    for key in ("p1", "p2", "caseworker"):
        answer_all(gen_respondent(round_, users[key]), instrument, {1: "high"})
    gen_respondent(round_, users["leader"], "leader")
    everyone = gen_round(intervention, instrument, name="Alle", status="closed")
    answer_all(gen_respondent(everyone, users["p1"]), instrument, {1: "high"})
    db.session.commit()
    login(users["leader"], org)
    words = text(client.get(f"{base(intervention)}/{round_.id}").get_data(as_text=True))
    assert "3 af de 4 inviterede har svaret." in words
    assert "Inviterede respondenter;" not in words
    words = text(client.get(f"{base(intervention)}/{everyone.id}").get_data(as_text=True))
    assert "Alle inviterede har svaret." in words


# --- 3 and 6. The rounds list -----------------------------------------------------------


def test_the_rounds_list_tells_an_invited_member_how_far_they_are(client, login):
    org, intervention, instrument, users, _ = setup_team()
    started = gen_round(intervention, instrument, name="Kvartal 1")
    answer_first(gen_respondent(started, users["p1"]), instrument, 20)
    done = gen_round(intervention, instrument, name="Kvartal 2")
    answer_all(gen_respondent(done, users["p1"]), instrument, ALL_ELEMENTS)
    waiting = gen_round(intervention, instrument, name="Kvartal 3")
    gen_respondent(waiting, users["p1"])
    others = gen_round(intervention, instrument, name="Kvartal 4")
    gen_respondent(others, users["p2"])
    closed = gen_round(intervention, instrument, name="Kvartal 0", status="closed")
    gen_respondent(closed, users["p1"])
    db.session.commit()
    login(users["p1"], org)
    page = client.get(base(intervention)).get_data(as_text=True)
    rows = {
        text(re.search(r"<td><a [^>]*>(.*?)</a>", row).group(1)).strip(): row
        for row in re.findall(r"<tr>.*?</tr>", page.split("<tbody>")[1].split("</tbody>")[0], re.S)
    }
    assert "Du er inviteret – 20 af 44 besvaret" in text(rows["Kvartal 1"])
    assert f'href="{base(intervention)}/{started.id}/besvar"' in rows["Kvartal 1"]
    assert "Besvar" in text(rows["Kvartal 1"])
    assert "Du har svaret på alle" in text(rows["Kvartal 2"])
    assert "Du er inviteret – ikke besvaret endnu" in text(rows["Kvartal 3"])
    for not_mine in ("Kvartal 4", "Kvartal 0"):  # another's, and a closed one
        assert "inviteret" not in text(rows[not_mine])
        assert "/besvar" not in rows[not_mine]


def test_the_rounds_list_costs_the_same_queries_with_more_invitations(client, login):
    org, intervention, instrument, users, _ = setup_team()
    gen_respondent(gen_round(intervention, instrument, name="R1"), users["p1"])
    db.session.commit()
    login(users["p1"], org)
    client.get(base(intervention))  # warm caches
    with count_queries() as small:
        assert client.get(base(intervention)).status_code == 200
    for n in range(2, 6):
        round_ = gen_round(intervention, instrument, name=f"R{n}")
        answer_first(gen_respondent(round_, users["p1"]), instrument, n)
        gen_respondent(round_, users["p2"])
    db.session.commit()
    with count_queries() as large:
        page = client.get(base(intervention)).get_data(as_text=True)
    assert "Du er inviteret – 5 af 44 besvaret" in text(page)
    assert len(large) == len(small), large


def test_the_rounds_list_gives_dates_in_words(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument, status="closed")
    round_.created_at = datetime(2025, 4, 1, 10, tzinfo=UTC)
    round_.closed_at = datetime(2025, 4, 22, 10, tzinfo=UTC)
    db.session.commit()
    login(users["leader"], org)
    words = text(client.get(base(intervention)).get_data(as_text=True))
    assert "1. april 2025" in words and "22. april 2025" in words
    assert "01.04.2025" not in words


# --- 4. Comparing with the round before -------------------------------------------------


def test_a_closed_round_links_to_its_comparison_with_the_closed_round_before(client, login):
    org, intervention, instrument, users, _ = setup_team()
    first = gen_round(intervention, instrument, name="Baseline", status="closed")
    gen_round(intervention, instrument, name="Stadig åben")
    second = gen_round(intervention, instrument, name="Opfølgning", status="closed")
    db.session.commit()
    login(users["leader"], org)
    page = client.get(f"{base(intervention)}/{second.id}").get_data(as_text=True)
    link = re.search(r'<a [^>]*href="([^"]*)"[^>]*>Sammenlign med forrige runde</a>', page)
    assert link, "no link to the comparison"
    assert unescape(link.group(1)) == f"{base(intervention)}/sammenlign?a={first.id}&b={second.id}"
    compared = client.get(unescape(link.group(1))).get_data(as_text=True)
    assert "selected>Baseline</option>" in compared
    assert "selected>Opfølgning</option>" in compared
    # The first closed round has none before it.
    page = client.get(f"{base(intervention)}/{first.id}").get_data(as_text=True)
    assert "Sammenlign med forrige runde" not in page


def test_the_comparison_says_how_many_answered_each_round(client, login):
    org, intervention, instrument, users, _ = setup_team()
    before = gen_round(intervention, instrument, name="Før", status="closed")
    for key in ("p1", "p2", "caseworker", "leader"):
        answer_all(gen_respondent(before, users[key]), instrument, {1: "high"})
    after = gen_round(intervention, instrument, name="Efter", status="closed")
    for key in ("p1", "p2", "caseworker"):
        answer_all(gen_respondent(after, users[key]), instrument, {1: "little"})
    gen_respondent(after, users["leader"])  # invited, never answered: not counted
    db.session.commit()
    login(users["leader"], org)
    page = client.get(f"{base(intervention)}/sammenlign?a={before.id}&b={after.id}")
    head = text(page.get_data(as_text=True).split("<thead>")[1].split("</thead>")[0])
    assert "Før (n=4)" in head
    assert "Efter (n=3)" in head
