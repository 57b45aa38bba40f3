"""Cases: creation with pseudonymous codes, editing with outcome, follow-ups."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import delete, func, select

from improvement import clock
from improvement.extensions import db
from improvement.models import Case, CaseFollowUp, TeamMember
from tests.cases.helpers import gen_case, gen_rating

HX = {"HX-Request": "true"}
CPR_DA = "Det ligner et CPR-nummer"


def _url(team, suffix=""):
    return f"/indsatser/{team.intervention.id}/forloeb{suffix}"


def _count(model=Case):
    return db.session.scalar(select(func.count()).select_from(model))


def test_listing_shows_cases_and_empty_state(client, login, team):
    login(team.leader, team.org)
    response = client.get(_url(team))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "SP-2026-001" in body
    assert "Birgitte Bach" in body


def test_create_case(client, login, team):
    login(team.practitioner, team.org)
    response = client.post(
        _url(team),
        data={
            "code": "sp-2026-002",
            "practitioner_id": str(team.practitioner.id),
            "start_date": "2026-03-01",
            "phase_id": str(team.phases[0].id),
            "followup_cadence_months": "4",
        },
        headers=HX,
    )
    assert response.status_code == 200
    case = db.session.scalars(select(Case).where(Case.code == "SP-2026-002")).one()
    assert case.phase_id == team.phases[0].id
    assert case.followup_cadence_months == 4
    assert "Forløbet SP-2026-002 er oprettet." in response.get_data(as_text=True)


@pytest.mark.parametrize("day", ["2026-02-30", "abc"])
def test_an_invalid_start_date_says_so(client, login, team, day):
    login(team.practitioner, team.org)
    response = client.post(_url(team), data={"code": "SP-2026-099", "start_date": day}, headers=HX)
    assert response.status_code == 422
    assert "Ikke en gyldig dato" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("010203-1234", CPR_DA),  # CPR-shaped
        ("0102031234", CPR_DA),
        ("Anna", "Koden skal indeholde mindst ét tal."),  # a name: no digit
        ("ANNA-1", "“ANNA” er mere end 3 bogstaver i træk."),
        ("SP-010203", "“010203” er mere end 4 tal i træk."),  # a birth date
        ("SP 12", "Ikke tilladt i en kode: mellemrum."),
        # A CPR number or a birth date split by dashes into short runs of digits.
        ("0102-03-1234", CPR_DA),
        ("010-203-1234", CPR_DA),
        ("01-02-03-1234", CPR_DA),
        ("01-02-03", "“01-02-03” kan læses som en dato."),
        ("2010-05-17", "“2010-05-17” kan læses som en dato."),
        ("A-17-05-2010", "“17-05-2010” kan læses som en dato."),
        ("SP-2026-001", "har allerede denne kode"),  # taken in this intervention
        ("", "Feltet skal udfyldes."),
    ],
)
def test_case_code_is_refused(client, login, team, code, message):
    login(team.practitioner, team.org)
    before = _count()
    response = client.post(_url(team), data={"code": code, "start_date": "2026-03-01"}, headers=HX)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count() == before


def test_same_code_allowed_in_another_intervention(client, login, team):
    from tests.helpers import gen_intervention

    other = gen_intervention(team.org, name="Anden indsats")
    db.session.commit()
    login(team.practitioner, team.org)
    response = client.post(
        f"/indsatser/{other.id}/forloeb",
        data={"code": "SP-2026-001", "start_date": "2026-03-01"},
        headers=HX,
    )
    assert response.status_code == 200
    assert _count() == 2


def test_practitioner_must_be_on_the_team(client, login, team):
    from tests.helpers import gen_user

    outsider = gen_user(team.org, role="practitioner")
    db.session.commit()
    login(team.practitioner, team.org)
    response = client.post(
        _url(team),
        data={"code": "SP-7", "start_date": "2026-03-01", "practitioner_id": str(outsider.id)},
        headers=HX,
    )
    assert response.status_code == 422
    assert _count() == 1


def _edit_data(team, **overrides):
    data = {
        "code": "SP-2026-001",
        "practitioner_id": str(team.practitioner.id),
        "start_date": "2026-01-05",
        "phase_id": str(team.phases[2].id),
        "followup_cadence_months": "",
        "end_date": "",
        "goal_attainment": "",
        "problem_grade": "",
        "reflected_adjustment": "",
        "version": str(team.case.version),
    }
    data.update(overrides)
    return data


def test_edit_case_codes_outcome(client, login, team):
    login(team.practitioner, team.org)
    edit = _url(team, f"/{team.case.id}/rediger")
    assert client.get(edit).status_code == 200
    categories = client.get(edit).get_data(as_text=True)
    assert "Forældrestruktur" in categories  # seed 002's categories, the organisation's own
    from improvement.cases.service import categories_of

    first = categories_of(team.org.id)[0]
    data = _edit_data(
        team,
        end_date="2026-06-30",
        goal_attainment="achieved",
        problem_grade="severe",
        reflected_adjustment="yes",
        problem_categories=str(first.id),
        alliance=["doubt", "negative"],
    )
    response = client.post(edit, data=data, headers=HX)
    assert response.status_code == 200
    assert response.headers["HX-Redirect"].endswith(f"/forloeb/{team.case.id}")
    case = db.session.get(Case, team.case.id)
    assert (case.end_date, case.goal_attainment, case.problem_grade) == (
        date(2026, 6, 30),
        "achieved",
        "severe",
    )
    assert [c.name for c in case.problem_categories] == [first.name]
    # The alliance keeps the dimensions' own order, and reads as their names.
    assert case.alliance == "negative doubt"
    page = client.get(_url(team, f"/{case.id}")).get_data(as_text=True)
    assert "I mål" in page and "Svær" in page
    assert "Negative alliancebeskrivelser, Professionel tvivl" in page
    form = client.get(edit).get_data(as_text=True)
    assert re.search(
        r'<input checked id="alliance-\d" name="alliance" type="checkbox" value="doubt">', form
    )


def test_the_alliance_is_coded_only_when_the_case_ends(client, login, team):
    login(team.practitioner, team.org)
    edit = _url(team, f"/{team.case.id}/rediger")
    response = client.post(edit, data=_edit_data(team, alliance=["positive"]), headers=HX)
    assert response.status_code == 422
    assert "Sæt slutdatoen først, eller fjern fluebenene ved den professionelle alliance." in (
        response.get_data(as_text=True)
    )
    assert db.session.get(Case, team.case.id).alliance == ""


def test_start_date_cannot_pass_the_first_rating(client, login, team):
    """A rating is never dated before its case started; the import holds to it too."""
    gen_rating(team.case, team.phases[0], team.elements[0], 4, day=date(2026, 2, 1))
    db.session.commit()
    login(team.practitioner, team.org)
    edit = _url(team, f"/{team.case.id}/rediger")
    response = client.post(edit, data=_edit_data(team, start_date="2026-02-02"), headers=HX)
    assert response.status_code == 422
    assert "Startdatoen kan ikke ligge efter forløbets første vurdering." in (
        response.get_data(as_text=True)
    )
    assert db.session.get(Case, team.case.id).start_date == date(2026, 1, 5)
    # The day of the first rating itself is allowed.
    response = client.post(edit, data=_edit_data(team, start_date="2026-02-01"), headers=HX)
    assert response.status_code == 200
    assert db.session.get(Case, team.case.id).start_date == date(2026, 2, 1)


def test_choices_that_are_no_choice_are_refused_in_danish(client, login, team):
    """WTForms' own messages for a value that is not a number or not on the list."""
    login(team.practitioner, team.org)
    edit = _url(team, f"/{team.case.id}/rediger")
    cases = [
        ({"problem_categories": "abc"}, "Ugyldigt valg: en eller flere værdier kunne ikke læses."),
        ({"problem_categories": "999999"}, "'999999' er ikke et gyldigt valg i dette felt."),
        ({"practitioner_id": "abc"}, "Ugyldigt valg."),
    ]
    for fields, message in cases:
        response = client.post(edit, data=_edit_data(team, **fields), headers=HX)
        assert response.status_code == 422, fields
        assert message in unescape(response.get_data(as_text=True)), fields
    assert db.session.get(Case, team.case.id).problem_categories == []


