import re
from datetime import date
from html import unescape

from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from improvement.extensions import db
from improvement.models import (
    AssessmentAnswer,
    AssessmentRespondent,
    AuditEvent,
    Case,
    Membership,
    TeamMember,
    User,
)
from tests.assessments.helpers import answer_all, gen_respondent, gen_round, shared_instrument
from tests.cases.helpers import gen_case
from tests.helpers import PASSWORD, gen_intervention, gen_member, gen_org, gen_user

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


def _membership(user, org) -> Membership:
    return db.session.scalars(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organization_id == org.id
        )
    ).one()


def test_removing_a_member_takes_them_off_teams_and_unanswered_open_rounds(client, login):
    org, other = gen_org("Nord"), gen_org("Syd")
    admin = gen_user(org, role="admin")
    leaver = gen_user(org, role="practitioner", name="Bo Går")
    db.session.add(Membership(user_id=leaver.id, organization_id=other.id, role="leader"))
    a, b = gen_intervention(org, name="Familiestart"), gen_intervention(org, name="Ung i job")
    elsewhere = gen_intervention(other)
    stays_elsewhere = gen_member(elsewhere, leaver)
    gen_member(a, leaver)
    gen_member(b, leaver)
    colleague = gen_member(a, admin)
    instrument = shared_instrument()
    open_round = gen_round(a, instrument, "Baseline")
    unanswered = gen_respondent(open_round, leaver)
    begun_round = gen_round(b, instrument, "Midtvejs")
    begun = gen_respondent(begun_round, leaver)
    answer_all(begun, instrument, {1: "high"})
    closed_round = gen_round(a, instrument, "Gammel", status="closed")
    closed = gen_respondent(closed_round, leaver)
    other_round = gen_round(elsewhere, instrument, "Syd-runde")
    other_org_respondent = gen_respondent(other_round, leaver)
    case = gen_case(a, "F-1", practitioner_id=leaver.id)
    gen_case(a, "F-2", practitioner_id=leaver.id)
    gen_case(b, "U-1", practitioner_id=leaver.id)
    gen_case(b, "U-2", practitioner_id=leaver.id, end_date=date(2026, 3, 1))
    db.session.commit()
    unanswered_id = unanswered.id
    login(admin, org)

    page = client.get("/organisation/medlemmer").get_data(as_text=True)
    assert "Personen er ansvarlig for 3 åbne forløb i Familiestart, Ung i job." in page
    assert "fjernes også fra indsatsernes teams" in page

    membership_id = _membership(leaver, org).id
    response = client.post(f"/organisation/medlemmer/{membership_id}/fjern", headers=HX)
    assert response.status_code == 200
    assert "Bo Går" not in response.get_data(as_text=True)
    assert db.session.get(Membership, membership_id) is None
    team = db.session.scalars(select(TeamMember).where(TeamMember.user_id == leaver.id)).all()
    assert [m.id for m in team] == [stays_elsewhere.id]  # the other organisation's team
    assert db.session.get(TeamMember, colleague.id) is not None
    left = {
        r.id
        for r in db.session.scalars(
            select(AssessmentRespondent).where(AssessmentRespondent.user_id == leaver.id)
        )
    }
    assert left == {begun.id, closed.id, other_org_respondent.id}
    assert db.session.get(AssessmentRespondent, unanswered_id) is None
    assert db.session.scalars(
        select(AssessmentAnswer).where(AssessmentAnswer.respondent_id == begun.id)
    ).first()
    assert db.session.get(Case, case.id).practitioner_id == leaver.id  # history is kept
    removed = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "TeamMember", AuditEvent.action == "delete"
        )
    ).all()
    assert len(removed) == 2


