"""The authority caseworker on a case (myndighedssagsbehandler): chosen among the team's
authority caseworkers, kept when they leave, in the history, "Mine forløb", the list's
filter and rows, the case page and the Excel export."""

import re
from collections import Counter
from datetime import date
from html import unescape
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, desc, func, select

from improvement.extensions import db
from improvement.history import _names, shown_changes
from improvement.models import AuditEvent, Case, TeamMember
from tests.cases.helpers import gen_case
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.querycount import count_queries

HX = {"HX-Request": "true"}
NO_CASEWORKERS = "Ingen myndighedssagsbehandlere i kvalitetsteamet"


@pytest.fixture
def crew(team):
    """The team fixture with two authority caseworkers on the team, and one in the
    organisation who is not on it."""
    team.caseworker = gen_user(team.org, role="authority", name="Morten Munk")
    team.second = gen_user(team.org, role="authority", name="Aase Ager")
    team.outsider = gen_user(team.org, role="authority", name="Ole Udenfor")
    for user in (team.caseworker, team.second):
        gen_member(team.intervention, user, professional_role="authority_caseworker")
    db.session.commit()
    return team


def _url(team, suffix=""):
    return f"/indsatser/{team.intervention.id}/forloeb{suffix}"


def _select(html: str, name: str) -> tuple[list[str], str | None]:
    """The option labels of a select and the value of its selected option."""
    found = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert found, name
    options = re.findall(r"<option([^>]*)>(.*?)</option>", found.group(1), re.S)
    chosen = [
        re.search(r'value="([^"]*)"', attrs).group(1)
        for attrs, _label in options
        if "selected" in attrs
    ]
    return [unescape(label) for _attrs, label in options], chosen[0] if chosen else None


def _version(html: str) -> str:
    field = re.search(r'<input[^>]*name="version"[^>]*>', html)
    return re.search(r'value="(\d+)"', field.group(0)).group(1)


def _edit_data(team, page, **overrides):
    case = db.session.get(Case, team.case.id)
    data = {
        "code": case.code,
        "practitioner_id": str(case.practitioner_id or ""),
        "caseworker_id": str(case.caseworker_id or ""),
        "start_date": case.start_date.isoformat(),
        "phase_id": "",
        "followup_cadence_months": "",
        "end_date": "",
        "goal_attainment": "",
        "problem_grade": "",
        "reflected_adjustment": "",
        "version": _version(page),
    }
    data.update(overrides)
    return data


def _codes(body: str) -> list[str]:
    if 'id="case-table"' not in body:
        return []
    table = body.split('id="case-table"')[1].split("</table>")[0]
    return re.findall(r"<strong>([A-Z0-9-]+)</strong>", table)


def test_the_select_offers_the_teams_caseworkers_in_danish_order(client, login, crew):
    login(crew.leader, crew.org)
    for page in (_url(crew), _url(crew, f"/{crew.case.id}/rediger")):
        labels, chosen = _select(client.get(page).get_data(as_text=True), "caseworker_id")
        # Caseworkers only (not the practitioners or the leader), alphabetically.
        assert labels == ["Ikke valgt", "Aase Ager", "Morten Munk"], page
        assert chosen in (None, ""), page
    assert NO_CASEWORKERS not in client.get(_url(crew)).get_data(as_text=True)


def test_create_a_case_with_a_caseworker(client, login, crew):
    login(crew.practitioner, crew.org)
    response = client.post(
        _url(crew),
        data={
            "code": "SP-2026-002",
            "practitioner_id": str(crew.practitioner.id),
            "caseworker_id": str(crew.caseworker.id),
            "start_date": "2026-03-01",
        },
        headers=HX,
    )
    assert response.status_code == 200
    case = db.session.scalars(select(Case).where(Case.code == "SP-2026-002")).one()
    assert case.caseworker_id == crew.caseworker.id
    assert case.practitioner_id == crew.practitioner.id
    # The list's row names them.
    row = response.get_data(as_text=True).split("SP-2026-002</strong>")[-1].split("</tr>")[0]
    assert "Morten Munk" in row


