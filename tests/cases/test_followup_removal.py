"""Removing a follow-up registered by mistake (Serviceloven § 70): a typed-in wrong day no
longer stays in the figures for ever, nor locks the case's dates."""

from datetime import date
from html import unescape

import pytest
from sqlalchemy import func, select

from improvement.extensions import db
from improvement.models import AuditEvent, Case, CaseFollowUp
from tests.cases.helpers import gen_case
from tests.helpers import gen_intervention, gen_org, gen_user

HX = {"HX-Request": "true"}


def _base(case):
    return f"/indsatser/{case.intervention_id}/forloeb/{case.id}"


def _remove(client, case, followup_id):
    data = {} if followup_id is None else {"followup_id": str(followup_id)}
    return client.post(f"{_base(case)}/opfoelgning/fjern", data=data, headers=HX)


def _days(case):
    return list(
        db.session.scalars(
            select(CaseFollowUp.held_on)
            .where(CaseFollowUp.case_id == case.id)
            .order_by(CaseFollowUp.held_on)
        )
    )


@pytest.fixture
def typo(team):
    """A case started 1 June 2026: a follow-up on 15 August, and one typed as 1 December
    instead of 1 November."""
    case = gen_case(
        team.intervention,
        "SP-2026-070",
        start=date(2026, 6, 1),
        practitioner_id=team.practitioner.id,
        followups=[date(2026, 8, 15), date(2026, 12, 1)],
    )
    db.session.commit()
    return case


def test_a_mistyped_follow_up_is_removed_and_the_right_one_registered(client, login, team, typo):
    login(team.practitioner, team.org)
    page = unescape(client.get(_base(typo)).get_data(as_text=True))
    # Next due 6 months after the last one held: the typo pushes it to 1 June 2027.
    assert "1. juni 2027" in page
    assert (
        'hx-confirm="Fjern opfølgningen holdt den 01.12.2026? Gør det kun, hvis den er '
        'registreret ved en fejl: den tæller så ikke længere med i opfølgningstallene."'
    ) in page
    assert 'aria-label="Fjern opfølgningen holdt den 01.12.2026"' in page

    wrong = next(f.id for f in typo.followups if f.held_on == date(2026, 12, 1))
    response = _remove(client, typo, wrong)
    assert response.status_code == 200
    body = unescape(response.get_data(as_text=True))
    assert body.lstrip().startswith('<section id="followups"')  # the section, swapped in place
    assert "Opfølgningen den 01.12.2026 er fjernet." in body
    assert "01.12.2026</li>" not in body and "Fjern opfølgningen holdt den 01.12.2026" not in body
    assert "Fjern opfølgningen holdt den 15.08.2026" in body
    # Next due is 6 months after 15 August again: 15 February 2027.
    assert "15. februar 2027" in body
    assert _days(typo) == [date(2026, 8, 15)]
    # The removal is in the audit trail, by whom.
    event = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "CaseFollowUp", AuditEvent.action == "delete"
        )
    ).one()
    assert event.object_id == wrong and event.user_id == team.practitioner.id

    # The right day is registered: next due 1 May 2027.
    response = client.post(f"{_base(typo)}/opfoelgning", data={"held_on": "2026-11-01"}, headers=HX)
    assert response.status_code == 200
    assert "1. maj 2027" in response.get_data(as_text=True)
    assert _days(typo) == [date(2026, 8, 15), date(2026, 11, 1)]


