from sqlalchemy import select

from improvement.extensions import db
from improvement.models import Membership, User
from tests.helpers import PASSWORD, gen_org, gen_user

HX = {"HX-Request": "true"}


def test_admin_adds_a_person_who_can_then_log_in(app, client, login):
    org = gen_org("Nord")
    admin = gen_user(org, role="admin")
    db.session.commit()
    login(admin, org)
    assert "Medlemmer af Nord" in client.get("/organisation/medlemmer").get_data(as_text=True)
    response = client.post(
        "/organisation/medlemmer",
        data={
            "email": "Ny@Kommune.dk",
            "name": "Nina Ny",
            "role": "practitioner",
            "password": "en god lang kode",
        },
        headers=HX,
    )
    assert response.status_code == 200
    assert "Nina Ny er tilføjet" in response.get_data(as_text=True)
    client.post("/logout")
    response = client.post(
        "/login", data={"email": "ny@kommune.dk", "password": "en god lang kode"}
    )
    assert response.status_code == 302


def test_invalid_new_member_says_what_is_wrong(client, login):
    org = gen_org()
    admin = gen_user(org, role="admin", email="a@kommune.dk")
    db.session.commit()
    login(admin, org)
    response = client.post(
        "/organisation/medlemmer",
        data={"email": "a@kommune.dk", "name": "Igen", "role": "leader", "password": "kort"},
        headers=HX,
    )
    assert response.status_code == 422
    assert "Feltet skal være mindst 10 tegn langt." in response.get_data(as_text=True)
    response = client.post(
        "/organisation/medlemmer",
        data={
            "email": "a@kommune.dk",
            "name": "Igen",
            "role": "leader",
            "password": "lang nok kode",
        },
        headers=HX,
    )
    assert "Personen er allerede medlem." in response.get_data(as_text=True)


def test_role_change_and_last_admin_is_kept(client, login):
    org = gen_org()
    admin = gen_user(org, role="admin")
    other = gen_user(org, role="practitioner")
    db.session.commit()
    login(admin, org)
    mine, theirs = (
        db.session.scalars(select(Membership).where(Membership.user_id == u.id)).one()
        for u in (admin, other)
    )
    assert (
        client.post(
            f"/organisation/medlemmer/{theirs.id}", data={"role": "leader"}, headers=HX
        ).status_code
        == 200
    )
    assert db.session.get(Membership, theirs.id).role == "leader"
    response = client.post(
        f"/organisation/medlemmer/{mine.id}", data={"role": "leader"}, headers=HX
    )
    assert response.status_code == 422
    assert "mindst én administrator" in response.get_data(as_text=True)
    assert db.session.get(Membership, mine.id).role == "admin"
    theirs_id = theirs.id
    client.post(f"/organisation/medlemmer/{theirs_id}/fjern", headers=HX)
    assert db.session.get(Membership, theirs_id) is None
    assert db.session.get(User, other.id) is not None  # the account and its history remain


def test_only_admins_manage_members(client, login):
    org = gen_org()
    leader = gen_user(org, role="leader")
    db.session.commit()
    login(leader, org)
    assert client.get("/organisation/medlemmer").status_code == 403


def test_password_change(client, login):
    org = gen_org()
    user = gen_user(org)
    db.session.commit()
    login(user, org)
    response = client.post(
        "/profil/adgangskode",
        data={"current": "forkert", "new": "ny lang kode 1", "repeat": "ny lang kode 1"},
    )
    assert response.status_code == 422
    assert "Forkert adgangskode." in response.get_data(as_text=True)
    response = client.post(
        "/profil/adgangskode",
        data={"current": PASSWORD, "new": "ny lang kode 1", "repeat": "ny lang kode 1"},
    )
    assert response.status_code == 302
    assert db.session.get(User, user.id).check_password("ny lang kode 1")