@pytest.mark.parametrize("who", ["practitioner", "outsider", "foreign", "nonsense"])
def test_someone_not_a_caseworker_on_the_team_is_refused_at_the_field(client, login, crew, who):
    other_org = gen_org("Syd")
    foreign = gen_user(other_org, role="authority", name="Fremmed Person")
    db.session.commit()
    value = {
        "practitioner": str(crew.practitioner.id),  # on the team, but not a caseworker
        "outsider": str(crew.outsider.id),  # in the organisation, not on the team
        "foreign": str(foreign.id),
        "nonsense": "abc",
    }[who]
    login(crew.practitioner, crew.org)
    count = db.session.scalar(select(func.count()).select_from(Case))
    response = client.post(
        _url(crew),
        data={"code": "SP-2026-003", "start_date": "2026-03-01", "caseworker_id": value},
        headers=HX,
    )
    assert response.status_code == 422
    body = unescape(response.get_data(as_text=True))
    error = re.search(r'id="caseworker_id-help"[^>]*>([^<]*)<', body)
    assert error and "gyldigt valg" in error.group(1).lower()
    assert db.session.scalar(select(func.count()).select_from(Case)) == count

    # Editing refuses it the same way, and writes nothing.
    edit = _url(crew, f"/{crew.case.id}/rediger")
    page = client.get(edit).get_data(as_text=True)
    response = client.post(edit, data=_edit_data(crew, page, caseworker_id=value), headers=HX)
    assert response.status_code == 422
    assert 'id="caseworker_id-help"' in response.get_data(as_text=True)
    assert db.session.get(Case, crew.case.id).caseworker_id is None


def test_edit_sets_the_caseworker_and_the_history_names_the_change(client, login, crew):
    login(crew.leader, crew.org)
    edit = _url(crew, f"/{crew.case.id}/rediger")
    page = client.get(edit).get_data(as_text=True)
    data = _edit_data(crew, page, caseworker_id=str(crew.caseworker.id))
    assert client.post(edit, data=data, headers=HX).status_code == 200
    assert db.session.get(Case, crew.case.id).caseworker_id == crew.caseworker.id
    page = client.get(edit).get_data(as_text=True)
    assert _select(page, "caseworker_id")[1] == str(crew.caseworker.id)
    data = _edit_data(crew, page, caseworker_id=str(crew.second.id))
    assert client.post(edit, data=data, headers=HX).status_code == 200

    events = list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == "Case", AuditEvent.object_id == crew.case.id)
            .order_by(desc(AuditEvent.id))
        )
    )
    with client.application.test_request_context():
        names = _names(events)
        shown = [
            [(c["field"], c["old"], c["new"]) for c in shown_changes("Case", e.changes, names)]
            for e in events[:2]
        ]
    # Labelled and named as the app shows them, like a change of practitioner.
    assert ("Myndighedssagsbehandler", "Morten Munk", "Aase Ager") in shown[0]
    assert ("Myndighedssagsbehandler", None, "Morten Munk") in shown[1]

    # The case page shows the caseworker where it shows the practitioner.
    detail = client.get(_url(crew, f"/{crew.case.id}")).get_data(as_text=True)
    facts = detail.split('class="facts"')[1].split("</dl>")[0]
    assert re.search(r"<dt>Myndighedssagsbehandler</dt><dd>Aase Ager</dd>", facts)
    assert facts.index("Ansvarlig medarbejder") < facts.index("Myndighedssagsbehandler")


