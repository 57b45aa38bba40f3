"""The meetings list comes in pages, newest first: a team that meets every week has
hundreds of meetings after a few years."""

import re
from datetime import date, timedelta

from improvement.extensions import db
from improvement.pdsa.views import MEETINGS_PER_PAGE
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_meeting
from tests.querycount import count_queries


def _world(meetings: int):
    org = gen_org("Nord")
    leader = gen_user(org, role="leader")
    intervention = gen_intervention(org)
    gen_member(intervention, leader)
    first = date(2025, 1, 6)
    for n in range(meetings):
        gen_meeting(intervention, held_on=first + timedelta(weeks=n))
    db.session.commit()
    return org, leader, intervention


def _dates(body: str) -> list[str]:
    table = body.split('<table class="striped">')[1].split("</table>")[0]
    return re.findall(r'/moeder/\d+">([^<]+)</a>', table)


def test_meetings_page_newest_first(client, login):
    org, leader, intervention = _world(60)
    login(leader, org)
    url = f"/indsatser/{intervention.id}/moeder"
    body = client.get(url).get_data(as_text=True)
    dates = _dates(body)
    assert len(dates) == MEETINGS_PER_PAGE == 50
    assert dates[0] == "23. februar 2026"  # 59 weeks after 6 January 2025
    assert "viser 1–50 af 60, side 1 af 2" in body
    second = client.get(f"{url}?side=2", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert second.lstrip().startswith('<section id="meetings">')
    assert _dates(second)[-1] == "6. januar 2025" and len(_dates(second)) == 10
    # A page past the end shows the last one, as the other lists do.
    assert _dates(client.get(f"{url}?side=9").get_data(as_text=True)) == _dates(second)


def test_meetings_list_queries_do_not_grow(client, login):
    org, leader, intervention = _world(3)
    login(leader, org)
    url = f"/indsatser/{intervention.id}/moeder"
    client.get(url)
    with count_queries() as small:
        client.get(url)
    for n in range(80):
        gen_meeting(intervention, held_on=date(2027, 1, 1) + timedelta(days=n))
    db.session.commit()
    with count_queries() as large:
        client.get(url)
    assert len(large) == len(small)
