"""Switching the case list between all cases and one's own keeps the search and the
filters and starts on page 1, on the page as first drawn and after the rows were
filtered again in place (the switch is sent out of band with the rows)."""

import html
import re
from urllib.parse import parse_qs, urlsplit

from tests.cases.test_case_filters import HX, _codes, _url, world  # noqa: F401

MINE = "Vis kun mine forløb"
ALL = "Vis alle"


def _link(body: str, text: str) -> dict:
    """The query of the link whose text starts with `text`, as a dict of single values."""
    for href, label in re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', body):
        if label.startswith(text):
            query = parse_qs(urlsplit(html.unescape(href)).query)
            return {key: values[0] for key, values in query.items()}
    raise AssertionError(f"no link {text!r}")


def _switch(body: str) -> str:
    """The switch between all and one's own cases."""
    return body.split('id="case-mine"')[1].split("</p>")[0]


def _switch_tag(body: str) -> str:
    """The switch's opening tag."""
    return re.search(r'<p [^>]*id="case-mine"[^>]*>', body).group(0)


def test_the_mine_link_keeps_the_search_and_filters_and_starts_on_page_1(
    client,
    login,
    world,  # noqa: F811
):
    login(world.practitioner, world.org)
    forloeb = world.phases[1].id
    body = client.get(_url(world, soeg="kf", status="aabne", fase=forloeb, side=2)).text
    assert _link(_switch(body), MINE) == {
        "mine": "1",
        "soeg": "kf",
        "status": "aabne",
        "fase": str(forloeb),
    }
    # Followed, it lists Birgitte's open cases in the phase whose code holds "kf".
    mine = client.get(_url(world, mine=1, soeg="kf", status="aabne", fase=forloeb)).text
    assert _codes(mine) == ["KF-2025-011"]
    assert 'value="kf"' in mine


def test_the_way_back_to_all_cases_keeps_them_too(client, login, world):  # noqa: F811
    login(world.practitioner, world.org)
    body = client.get(_url(world, mine=1, soeg="kf", status="aabne", side=2)).text
    assert _link(_switch(body), ALL) == {"soeg": "kf", "status": "aabne"}


def test_mine_takes_the_place_of_the_responsible_filter(client, login, world):  # noqa: F811
    # In one's own cases the responsible filter is not shown, so it is not kept: another
    # person's cases among one's own would be none, with no control to say why.
    login(world.practitioner, world.org)
    body = client.get(_url(world, soeg="kf", ansvarlig=world.colleague.id)).text
    assert _link(_switch(body), MINE) == {"mine": "1", "soeg": "kf"}
    # An address that still has it (typed, or from a bookmark) shows one's own cases.
    mine = client.get(_url(world, mine=1, soeg="kf", ansvarlig=world.colleague.id)).text
    assert _codes(mine) == ["KF-2025-011"]


def test_rows_filtered_in_place_bring_the_switch_with_the_new_filters(
    client,
    login,
    world,  # noqa: F811
):
    login(world.practitioner, world.org)
    rows = client.get(_url(world, soeg="ab", status="aabne"), headers=HX).text
    assert _codes(rows) == ["AB-7"]
    switch = _switch(rows)
    assert 'hx-swap-oob="true"' in _switch_tag(rows)
    assert _link(switch, MINE) == {"mine": "1", "soeg": "ab", "status": "aabne"}
    mine_rows = client.get(_url(world, mine=1, soeg="ab"), headers=HX).text
    assert _codes(mine_rows) == ["AB-7"]
    assert _link(_switch(mine_rows), ALL) == {"soeg": "ab"}


def test_the_switch_is_not_sent_out_of_band_with_the_whole_page(
    client,
    login,
    world,  # noqa: F811
):
    login(world.practitioner, world.org)
    body = client.get(_url(world, soeg="ab")).text
    assert body.count('id="case-mine"') == 1
    assert "hx-swap-oob" not in _switch_tag(body)


def test_a_search_kept_where_one_has_no_cases_says_one_has_none(client, login, world):  # noqa: F811
    login(world.leader, world.org)
    body = client.get(_url(world, mine=1, soeg="kf")).text
    assert "Du har ingen forløb her" in body
    assert "Ingen af de 0 forløb" not in body
    assert _link(_switch(body), ALL) == {"soeg": "kf"}
