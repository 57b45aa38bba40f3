"""A practitioner's and a caseworker's month of cases (QA round 2): the confirmation after
creating, short code errors and typed dashes, one word for a case's status and for the
reflected intervention adjustment, closing without an end date, a follow-up registered
twice, the closed cases still to be coded, and the cadence's choices."""

import re
from datetime import date
from html import unescape

import pytest
from sqlalchemy import select

from improvement.cases.service import categories_of
from improvement.extensions import db
from improvement.models import Case, CaseFollowUp
from tests.cases.helpers import gen_case

HX = {"HX-Request": "true"}
RULE = "Så kan en kode aldrig være et navn, en fødselsdato eller et CPR-nummer."
CPR_DA = "Det ligner et CPR-nummer."


def _url(team, suffix=""):
    return f"/indsatser/{team.intervention.id}/forloeb{suffix}"


def _html(response) -> str:
    return unescape(response.get_data(as_text=True))


def _field_error(html, field_id):
    """The error text shown at a field, or None."""
    match = re.search(rf'<small id="{field_id}-help" class="field-error">(.*?)</small>', html)
    return match.group(1) if match else None


def _create(client, team, code, **fields):
    data = {"code": code, "start_date": "2026-03-01", **fields}
    return client.post(_url(team), data=data, headers=HX)


def _code_of(code):
    return db.session.scalar(select(Case).where(Case.code == code))


# --- 1. after "Opret forløb": the confirmation is brought into view -------------------


def test_a_created_case_brings_its_confirmation_into_view_and_focus(client, login, team):
    login(team.practitioner, team.org)
    response = _create(client, team, "SP-2026-050")
    assert response.status_code == 200
    # htmx scrolls the window to the confirmation, not left where the folded form was.
    assert response.headers["HX-Reswap"] == "outerHTML show:#case-created:top"
    html = _html(response)
    message = re.search(r'<p class="flash flash-success" id="case-created"[^>]*>', html)
    assert message and "autofocus" in message.group() and 'tabindex="-1"' in message.group()
    assert "Forløbet SP-2026-050 er oprettet." in html
    created = _code_of("SP-2026-050")
    assert re.search(rf'<tr class="just-created">\s*<td><a href="[^"]*/{created.id}"', html)


def test_a_refused_case_keeps_the_forms_own_swap(client, login, team):
    """The refused form shows its field at fault; nothing scrolls it away to the top."""
    login(team.practitioner, team.org)
    response = _create(client, team, "SP-2026-001")  # taken
    assert response.status_code == 422
    assert "HX-Reswap" not in response.headers
    assert 'id="case-created"' not in _html(response)


# --- 2. the code: a short error, dashes as typed by Word -----------------------------


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("Anna", "Koden skal indeholde mindst ét tal. “ANNA” er mere end 3 bogstaver i træk."),
        ("SP 12", "Ikke tilladt i en kode: mellemrum."),
        ("BJØRN-1", "Ikke tilladt i en kode: “Ø”."),
        ("A", "Koden skal være 2–20 tegn; den er 1. Koden skal indeholde mindst ét tal."),
        ("SP-123456", "“123456” er mere end 4 tal i træk."),
        ("SP-2025-1012", "“2025-1012” kan læses som en dato."),
    ],
)
def test_a_refused_code_says_what_is_wrong_and_leaves_the_rule_to_the_hint(
    client, login, team, code, error
):
    login(team.practitioner, team.org)
    response = _create(client, team, code)
    assert response.status_code == 422
    html = _html(response)
    assert _field_error(html, "code") == error
    # The rule is said once, as the hint under the field.
    assert html.count(RULE) == 1


@pytest.mark.parametrize(
    "typed",
    [
        "bb–2026–103",  # en dashes (Word's autocorrect)
        "BB—2026—103",  # em dashes
        "BB\u20112026\u2011103",  # non-breaking hyphens
        " BB\u22122026\u2212103 ",  # minus signs, spaces around
    ],
)
def test_a_code_typed_with_typographic_dashes_is_the_plain_code(client, login, team, typed):
    login(team.practitioner, team.org)
    response = _create(client, team, typed)
    assert response.status_code == 200, _field_error(_html(response), "code")
    assert _code_of("BB-2026-103") is not None


