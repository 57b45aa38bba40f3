"""Problem categories: the organisation's own, editable list (seed 002's six to start)."""

import re

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


def _version(html: str) -> str:
    field = re.search(r'<input[^>]*name="version"[^>]*>', html)
    return re.search(r'value="(\d+)"', field.group(0)).group(1)


def test_category_conflict_is_shown_once_with_their_version(client, login, team):
    login(team.leader, team.org)
    first = _categories(team.org)[0]
    old_version = str(first.version)
    first.name = "Hverdagens struktur"  # someone else saves first
    db.session.commit()
    mine = {"name": "Struktur i familien", "description": "Min beskrivelse", "version": old_version}
    response = client.post(f"/problemkategorier/{first.id}", data=mine, headers=HX)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert body.count("En anden har ændret dette") == 1
    assert "genindlæs" not in body.lower()
    assert 'value="Struktur i familien"' in body and "Min beskrivelse" in body
    assert "Hverdagens struktur" in body[body.index("Gemt i mellemtiden") :]
    assert db.session.get(ProblemCategory, first.id).name == "Hverdagens struktur"
    assert _version(body) == str(first.version) != old_version

    again = client.post(
        f"/problemkategorier/{first.id}", data={**mine, "version": _version(body)}, headers=HX
    )
    assert again.status_code == 200
    assert "Gemt i mellemtiden" not in again.get_data(as_text=True)
    category = db.session.get(ProblemCategory, first.id)
    assert (category.name, category.description) == ("Struktur i familien", "Min beskrivelse")


def test_a_name_another_category_has_is_refused(client, login, team):
    login(team.leader, team.org)
    categories = _categories(team.org)
    names = [c.name for c in categories]
    archived = categories[0]
    archived.archived = True
    db.session.commit()
    before = [(c.id, c.name, c.version) for c in _categories(team.org)]
    refused = [
        ("/problemkategorier", {"name": "Barnekonflikt"}, "allerede dette navn"),
        ("/problemkategorier", {"name": "  barnekonflikt "}, "allerede dette navn"),
        # An archived category's name too: reopen it instead.
        ("/problemkategorier", {"name": archived.name.upper()}, "genåbn den i stedet"),
        (
            f"/problemkategorier/{categories[2].id}",
            {"name": "forældreregulering", "version": str(categories[2].version)},
            "allerede dette navn",
        ),
    ]
    for url, data, message in refused:
        response = client.post(url, data={"description": "", **data}, headers=HX)
        assert response.status_code == 422, data
        body = response.get_data(as_text=True)
        assert body.count(message) == 1, data
        assert 'aria-invalid="true"' in body, data
    assert [(c.id, c.name, c.version) for c in _categories(team.org)] == before
    assert "Forældreregulering" in names

    # A category may change the case of its own name; another organisation's names are free.
    own = categories[2]
    response = client.post(
        f"/problemkategorier/{own.id}",
        data={"name": own.name.upper(), "description": "", "version": str(own.version)},
        headers=HX,
    )
    assert response.status_code == 200
    assert db.session.get(ProblemCategory, own.id).name == own.name.upper()
    response = client.post(
        "/problemkategorier", data={"name": "Skolefravær", "description": ""}, headers=HX
    )
    assert response.status_code == 200
    other = gen_org("Syd")
    other_leader = gen_user(other, role="leader")
    db.session.commit()
    login(other_leader, other)
    response = client.post(
        "/problemkategorier", data={"name": "skolefravær", "description": ""}, headers=HX
    )
    assert response.status_code == 200
    # An organisation without categories yet starts from the six: their names are taken.
    third = gen_org("Vest")
    third_leader = gen_user(third, role="leader")
    db.session.commit()
    login(third_leader, third)
    response = client.post(
        "/problemkategorier", data={"name": "Barnekonflikt", "description": ""}, headers=HX
    )
    assert response.status_code == 422
    assert _categories(third) == []