def test_a_former_caseworker_stays_a_choice_on_their_case(client, login, crew):
    crew.case.caseworker_id = crew.caseworker.id
    db.session.execute(
        delete(TeamMember).where(
            TeamMember.intervention_id == crew.intervention.id,
            TeamMember.user_id == crew.caseworker.id,
        )
    )
    db.session.commit()
    login(crew.leader, crew.org)
    edit = _url(crew, f"/{crew.case.id}/rediger")
    page = client.get(edit).get_data(as_text=True)
    labels, chosen = _select(page, "caseworker_id")
    assert "Morten Munk (ikke længere i teamet)" in labels
    assert chosen == str(crew.caseworker.id)
    # Saved unchanged, they are kept.
    response = client.post(edit, data=_edit_data(crew, page), headers=HX)
    assert response.status_code == 200
    assert db.session.get(Case, crew.case.id).caseworker_id == crew.caseworker.id
    # A new case is offered the team's caseworkers only.
    labels, _chosen = _select(client.get(_url(crew)).get_data(as_text=True), "caseworker_id")
    assert labels == ["Ikke valgt", "Aase Ager"]

    # Another choice saved: the former one is no longer offered, nor accepted.
    page = client.get(edit).get_data(as_text=True)
    data = _edit_data(crew, page, caseworker_id=str(crew.second.id))
    assert client.post(edit, data=data, headers=HX).status_code == 200
    page = client.get(edit).get_data(as_text=True)
    assert not any("Morten" in label for label in _select(page, "caseworker_id")[0])
    data = _edit_data(crew, page, caseworker_id=str(crew.caseworker.id))
    assert client.post(edit, data=data, headers=HX).status_code == 422
    assert db.session.get(Case, crew.case.id).caseworker_id == crew.second.id


def test_a_team_member_no_longer_a_caseworker_is_labelled_so(client, login, crew):
    crew.case.caseworker_id = crew.caseworker.id
    member = db.session.scalars(
        select(TeamMember).where(TeamMember.user_id == crew.caseworker.id)
    ).one()
    member.professional_role = "practitioner"
    db.session.commit()
    login(crew.leader, crew.org)
    page = client.get(_url(crew, f"/{crew.case.id}/rediger")).get_data(as_text=True)
    labels, chosen = _select(page, "caseworker_id")
    assert "Morten Munk (ikke længere myndighedssagsbehandler i teamet)" in labels
    assert chosen == str(crew.caseworker.id)


def test_a_caseworker_replaced_meanwhile_is_a_conflict_not_an_invalid_choice(client, login, crew):
    crew.case.caseworker_id = crew.caseworker.id
    db.session.execute(delete(TeamMember).where(TeamMember.user_id == crew.caseworker.id))
    db.session.commit()
    login(crew.practitioner, crew.org)
    edit = _url(crew, f"/{crew.case.id}/rediger")
    page = client.get(edit).get_data(as_text=True)
    case = db.session.get(Case, crew.case.id)
    case.caseworker_id = crew.second.id  # the leader saves first
    db.session.commit()
    data = _edit_data(crew, page, code="SP-2026-077", caseworker_id=str(crew.caseworker.id))
    response = client.post(edit, data=data, headers=HX)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Dit valg er ikke længere muligt efter ændringen i mellemtiden" in body
    their = body[body.index("Gemt i mellemtiden") :]
    assert "Aase Ager" in their
    assert db.session.get(Case, crew.case.id).code == "SP-2026-001"


def test_without_caseworkers_on_the_team_the_field_says_where_they_come_from(client, login, team):
    login(team.leader, team.org)
    for page in (_url(team), _url(team, f"/{team.case.id}/rediger")):
        body = client.get(page).get_data(as_text=True)
        hint = re.search(r'id="caseworker_id-hint"[^>]*>([^<]*)<', body)
        assert hint and NO_CASEWORKERS in unescape(hint.group(1)), page
        assert 'aria-describedby="caseworker_id-hint"' in body


def test_mine_holds_the_cases_one_is_caseworker_on_too(client, login, crew):
    gen_case(crew.intervention, "SP-2026-010", caseworker_id=crew.caseworker.id)
    gen_case(
        crew.intervention,
        "SP-2026-011",
        practitioner_id=crew.colleague.id,
        caseworker_id=crew.second.id,
    )
    db.session.commit()
    login(crew.caseworker, crew.org)
    body = client.get(_url(crew, "?mine=1")).get_data(as_text=True)
    assert _codes(body) == ["SP-2026-010"]
    assert "Vis alle 3 forløb" in body
    # The responsible practitioner's own cases are still theirs.
    login(crew.colleague, crew.org)
    assert _codes(client.get(_url(crew, "?mine=1")).get_data(as_text=True)) == ["SP-2026-011"]
    login(crew.second, crew.org)
    assert _codes(client.get(_url(crew, "?mine=1")).get_data(as_text=True)) == ["SP-2026-011"]
    login(crew.outsider, crew.org)
    body = client.get(_url(crew, "?mine=1")).get_data(as_text=True)
    assert "Du har ingen forløb her" in body
    # "Mine" drops a caseworker filter as it drops the responsible one.
    login(crew.caseworker, crew.org)
    body = client.get(_url(crew, f"?mine=1&sagsbehandler={crew.second.id}")).text
    assert _codes(body) == ["SP-2026-010"]
    assert 'name="sagsbehandler"' not in body