def test_the_end_date_points_to_the_follow_up_and_is_free_once_it_is_removed(
    client, login, team, typo
):
    login(team.practitioner, team.org)
    edit = f"{_base(typo)}/rediger"
    data = {
        "code": "SP-2026-070",
        "practitioner_id": str(team.practitioner.id),
        "start_date": "2026-06-01",
        "phase_id": "",
        "followup_cadence_months": "",
        "end_date": "2026-11-20",
        "goal_attainment": "",
        "problem_grade": "",
        "reflected_adjustment": "",
        "version": str(typo.version),
    }
    response = client.post(edit, data=data, headers=HX)
    assert response.status_code == 422
    assert (
        "Slutdatoen kan ikke ligge før den seneste holdte opfølgning (01.12.2026). Er "
        "opfølgningen registreret ved en fejl, så fjern den under Opfølgning på forløbets side."
    ) in unescape(response.get_data(as_text=True))
    # The start date says the same of the first follow-up.
    response = client.post(edit, data={**data, "start_date": "2026-09-01"}, headers=HX)
    assert (
        "Startdatoen kan ikke ligge efter den første holdte opfølgning (15.08.2026). Er "
        "opfølgningen registreret ved en fejl, så fjern den under Opfølgning på forløbets side."
    ) in unescape(response.get_data(as_text=True))
    assert db.session.get(Case, typo.id).end_date is None

    wrong = next(f for f in typo.followups if f.held_on == date(2026, 12, 1))
    assert _remove(client, typo, wrong.id).status_code == 200
    response = client.post(edit, data=data, headers=HX)
    assert response.status_code == 200
    assert db.session.get(Case, typo.id).end_date == date(2026, 11, 20)


def test_a_follow_up_of_a_closed_case_can_be_removed_as_one_can_be_registered(client, login, team):
    """Registering a follow-up held before the end is allowed on a closed case; so is
    removing one: the figures of closed cases count follow-ups too."""
    case = gen_case(
        team.intervention,
        "SP-2026-071",
        start=date(2026, 1, 5),
        end_date=date(2026, 6, 30),
        followups=[date(2026, 3, 20), date(2026, 3, 27)],
    )
    db.session.commit()
    login(team.practitioner, team.org)
    assert "Fjern opfølgningen holdt den 27.03.2026" in client.get(_base(case)).get_data(
        as_text=True
    )
    wrong = next(f for f in case.followups if f.held_on == date(2026, 3, 27))
    response = _remove(client, case, wrong.id)
    assert response.status_code == 200
    assert _days(case) == [date(2026, 3, 20)]
    # Registering on the closed case, within its dates, still works.
    response = client.post(f"{_base(case)}/opfoelgning", data={"held_on": "2026-04-02"}, headers=HX)
    assert response.status_code == 200
    assert _days(case) == [date(2026, 3, 20), date(2026, 4, 2)]


@pytest.mark.parametrize("value", [None, "", "abc", "-1", str(2**31), "99999999"])
def test_no_or_an_unknown_follow_up_is_404(client, login, team, typo, value):
    login(team.practitioner, team.org)
    data = {} if value is None else {"followup_id": value}
    response = client.post(f"{_base(typo)}/opfoelgning/fjern", data=data, headers=HX)
    assert response.status_code == 404
    assert len(_days(typo)) == 2


def test_a_follow_up_of_another_case_or_organisation_is_404(client, login, team, typo):
    other_case = gen_case(team.intervention, "SP-2026-072", followups=[date(2026, 2, 2)])
    syd = gen_org("Syd")
    foreign = gen_case(gen_intervention(syd), "SYD-2026-1", followups=[date(2026, 2, 3)])
    db.session.commit()
    login(team.practitioner, team.org)
    # Another case's follow-up, named on this case's address.
    assert _remove(client, typo, other_case.followups[0].id).status_code == 404
    # Another organisation's follow-up, on this case's address and on its own.
    assert _remove(client, typo, foreign.followups[0].id).status_code == 404
    assert _remove(client, foreign, foreign.followups[0].id).status_code == 404
    # A user of the other organisation cannot remove this one.
    login(gen_user(syd, role="admin"), syd)
    db.session.commit()
    assert _remove(client, typo, typo.followups[0].id).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(CaseFollowUp)) == 4


def test_read_only_roles_see_no_button_and_are_refused(client, login, team, typo):
    login(team.evaluator, team.org)
    page = client.get(_base(typo)).get_data(as_text=True)
    assert "01.12.2026" in page and "Fjern opfølgningen" not in page
    assert _remove(client, typo, typo.followups[-1].id).status_code == 403
    assert len(_days(typo)) == 2
