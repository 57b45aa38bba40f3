"""Pages issue a constant number of SQL queries, however much data there is."""

import pytest

from improvement.extensions import db
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.querycount import count_queries


def _grow(org, interventions: int, members: int):
    users = [gen_user(org, role="practitioner") for _ in range(members)]
    created = []
    for _ in range(interventions):
        intervention = gen_intervention(org)
        for user in users:
            gen_member(intervention, user)
        created.append(intervention)
    db.session.commit()
    return created


@pytest.mark.parametrize(
    "path",
    ["/indsatser", "/indsatser?arkiv=1", "/indsatser/{first}"],
)
def test_page_queries_do_not_grow_with_data(client, login, path):
    org = gen_org()
    leader = gen_user(org)
    first = _grow(org, interventions=2, members=2)[0]
    login(leader, org)
    url = path.format(first=first.id)
    client.get(url)  # warm caches
    with count_queries() as small:
        assert client.get(url).status_code == 200
    _grow(org, interventions=8, members=6)
    for user in [gen_user(org) for _ in range(5)]:
        gen_member(first, user)
    db.session.commit()
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), large
