from sqlalchemy import select

from improvement.extensions import db
from improvement.models import TeamMember
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

HX = {"HX-Request": "true"}


def test_add_change_and_remove_member(client, login):
    org = gen_org()
    leader = gen_user(org, role="leader", name="Lise Leder")
    practitioner = gen_user(org, role="practitioner", name="Bo Behandler")
    intervention = gen_intervention(org)
    db.session.commit()
    login(leader, org)

    page = client.get(f"/indsatser/{intervention.id}").get_data(as_text=True)
    assert "Ingen teammedlemmer endnu" in page

    response = client.post(
        f"/indsatser/{intervention.id}/team",
        data={
            "user_id": practitioner.id,
            "professional_role": "practitioner",
            "in_quality_team": "y",
        },
        headers=HX,
    )
    assert response.status_code == 200
    assert "Bo Behandler" in response.get_data(as_text=True)
    member = db.session.scalars(select(TeamMember)).one()
    assert member.in_quality_team and member.organization_id == org.id

    response = client.post(
        f"/indsatser/{intervention.id}/team/{member.id}",
        data={"professional_role": "leader", "version": member.version},
        headers=HX,
    )
    assert response.status_code == 200
    member = db.session.get(TeamMember, member.id)
    assert member.professional_role == "leader"
    assert member.in_quality_team is False  # unchecked switch

    client.post(f"/indsatser/{intervention.id}/team/{member.id}/fjern", headers=HX)
    assert db.session.scalars(select(TeamMember)).first() is None


def test_only_members_of_the_organisation_can_be_added(client, login):
    org, other = gen_org(), gen_org()
    leader = gen_user(org)
    stranger = gen_user(other)
    intervention = gen_intervention(org)
    db.session.commit()
    login(leader, org)
    response = client.post(
        f"/indsatser/{intervention.id}/team",
        data={"user_id": stranger.id, "professional_role": "practitioner"},
        headers=HX,
    )
    assert response.status_code == 422
    assert "Ikke et gyldigt valg." in response.get_data(as_text=True)
    # An id no row can have is no member either (not a database error).
    for huge in ("2147483648", "99999999999999999999"):
        response = client.post(
            f"/indsatser/{intervention.id}/team",
            data={"user_id": huge, "professional_role": "practitioner"},
            headers=HX,
        )
        assert response.status_code == 422
    assert db.session.scalars(select(TeamMember)).first() is None


def test_member_under_wrong_intervention_is_404(client, login):
    org = gen_org()
    leader = gen_user(org)
    a, b = gen_intervention(org), gen_intervention(org)
    member = gen_member(a, leader)
    db.session.commit()
    login(leader, org)
    response = client.post(
        f"/indsatser/{b.id}/team/{member.id}", data={"professional_role": "leader"}, headers=HX
    )
    assert response.status_code == 404


def test_stale_member_edit_is_409(client, login):
    org = gen_org()
    leader = gen_user(org)
    intervention = gen_intervention(org)
    member = gen_member(intervention, leader)
    db.session.commit()
    login(leader, org)
    version = member.version
    client.post(
        f"/indsatser/{intervention.id}/team/{member.id}",
        data={"professional_role": "leader", "version": version},
        headers=HX,
    )
    response = client.post(
        f"/indsatser/{intervention.id}/team/{member.id}",
        data={"professional_role": "partner", "version": version},
        headers=HX,
    )
    assert response.status_code == 409
    assert db.session.get(TeamMember, member.id).professional_role == "leader"
    # Said once, and truly: the row shows what is saved, and choosing again replaces it.
    # Both saves are this user's (two tabs), so the message says so.
    body = response.get_data(as_text=True)
    assert body.count("Du har selv ændret rækken i et andet vindue eller en anden fane") == 1
    assert "Din tekst" not in body
    assert '<option value="leader" selected>' in body


def test_evaluators_cannot_join_a_team(client, login):
    org = gen_org()
    leader = gen_user(org, role="leader", name="Lise Leder")
    evaluator = gen_user(org, role="evaluator", name="Eva Evaluator")
    practitioner = gen_user(org, role="practitioner", name="Bo Behandler")
    intervention = gen_intervention(org)
    db.session.commit()
    login(leader, org)

    page = client.get(f"/indsatser/{intervention.id}").get_data(as_text=True)
    option = f'data-professional-role="practitioner" value="{practitioner.id}">Bo Behandler<'
    assert option in page
    assert "Eva Evaluator" not in page
    assert "Evaluatorer har kun læseadgang og er ikke med i teams." in page

    response = client.post(
        f"/indsatser/{intervention.id}/team",
        data={"user_id": evaluator.id, "professional_role": "practitioner"},
        headers=HX,
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="field-error">Evaluatorer har kun læseadgang og kan ikke være med i et team' in (
        body
    )
    assert db.session.scalars(select(TeamMember)).first() is None


def test_when_only_evaluators_are_left_the_page_says_why(client, login):
    org = gen_org()
    leader = gen_user(org, role="leader")
    gen_user(org, role="evaluator")
    intervention = gen_intervention(org)
    gen_member(intervention, leader)
    db.session.commit()
    login(leader, org)
    page = client.get(f"/indsatser/{intervention.id}").get_data(as_text=True)
    assert "Alle i organisationen, der kan være med i et team, er med i dette." in page


def test_the_add_form_suggests_the_professional_role_of_each_persons_role(client, login):
    org = gen_org()
    leader = gen_user(org, role="leader", name="Anna Leder")
    gen_user(org, role="authority", name="Morten Myndighed")
    admin = gen_user(org, role="admin", name="Åse Admin")
    intervention = gen_intervention(org)
    db.session.commit()
    login(leader, org)
    page = client.get(f"/indsatser/{intervention.id}").get_data(as_text=True)
    form = page.split('name="user_id"')[1].split("</select>")[0]
    assert f'<option data-professional-role="leader" value="{leader.id}">Anna Leder' in form
    assert 'data-professional-role="authority_caseworker"' in form
    assert f'data-professional-role="" value="{admin.id}">Åse Admin' in form  # says nothing
    # The first person is chosen, so their suggestion is the role shown (app.js follows).
    role = page.split('name="professional_role"')[-1].split("</select>")[0]
    assert '<option selected value="leader">' in role
