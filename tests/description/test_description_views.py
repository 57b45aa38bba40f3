import re
from html import unescape

import pytest
from sqlalchemy import func, select

from improvement.extensions import db
from improvement.models import (
    ChangeTheoryItem,
    ChangeTheoryLink,
    CoreElement,
    DescriptionVersion,
    DevelopmentPoint,
    Phase,
    PracticeElement,
    WorkflowStep,
)
from improvement.seeding import load_reference, read
from tests.description.factories import (
    gen_assumption,
    gen_core_element,
    gen_item,
    gen_phase,
    gen_point,
    gen_step,
)
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

HX = {"HX-Request": "true"}


def pre(prefix, data):
    """Form data for an edit form, whose fields are prefixed by the row (e.g. ce5-name)."""
    return {f"{prefix}-{key}": value for key, value in data.items()}


def setup(role="leader"):
    org = gen_org("Nord")
    user = gen_user(org, role=role, name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    db.session.commit()
    return org, user, intervention


def base(intervention):
    return f"/indsatser/{intervention.id}"


# ---------------------------------------------------------------- core elements


def test_core_element_create_edit_and_history(client, login):
    org, user, intervention = setup()
    login(user, org)
    response = client.post(
        f"{base(intervention)}/kerneelementer",
        data={"name": "Tæt kontakt", "status": "potential", "why": "Fordi"},
        headers=HX,
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body and "Tæt kontakt" in body
    element = db.session.scalars(select(CoreElement)).one()
    assert element.organization_id == org.id and element.why == "Fordi"

    response = client.post(
        f"{base(intervention)}/kerneelementer/{element.id}/rediger",
        data=pre(
            f"ce{element.id}",
            {"name": "Tæt og løbende kontakt", "status": "confirmed", "version": "1"},
        ),
        headers=HX,
    )
    assert response.status_code == 200
    db.session.refresh(element)
    assert element.name == "Tæt og løbende kontakt" and element.status == "confirmed"
    history = client.get(
        f"{base(intervention)}/historik/kerneelement/{element.id}", headers=HX
    ).get_data(as_text=True)
    assert "Lise Lund" in history and "Tæt og løbende kontakt" in history
    assert "ændret" in history and "oprettet" in history


def test_core_element_invalid_and_stale(client, login):
    org, user, intervention = setup()
    element = gen_core_element(intervention, name="Original")
    db.session.commit()
    login(user, org)
    response = client.post(
        f"{base(intervention)}/kerneelementer", data={"name": "", "why": "x"}, headers=HX
    )
    assert response.status_code == 422
    assert "Feltet skal udfyldes." in response.get_data(as_text=True)
    assert db.session.scalars(select(CoreElement)).all() == [element]

    # Someone else saves first.
    element.name = "Deres version"
    db.session.commit()
    response = client.post(
        f"{base(intervention)}/kerneelementer/{element.id}/rediger",
        data=pre(f"ce{element.id}", {"name": "Min version", "status": "potential", "version": "1"}),
        headers=HX,
    )
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Min version" in body and "Deres version" in body
    assert "ændret" in body
    db.session.refresh(element)
    assert element.name == "Deres version"


def test_an_edit_of_a_core_element_or_phase_archived_meanwhile_is_refused_with_the_text(
    client, login
):
    org, user, intervention = setup()
    element = gen_core_element(intervention, name="Tæt kontakt")
    phase = gen_phase(intervention, "Opstart")
    db.session.commit()
    login(user, org)
    # Someone archives both while the editors are open, and saves again after the
    # conflict: the version the forms now carry is the archived one.
    element.archived = phase.archived = True
    db.session.commit()
    response = client.post(
        f"{base(intervention)}/kerneelementer/{element.id}/rediger",
        data=pre(
            f"ce{element.id}",
            {
                "name": "Tæt kontakt",
                "description": "Min nye tekst",
                "status": "potential",
                "version": str(element.version),
            },
        ),
        headers=HX,
    )
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "En anden har arkiveret kerneelementet i mellemtiden" in body
    assert "Min nye tekst" in body
    response = client.post(
        f"{base(intervention)}/arbejdsgange/faser/{phase.id}/rediger",
        data=pre(f"phase{phase.id}", {"name": "Nyt navn", "version": str(phase.version)}),
        headers=HX,
    )
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "En anden har arkiveret fasen i mellemtiden" in body and "Nyt navn" in body
    db.session.refresh(element)
    db.session.refresh(phase)
    assert (element.description, phase.name) == ("", "Opstart")


def test_core_element_archive_reorder_move_and_template(client, login):
    org, user, intervention = setup()
    a = gen_core_element(intervention, name="A", position=0)
    b = gen_core_element(intervention, name="B", position=1)
    c = gen_core_element(intervention, name="C", position=2)
    db.session.commit()
    login(user, org)
    url = f"{base(intervention)}/kerneelementer"
    assert (
        client.post(f"{url}/raekkefoelge", data={"ids": [c.id, a.id, b.id]}, headers=HX).status_code
        == 200
    )
    order = [e.name for e in db.session.scalars(select(CoreElement).order_by(CoreElement.position))]
    assert order == ["C", "A", "B"]
    # Ids that are the intervention's but not all of them (changed meanwhile): 409, unsaved.
    assert client.post(f"{url}/raekkefoelge", data={"ids": [a.id]}, headers=HX).status_code == 409
    client.post(f"{url}/{b.id}/flyt", data={"direction": "up"}, headers=HX)
    order = [e.name for e in db.session.scalars(select(CoreElement).order_by(CoreElement.position))]
    assert order == ["C", "B", "A"]
    # A direction that is neither up nor down moves nothing.
    for direction in ("", "sideways"):
        response = client.post(f"{url}/{b.id}/flyt", data={"direction": direction}, headers=HX)
        assert response.status_code == 400
    order = [e.name for e in db.session.scalars(select(CoreElement).order_by(CoreElement.position))]
    assert order == ["C", "B", "A"]

    response = client.post(f"{url}/{a.id}/arkiver", headers=HX)
    assert response.status_code == 200
    db.session.refresh(a)
    assert a.archived is True  # archived, not deleted
    assert "1 arkiveret kerneelement" in response.get_data(as_text=True)

    client.post(f"{url}/skabelon", headers=HX)
    client.post(f"{url}/skabelon", headers=HX)  # twice copies nothing more
    names = db.session.scalars(
        select(CoreElement.name).where(CoreElement.archived.is_(False))
    ).all()
    assert len(names) == 2 + 4
    assert "Tæt kontakt og løbende faglig udredning" in names


def test_core_element_links_only_own_activities(client, login):
    org, user, intervention = setup()
    other = gen_intervention(org, name="Anden indsats")
    own = gen_item(intervention, "activity", "Hjemmebesøg")
    foreign = gen_item(other, "activity", "Fremmed")
    element = gen_core_element(intervention)
    db.session.commit()
    login(user, org)
    url = f"{base(intervention)}/kerneelementer/{element.id}/rediger"
    data = {"name": "Tæt kontakt", "status": "potential", "version": "1", "activities": [own.id]}
    assert client.post(url, data=pre(f"ce{element.id}", data), headers=HX).status_code == 200
    db.session.refresh(element)
    assert [a.id for a in element.activities] == [own.id]
    data = {"name": "X", "status": "potential", "version": "2", "activities": [foreign.id]}
    response = client.post(url, data=pre(f"ce{element.id}", data), headers=HX)
    assert response.status_code == 422  # not a choice
    assert "Ikke et gyldigt valg." in response.get_data(as_text=True)
    db.session.refresh(element)
    assert element.name == "Tæt kontakt"


# ---------------------------------------------------------------- development points


def test_a_point_is_owned_by_someone_on_the_team(client, login):
    org, user, intervention = setup()
    gen_member(intervention, user)
    outsider = gen_user(org, role="practitioner", name="Karin Kjær")
    evaluator = gen_user(org, role="evaluator", name="Erik Engberg")
    former = gen_user(org, role="practitioner", name="Frederik Friis")
    point = gen_point(intervention, title="Fast dagsorden", owner_id=former.id)
    db.session.commit()
    login(user, org)
    form = client.get(f"{base(intervention)}/udviklingspunkter/{point.id}/rediger", headers=HX)
    body = form.get_data(as_text=True)
    options = re.search(r'<select[^>]*name="dp\d+-owner_id".*?</select>', body, re.S).group(0)
    assert "Lise Lund" in options
    assert "Frederik Friis (ikke længere i teamet)" in options  # kept on their point
    assert "Karin Kjær" not in options and "Erik Engberg" not in options
    listing = client.get(f"{base(intervention)}/udviklingspunkter").get_data(as_text=True)
    new = re.search(r'<select[^>]*name="owner_id".*?</select>', listing, re.S).group(0)
    assert "Lise Lund" in new and "Frederik Friis" not in new  # a new point: the team only
    for person in (outsider, evaluator):
        response = client.post(
            f"{base(intervention)}/udviklingspunkter",
            data={
                "title": "Ny",
                "kind": "organisational",
                "status": "chosen",
                "owner_id": str(person.id),
            },
            headers=HX,
        )
        assert response.status_code == 422


def test_development_point_with_links_and_wip_warning(client, login, app):
    load_reference()
    org, user, intervention = setup()
    gen_member(intervention, user)
    element = gen_core_element(intervention)
    for n in range(3):
        gen_point(intervention, title=f"P{n}", position=n, status="in_progress")
    db.session.commit()
    login(user, org)
    page = client.get(f"{base(intervention)}/udviklingspunkter").get_data(as_text=True)
    assert "I gang: 3 af højst 3." in page
    pe = db.session.scalars(select(PracticeElement).where(PracticeElement.number == 7)).one()
    response = client.post(
        f"{base(intervention)}/udviklingspunkter",
        data={
            "title": "Fast dagsorden",
            "kind": "organisational",
            "status": "in_progress",
            "owner_id": str(user.id),
            "core_elements": [element.id],
            "practice_elements": [pe.id],
        },
        headers=HX,
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "4 udviklingspunkter er i gang samtidig – teamets grænse er 3." in body
    point = db.session.scalars(
        select(DevelopmentPoint).where(DevelopmentPoint.title == "Fast dagsorden")
    ).one()
    assert point.core_elements == [element] and point.practice_elements == [pe]
    assert point.owner_id == user.id and point.position == 3

    # The limit is a setting: the app's default, overridden per intervention by the team.
    app.config["DEVELOPMENT_POINTS_IN_PROGRESS_LIMIT"] = 5
    page = client.get(f"{base(intervention)}/udviklingspunkter").get_data(as_text=True)
    assert "I gang: 4 af højst 5." in page
    url = f"{base(intervention)}/udviklingspunkter/graense"
    response = client.post(url, data={"limit": "0"}, headers=HX)
    assert response.status_code == 422
    assert "Tallet skal være mellem 1 og 20." in response.get_data(as_text=True)
    response = client.post(url, data={"limit": "2"}, headers=HX)
    assert response.status_code == 200
    assert "4 udviklingspunkter er i gang samtidig – teamets grænse er 2." in response.get_data(
        as_text=True
    )
    db.session.refresh(intervention)
    assert intervention.development_points_limit == 2


def test_development_point_refuses_foreign_core_element_and_stale(client, login):
    org, user, intervention = setup()
    other = gen_intervention(org, name="Anden")
    foreign = gen_core_element(other, name="Fremmed")
    point = gen_point(intervention, title="Original")
    db.session.commit()
    login(user, org)
    url = f"{base(intervention)}/udviklingspunkter/{point.id}/rediger"
    data = {"title": "Ny", "kind": "practice", "status": "proposed", "owner_id": "", "version": "1"}
    p = f"dp{point.id}"
    response = client.post(url, data=pre(p, {**data, "core_elements": [foreign.id]}), headers=HX)
    assert response.status_code == 422
    response = client.post(url, data=pre(p, {**data, "title": ""}), headers=HX)
    assert response.status_code == 422
    assert "Feltet skal udfyldes." in response.get_data(as_text=True)
    point.title = "Deres"
    db.session.commit()
    response = client.post(url, data=pre(p, data), headers=HX)
    assert response.status_code == 409
    db.session.refresh(point)
    assert point.title == "Deres" and point.core_elements == []


# ---------------------------------------------------------------- workflows


def test_phases_and_steps(client, login):
    org, user, intervention = setup()
    login(user, org)
    url = f"{base(intervention)}/arbejdsgange"
    assert "Ingen faser endnu" in client.get(url).get_data(as_text=True)
    assert client.post(f"{url}/faser", data={"name": "Opstart"}, headers=HX).status_code == 200
    assert client.post(f"{url}/faser", data={"name": "Forløb"}, headers=HX).status_code == 200
    opstart = db.session.scalars(select(Phase).where(Phase.name == "Opstart")).one()
    new = f"new{opstart.id}"
    response = client.post(
        f"{url}/faser/{opstart.id}/trin", data=pre(new, {"step": ""}), headers=HX
    )
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == f"#step-new-{opstart.id}"
    response = client.post(
        f"{url}/faser/{opstart.id}/trin",
        data=pre(new, {"step": "Opstartsmøde", "child": "Barnets behov", "parents": "Fortæller"}),
        headers=HX,
    )
    assert response.status_code == 200 and "Opstartsmøde" in response.get_data(as_text=True)
    step = db.session.scalars(select(WorkflowStep)).one()
    assert step.phase_id == opstart.id and step.organization_id == org.id
    client.post(f"{url}/faser/{opstart.id}/flyt", data={"direction": "down"}, headers=HX)
    order = [p.name for p in db.session.scalars(select(Phase).order_by(Phase.position))]
    assert order == ["Forløb", "Opstart"]
    response = client.post(
        f"{url}/trin/{step.id}/rediger",
        data=pre(f"step{step.id}", {"step": "Opstart i hjemmet", "version": "1"}),
        headers=HX,
    )
    assert response.status_code == 200
    db.session.refresh(step)
    assert step.step == "Opstart i hjemmet"
    client.post(f"{url}/faser/{opstart.id}/arkiver", headers=HX)
    db.session.refresh(opstart)
    assert opstart.archived
    client.post(f"{url}/trin/{step.id}/slet", headers=HX)
    assert db.session.scalars(select(WorkflowStep)).first() is None


def test_step_of_another_intervention_is_404(client, login):
    org, user, intervention = setup()
    other = gen_intervention(org, name="Anden")
    step = gen_step(gen_phase(other))
    db.session.commit()
    login(user, org)
    url = f"{base(intervention)}/arbejdsgange/trin/{step.id}/rediger"
    data = pre(f"step{step.id}", {"step": "X", "version": "1"})
    assert client.post(url, data=data, headers=HX).status_code == 404


# ---------------------------------------------------------------- theory of change


def test_theory_items_links_and_references(client, login):
    org, user, intervention = setup()
    login(user, org)
    url = f"{base(intervention)}/forandringsteori"
    assert "Ingen forandringsteori endnu" in client.get(url).get_data(as_text=True)
    client.post(f"{url}/punkter", data={"kind": "activity", "text": "Hjemmebesøg"}, headers=HX)
    client.post(f"{url}/punkter", data={"kind": "short_term", "text": "Sensitiv"}, headers=HX)
    client.post(f"{url}/punkter", data={"kind": "long_term", "text": "Tryg"}, headers=HX)
    response = client.post(f"{url}/punkter", data={"kind": "long_term", "text": ""}, headers=HX)
    assert response.status_code == 422
    items = {i.kind: i for i in db.session.scalars(select(ChangeTheoryItem))}
    assert len(items) == 3
    client.post(f"{url}/antagelser", data={"text": "Tidligt er vigtigt"}, headers=HX)
    assumption = gen_assumption(intervention, text="Anden")  # noqa: F841
    db.session.commit()
    a_id = db.session.scalars(select(ChangeTheoryLink.id)).first()
    assert a_id is None
    # A link must go one column to the right.
    response = client.post(
        f"{url}/forbindelser",
        data={"source_id": items["activity"].id, "target_id": items["long_term"].id},
        headers=HX,
    )
    assert response.status_code == 422
    assert "én kolonne til højre" in response.get_data(as_text=True)
    response = client.post(
        f"{url}/forbindelser",
        data={"source_id": items["activity"].id, "target_id": items["short_term"].id},
        headers=HX,
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "A1 → K1" in body
    link = db.session.scalars(select(ChangeTheoryLink)).one()

    from improvement.models import Assumption

    first = db.session.scalars(select(Assumption).order_by(Assumption.id)).first()
    client.post(
        f"{url}/forbindelser/{link.id}/antagelse", data={"assumption_id": first.id}, headers=HX
    )
    db.session.refresh(link)
    assert link.assumption_id == first.id
    # An id no row can have is a missing assumption; the link keeps its own.
    response = client.post(
        f"{url}/forbindelser/{link.id}/antagelse", data={"assumption_id": 10**20}, headers=HX
    )
    assert response.status_code == 404
    db.session.refresh(link)
    assert link.assumption_id == first.id

    prefix = f"ref{first.id}-"
    response = client.post(
        f"{url}/antagelser/{first.id}/referencer",
        data={
            prefix + "author": "Bowlby, J.",
            prefix + "year": "1969",
            prefix + "title": "Attachment",
            prefix + "url": "ikke et link",
        },
        headers=HX,
    )
    assert response.status_code == 422
    response = client.post(
        f"{url}/antagelser/{first.id}/referencer",
        data={
            prefix + "author": "Bowlby, J.",
            prefix + "year": "1969",
            prefix + "title": "Attachment",
            prefix + "url": " www.vive.dk/rapport ",  # as people copy a link
        },
        headers=HX,
    )
    assert response.status_code == 200 and "Bowlby, J. (1969)" in response.get_data(as_text=True)
    assert 'href="https://www.vive.dk/rapport"' in response.get_data(as_text=True)

    # Editing one item in place; a stale save is refused.
    item = items["activity"]
    response = client.post(
        f"{url}/punkter/{item.id}/rediger",
        data=pre(f"item{item.id}", {"text": "Intensive besøg", "version": "1"}),
        headers=HX,
    )
    assert response.status_code == 200
    response = client.post(
        f"{url}/punkter/{item.id}/rediger",
        data=pre(f"item{item.id}", {"text": "Gammel", "version": "1"}),
        headers=HX,
    )
    assert response.status_code == 409
    # Deleting an item takes its links with it.
    client.post(f"{url}/punkter/{item.id}/slet", headers=HX)
    assert db.session.scalars(select(ChangeTheoryLink)).first() is None


def test_link_to_foreign_item_is_refused(client, login):
    org, user, intervention = setup()
    other = gen_intervention(org, name="Anden")
    own = gen_item(intervention, "activity", "A")
    foreign = gen_item(other, "short_term", "B")
    db.session.commit()
    login(user, org)
    response = client.post(
        f"{base(intervention)}/forandringsteori/forbindelser",
        data={"source_id": own.id, "target_id": foreign.id},
        headers=HX,
    )
    assert response.status_code == 422  # not among the choices
    assert db.session.scalars(select(ChangeTheoryLink)).first() is None


def test_aim_is_created_on_first_save(client, login):
    org, user, intervention = setup()
    login(user, org)
    url = f"{base(intervention)}/forandringsteori/formaal"
    assert 'value="0"' in client.get(url, headers=HX).get_data(as_text=True)
    response = client.post(url, data={"purpose": "Tryg tilknytning", "version": "0"}, headers=HX)
    assert response.status_code == 200 and "Tryg tilknytning" in response.get_data(as_text=True)
    response = client.post(url, data={"purpose": "Andet", "version": "0"}, headers=HX)
    assert response.status_code == 409


# ---------------------------------------------------------------- description and versions


def test_publish_compare_and_draft_changes(client, login):
    org, user, intervention = setup()
    element = gen_core_element(intervention, name="Tæt kontakt", why="Fordi")
    db.session.commit()
    login(user, org)
    url = f"{base(intervention)}/indsatsbeskrivelse"
    page = client.get(url).get_data(as_text=True)
    assert "Tæt kontakt" in page and "Ingen version er udgivet endnu" in page
    response = client.post(f"{url}/versioner", data={"note": ""})
    assert response.status_code == 422
    assert client.post(f"{url}/versioner", data={"note": "Efter mødet"}).status_code == 302
    v1 = db.session.scalars(select(DescriptionVersion)).one()
    assert v1.number == 1 and v1.snapshot["core_elements"][0]["name"] == "Tæt kontakt"
    assert v1.published_by_id == user.id

    element.name = "Tæt og løbende kontakt"
    gen_point(intervention, title="Fast dagsorden", status="prioritised")
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "Ændringer siden version 1" in page
    assert client.post(f"{url}/versioner", data={"note": "Runde 2"}).status_code == 302
    numbers = db.session.scalars(select(DescriptionVersion.number)).all()
    assert sorted(numbers) == [1, 2]
    # Published versions are immutable: the first still holds the old name.
    db.session.refresh(v1)
    assert v1.snapshot["core_elements"][0]["name"] == "Tæt kontakt"

    body = client.get(f"{url}/sammenlign?fra=1&til=2").get_data(as_text=True)
    assert "Tæt kontakt [Potentielt]" in body and "Tæt og løbende kontakt [Potentielt]" in body
    assert "Fast dagsorden" in body and "Tilføjet" in body
    assert client.get(f"{url}/sammenlign?fra=1&til=9").status_code == 404
    detail = client.get(f"{url}/versioner/{v1.id}").get_data(as_text=True)
    assert "Version 1" in detail and "Efter mødet" in detail


def test_deleting_a_theory_item_compares_the_renumbered_ones_as_unchanged(client, login):
    org, user, intervention = setup()
    gen_item(intervention, text="Hjemmebesøg", position=0)
    gen_item(intervention, text="Samtale om søvn", position=1)
    gen_item(intervention, text="Forældregruppe", position=2)
    db.session.commit()
    login(user, org)
    url = f"{base(intervention)}/indsatsbeskrivelse"
    assert client.post(f"{url}/versioner", data={"note": "Før"}).status_code == 302
    first = db.session.scalars(select(ChangeTheoryItem).order_by(ChangeTheoryItem.position))
    first_id = next(iter(first)).id
    theory = f"{base(intervention)}/forandringsteori"
    assert client.post(f"{theory}/punkter/{first_id}/slet", headers=HX).status_code == 200
    assert client.post(f"{url}/versioner", data={"note": "Efter"}).status_code == 302

    body = unescape(client.get(f"{url}/sammenlign?fra=1&til=2").get_data(as_text=True))
    assert "0 tilføjet, 1 fjernet, 0 ændret, 0 flyttet." in body
    # Only the deleted line is shown; the renumbered ones (A2 is now A1) are unchanged.
    assert "A1: Hjemmebesøg" in body and "Samtale om søvn" not in body


def test_description_page_queries_do_not_grow(client, login, app):
    from sqlalchemy import event

    org, user, intervention = setup()
    login(user, org)
    url = f"{base(intervention)}/indsatsbeskrivelse"

    def count():
        n = 0

        def before(*_args, **_kwargs):
            nonlocal n
            n += 1

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
        return n

    phase = gen_phase(intervention)
    gen_step(phase)
    gen_core_element(intervention)
    gen_point(intervention)
    db.session.commit()
    small = count()
    for n in range(5):
        phase = gen_phase(intervention, name=f"F{n}", position=n + 1)
        gen_step(phase, step=f"S{n}")
        gen_core_element(intervention, name=f"C{n}", position=n + 1)
        gen_point(intervention, title=f"P{n}", position=n + 1)
        gen_item(intervention, "activity", f"A{n}", position=n)
    db.session.commit()
    assert count() == small


def test_evaluator_cannot_publish(client, login):
    org, _user, intervention = setup()
    evaluator = gen_user(org, role="evaluator")
    db.session.commit()
    login(evaluator, org)
    url = f"{base(intervention)}/indsatsbeskrivelse/versioner"
    assert client.post(url, data={"note": "x"}).status_code == 403
    assert db.session.scalars(select(DescriptionVersion)).first() is None


# ---------------------------------------------------------------- unique names
# The Excel import finds phases and core elements by name, so a name may not repeat within
# an intervention: not in another case, not with spaces around it, not among archived ones.


def test_a_core_element_name_already_in_use_is_refused_on_create(client, login):
    org, user, intervention = setup()
    gen_core_element(intervention, name="Tværfagligt makkerpar")
    gen_core_element(intervention, name="Gammel kontakt", position=1, archived=True)
    other = gen_intervention(org, name="Anden indsats")
    gen_core_element(other, name="Fælles navn")
    db.session.commit()
    login(user, org)
    url = f"{base(intervention)}/kerneelementer"
    for name in ("Tværfagligt makkerpar", "  tværfagligt MAKKERPAR ", "Tværfagligt \t  makkerpar"):
        response = client.post(url, data={"name": name, "status": "potential"}, headers=HX)
        assert response.status_code == 422
        body = response.get_data(as_text=True)
        assert "<html" not in body
        assert "Der er allerede et kerneelement med dette navn." in body
        assert "makkerpar" in body.lower()  # the form stays with what was typed
    response = client.post(url, data={"name": "gammel kontakt", "status": "potential"}, headers=HX)
    assert response.status_code == 422
    assert "Der er allerede et arkiveret kerneelement med dette navn" in response.get_data(
        as_text=True
    )
    assert db.session.scalar(select(func.count()).select_from(CoreElement)) == 3
    # Another intervention's names do not count.
    response = client.post(url, data={"name": "Fælles navn", "status": "potential"}, headers=HX)
    assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(CoreElement)) == 4


def test_a_core_element_cannot_be_renamed_to_another_ones_name(client, login):
    org, user, intervention = setup()
    first = gen_core_element(intervention, name="Tæt kontakt")
    second = gen_core_element(intervention, name="Makkerpar", position=1)
    db.session.commit()
    login(user, org)
    url = f"{base(intervention)}/kerneelementer/{second.id}/rediger"
    data = {"name": " TÆT KONTAKT", "status": "potential", "version": "1"}
    response = client.post(url, data=pre(f"ce{second.id}", data), headers=HX)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Der er allerede et kerneelement med dette navn." in body
    assert f'id="core-{second.id}"' in body  # the edit form, in place
    db.session.refresh(second)
    assert second.name == "Makkerpar" and second.version == 1
    # Its own name in another case is no clash.
    data = {"name": "MAKKERPAR", "status": "potential", "version": "1"}
    response = client.post(url, data=pre(f"ce{second.id}", data), headers=HX)
    assert response.status_code == 200
    db.session.refresh(second)
    assert second.name == "MAKKERPAR"
    assert first.name == "Tæt kontakt"


def test_the_framework_template_skips_names_in_use_in_any_case_or_archived(client, login):
    org, user, intervention = setup()
    framework = [item["name"] for item in read("progression_framework.yaml")["core_elements"]]
    gen_core_element(intervention, name=framework[0].upper(), archived=True)
    gen_core_element(intervention, name=f" {framework[1].lower()} ", position=1)
    db.session.commit()
    login(user, org)
    assert (
        client.post(f"{base(intervention)}/kerneelementer/skabelon", headers=HX).status_code == 200
    )
    names = db.session.scalars(select(CoreElement.name)).all()
    assert len(names) == len(framework)
    keys = [n.strip().casefold() for n in names]
    assert len(set(keys)) == len(keys)


def test_a_phase_name_already_in_use_is_refused_on_create_and_rename(client, login):
    org, user, intervention = setup()
    opstart = gen_phase(intervention, name="Opstart")
    forloeb = gen_phase(intervention, name="Forløb", position=1)
    old = gen_phase(intervention, name="Afslutning", position=2)
    old.archived = True
    db.session.commit()
    login(user, org)
    url = f"{base(intervention)}/arbejdsgange/faser"
    response = client.post(url, data={"name": " opstart "}, headers=HX)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Der er allerede en fase med dette navn." in body and "<html" not in body
    response = client.post(url, data={"name": "AFSLUTNING"}, headers=HX)
    assert response.status_code == 422
    assert "Der er allerede en arkiveret fase med dette navn" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Phase)) == 3

    edit = f"{url}/{forloeb.id}/rediger"
    data = pre(f"phase{forloeb.id}", {"name": "OPSTART", "version": "1"})
    response = client.post(edit, data=data, headers=HX)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Der er allerede en fase med dette navn." in body and 'value="OPSTART"' in body
    db.session.refresh(forloeb)
    assert forloeb.name == "Forløb" and forloeb.version == 1
    data = pre(f"phase{forloeb.id}", {"name": "Forløbet", "version": "1"})
    assert client.post(edit, data=data, headers=HX).status_code == 200
    db.session.refresh(forloeb)
    assert forloeb.name == "Forløbet"
    data = pre(f"phase{opstart.id}", {"name": "Opstart ", "version": "1"})
    assert client.post(f"{url}/{opstart.id}/rediger", data=data, headers=HX).status_code == 200


@pytest.mark.parametrize("bad", ["2147483648", str(10**20), "0", "-1", "abc", ""])
def test_a_drag_naming_an_id_no_row_can_have_is_404_not_a_crash(client, login, bad):
    org, user, intervention = setup()
    a = gen_core_element(intervention, name="A", position=0)
    db.session.commit()
    login(user, org)
    for page in ("kerneelementer", "udviklingspunkter"):
        url = f"{base(intervention)}/{page}/raekkefoelge"
        response = client.post(url, data={"ids": [a.id, bad]}, headers=HX)
        assert response.status_code == 404, (page, bad)


def test_a_change_of_links_is_in_the_history(client, login):
    load_reference()
    org, user, intervention = setup()
    contact = gen_core_element(intervention, name="Tæt kontakt")
    pair = gen_core_element(intervention, name="Makkerpar", position=1)
    point = gen_point(intervention, title="Fast dagsorden")
    point.core_elements = [contact]
    db.session.commit()
    login(user, org)
    reflection, tailored = (
        db.session.scalars(select(PracticeElement).where(PracticeElement.number == n)).one()
        for n in (7, 9)
    )
    response = client.post(
        f"{base(intervention)}/udviklingspunkter/{point.id}/rediger",
        data=pre(
            f"dp{point.id}",
            {
                "title": "Fast dagsorden",
                "kind": "practice",
                "status": "proposed",
                "core_elements": [pair.id, contact.id],
                "practice_elements": [tailored.id, reflection.id],
                "version": str(point.version),
            },
        ),
        headers=HX,
    )
    assert response.status_code == 200
    page = client.get(f"{base(intervention)}/historik/udviklingspunkt/{point.id}")
    html = unescape(page.get_data(as_text=True))
    assert "Kerneelementer, det styrker" in html
    assert "Tæt kontakt" in html and "Tæt kontakt, Makkerpar" in html
    assert "7. Faglig refleksion, 9. Individuel tilrettelæggelse" in html


def test_a_change_of_links_alone_moves_the_version_so_a_stale_save_is_refused(client, login):
    org, user, intervention = setup()
    contact = gen_core_element(intervention, name="Tæt kontakt")
    pair = gen_core_element(intervention, name="Makkerpar", position=1)
    point = gen_point(intervention, title="Fast dagsorden")
    db.session.commit()
    drawn = str(point.version)
    login(user, org)
    url = f"{base(intervention)}/udviklingspunkter/{point.id}/rediger"
    fields = {"title": "Fast dagsorden", "kind": "practice", "status": "proposed"}
    # The leader ticks two core elements and saves: only links change.
    response = client.post(
        url,
        data=pre(
            f"dp{point.id}", {**fields, "core_elements": [contact.id, pair.id], "version": drawn}
        ),
        headers=HX,
    )
    assert response.status_code == 200
    db.session.refresh(point)
    assert str(point.version) != drawn
    # A colleague who opened the form before saves a text change: refused, not a quiet undo.
    response = client.post(
        url,
        data=pre(f"dp{point.id}", {**fields, "description": "Ny tekst", "version": drawn}),
        headers=HX,
    )
    assert response.status_code == 409
    db.session.refresh(point)
    assert [c.name for c in point.core_elements] == ["Tæt kontakt", "Makkerpar"]


def test_the_document_names_an_archived_core_element_of_a_point_as_archived(client, login):
    org, user, intervention = setup()
    language = gen_core_element(intervention, name="Fælles sprog", archived=True)
    point = gen_point(intervention, title="Fast dagsorden")
    point.core_elements = [language]
    db.session.commit()
    login(user, org)
    page = client.get(f"{base(intervention)}/indsatsbeskrivelse").get_data(as_text=True)
    assert "Kerneelementer: Fælles sprog (arkiveret)." in page


def test_a_renamed_phase_renames_its_new_step_button_too(client, login):
    org, user, intervention = setup()
    phase = gen_phase(intervention, "Opstart")
    db.session.commit()
    login(user, org)
    response = client.post(
        f"{base(intervention)}/arbejdsgange/faser/{phase.id}/rediger",
        data=pre(
            f"phase{phase.id}", {"name": "Opstart og visitation", "version": str(phase.version)}
        ),
        headers=HX,
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Fase: Opstart og visitation" in html
    assert f'<summary id="step-new-label-{phase.id}"' in html and 'hx-swap-oob="true"' in html
    assert "Nyt trin i Opstart og visitation" in html


def test_a_reordered_element_is_shown_as_moved_and_counted_so(client, login):
    org, user, intervention = setup()
    gen_core_element(intervention, name="Tæt kontakt", why="Fordi", position=0)
    pair = gen_core_element(intervention, name="Makkerpar", why="Sammen", position=1)
    db.session.commit()
    login(user, org)
    url = f"{base(intervention)}/indsatsbeskrivelse"
    assert client.post(f"{url}/versioner", data={"note": "Første"}).status_code == 302
    client.post(
        f"{base(intervention)}/kerneelementer/{pair.id}/flyt",
        data={"direction": "up"},
        headers=HX,
    )
    page = unescape(client.get(url).get_data(as_text=True))
    # A move is a change: the draft is not "the same as version 1".
    assert "Ændringer siden version 1: 0 tilføjet, 0 fjernet, 0 ændret, 2 flyttet." in page
    assert "↕ Flyttet:</span> Makkerpar [Potentielt]" in page
