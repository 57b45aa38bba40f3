"""Pages issue a constant number of SQL queries, however much data there is."""

from datetime import date

import pytest

from improvement.extensions import db
from tests.cases.helpers import gen_case
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


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ("", {}),
        ("?side=2", {}),
        ("?side=3", {"HX-Request": "true"}),
        ("?side=99", {}),
        ("?mine=1", {}),
        ("?mine=1&side=2", {"HX-Request": "true"}),
    ],
)
def test_case_list_queries_do_not_grow_with_cases(client, login, query, headers):
    """Two cases or three pages of them, any page, filtered or not: the same statements."""
    org = gen_org()
    leader = gen_user(org)
    intervention = _grow(org, interventions=1, members=2)[0]
    gen_member(intervention, leader)
    for n in range(2):
        gen_case(intervention, f"SP-{n:03d}", practitioner_id=leader.id)
    db.session.commit()
    login(leader, org)
    url = f"/indsatser/{intervention.id}/forloeb{query}"
    client.get(url, headers=headers)  # warm caches
    with count_queries() as small:
        assert client.get(url, headers=headers).status_code == 200
    for n in range(2, 140):
        gen_case(
            intervention,
            f"SP-{n:03d}",
            practitioner_id=leader.id if n % 2 else None,
            followups=[date(2026, 2, 1 + n % 28)],
        )
    db.session.commit()
    with count_queries() as large:
        assert client.get(url, headers=headers).status_code == 200
    assert len(large) == len(small), large