def test_a_member_made_evaluator_leaves_teams_and_unanswered_open_rounds(client, login):
    org = gen_org()
    admin = gen_user(org, role="admin")
    member = gen_user(org, role="practitioner", name="Ea Evaluering")
    a, b = gen_intervention(org, name="Familiestart"), gen_intervention(org, name="Ung i job")
    gen_member(a, member)
    gen_member(b, member)
    instrument = shared_instrument()
    unanswered = gen_respondent(gen_round(a, instrument, "Baseline"), member)
    begun = gen_respondent(gen_round(b, instrument, "Midtvejs"), member)
    answer_all(begun, instrument, {1: "high"})
    case = gen_case(a, "F-1", practitioner_id=member.id)
    db.session.commit()
    unanswered_id, begun_id = unanswered.id, begun.id
    membership_id = _membership(member, org).id
    login(admin, org)

    # To another working role: nothing is taken from them.
    response = client.post(
        f"/organisation/medlemmer/{membership_id}", data={"role": "leader"}, headers=HX
    )
    assert response.status_code == 200
    assert "taget ud" not in response.get_data(as_text=True)
    assert (
        len(db.session.scalars(select(TeamMember).where(TeamMember.user_id == member.id)).all())
        == 2
    )

    response = client.post(
        f"/organisation/medlemmer/{membership_id}", data={"role": "evaluator"}, headers=HX
    )
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "En evaluator kan kun læse." in text
    assert "Personen er taget ud af teamene i Familiestart, Ung i job." in text
    assert "taget ud af 1 åben selvevalueringsrunde, som personen ikke havde besvaret." in text
    db.session.expire_all()
    assert db.session.get(Membership, membership_id).role == "evaluator"
    assert not db.session.scalars(select(TeamMember).where(TeamMember.user_id == member.id)).all()
    assert db.session.get(AssessmentRespondent, unanswered_id) is None
    assert db.session.get(AssessmentRespondent, begun_id) is not None  # answers are history
    assert db.session.get(Case, case.id).practitioner_id == member.id

    # Back to a working role: the teams are not restored behind the admin's back.
    response = client.post(
        f"/organisation/medlemmer/{membership_id}", data={"role": "practitioner"}, headers=HX
    )
    assert response.status_code == 200
    assert "taget ud" not in response.get_data(as_text=True)


def test_one_open_case_is_named_in_the_singular(client, login):
    org = gen_org()
    admin = gen_user(org, role="admin")
    leaver = gen_user(org, role="practitioner")
    gen_case(gen_intervention(org, name="Familiestart"), "F-1", practitioner_id=leaver.id)
    db.session.commit()
    login(admin, org)
    page = client.get("/organisation/medlemmer").get_data(as_text=True)
    assert "Personen er ansvarlig for 1 åbent forløb i Familiestart." in page


def test_the_cases_a_caseworker_leaves_behind_are_named_too(client, login):
    org = gen_org()
    admin = gen_user(org, role="admin")
    leaver = gen_user(org, role="authority", name="Morten Munk")
    colleague = gen_user(org, role="practitioner")
    start = gen_intervention(org, name="Familiestart")
    gen_case(start, "F-1", caseworker_id=leaver.id, practitioner_id=colleague.id)
    gen_case(start, "F-2", caseworker_id=leaver.id)
    gen_case(start, "F-3", caseworker_id=leaver.id, end_date=date(2026, 3, 1))
    gen_case(start, "F-4", practitioner_id=leaver.id)
    db.session.commit()
    login(admin, org)
    page = client.get("/organisation/medlemmer").get_data(as_text=True)
    assert (
        "Personen er ansvarlig for 1 åbent forløb i Familiestart. Forløbet beholder personen "
        "som ansvarlig, indtil der vælges en anden. Personen er myndighedssagsbehandler på 2 "
        "åbne forløb i Familiestart og er det fortsat, indtil der vælges en anden."
    ) in page


