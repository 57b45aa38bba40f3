"""A drag after someone else's change (409 with the saved order), and each development
point's link to its tests of change."""

import re

import pytest
from sqlalchemy import select

from improvement.extensions import db
from improvement.models import CoreElement, DevelopmentPoint
from tests.description.factories import gen_core_element, gen_point
from tests.helpers import gen_intervention, gen_org, gen_user
from tests.pdsa.factories import gen_cycle
from tests.querycount import count_queries

HX = {"HX-Request": "true"}
CHANGED = "Listen er ændret af en anden i mellemtiden. Her er den gemte rækkefølge; flyt igen."

LISTS = {
    "kerneelementer": (CoreElement, lambda i, n, p: gen_core_element(i, name=n, position=p)),
    "udviklingspunkter": (DevelopmentPoint, lambda i, n, p: gen_point(i, title=n, position=p)),
}


def setup():
    org = gen_org("Nord")
    user = gen_user(org, name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    db.session.commit()
    return org, user, intervention


def saved_order(model):
    return [r.id for r in db.session.scalars(select(model).order_by(model.position, model.id))]


def shown_order(body, prefix):
    return [int(i) for i in re.findall(rf'<li id="{prefix}-(\d+)"', body)]


@pytest.mark.parametrize("page", list(LISTS))
def test_drag_after_someone_added_one_is_409_with_the_saved_order(client, login, page):
    model, gen = LISTS[page]
    org, user, intervention = setup()
    a, b = gen(intervention, "A", 0), gen(intervention, "B", 1)
    db.session.commit()
    login(user, org)
    # Tab B adds one while tab A still shows A, B; tab A drags B above A.
    c = gen(intervention, "C", 2)
    db.session.commit()
    url = f"/indsatser/{intervention.id}/{page}/raekkefoelge"
    response = client.post(url, data={"ids": [b.id, a.id]}, headers=HX)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert CHANGED in body and 'role="alert"' in body
    prefix = "core" if page == "kerneelementer" else "point"
    assert shown_order(body, prefix) == [a.id, b.id, c.id]  # the saved order, the new one too
    assert saved_order(model) == [a.id, b.id, c.id]  # nothing saved
    # Moved again on the list as it is now, the order is saved.
    response = client.post(url, data={"ids": [c.id, b.id, a.id]}, headers=HX)
    assert response.status_code == 200 and CHANGED not in response.get_data(as_text=True)
    assert saved_order(model) == [c.id, b.id, a.id]


def test_drag_after_someone_archived_a_core_element_is_409(client, login):
    org, user, intervention = setup()
    a, b = gen_core_element(intervention, "A", 0), gen_core_element(intervention, "B", 1)
    db.session.commit()
    login(user, org)
    b.archived = True
    db.session.commit()
    url = f"/indsatser/{intervention.id}/kerneelementer/raekkefoelge"
    response = client.post(url, data={"ids": [b.id, a.id]}, headers=HX)
    assert response.status_code == 409
    assert CHANGED in response.get_data(as_text=True)


@pytest.mark.parametrize("page", list(LISTS))
def test_a_foreign_id_in_a_drag_is_404(client, login, page):
    model, gen = LISTS[page]
    org, user, intervention = setup()
    a = gen(intervention, "A", 0)
    # Another intervention of the same organisation, and one of another organisation.
    sibling = gen(gen_intervention(org, name="Anden"), "S", 0)
    foreign = gen(gen_intervention(gen_org("Syd"), name="Fremmed"), "F", 0)
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{intervention.id}/{page}/raekkefoelge"
    for other in (sibling.id, foreign.id, 999999):
        response = client.post(url, data={"ids": [other, a.id]}, headers=HX)
        assert response.status_code == 404, other
        assert CHANGED not in response.get_data(as_text=True)
    # Nothing moved anywhere.
    assert db.session.get(model, foreign.id).position == 0


def test_each_point_links_to_its_tests_with_their_number(client, login):
    org, user, intervention = setup()
    tested = gen_point(intervention, title="Fast dagsorden", position=0)
    untested = gen_point(intervention, title="Fælles sprog", position=1)
    for _ in range(3):
        gen_cycle(tested)
    db.session.commit()
    login(user, org)
    body = client.get(f"/indsatser/{intervention.id}/udviklingspunkter").get_data(as_text=True)
    base = f"/indsatser/{intervention.id}/udvikling"
    assert f'<a href="{base}/{tested.id}">Prøvehandlinger (3)</a>' in body
    assert f'<a href="{base}/{untested.id}">Prøvehandlinger (0)</a>' in body
    # The fragment a save answers with has them too.
    response = client.post(
        f"/indsatser/{intervention.id}/udviklingspunkter/raekkefoelge",
        data={"ids": [untested.id, tested.id]},
        headers=HX,
    )
    assert "Prøvehandlinger (3)" in response.get_data(as_text=True)


def test_point_page_queries_do_not_grow_with_points_and_tests(client, login):
    org, user, intervention = setup()
    gen_cycle(gen_point(intervention, title="Første", position=0))
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{intervention.id}/udviklingspunkter"
    client.get(url)  # warm caches
    with count_queries() as small:
        assert client.get(url).status_code == 200
    for n in range(6):
        point = gen_point(intervention, title=f"Punkt {n}", position=n + 1)
        for _ in range(n):
            gen_cycle(point)
    db.session.commit()
    with count_queries() as large:
        body = client.get(url).get_data(as_text=True)
    assert body.count("Prøvehandlinger (") == 7
    assert len(large) == len(small), large
