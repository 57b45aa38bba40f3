"""Two people adding the same thing at the same moment: both pass the form's check, the
database lets one in, and the other is told so (409), never given a 500."""

from sqlalchemy import func, select

from improvement.cases import views as case_views
from improvement.extensions import db
from improvement.interventions import views as intervention_views
from improvement.models import Case, TeamMember
from tests.cases.helpers import gen_case
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

HX = {"HX-Request": "true"}


def test_a_team_member_added_twice_at_once_is_refused_with_a_message(client, login, monkeypatch):
    org = gen_org("Nord")
    leader = gen_user(org, role="leader")
    colleague = gen_user(org, role="practitioner", name="Bo Bach")
    intervention = gen_intervention(org)
    db.session.commit()
    login(leader, org)
    # The colleague is still a choice on the other person's page when they add her.
    choices = intervention_views.addable_users(intervention)
    gen_member(intervention, colleague)
    db.session.commit()
    monkeypatch.setattr(intervention_views, "addable_users", lambda _intervention: choices)
    response = client.post(
        f"/indsatser/{intervention.id}/team",
        data={"user_id": colleague.id, "professional_role": "practitioner"},
        headers=HX,
    )
    assert response.status_code == 409
    assert response.headers["HX-Retarget"] == "#messages"
    assert "En anden gemte det samme i samme øjeblik" in response.get_data(as_text=True)
    count = select(func.count()).select_from(TeamMember)
    assert db.session.scalar(count.where(TeamMember.user_id == colleague.id)) == 1


def test_a_case_code_taken_at_the_same_moment_is_refused_with_a_message(client, login, monkeypatch):
    org = gen_org("Nord")
    leader = gen_user(org, role="leader")
    intervention = gen_intervention(org)
    gen_case(intervention, "SP-2026-001")
    db.session.commit()
    login(leader, org)
    # The other person's check ran before this code was taken.
    monkeypatch.setattr(case_views, "_code_taken", lambda *_args, **_kwargs: False)
    response = client.post(
        f"/indsatser/{intervention.id}/forloeb",
        data={"code": "SP-2026-001", "start_date": "2026-03-01"},
    )
    assert response.status_code == 409
    assert "Gemt af en anden i samme øjeblik" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Case)) == 1
