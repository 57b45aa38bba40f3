"""The case list in pages of 50: order, page links that keep the filter, HTMX fragments,
out-of-range and malformed page numbers, and key figures over every case, not the page."""

import re
from datetime import timedelta

import pytest

from improvement import clock
from improvement.cases.views import CASES_PER_PAGE
from improvement.extensions import db
from tests.cases.helpers import gen_case

HX = {"HX-Request": "true"}


@pytest.fixture
def many(team):
    """121 cases: the fixture's open SP-2026-001 and PG-000..PG-119, every fourth closed,
    the colleague responsible for every third. Returns the codes in list order."""
    today = clock.today()
    for n in range(120):
        gen_case(
            team.intervention,
            f"PG-{n:03d}",
            start=today - timedelta(days=30),
            end_date=today - timedelta(days=1) if n % 4 == 0 else None,
            practitioner_id=team.colleague.id if n % 3 == 0 else team.practitioner.id,
        )
    db.session.commit()
    open_codes = [f"PG-{n:03d}" for n in range(120) if n % 4] + ["SP-2026-001"]
    closed_codes = [f"PG-{n:03d}" for n in range(120) if n % 4 == 0]
    return open_codes + closed_codes


def _url(team, query=""):
    return f"/indsatser/{team.intervention.id}/forloeb{query}"


def _rows(body: str) -> list[str]:
    table = body.split('id="case-table"')[1].split("</table>")[0]
    return re.findall(r"<strong>([A-Z0-9-]+)</strong>", table)


def _pager(body: str) -> str:
    return re.search(r'<nav class="pager.*?</nav>', body, re.S).group(0)


def test_pages_hold_every_case_once_in_list_order(client, login, team, many):
    login(team.leader, team.org)
    seen = []
    for page in (1, 2, 3):
        query = f"?side={page}" if page > 1 else ""
        response = client.get(_url(team, query))
        assert response.status_code == 200
        seen += _rows(response.get_data(as_text=True))
    assert seen == many
    assert CASES_PER_PAGE == 50


def test_first_page_shows_the_total_and_links_on(client, login, team, many):
    login(team.leader, team.org)
    body = client.get(_url(team)).get_data(as_text=True)
    assert len(_rows(body)) == 50
    assert "121 forløb · viser 1–50, side 1 af 3" in body
    pager = _pager(body)
    assert "Side 1 af 3" in pager
    assert 'aria-current="page"' in pager
    assert f'href="{_url(team, "?side=2")}"' in pager  # next, and page 2
    assert 'rel="prev"' not in pager


def test_last_page_has_the_rest_and_no_next(client, login, team, many):
    login(team.leader, team.org)
    body = client.get(_url(team, "?side=3")).get_data(as_text=True)
    assert _rows(body) == many[100:]
    assert "viser 101–121, side 3 af 3" in body
    pager = _pager(body)
    assert 'rel="next"' not in pager
    assert f'href="{_url(team, "?side=2")}" ' in pager and 'rel="prev"' in pager
    assert f'href="{_url(team)}"' in pager  # page 1 is the list's plain address


def test_page_past_the_end_shows_the_last_page(client, login, team, many):
    login(team.leader, team.org)
    for query in ("?side=4", "?side=999999", "?side=" + "9" * 40):
        response = client.get(_url(team, query))
        assert response.status_code == 200
        assert _rows(response.get_data(as_text=True)) == many[100:]


@pytest.mark.parametrize("side", ["0", "-1", "abc", "1.5", "+2", " 2", "2_0", "٣", ""])
def test_malformed_page_number_is_a_clear_400(client, login, team, many, side):
    login(team.leader, team.org)
    response = client.get(_url(team), query_string={"side": side})
    assert response.status_code == 400
    assert "Sidetallet skal være et helt tal fra 1 og op" in response.get_data(as_text=True)
    # Over HTMX the message goes to the page's message area, not into the list.
    response = client.get(_url(team), query_string={"side": side}, headers=HX)
    assert response.status_code == 400
    assert response.headers["HX-Retarget"] == "#messages"
    assert "Sidetallet skal være et helt tal fra 1 og op" in response.get_data(as_text=True)