def test_outcome_needs_end_date_and_dates_must_fit(client, login, team):
    login(team.practitioner, team.org)
    edit = _url(team, f"/{team.case.id}/rediger")
    response = client.post(edit, data=_edit_data(team, goal_attainment="achieved"), headers=HX)
    assert response.status_code == 422
    assert "sæt slutdatoen først" in response.get_data(as_text=True)
    response = client.post(edit, data=_edit_data(team, end_date="2025-12-01"), headers=HX)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Slutdatoen kan ikke ligge før startdatoen." in body
    # A long form says at its top that nothing was saved, and links to the field.
    summary = body.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "Forløbet er ikke gemt." in summary
    assert 'href="#end_date"' in summary
    future = (clock.today() + timedelta(days=3)).isoformat()
    response = client.post(edit, data=_edit_data(team, end_date=future), headers=HX)
    assert response.status_code == 422
    assert db.session.get(Case, team.case.id).end_date is None


def test_stale_edit_is_refused_and_input_kept(client, login, team):
    login(team.practitioner, team.org)
    case = db.session.get(Case, team.case.id)
    case.followup_cadence_months = 2  # someone else saves first
    db.session.commit()
    response = client.post(
        _url(team, f"/{team.case.id}/rediger"),
        data=_edit_data(team, code="SP-2026-099", version="1"),
        headers=HX,
    )
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "SP-2026-099" in body
    assert db.session.get(Case, team.case.id).code == "SP-2026-001"


