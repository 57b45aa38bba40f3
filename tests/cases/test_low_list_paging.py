"""The low-ratings list of a large intervention comes in pages, in the order of cases,
phases and core elements, with or without the closed cases."""

import re
from datetime import date

from improvement.cases.views import LOW_PER_PAGE
from improvement.extensions import db
from tests.cases.helpers import gen_case, gen_rating

HX = {"HX-Request": "true", "HX-Target": "low-list"}


def _url(team, query=""):
    return f"/indsatser/{team.intervention.id}/kvalitet{query}"


def _rows(body: str) -> list[tuple[str, str, str]]:
    table = body.split('class="striped low-list"')[1].split("</table>")[0]
    cells = re.findall(
        r"<strong>([A-Z0-9-]+)</strong>.*?</td>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>",
        table,
        re.S,
    )
    return [(code, phase, element.replace("\u00ad", "")) for code, phase, element in cells]


def _world(team):
    """40 open cases LL-000..LL-039 with both core elements rated 2 in the first two
    phases (160 low cells), and 10 closed ones with one low cell each."""
    opstart, forloeb, _afslutning = team.phases
    for n in range(40):
        case = gen_case(team.intervention, f"LL-{n:03d}")
        for phase in (forloeb, opstart):  # saved out of order: the list orders them
            for element in reversed(team.elements):
                gen_rating(case, phase, element, 2, rater=team.practitioner)
    for n in range(10):
        case = gen_case(team.intervention, f"LC-{n:03d}", end_date=date(2026, 6, 1))
        gen_rating(case, opstart, team.elements[0], 1, rater=team.practitioner)
    db.session.commit()


def test_the_low_list_pages_in_the_course_order(client, login, team):
    _world(team)
    login(team.leader, team.org)
    body = client.get(_url(team)).get_data(as_text=True)
    rows = _rows(body)
    assert len(rows) == LOW_PER_PAGE == 50
    assert rows[:4] == [
        ("LL-000", "Opstart", "Tidlig tilstedeværelse"),
        ("LL-000", "Opstart", "Samspil i centrum"),
        ("LL-000", "Forløb", "Tidlig tilstedeværelse"),
        ("LL-000", "Forløb", "Samspil i centrum"),
    ]
    assert "viser 1–50 af 160, side 1 af 4" in body
    assert "Vis også 10 lave vurderinger i afsluttede forløb" in body

    # The pager swaps only the list; the last page holds the last ten cells.
    last = client.get(_url(team, "?side=4"), headers=HX)
    fragment = last.get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="low-list">') and "heat-map" not in fragment
    assert [r[0] for r in _rows(fragment)] == ["LL-037"] * 2 + ["LL-038"] * 4 + ["LL-039"] * 4
    assert "HX-Target" in last.headers["Vary"]


def test_closed_cases_join_the_list_and_the_pager_keeps_them(client, login, team):
    _world(team)
    login(team.leader, team.org)
    body = client.get(_url(team, "?lukkede=1")).get_data(as_text=True)
    assert "viser 1–50 af 170, side 1 af 4" in body
    assert [r[0] for r in _rows(body)][:10] == [f"LC-{n:03d}" for n in range(10)]
    pager = re.search(r'<nav class="pager.*?</nav>', body, re.S).group(0)
    links = re.findall(r'href="([^"]+)"', pager)
    assert links and all("lukkede=1" in link for link in links)
