"""A heat map cell opened: the cases behind one core element in one phase, counted as the
heat map counts them (each case's latest rating), the lowest first, in pages."""

import re
from datetime import date

from improvement.analysis.ratings import cells_and_facts, cells_within, mean_of_scores
from improvement.extensions import db
from tests.cases.helpers import gen_case, gen_core_element, gen_phase, gen_rating
from tests.helpers import gen_intervention

HX = {"HX-Request": "true", "HX-Target": "cell-cases"}


def _url(team, element, phase, query=""):
    return (
        f"/indsatser/{team.intervention.id}/kvalitet/kerneelementer/{element.id}"
        f"/faser/{phase.id}{query}"
    )


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("\u00ad", "").split())


def _summary(html: str) -> str:
    """The text of the cell's numbers: mean, n and the count per rating."""
    start = html.index('class="cell-summary"')
    return _text(html[html.index(">", start) + 1 : html.index("</ol>", start)])


def _rows(html: str) -> list[tuple[str, str]]:
    """(case code, rating) per row of the cell's case table."""
    table = html.split('class="striped low-list"')[1].split("</table>")[0]
    return re.findall(r"<strong>([A-Z0-9-]+)</strong>.*?class=\"swatch score-(\d)\"", table, re.S)


def _cell_world(team):
    """Tidlig tilstedeværelse × Opstart: four cases whose latest ratings are 1, 2, 4, 5 ->
    mean (1 + 2 + 4 + 5) / 4 = 3.0, n = 4. CC-3 was rated 2 first and later 5: only the 5
    counts. A rating in another phase and one of another core element stay out."""
    opstart, forloeb, _ = team.phases
    tidlig, samspil = team.elements
    a = gen_case(team.intervention, "CC-1")
    gen_rating(a, opstart, tidlig, 2, comment="Forældrene aflyste to gange.")
    b = gen_case(team.intervention, "CC-2")
    gen_rating(b, opstart, tidlig, 4)
    c = gen_case(team.intervention, "CC-3")
    gen_rating(c, opstart, tidlig, 2, day=date(2026, 2, 1))
    gen_rating(c, opstart, tidlig, 5, day=date(2026, 3, 1))
    d = gen_case(team.intervention, "CC-4", end_date=date(2026, 6, 1))
    gen_rating(d, opstart, tidlig, 1)
    gen_rating(d, forloeb, tidlig, 1)
    gen_rating(a, opstart, samspil, 1)
    db.session.commit()


def test_the_cell_lists_its_cases_lowest_first_with_the_heat_maps_mean(client, login, team):
    _cell_world(team)
    opstart = team.phases[0]
    tidlig = team.elements[0]
    login(team.practitioner, team.org)
    response = client.get(_url(team, tidlig, opstart))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = _text(html)
    assert "Tidlig tilstedeværelse" in text and "Fase: Opstart" in text
    assert _summary(html).startswith("3,0 n = 4")
    # One case per score 1, 2, 4 and 5, none with 3.
    assert (
        "1 Slet ikke arbejdet med 1 2 I mindre grad arbejdet med 1 3 I nogen grad arbejdet med 0"
        " 4 I høj grad arbejdet med 1 5 I meget høj grad arbejdet med 1"
    ) in text
    assert _rows(html) == [("CC-4", "1"), ("CC-1", "2"), ("CC-2", "4"), ("CC-3", "5")]
    assert "CC-4 (afsluttet)" in text
    assert "Forældrene aflyste to gange." in text