def test_evaluator_reads_but_cannot_create(client, login, team):
    login(team.evaluator, team.org)
    assert client.get(_url(team)).status_code == 200
    response = client.post(_url(team), data={"code": "SP-9", "start_date": "2026-03-01"})
    assert response.status_code == 403
    assert _count() == 1


# --- follow-up (§ 70) ----------------------------------------------------------------


def test_register_followup_and_next_due(client, login, team):
    login(team.practitioner, team.org)
    url = _url(team, f"/{team.case.id}/opfoelgning")
    response = client.post(url, data={"held_on": "2026-03-20"}, headers=HX)
    assert response.status_code == 200
    # Held 20 March; next due 6 months later: 20 September 2026.
    assert "20. september 2026" in response.get_data(as_text=True)
    assert _count(CaseFollowUp) == 1
    # The same day twice is one follow-up; the second is refused at the field.
    response = client.post(url, data={"held_on": "2026-03-20"}, headers=HX)
    assert response.status_code == 422
    assert "Der er allerede registreret en opfølgning den 20.03.2026." in (
        response.get_data(as_text=True)
    )
    assert _count(CaseFollowUp) == 1


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2025-12-31", "før forløbet startede"),
        ((clock.today() + timedelta(days=1)).isoformat(), "når den er holdt"),
        ("", "Feltet skal udfyldes."),
        ("2026-02-30", "Ikke en gyldig dato"),
        ("abc", "Ikke en gyldig dato"),
    ],
)
def test_followup_refused(client, login, team, day, message):
    login(team.practitioner, team.org)
    response = client.post(
        _url(team, f"/{team.case.id}/opfoelgning"), data={"held_on": day}, headers=HX
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(CaseFollowUp) == 0


def test_overdue_list_and_share_on_time(client, login, team):
    today = clock.today()
    # Started 8 months ago, followed up on time after 2 months, then nothing: the next was
    # due 6 months after that, i.e. today - 0 months... make it clearly overdue instead.
    gen_case(
        team.intervention,
        "SP-2025-050",
        start=today - timedelta(days=300),
        followups=[today - timedelta(days=250)],
    )
    # Started a month ago: the first follow-up is not due yet.
    gen_case(team.intervention, "SP-2026-060", start=today - timedelta(days=30))
    db.session.commit()
    login(team.leader, team.org)
    body = client.get(_url(team)).get_data(as_text=True)
    assert "Forsinkede opfølgninger" in body
    overdue_section = body[body.index("Forsinkede opfølgninger") :]
    assert "SP-2025-050" in overdue_section.split("</section>")[0]
    assert "SP-2026-060" not in overdue_section.split("</section>")[0]
    assert 'id="followup-share"' in body


def test_only_my_cases(client, login, team):
    gen_case(team.intervention, "SP-2026-077", practitioner_id=team.colleague.id)
    db.session.commit()
    login(team.colleague, team.org)
    mine = client.get(_url(team) + "?mine=1").get_data(as_text=True)
    assert "SP-2026-077" in mine and "SP-2026-001" not in mine
    assert "Vis alle 2 forløb" in mine
    everything = client.get(_url(team)).get_data(as_text=True)
    assert "SP-2026-077" in everything and "SP-2026-001" in everything
    login(team.leader, team.org)
    assert "Du har ingen forløb her" in client.get(_url(team) + "?mine=1").get_data(as_text=True)


def test_grid_marks_the_current_phase_only_while_the_case_is_open(client, login, team):
    team.case.phase_id = team.phases[0].id
    db.session.commit()
    login(team.leader, team.org)
    url = f"/indsatser/{team.intervention.id}/forloeb/{team.case.id}"
    assert 'Opstart <small class="current-phase">(aktuel)</small>' in client.get(url).text
    team.case.end_date = date(2026, 6, 1)
    db.session.commit()
    assert "current-phase" not in client.get(url).text


def _select(html: str, name: str) -> tuple[list[str], str | None]:
    """The option labels of a select and the value of its selected option."""
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select_html, name
    options = re.findall(r"<option([^>]*)>(.*?)</option>", select_html.group(1), re.S)
    labels = [unescape(label) for _attrs, label in options]
    chosen = [
        re.search(r'value="([^"]*)"', attrs).group(1)
        for attrs, _label in options
        if "selected" in attrs
    ]
    return labels, chosen[0] if chosen else None


def _version(html: str) -> str:
    field = re.search(r'<input[^>]*name="version"[^>]*>', html)
    return re.search(r'value="(\d+)"', field.group(0)).group(1)


def test_edit_keeps_a_former_team_member_and_an_archived_phase(client, login, team):
    case = db.session.get(Case, team.case.id)
    case.practitioner_id = team.colleague.id
    case.phase_id = team.phases[0].id
    db.session.execute(
        delete(TeamMember).where(
            TeamMember.intervention_id == team.intervention.id,
            TeamMember.user_id == team.colleague.id,
        )
    )
    team.phases[0].archived = True
    db.session.commit()
    login(team.practitioner, team.org)
    edit = _url(team, f"/{case.id}/rediger")
    page = client.get(edit).get_data(as_text=True)
    people, practitioner = _select(page, "practitioner_id")
    phases, phase = _select(page, "phase_id")
    assert "Frederik Friis (ikke længere i teamet)" in people
    assert practitioner == str(team.colleague.id)
    assert "Opstart (arkiveret)" in phases
    assert phase == str(team.phases[0].id)

    # Saved unchanged, both are kept.
    data = _edit_data(team, practitioner_id=practitioner, phase_id=phase, version=_version(page))
    response = client.post(edit, data=data, headers=HX)
    assert response.status_code == 200
    case = db.session.get(Case, case.id)
    assert (case.practitioner_id, case.phase_id) == (team.colleague.id, team.phases[0].id)

    # A new case is offered only the team and the active phases.
    listing = client.get(_url(team)).get_data(as_text=True)
    people, _chosen = _select(listing, "practitioner_id")
    phases, _chosen = _select(listing, "phase_id")
    assert not any("Frederik Friis" in label for label in people)
    assert "Birgitte Bach" in people
    assert not any("Opstart" in label for label in phases)
    assert "Forløb" in phases

    # Choosing another value works; then the former ones are no longer offered.
    page = client.get(edit).get_data(as_text=True)
    data = _edit_data(team, phase_id=str(team.phases[1].id), version=_version(page))
    response = client.post(edit, data=data, headers=HX)
    assert response.status_code == 200
    case = db.session.get(Case, case.id)
    assert (case.practitioner_id, case.phase_id) == (team.practitioner.id, team.phases[1].id)
    page = client.get(edit).get_data(as_text=True)
    assert not any("Frederik Friis" in label for label in _select(page, "practitioner_id")[0])
    assert not any("Opstart" in label for label in _select(page, "phase_id")[0])
    # An id that was never the case's is still refused.
    response = client.post(
        edit,
        data=_edit_data(team, phase_id=str(team.phases[0].id), version=_version(page)),
        headers=HX,
    )
    assert response.status_code == 422
    assert db.session.get(Case, case.id).phase_id == team.phases[1].id


def test_conflict_over_a_former_team_member_is_a_conflict_not_an_invalid_choice(
    client, login, team
):
    case = db.session.get(Case, team.case.id)
    case.practitioner_id = team.colleague.id
    db.session.execute(
        delete(TeamMember).where(
            TeamMember.intervention_id == team.intervention.id,
            TeamMember.user_id == team.colleague.id,
        )
    )
    db.session.commit()
    login(team.practitioner, team.org)
    edit = _url(team, f"/{case.id}/rediger")
    page = client.get(edit).get_data(as_text=True)
    # Meanwhile the leader gives the case to someone on the team: the former member is no
    # longer one of the case's choices.
    case = db.session.get(Case, case.id)
    case.practitioner_id = team.leader.id
    db.session.commit()
    data = _edit_data(
        team, code="SP-2026-077", practitioner_id=str(team.colleague.id), version=_version(page)
    )
    response = client.post(edit, data=data, headers=HX)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Gemt i mellemtiden" in body
    assert 'value="SP-2026-077"' in body
    # The user's pick is not blamed on them: it went with the other person's change.
    assert "Ikke et gyldigt valg" not in body
    assert "Dit valg er ikke længere muligt efter ændringen i mellemtiden" in body
    assert db.session.get(Case, case.id).practitioner_id == team.leader.id


def test_edit_conflict_shows_their_version_and_saving_again_overwrites(client, login, team):
    login(team.practitioner, team.org)
    edit = _url(team, f"/{team.case.id}/rediger")
    old_version = _version(client.get(edit).get_data(as_text=True))
    # Someone else saves first.
    case = db.session.get(Case, team.case.id)
    case.followup_cadence_months = 2
    case.phase_id = team.phases[1].id
    db.session.commit()
    mine = _edit_data(
        team, code="SP-2026-099", phase_id=str(team.phases[2].id), version=old_version
    )
    response = client.post(edit, data=mine, headers=HX)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert body.count("Din tekst er bevaret i formularen") == 1
    assert "genindlæs" not in body.lower()
    assert 'value="SP-2026-099"' in body
    assert "Gemt i mellemtiden" in body
    their = body[body.index("Gemt i mellemtiden") :]
    assert "SP-2026-001" in their and "Forløb" in their and "Hver 2. måned" in unescape(their)
    case = db.session.get(Case, team.case.id)
    assert case.code == "SP-2026-001"
    assert _version(body) == str(case.version) != old_version

    again = client.post(edit, data={**mine, "version": _version(body)}, headers=HX)
    assert again.status_code == 200
    case = db.session.get(Case, team.case.id)
    assert (case.code, case.phase_id) == ("SP-2026-099", team.phases[2].id)