def test_the_caseworker_filter(client, login, crew):
    gen_case(crew.intervention, "SP-2026-010", caseworker_id=crew.caseworker.id)
    gen_case(crew.intervention, "SP-2026-011", caseworker_id=crew.second.id)
    gen_case(
        crew.intervention,
        "SP-2026-012",
        practitioner_id=crew.practitioner.id,
        caseworker_id=crew.second.id,
    )
    db.session.commit()
    login(crew.leader, crew.org)
    page = client.get(_url(crew)).get_data(as_text=True)
    labels, _chosen = _select(page, "sagsbehandler")
    assert labels == ["Alle", "Aase Ager", "Morten Munk", "Ikke valgt"]
    assert page.index('name="ansvarlig"') < page.index('name="sagsbehandler"')

    def codes(query):
        return _codes(client.get(_url(crew, query)).get_data(as_text=True))

    assert codes(f"?sagsbehandler={crew.second.id}") == ["SP-2026-011", "SP-2026-012"]
    assert codes("?sagsbehandler=ingen") == ["SP-2026-001"]
    assert codes(f"?sagsbehandler={crew.second.id}&ansvarlig={crew.practitioner.id}") == [
        "SP-2026-012"
    ]
    # A value that names nothing is left out, not an error; the pager keeps the filter.
    assert len(codes("?sagsbehandler=abc")) == 4
    body = client.get(_url(crew, f"?sagsbehandler={crew.caseworker.id}")).text
    assert "1 af 4 forløb passer" in body


def test_the_list_costs_the_same_queries_however_many_caseworkers(app, client, login, crew):
    login(crew.caseworker, crew.org)
    urls = [_url(crew, f"?sagsbehandler={crew.second.id}"), _url(crew, "?mine=1")]

    def counts():
        found = []
        for url in urls:
            with count_queries() as statements:
                assert client.get(url).status_code == 200
            found.append(len(statements))
        return found

    small = counts()
    for n in range(30):
        gen_case(
            crew.intervention,
            f"KF-3000-{n:03d}",
            practitioner_id=crew.colleague.id,
            caseworker_id=(crew.caseworker, crew.second)[n % 2].id,
        )
    db.session.commit()
    assert counts() == small


def test_the_export_has_the_practitioner_and_the_caseworker(client, login):
    org = gen_org("Nord")
    leader = gen_user(org, role="leader", name="Lise Lund")
    worker = gen_user(org, role="authority", name="Morten Munk")
    intervention = gen_intervention(org, name="Familiehuset")
    gen_member(intervention, leader, professional_role="leader")
    gen_member(intervention, worker, professional_role="authority_caseworker")
    gen_case(intervention, "F-01", practitioner_id=leader.id, caseworker_id=worker.id)
    gen_case(intervention, "F-02")
    db.session.commit()
    login(leader, org)
    response = client.get(f"/indsatser/{intervention.id}/eksport.xlsx")
    assert response.status_code == 200
    wb = load_workbook(BytesIO(response.data))
    rows = list(wb["Forløb"].iter_rows(values_only=True))
    header = list(rows[0])
    at = header.index("Myndighedssagsbehandler")
    assert header[at - 1] == "Ansvarlig medarbejder"
    assert [(r[1], r[at - 1], r[at]) for r in rows[1:]] == [
        ("F-01", "Lise Lund", "Morten Munk"),
        ("F-02", None, None),
    ]
    definitions = {
        row[1]: row[2:]
        for row in wb["Datadefinitioner"].iter_rows(min_row=2, values_only=True)
        if row[0] == "Forløb"
    }
    assert "§ 70" in definitions["Myndighedssagsbehandler"][0]