def test_each_heat_map_cell_opens_its_own_cases(client, login, team):
    _cell_world(team)
    login(team.leader, team.org)
    html = client.get(f"/indsatser/{team.intervention.id}/kvalitet").get_data(as_text=True)
    heat = html[html.index('class="heat-map"') : html.index("</table>", html.index("heat-map"))]
    links = re.findall(r'class="heat-link" href="([^"]+)" aria-label="([^"]+)"', heat)
    # Rated cells only: Tidlig × Opstart, Tidlig × Forløb and Samspil × Opstart.
    assert [label for _href, label in links] == [
        "Tidlig tilstedeværelse, Opstart: gennemsnit 3,0, 4 forløb – vis forløbene",
        "Tidlig tilstedeværelse, Forløb: gennemsnit 1,0, 1 forløb – vis forløbene",
        "Samspil i centrum, Opstart: gennemsnit 1,0, 1 forløb – vis forløbene",
    ]
    opened = client.get(links[1][0])
    assert opened.status_code == 200
    assert _rows(opened.get_data(as_text=True)) == [("CC-4", "1")]


def test_a_cell_with_no_ratings_says_so(client, login, team):
    login(team.leader, team.org)
    html = client.get(_url(team, team.elements[1], team.phases[2])).get_data(as_text=True)
    assert "– n = 0" in _text(html)
    assert "Intet forløb har endnu en vurdering af dette kerneelement i denne fase." in html


def test_a_phase_or_core_element_of_another_intervention_is_not_found(client, login, team):
    other = gen_intervention(team.org, name="Familiegruppe")
    foreign_phase = gen_phase(other, "Opstart")
    foreign_element = gen_core_element(other, "Gruppeforløb")
    db.session.commit()
    login(team.leader, team.org)
    assert client.get(_url(team, team.elements[0], foreign_phase)).status_code == 404
    assert client.get(_url(team, foreign_element, team.phases[0])).status_code == 404


def test_a_large_cell_comes_in_pages_and_the_pager_swaps_the_list(client, login, team):
    opstart = team.phases[0]
    tidlig = team.elements[0]
    # 60 cases: CL-000..CL-029 rated 3, CL-030..CL-059 rated 1 -> the 1s come first.
    for n in range(60):
        case = gen_case(team.intervention, f"CL-{n:03d}")
        gen_rating(case, opstart, tidlig, 3 if n < 30 else 1)
    db.session.commit()
    login(team.leader, team.org)
    html = client.get(_url(team, tidlig, opstart)).get_data(as_text=True)
    rows = _rows(html)
    assert len(rows) == 50
    assert rows[0] == ("CL-030", "1") and rows[29] == ("CL-059", "1") and rows[30][1] == "3"
    assert "viser 1–50 af 60, side 1 af 2" in html

    page2 = client.get(_url(team, tidlig, opstart, "?side=2"), headers=HX)
    fragment = page2.get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="cell-cases">')
    assert "cell-summary" not in fragment
    assert [code for code, _score in _rows(fragment)] == [f"CL-{n:03d}" for n in range(20, 30)]
    assert "HX-Target" in page2.headers["Vary"]


def test_mean_of_scores_rounds_as_the_heat_map():
    assert mean_of_scores({1: 1, 2: 1, 4: 1, 5: 1}) == 3.0  # 12 / 4
    assert mean_of_scores({2: 3, 3: 1}) == 2.3  # 9 / 4 = 2.25, half up
    assert mean_of_scores({2: 2, 3: 1}) == 2.3  # 7 / 3 = 2.33…
    assert mean_of_scores({}) is None


def test_cells_within_keeps_the_open_cases_and_the_year_asked_for():
    q2026_1, q2025_4, q2026_2 = 2026 * 4, 2025 * 4 + 3, 2026 * 4 + 1
    rows = [
        ("e", "p", 2, q2026_1, False, 3),
        ("e", "p", 4, q2025_4, True, 2),
        ("e", "q", 5, q2026_2, True, 1),
    ]
    assert cells_within(rows) == {
        ("e", "p", 2, q2026_1): 3,
        ("e", "p", 4, q2025_4): 2,
        ("e", "q", 5, q2026_2): 1,
    }
    assert cells_within(rows, open_only=True) == {("e", "p", 2, q2026_1): 3}
    assert cells_within(rows, year=2026) == {("e", "p", 2, q2026_1): 3, ("e", "q", 5, q2026_2): 1}
    assert cells_within(rows, open_only=True, year=2025) == {}