def test_htmx_page_is_the_list_fragment_with_its_pager(client, login, team, many):
    login(team.leader, team.org)
    # The pager swaps only the rows (the search box above them keeps what is typed).
    headers = {**HX, "HX-Target": "case-results"}
    response = client.get(_url(team, "?side=2"), headers=headers)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in body and '<div id="case-results">' in body
    # The count goes to the page's live region too, which stays while the rows swap.
    assert body.lstrip().startswith(
        '<span id="case-announce" hx-swap-oob="innerHTML">121 forløb</span>'
    )
    assert "key-figures" not in body and "case-filters" not in body
    assert _rows(body) == many[50:100]
    pager = _pager(body)
    assert "Side 2 af 3" in pager
    # Page links swap the list in place and keep the address bar in step.
    assert f'hx-get="{_url(team, "?side=3")}"' in pager
    assert 'hx-target="#case-results"' in pager and 'hx-push-url="true"' in pager
    assert "HX-Target" in response.headers["Vary"]
    # Any other HTMX request for the list gets the whole section.
    body = client.get(_url(team, "?side=2"), headers=HX).get_data(as_text=True)
    assert body.lstrip().startswith('<section id="cases">')


def test_mine_filter_pages_and_its_links_keep_it(client, login, team, many):
    # The colleague is responsible for PG-000, PG-003, ... : 40 cases, one page.
    login(team.colleague, team.org)
    body = client.get(_url(team, "?mine=1")).get_data(as_text=True)
    assert len(_rows(body)) == 40
    assert '<nav class="pager' not in body  # one page: no pager
    assert "Vis alle 121 forløb" in body
    # The practitioner has the other 80 (and SP-2026-001): two pages, links keep mine=1.
    login(team.practitioner, team.org)
    body = client.get(_url(team, "?mine=1&side=2")).get_data(as_text=True)
    mine = [code for code in many if code == "SP-2026-001" or int(code[3:]) % 3]
    assert _rows(body) == mine[50:]
    pager = _pager(body)
    assert "Side 2 af 2" in pager
    assert all("mine=1" in link for link in re.findall(r'href="([^"]+)"', pager))


def test_key_figures_and_overdue_list_cover_every_page(client, login, team, many):
    today = clock.today()
    # Overdue, and sorted last among the open cases: not on page 1.
    gen_case(team.intervention, "ZZ-001", start=today - timedelta(days=200))
    db.session.commit()
    login(team.leader, team.org)
    body = client.get(_url(team)).get_data(as_text=True)
    assert "ZZ-001" not in _rows(body)
    figures = re.findall(r'class="key-value">([^<]+)<', body)
    assert figures[:2] == ["92", "30"]  # open (90 + SP + ZZ) and closed, over all pages
    overdue = body.split("overdue-list")[1].split("</ul>")[0]
    assert "ZZ-001" in overdue


def test_refused_new_case_keeps_the_page_and_filter(client, login, team, many):
    login(team.practitioner, team.org)
    body = client.get(_url(team, "?mine=1&side=2")).get_data(as_text=True)
    post_url = re.search(r'<form hx-post="([^"]+)"', body).group(1).replace("&amp;", "&")
    assert "mine=1" in post_url and "side=2" in post_url
    response = client.post(post_url, data={"code": "Anna", "start_date": "2026-03-01"}, headers=HX)
    assert response.status_code == 422
    assert "Side 2 af 2" in _pager(response.get_data(as_text=True))


def test_new_case_is_shown_on_its_page(client, login, team, many):
    login(team.practitioner, team.org)
    response = client.post(
        _url(team),
        data={"code": "PG-9999", "start_date": clock.today().isoformat()},
        headers=HX,
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    # Open, and after PG-119 in code order: the 91st case, so page 2.
    assert "Side 2 af 3" in _pager(body)
    assert re.search(r'class="just-created">\s*<td><a [^>]+><strong>PG-9999<', body)
    assert response.headers["HX-Push-Url"] == _url(team, "?side=2")


def test_long_overdue_list_shows_the_longest_overdue_and_links_the_rest(client, login, team):
    today = clock.today()
    for n in range(10):  # OD-000 is the longest overdue; the team's own case is overdue too
        gen_case(team.intervention, f"OD-{n:03d}", start=today - timedelta(days=4000 - n))
    db.session.commit()
    login(team.leader, team.org)
    body = client.get(_url(team)).get_data(as_text=True)
    shown, more = body.split('class="overdue-more"')
    shown = shown.split('class="overdue-list"')[1]
    assert re.findall(r"OD-\d+", shown) == [f"OD-{n:03d}" for n in range(8)]
    # The rest are not written into every page: a link lists them all, filtered.
    link = re.search(r'<a href="([^"]+)">Vis alle 11 forsinkede</a>', more).group(1)
    assert link == _url(team, "?status=forsinkede#case-results")
    listed = client.get(link.split("#")[0]).get_data(as_text=True)
    assert sorted(_rows(listed)) == sorted([f"OD-{n:03d}" for n in range(10)] + ["SP-2026-001"])