def test_the_demo_spreads_cases_over_two_caseworkers_who_find_them_as_their_own(client, login):
    from improvement import seeding
    from improvement.models import Intervention, Organization, User

    seeding.load_reference()
    seeding.load_demo()
    for intervention in db.session.scalars(select(Intervention)):
        caseworkers = set(
            db.session.scalars(
                select(TeamMember.user_id).where(
                    TeamMember.intervention_id == intervention.id,
                    TeamMember.professional_role == "authority_caseworker",
                )
            )
        )
        assert len(caseworkers) >= 2, intervention.name
        chosen = Counter(
            db.session.scalars(
                select(Case.caseworker_id).where(Case.intervention_id == intervention.id)
            )
        )
        assert set(chosen) - {None} == caseworkers, intervention.name
        assert chosen[None]  # a few not chosen yet, for the filter's "Ikke valgt"
    morten = db.session.scalars(select(User).where(User.email == "myndighed@nord.demo")).one()
    nord = db.session.scalars(select(Organization).where(Organization.name.like("%Nord"))).one()
    intervention = db.session.scalars(
        select(Intervention)
        .where(Intervention.organization_id == nord.id)
        .order_by(Intervention.id)
    ).first()
    own = db.session.scalars(
        select(Case.code).where(
            Case.intervention_id == intervention.id, Case.caseworker_id == morten.id
        )
    ).all()
    login(morten, nord)
    body = client.get(f"/indsatser/{intervention.id}/forloeb?mine=1").get_data(as_text=True)
    assert own and sorted(_codes(body)) == sorted(own)


def test_the_scale_generator_gives_cases_the_teams_caseworkers(app):
    from improvement import scale, seeding

    seeding.load_reference()
    scale.generate("small", seed=7)
    on_team = (
        select(TeamMember.id)
        .where(
            TeamMember.intervention_id == Case.intervention_id,
            TeamMember.user_id == Case.caseworker_id,
            TeamMember.professional_role == "authority_caseworker",
        )
        .exists()
    )
    has_caseworkers = (
        select(TeamMember.id)
        .where(
            TeamMember.intervention_id == Case.intervention_id,
            TeamMember.professional_role == "authority_caseworker",
        )
        .exists()
    )
    count = select(func.count()).select_from(Case)
    assert db.session.scalar(count.where(has_caseworkers)) > 0
    assert db.session.scalar(count.where(has_caseworkers, ~on_team)) == 0
    assert db.session.scalar(count.where(~has_caseworkers, Case.caseworker_id.is_not(None))) == 0


def test_the_overdue_follow_ups_and_the_rows_name_the_caseworker(client, login, crew):
    """The § 70 follow-up is the caseworker's duty: the overdue list names them beside the
    practitioner; a row without one says so ("–") where other cases have one, so the rows
    keep one height."""
    # Started a year ago with no follow-up: overdue (the first is due within 3 months).
    gen_case(
        crew.intervention,
        "SP-2025-020",
        start=date(2025, 1, 6),
        practitioner_id=crew.practitioner.id,
        caseworker_id=crew.caseworker.id,
    )
    db.session.commit()
    login(crew.leader, crew.org)
    page = client.get(_url(crew)).get_data(as_text=True)
    overdue = page[
        page.index('id="overdue-title"') : page.index("</section>", page.index("overdue-title"))
    ]
    item = " ".join(
        re.sub(r"<[^>]+>", " ", overdue.split("SP-2025-020")[1].split("</li>")[0]).split()
    )
    assert item.endswith("· Birgitte Bach · sagsbehandler Morten Munk")
    rows = page[page.index("<tbody") : page.index("</tbody>")]
    without = rows.split("SP-2026-001")[1].split("</tr>")[0]
    assert (
        'case-caseworker"><span class="visually-hidden">Myndighedssagsbehandler: </span>–'
        in without
    )
