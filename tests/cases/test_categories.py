"""Problem categories: the organisation's own, editable list (seed 002's six to start)."""

from sqlalchemy import select

from improvement.extensions import db
from improvement.models import ProblemCategory
from tests.helpers import gen_org, gen_user

HX = {"HX-Request": "true"}


def _categories(org):
    stmt = select(ProblemCategory).where(ProblemCategory.organization_id == org.id)
    return list(db.session.scalars(stmt.order_by(ProblemCategory.position)))


def test_new_organisation_starts_from_the_six(client, login, app):
    org = gen_org("Ny kommune")
    leader = gen_user(org, role="leader")
    db.session.commit()
    login(leader, org)
    page = client.get("/problemkategorier").get_data(as_text=True)
    assert "Ingen problemkategorier endnu" in page
    assert _categories(org) == []  # looking writes nothing
    response = client.post("/problemkategorier/standard", headers=HX)
    assert response.status_code == 200
    assert [c.name for c in _categories(org)] == [
        "Forældrestruktur",
        "Forældreregulering",
        "Forældrekonflikt",
        "Barnestruktur",
        "Barneregulering",
        "Barnekonflikt",
    ]


def test_rename_add_and_archive(client, login, team):
    login(team.leader, team.org)
    first = _categories(team.org)[0]
    response = client.post(
        f"/problemkategorier/{first.id}",
        data={"name": "Struktur i hverdagen", "description": "", "version": str(first.version)},
        headers=HX,
    )
    assert response.status_code == 200
    assert db.session.get(ProblemCategory, first.id).name == "Struktur i hverdagen"
    # A stale edit keeps the user's text and changes nothing.
    stale = client.post(
        f"/problemkategorier/{first.id}",
        data={"name": "Noget andet", "description": "", "version": "1"},
        headers=HX,
    )
    assert stale.status_code == 409
    assert "Noget andet" in stale.get_data(as_text=True)
    assert db.session.get(ProblemCategory, first.id).name == "Struktur i hverdagen"

    response = client.post(
        "/problemkategorier", data={"name": "Skolefravær", "description": ""}, headers=HX
    )
    assert response.status_code == 200
    assert _categories(team.org)[-1].name == "Skolefravær"

    client.post(f"/problemkategorier/{first.id}/arkiver", headers=HX)
    assert db.session.get(ProblemCategory, first.id).archived is True
    edit = client.get(f"/indsatser/{team.intervention.id}/forloeb/{team.case.id}/rediger")
    assert "Struktur i hverdagen" not in edit.get_data(as_text=True)


def test_invalid_category_is_refused(client, login, team):
    login(team.leader, team.org)
    before = len(_categories(team.org))
    for data in ({"name": ""}, {"name": "Barn 010203-1234"}):
        response = client.post("/problemkategorier", data=data, headers=HX)
        assert response.status_code == 422
    assert len(_categories(team.org)) == before


def test_practitioners_read_but_only_leaders_edit(client, login, team):
    login(team.practitioner, team.org)
    assert client.get("/problemkategorier").status_code == 200
    response = client.post("/problemkategorier", data={"name": "Ny"}, headers=HX)
    assert response.status_code == 403