def test_cells_and_facts_counts_every_cell_the_years_and_the_closed_low_cells_at_once():
    rows = [
        ("e", "p", 2, 2026 * 4, False, 3),  # open, low
        ("e", "p", 1, 2025 * 4 + 3, True, 2),  # closed, low: 2
        ("e", "q", 5, 2024 * 4 + 1, True, 1),  # closed, not low
        ("e", "q", 2, 2024 * 4 + 1, True, 4),  # closed, low: 4
    ]
    counts, years, closed_low = cells_and_facts(rows, threshold=2)
    assert counts == cells_within(rows)
    assert years == [2026, 2025, 2024]
    assert closed_low == 2 + 4


def _filter_world(team):
    """Tidlig × Opstart: an open case rated 2 in 2026 and a closed one rated 4 in 2025 ->
    all 3,0 (n = 2); open cases 2,0; 2025 4,0."""
    opstart, tidlig = team.phases[0], team.elements[0]
    gen_rating(gen_case(team.intervention, "FO-1"), opstart, tidlig, 2, day=date(2026, 3, 2))
    closed = gen_case(team.intervention, "FC-1", start=date(2025, 1, 6), end_date=date(2025, 12, 1))
    gen_rating(closed, opstart, tidlig, 4, day=date(2025, 11, 3))
    db.session.commit()


def _heat_text(html: str) -> str:
    return _text(
        html[html.index('class="heat-map"') : html.index("</table>", html.index("heat-map"))]
    )


def test_the_heat_map_counts_the_open_cases_or_one_years_ratings_when_asked(client, login, team):
    _filter_world(team)
    login(team.leader, team.org)
    url = f"/indsatser/{team.intervention.id}/kvalitet"
    html = client.get(url).get_data(as_text=True)
    assert "Tidlig tilstedeværelse 3,0 n = 2" in _heat_text(html)
    assert re.findall(r'<option value="(\d{4})"', html) == ["2026", "2025"]

    html = client.get(f"{url}?aabne=1").get_data(as_text=True)
    assert "Tidlig tilstedeværelse 2,0 n = 1" in _heat_text(html)
    assert "Kun åbne forløb</strong>" in html
    assert "Valget øverst på siden afgrænser ikke denne liste." in html
    # The cell opens the cases the filter counted, and says which.
    link = re.search(r'class="heat-link" href="([^"]+)"', html).group(1)
    assert link.endswith("?aabne=1")
    cell = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert _rows(cell) == [("FO-1", "2")]
    assert _summary(cell).startswith("2,0 n = 1") and "Kun åbne forløb" in cell
    # A choice no case in the cell matches says so, not that the cell has no ratings.
    empty = client.get(link.replace("?aabne=1", "?aabne=1&aar=1999")).get_data(as_text=True)
    assert "Intet forløb i cellen passer til valget ovenfor." in empty
    assert "har endnu en vurdering" not in empty

    html = client.get(f"{url}?aar=2025").get_data(as_text=True)
    assert "Tidlig tilstedeværelse 4,0 n = 1" in _heat_text(html)
    assert "Seneste vurdering i 2025</strong>" in html
    html = client.get(f"{url}?aabne=1&aar=2025").get_data(as_text=True)
    assert "Tidlig tilstedeværelse – n = 0" in _heat_text(html)
    assert "Ingen vurderinger passer" in html

    # A year without ratings, or no year at all, is no filter.
    for odd in ("1999", "abc", "20260"):
        html = client.get(f"{url}?aar={odd}").get_data(as_text=True)
        assert "Tidlig tilstedeværelse 3,0 n = 2" in _heat_text(html), odd
        assert "print-context-year" not in html
