"""Reopening a closed case: the fields still coded are named, each at its place; nothing
coded is cleared behind the user's back."""

import re
from datetime import date
from html import unescape

import pytest

from improvement.cases.service import categories_of
from improvement.extensions import db
from improvement.models import Case
from tests.cases.helpers import gen_case

HX = {"HX-Request": "true"}
REOPEN = "Vælg “Ikke kodet endnu” for at genåbne forløbet, eller udfyld slutdatoen igen."
REOPEN_CATEGORIES = (
    "Fjern fluebenene ved problemkategorierne for at genåbne forløbet, eller udfyld "
    "slutdatoen igen."
)
ADJUSTMENT = "Førte professionel tvivl til en justering af indsatsen?"


@pytest.fixture
def closed(team):
    category = categories_of(team.org.id)[0]
    case = gen_case(
        team.intervention,
        "SP-2026-080",
        start=date(2026, 1, 5),
        practitioner_id=team.practitioner.id,
        end_date=date(2026, 6, 30),
        goal_attainment="achieved",
        problem_grade="severe",
        reflected_adjustment="yes",
        problem_categories=[category],
    )
    db.session.commit()
    return case


def _data(case, category_ids=(), **fields):
    data = {
        "code": case.code,
        "practitioner_id": str(case.practitioner_id),
        "start_date": case.start_date.isoformat(),
        "phase_id": "",
        "followup_cadence_months": "",
        "end_date": "",
        "goal_attainment": "achieved",
        "problem_grade": "severe",
        "reflected_adjustment": "yes",
        "problem_categories": [str(i) for i in category_ids],
        "version": str(case.version),
    }
    data.update(fields)
    return data


def _field_error(html, field_id):
    """The error text shown at a field (its help element), or None."""
    match = re.search(rf'<small id="{field_id}-help" class="field-error">(.*?)</small>', html)
    return match.group(1) if match else None


def _post(client, case, data):
    url = f"/indsatser/{case.intervention_id}/forloeb/{case.id}/rediger"
    response = client.post(url, data=data, headers=HX)
    return response, unescape(response.get_data(as_text=True))


def test_reopening_names_each_field_still_coded(client, login, team, closed):
    """The testers' case: end date and goal attainment emptied, the rest left coded."""
    category_id = closed.problem_categories[0].id
    login(team.practitioner, team.org)
    response, html = _post(client, closed, _data(closed, [category_id], goal_attainment=""))
    assert response.status_code == 422
    # Not at the field already emptied; at each of the three still coded.
    assert _field_error(html, "goal_attainment") is None
    assert _field_error(html, "problem_grade") == REOPEN
    assert _field_error(html, "reflected_adjustment") == REOPEN
    assert f'<small class="field-error">{REOPEN_CATEGORIES}</small>' in html
    # Above the form, the same three by name.
    assert (
        "Et åbent forløb har intet kodet resultat. Tøm de resultatfelter, der stadig er kodet, "
        f"for at genåbne forløbet: “Problemgrad”, “{ADJUSTMENT}”, “Problemkategorier”."
    ) in html
    # The old single message on the empty field is gone.
    assert "Resultatet kodes, når forløbet afsluttes" not in html
    # Nothing was saved: the case is still closed and coded.
    db.session.expire_all()
    case = db.session.get(Case, closed.id)
    assert case.end_date == date(2026, 6, 30)
    assert (case.goal_attainment, case.problem_grade, case.reflected_adjustment) == (
        "achieved",
        "severe",
        "yes",
    )
    assert [c.id for c in case.problem_categories] == [category_id]


def test_reopening_with_every_field_emptied_opens_the_case(client, login, team, closed):
    login(team.practitioner, team.org)
    data = _data(closed, goal_attainment="", problem_grade="", reflected_adjustment="")
    response, _html = _post(client, closed, data)
    assert response.status_code == 200
    db.session.expire_all()
    case = db.session.get(Case, closed.id)
    assert case.end_date is None and not case.is_closed
    assert (case.goal_attainment, case.problem_grade, case.reflected_adjustment) == (
        None,
        None,
        None,
    )
    assert case.problem_categories == []


def test_only_the_categories_left_are_named(client, login, team, closed):
    category_id = closed.problem_categories[0].id
    login(team.practitioner, team.org)
    data = _data(
        closed, [category_id], goal_attainment="", problem_grade="", reflected_adjustment=""
    )
    response, html = _post(client, closed, data)
    assert response.status_code == 422
    assert _field_error(html, "problem_grade") is None
    assert REOPEN not in html
    assert REOPEN_CATEGORIES in html
    assert "for at genåbne forløbet: “Problemkategorier”." in html


def test_an_open_case_coded_without_an_end_date_is_told_to_set_it(client, login, team):
    """Never closed: the message speaks of setting the end date, not of reopening."""
    login(team.practitioner, team.org)
    case = team.case
    data = _data(case, goal_attainment="progressing", problem_grade="", reflected_adjustment="")
    response, html = _post(client, case, data)
    assert response.status_code == 422
    assert _field_error(html, "goal_attainment") == (
        "Sæt slutdatoen først, eller vælg “Ikke kodet endnu”."
    )
    assert (
        "Resultatet kodes, når forløbet afsluttes: sæt slutdatoen først, eller tøm de kodede "
        "felter: “Målopnåelse”."
    ) in html
    assert "genåbne" not in html
    assert db.session.get(Case, case.id).goal_attainment is None


def test_the_edit_page_of_a_closed_case_says_how_to_reopen_it(client, login, team, closed):
    login(team.practitioner, team.org)
    url = f"/indsatser/{closed.intervention_id}/forloeb/{closed.id}/rediger"
    hint = "For at genåbne forløbet tømmes slutdatoen og resultatet"
    assert hint in unescape(client.get(url).get_data(as_text=True))
    open_url = f"/indsatser/{team.case.intervention_id}/forloeb/{team.case.id}/rediger"
    assert hint not in unescape(client.get(open_url).get_data(as_text=True))