def test_removed_person_who_logs_in_is_told_they_belong_to_no_organisation(client, login):
    org = gen_org()
    admin = gen_user(org, role="admin")
    leaver = gen_user(org, role="practitioner", email="bo@kommune.dk")
    db.session.commit()
    login(admin, org)
    client.post(f"/organisation/medlemmer/{_membership(leaver, org).id}/fjern", headers=HX)
    client.post("/logout")

    response = client.post("/login", data={"email": "bo@kommune.dk", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/ingen-organisation")
    response = client.get("/ingen-organisation")
    body = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Du er ikke medlem af nogen organisation" in body
    assert "Kontakt din organisations administrator" in body
    assert "Din rolle giver ikke adgang" not in body
    # The front page (the error pages' link) leads there too.
    assert client.get("/").headers["Location"].endswith("/ingen-organisation")


def test_a_member_is_sent_on_from_the_no_organisation_page(client, login):
    org = gen_org()
    user = gen_user(org)
    db.session.commit()
    login(user, org)
    assert client.get("/ingen-organisation").headers["Location"].endswith("/indsatser")
    assert client.get("/").headers["Location"].endswith("/indsatser")


def test_adding_someone_with_an_account_keeps_their_name_and_password(client, login):
    org, other = gen_org("Nord"), gen_org("Syd")
    admin = gen_user(org, role="admin")
    existing = gen_user(other, role="leader", email="leder@syd.demo", name="Lise Syd")
    db.session.commit()
    login(admin, org)
    form = client.get("/organisation/medlemmer").get_data(as_text=True)
    assert "Har personen allerede en konto" in form
    response = client.post(
        "/organisation/medlemmer",
        data={
            "email": "LEDER@Syd.demo",
            "name": "Et andet navn",
            "role": "practitioner",
            "password": "en helt ny kode",
        },
        headers=HX,
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Lise Syd havde allerede en konto og er tilføjet organisationen." in body
    assert "hidtidige adgangskode" in body
    assert "den adgangskode, du valgte" not in body
    user = db.session.get(User, existing.id)
    assert user.name == "Lise Syd" and user.check_password(PASSWORD)
    assert {m.organization_id for m in user.memberships} == {org.id, other.id}
    assert db.session.scalar(select(func.count()).select_from(User)) == 2


def test_an_account_stored_with_capitals_is_found(client, login):
    org, other = gen_org(), gen_org()
    admin = gen_user(org, role="admin")
    existing = gen_user(other, email="Mixed.Case@Kommune.dk")
    db.session.commit()
    login(admin, org)
    response = client.post(
        "/organisation/medlemmer",
        data={
            "email": "mixed.case@kommune.dk",
            "name": "X",
            "role": "leader",
            "password": "en helt ny kode",
        },
        headers=HX,
    )
    assert response.status_code == 200
    assert "havde allerede en konto" in response.get_data(as_text=True)
    assert _membership(existing, org).role == "leader"


def test_an_admin_who_gives_up_the_role_asks_first_and_leaves_the_page(client, login):
    org = gen_org("Nord")
    admin = gen_user(org, role="admin", name="Anna Admin")
    gen_user(org, role="admin", name="Bo Admin")
    db.session.commit()
    login(admin, org)
    mine = db.session.scalars(select(Membership).where(Membership.user_id == admin.id)).one()
    page = client.get("/organisation/medlemmer").get_data(as_text=True)
    # Only the own row asks (app.js: data-confirm-change) before the change is sent.
    assert page.count("data-confirm-change=") == 1
    own_row = page.split(f'id="membership-{mine.id}"')[1].split("</tr>")[0]
    assert "Vil du ændre din egen rolle?" in own_row

    response = client.post(
        f"/organisation/medlemmer/{mine.id}", data={"role": "leader"}, headers=HX
    )
    assert response.headers["HX-Redirect"] == "/indsatser"
    assert db.session.get(Membership, mine.id).role == "leader"
    page = client.get("/indsatser").get_data(as_text=True)
    assert "Din rolle i Nord er nu Leder." in page
    assert client.get("/organisation/medlemmer").status_code == 403


def test_members_are_listed_in_danish_order(client, login):
    org = gen_org()
    admin = gen_user(org, role="admin", name="Anna")
    for name in ("Åse", "Ørn", "bo", "Æble", "Carl"):
        gen_user(org, role="practitioner", name=name)
    db.session.commit()
    login(admin, org)
    page = client.get("/organisation/medlemmer").get_data(as_text=True)
    names = ["Anna", "bo", "Carl", "Æble", "Ørn", "Åse"]
    positions = [page.index(f'<th scope="row">{n}</th>') for n in names]
    assert positions == sorted(positions)


def test_an_admin_who_makes_themselves_evaluator_is_told_they_left_the_teams(client, login):
    org = gen_org("Nord")
    admin = gen_user(org, role="admin")
    gen_user(org, role="admin")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, admin)
    db.session.commit()
    login(admin, org)
    mine = db.session.scalars(select(Membership).where(Membership.user_id == admin.id)).one()
    client.post(f"/organisation/medlemmer/{mine.id}", data={"role": "evaluator"}, headers=HX)
    page = client.get("/indsatser").get_data(as_text=True)
    assert "Din rolle i Nord er nu Evaluator" in page
    assert "Du er taget ud af teamet i Spædbarnsindsats" in page


def test_choosing_a_read_only_role_for_someone_asks_first_and_names_them(client, login):
    org = gen_org()
    admin = gen_user(org, role="admin", name="Anna")
    pernille = gen_user(org, role="partner", name="Pernille Pagh")
    eva = gen_user(org, role="evaluator", name="Eva")
    db.session.commit()
    login(admin, org)
    page = unescape(client.get("/organisation/medlemmer").get_data(as_text=True))
    # Pernille's row: the evaluator option carries the question, the others do not.
    row = page[page.index(f'id="membership-{_membership(pernille, org).id}"') :]
    row = row[: row.index("</tr>")]
    assert 'data-confirm="Gør Pernille Pagh til Evaluator (kun læseadgang)?' in row
    assert row.count("data-confirm=") == 1
    assert '<label class="visually-hidden" for="mrole-' in row and "Rolle for Pernille Pagh" in row
    # Already an evaluator: nothing to ask.
    row = page[page.index(f'id="membership-{_membership(eva, org).id}"') :]
    assert "data-confirm=" not in row[: row.index("</tr>")]


def test_an_admin_gives_a_member_a_new_password_shown_once(client, login, app):
    org = gen_org()
    admin = gen_user(org, role="admin", name="Anna")
    bo = gen_user(org, role="practitioner", name="Bo Bach", email="bo@example.test")
    db.session.commit()
    old_id = bo.get_id()
    login(admin, org)
    url = f"/organisation/medlemmer/{_membership(bo, org).id}/adgangskode"
    response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = unescape(response.get_data(as_text=True))
    password = re.search(r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>", html).group(1)
    assert "Ny adgangskode til Bo Bach:" in html and "vises kun nu" in html
    db.session.refresh(bo)
    # The new password works; Bo's sessions with the old one have ended.
    assert check_password_hash(bo.password_hash, password)
    assert bo.get_id() != old_id
    other = app.test_client()
    page = other.post("/login", data={"email": "bo@example.test", "password": password})
    assert page.status_code == 302


def test_a_new_password_is_refused_for_oneself_and_for_someone_of_another_organisation(
    client, login
):
    org, elsewhere = gen_org("Nord"), gen_org("Syd")
    admin = gen_user(org, role="admin", name="Anna")
    shared = gen_user(org, role="practitioner", name="Bo Bach")
    db.session.add(Membership(user_id=shared.id, organization_id=elsewhere.id, role="leader"))
    db.session.commit()
    before = shared.password_hash
    login(admin, org)
    hx = {"HX-Request": "true"}
    response = client.post(
        f"/organisation/medlemmer/{_membership(shared, org).id}/adgangskode", headers=hx
    )
    assert response.status_code == 422
    assert "også medlem af Syd, hvor du ikke er administrator" in response.get_data(as_text=True)
    response = client.post(
        f"/organisation/medlemmer/{_membership(admin, org).id}/adgangskode", headers=hx
    )
    assert response.status_code == 422
    assert "Skift din egen adgangskode under Indstillinger" in response.get_data(as_text=True)
    db.session.refresh(shared)
    assert shared.password_hash == before
    # A leader is no administrator: forbidden.
    leader = gen_user(org, role="leader")
    db.session.commit()
    login(leader, org)
    url = f"/organisation/medlemmer/{_membership(shared, org).id}/adgangskode"
    assert client.post(url, headers=hx).status_code == 403