def test_a_cpr_number_typed_with_an_en_dash_is_refused_as_a_cpr_number_only(client, login, team):
    login(team.practitioner, team.org)
    before = db.session.scalars(select(Case)).all()
    response = _create(client, team, "010203–1234")
    assert response.status_code == 422
    error = _field_error(_html(response), "code")
    # Once, and alone: the rule's complaints (six digits in a row) would only bury it.
    assert error.count(CPR_DA) == 1
    assert error.startswith(CPR_DA) and "tal i træk" not in error
    assert db.session.scalars(select(Case)).all() == before


# --- 3. one word for a case's status and for the reflected intervention adjustment -----


@pytest.fixture
def closed(team):
    case = gen_case(
        team.intervention,
        "SP-2026-080",
        practitioner_id=team.practitioner.id,
        end_date=date(2026, 6, 30),
        goal_attainment="achieved",
        problem_grade="severe",
        reflected_adjustment="yes",
    )
    db.session.commit()
    return case


def test_the_case_page_says_afsluttet_and_aabent_as_the_list_does(client, login, team, closed):
    login(team.practitioner, team.org)
    closed_page = _html(client.get(_url(team, f"/{closed.id}")))
    assert '<span class="status status-archived">Afsluttet</span>' in closed_page
    assert "Reflekteret indsatsjustering" in closed_page
    open_page = _html(client.get(_url(team, f"/{team.case.id}")))
    assert '<span class="status status-testing">Åbent</span>' in open_page
    assert "<dt>Slutdato</dt><dd>Ikke afsluttet endnu</dd>" in open_page
    listing = _html(client.get(_url(team)))
    assert "afsluttede forløb" in listing and "åbent" in listing
    for page in (closed_page, open_page, listing):
        assert "Lukket" not in page and ">Åben<" not in page
        assert "Refleksiv" not in page


def test_the_results_page_says_reflekteret_indsatsjustering(client, login, team, closed):
    login(team.leader, team.org)
    html = _html(client.get(f"/indsatser/{team.intervention.id}/resultater"))
    assert "Reflekteret indsatsjustering og målopnåelse" in html
    assert "Reflekteret indsatsjustering × målopnåelse" in html
    assert "Refleksiv" not in html


# --- 4. closing with an outcome but no end date ------------------------------------------


def test_an_outcome_without_an_end_date_marks_the_end_date_first(client, login, team):
    login(team.practitioner, team.org)
    category_id = categories_of(team.org.id)[0].id
    data = {
        "code": "SP-2026-001",
        "practitioner_id": str(team.practitioner.id),
        "start_date": "2026-01-05",
        "phase_id": "",
        "followup_cadence_months": "",
        "end_date": "",
        "goal_attainment": "achieved",
        "problem_grade": "mild",
        "reflected_adjustment": "yes",
        "problem_categories": [str(category_id)],
        "alliance": ["positive"],
        "version": str(team.case.version),
    }
    response = client.post(_url(team, f"/{team.case.id}/rediger"), data=data, headers=HX)
    assert response.status_code == 422
    html = _html(response)
    assert _field_error(html, "end_date") == "Slutdatoen skal udfyldes, når resultatet kodes."
    # The first field marked is the end date: app.js puts the keyboard there.
    first_invalid = re.search(r'<(?:input|select)[^>]*aria-invalid="true"[^>]*>', html).group()
    assert 'id="end_date"' in first_invalid
    # Every outcome field says it the same way.
    errors = re.findall(r'<small(?: id="[^"]*")? class="field-error">(.*?)</small>', html)
    outcome_errors = [e for e in errors if "Slutdatoen skal" not in e]
    assert len(outcome_errors) == 5
    assert all(e.startswith("Sæt slutdatoen først, eller ") for e in outcome_errors)
    assert db.session.get(Case, team.case.id).goal_attainment is None


