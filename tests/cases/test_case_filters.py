"""Finding a case in a long list: the search on the code and the filters on the
responsible practitioner, the status and the current phase; their links, paging and
query count."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import event

from improvement import clock
from improvement.cases.listing import CaseFilter
from improvement.extensions import db
from tests.cases.helpers import gen_case

HX = {"HX-Request": "true", "HX-Target": "case-results"}


@pytest.fixture
def world(team):
    """The fixture's SP-2026-001 (open, Birgitte, no phase) and six more:

    code         responsible  phase       status
    KF-2025-010  Frederik     Opstart     open, follow-up overdue (as SP-2026-001)
    KF-2025-011  Birgitte     Forløb      open
    KF-2025-012  nobody       Forløb      open
    KF-2026-020  Frederik     Afslutning  closed
    AB-7         Birgitte     Opstart     open
    AB-77        Frederik     Forløb      closed
    """
    today = clock.today()
    opstart, forloeb, afslutning = team.phases
    rows = [
        ("KF-2025-010", team.colleague, opstart, today - timedelta(days=200), None),
        ("KF-2025-011", team.practitioner, forloeb, today - timedelta(days=20), None),
        ("KF-2025-012", None, forloeb, today - timedelta(days=20), None),
        ("KF-2026-020", team.colleague, afslutning, today - timedelta(days=90), today),
        ("AB-7", team.practitioner, opstart, today - timedelta(days=10), None),
        ("AB-77", team.colleague, forloeb, today - timedelta(days=90), today),
    ]
    for code, person, phase, start, end in rows:
        gen_case(
            team.intervention,
            code,
            start=start,
            end_date=end,
            phase_id=phase.id,
            practitioner_id=person.id if person else None,
        )
    db.session.commit()
    return team


def _url(team, **args):
    query = "&".join(f"{key}={value}" for key, value in args.items())
    return f"/indsatser/{team.intervention.id}/forloeb" + (f"?{query}" if query else "")


def _codes(body: str) -> list[str]:
    if 'id="case-table"' not in body:
        return []
    table = body.split('id="case-table"')[1].split("</table>")[0]
    return re.findall(r"<strong>([A-Z0-9-]+)</strong>", table)


def _get(client, url) -> str:
    response = client.get(url, headers=HX)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_search_finds_a_code_by_any_part_dashes_and_case_aside(client, login, world):
    login(world.leader, world.org)
    assert _codes(_get(client, _url(world, soeg="2025"))) == [
        "KF-2025-010",
        "KF-2025-011",
        "KF-2025-012",
    ]
    # Typed without the dash and in lower case, the code is still found.
    assert _codes(_get(client, _url(world, soeg="kf2025011"))) == ["KF-2025-011"]
    assert _codes(_get(client, _url(world, soeg="ab-7"))) == ["AB-7", "AB-77"]
    body = _get(client, _url(world, soeg="ZZ"))
    assert _codes(body) == [] and "Intet forløb passer" in body
    assert "Ingen af de 7 forløb her passer til søgningen og filtrene." in body


def test_filters_on_responsible_status_and_phase_combine(client, login, world):
    login(world.leader, world.org)
    opstart, forloeb, _afslutning = world.phases
    frederik = world.colleague.id
    assert _codes(_get(client, _url(world, ansvarlig=frederik))) == [
        "KF-2025-010",
        "AB-77",
        "KF-2026-020",
    ]
    assert _codes(_get(client, _url(world, ansvarlig="ingen"))) == ["KF-2025-012"]
    assert _codes(_get(client, _url(world, status="afsluttede"))) == ["AB-77", "KF-2026-020"]
    # SP-2026-001 started in January and has had no follow-up: overdue too.
    assert _codes(_get(client, _url(world, status="forsinkede"))) == ["KF-2025-010", "SP-2026-001"]
    assert _codes(_get(client, _url(world, fase=forloeb.id, status="aabne"))) == [
        "KF-2025-011",
        "KF-2025-012",
    ]
    body = _get(client, _url(world, fase=opstart.id, ansvarlig=frederik, soeg="kf"))
    assert _codes(body) == ["KF-2025-010"]
    assert "1 af 7 forløb passer" in body


def test_the_key_figures_stay_those_of_the_whole_list(client, login, world):
    login(world.leader, world.org)
    body = client.get(_url(world, status="afsluttede")).get_data(as_text=True)
    figures = re.findall(r'class="key-value">([^<]+)<', body)
    assert figures[:2] == ["5", "2"]  # open and closed over all seven, not the two shown
    # The form shows what is filtered on; the responsible choices are the people who
    # have cases, by name, and "Ikke valgt".
    assert '<option value="afsluttede" selected>' in body
    form = body.split('class="case-filters')[1].split("</form>")[0]
    names = re.findall(r'<option value="\d+" *>([^<]+)</option>', form.split('id="case-status"')[0])
    assert names == ["Birgitte Bach", "Frederik Friis"]
    phases = re.findall(r'<option value="\d+" *>([^<]+)</option>', form.split('id="case-phase"')[1])
    assert phases == ["Opstart", "Forløb", "Afslutning"]


def test_values_that_name_nothing_are_ignored_not_an_error(client, login, world):
    login(world.leader, world.org)
    for query in ("status=alle", "fase=abc", "ansvarlig=-3", "fase=99999999999", "soeg="):
        body = _get(client, f"{_url(world)}?{query}")
        assert len(_codes(body)) == 7, query
    # A search longer than any code is cut, not refused.
    assert _codes(_get(client, _url(world, soeg="A" * 500))) == []
    flt = CaseFilter.from_args({"soeg": "  kf  ", "status": "x", "ansvarlig": "ingen"})
    assert flt.as_args() == {"soeg": "kf", "ansvarlig": "ingen"}


def test_pager_and_forms_keep_the_filter(client, login, world):
    for n in range(60):
        gen_case(world.intervention, f"MM-{n:03d}", practitioner_id=world.practitioner.id)
    db.session.commit()
    login(world.leader, world.org)
    body = _get(client, _url(world, soeg="mm"))
    assert "60 af 67 forløb passer" in body and "side 1 af 2" in body
    pager = re.search(r'<nav class="pager.*?</nav>', body, re.S).group(0)
    links = re.findall(r'href="([^"]+)"', pager)
    assert links and all("soeg=mm" in link for link in links)
    second = _get(client, _url(world, soeg="mm", side=2))
    assert _codes(second) == [f"MM-{n:03d}" for n in range(50, 60)]
    # The new-case form posts to the filtered list, so a refused form keeps it.
    page = client.get(_url(world, soeg="mm", side=2)).get_data(as_text=True)
    post_url = re.search(r'<form hx-post="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert "soeg=mm" in post_url and "side=2" in post_url


def test_a_new_case_is_shown_among_all_cases_whatever_the_filter(client, login, world):
    login(world.leader, world.org)
    response = client.post(
        _url(world, soeg="ZZ"),
        data={"code": "NY-1", "start_date": "2026-03-01"},
        headers={"HX-Request": "true"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "NY-1" in _codes(body) and len(_codes(body)) == 8


def test_filtering_adds_no_query_however_many_cases(app, client, login, world):
    login(world.leader, world.org)
    url = _url(world, soeg="kf", status="aabne", ansvarlig=world.colleague.id)

    def count() -> int:
        statements = []

        def before(_conn, _cursor, statement, *_args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
        return len(statements)

    small = count()
    for n in range(40):
        gen_case(world.intervention, f"KF-3000-{n:03d}", practitioner_id=world.colleague.id)
    db.session.commit()
    assert count() == small
    assert small == count()


def test_a_refused_new_case_keeps_the_search_typed_since_the_page_was_drawn(client, login, world):
    login(world.leader, world.org)
    # The page was drawn unfiltered; the search was typed after (only the rows redrew), so
    # the form's address does not know it, but the form sends the filter's fields along.
    response = client.post(
        _url(world),
        data={
            "code": "KF-2025-010",  # taken: refused
            "start_date": "2026-03-01",
            "soeg": "kf2025",
            "ansvarlig": "",
            "status": "aabne",
            "fase": "",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert _codes(body) == ["KF-2025-010", "KF-2025-011", "KF-2025-012"]
    assert 'name="soeg" value="kf2025"' in body
    assert '<option value="aabne" selected>' in body