def test_reopening_does_not_mark_the_emptied_end_date(client, login, team, closed):
    """The user emptied the end date on purpose: the coded fields are what to change."""
    login(team.practitioner, team.org)
    data = {
        "code": closed.code,
        "practitioner_id": str(team.practitioner.id),
        "start_date": closed.start_date.isoformat(),
        "end_date": "",
        "goal_attainment": "achieved",
        "problem_grade": "",
        "reflected_adjustment": "",
        "version": str(closed.version),
    }
    response = client.post(_url(team, f"/{closed.id}/rediger"), data=data, headers=HX)
    assert response.status_code == 422
    assert _field_error(_html(response), "end_date") is None


# --- 5. a follow-up registered twice --------------------------------------------------------


def test_the_same_follow_up_day_twice_is_refused_at_the_field(client, login, team):
    login(team.practitioner, team.org)
    url = _url(team, f"/{team.case.id}/opfoelgning")
    assert client.post(url, data={"held_on": "2026-03-20"}, headers=HX).status_code == 200
    response = client.post(url, data={"held_on": "2026-03-20"}, headers=HX)
    assert response.status_code == 422
    assert _field_error(_html(response), "held_on") == (
        "Der er allerede registreret en opfølgning den 20.03.2026."
    )
    assert len(db.session.scalars(select(CaseFollowUp)).all()) == 1


# --- 6. the closed cases whose outcome is not fully coded ----------------------------------


@pytest.fixture
def outcomes(team, closed):
    """Closed: SP-2026-080 coded whole, K-1 without goal attainment, K-2 without a problem
    grade; open: SP-2026-001 and O-1 (coded, but open)."""
    ended = {"end_date": date(2026, 5, 1)}
    gen_case(team.intervention, "K-1", problem_grade="mild", reflected_adjustment="no", **ended)
    gen_case(
        team.intervention, "K-2", goal_attainment="achieved", reflected_adjustment="no", **ended
    )
    gen_case(team.intervention, "O-1", goal_attainment="achieved")
    db.session.commit()
    return team


def _codes(html):
    table = html.split('id="case-table"')[1].split("</table>")[0]
    return re.findall(r"<strong>([A-Z0-9-]+)</strong>", table)


def test_the_status_filter_finds_the_closed_cases_still_to_be_coded(client, login, outcomes):
    login(outcomes.leader, outcomes.org)
    html = _html(client.get(_url(outcomes) + "?status=ukodede"))
    assert _codes(html) == ["K-1", "K-2"]
    assert '<option value="ukodede" selected>Afsluttede, ikke færdigkodet</option>' in html
    assert "2 af 5 forløb passer" in html


def test_the_results_figure_links_to_the_cases_still_to_be_coded(client, login, outcomes):
    login(outcomes.leader, outcomes.org)
    html = _html(client.get(f"/indsatser/{outcomes.intervention.id}/resultater"))
    link = re.search(r'<a class="key-figure key-link" href="([^"]+)">(.*?)</a>', html, re.S)
    assert link, "the figure is not a link"
    assert link.group(1) == _url(outcomes) + "?status=ukodede#case-results"
    text = " ".join(re.sub(r"<[^>]+>", " ", link.group(2)).split())
    assert text == (
        "1 afsluttet uden kodet resultat "
        "+ 1, der mangler problemgrad eller reflekteret indsatsjustering"
    )


def test_with_every_closed_case_coded_the_figure_is_no_link(client, login, team, closed):
    login(team.leader, team.org)
    html = _html(client.get(f"/indsatser/{team.intervention.id}/resultater"))
    assert "key-link" not in html


# --- 7. the cadence's choices are short, the hint says the rest ------------------------------


def test_the_cadence_choices_are_short_with_the_rule_as_their_hint(client, login, team):
    login(team.practitioner, team.org)
    html = _html(client.get(_url(team)))
    select_ = html.split('id="followup_cadence_months"')[1].split("</select>")[0]
    options = re.findall(r"<option[^>]*>([^<]+)</option>", select_)
    assert options == [
        "Lovens minimum",
        "Hver måned",
        "Hver 2. måned",
        "Hver 3. måned",
        "Hver 4. måned",
        "Hver 5. måned",
    ]
    assert max(len(option) for option in options) <= 16
    assert (
        "Lovens minimum: første opfølgning inden for 3 måneder efter start, derefter mindst "
        "hver 6. måned."
    ) in html
