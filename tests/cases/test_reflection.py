"""The reflection views: heat map, low ratings, practitioner pattern, outcome tables."""

import re
from datetime import UTC, date, datetime, timedelta
from random import Random

from sqlalchemy import select

from improvement.analysis.ratings import cell_counts, cells_within, low_ratings, rater_sums
from improvement.cases import service
from improvement.extensions import db
from improvement.models import Case, TeamMember
from tests.analysis.test_outcomes import SEED_002_CELLS
from tests.cases.helpers import gen_case, gen_rating
from tests.helpers import gen_user


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _table(html: str, table_id: str) -> str:
    start = html.index(f'id="{table_id}"')
    return _text(html[start : html.index("</table>", start)])


def test_heat_map_low_list_and_trend_from_hand_computed_ratings(client, login, team):
    opstart, forloeb, _ = team.phases
    contact, interplay = team.elements
    other = gen_case(team.intervention, "SP-2026-002", practitioner_id=team.colleague.id)
    case = team.case
    # Contact x Opstart: case 1 rated 2 then revised to 4 (only 4 counts), case 2 rated 3
    # -> mean (4 + 3) / 2 = 3.5, n = 2.
    gen_rating(case, opstart, contact, 2, date(2026, 1, 10), team.practitioner)
    gen_rating(case, opstart, contact, 4, date(2026, 4, 2), team.practitioner)
    gen_rating(other, opstart, contact, 3, date(2026, 2, 1), team.colleague)
    # Interplay x Opstart: 1 and 2 -> mean 1.5; both low.
    gen_rating(case, opstart, interplay, 1, date(2026, 1, 10), team.practitioner, "Aflyst")
    gen_rating(other, opstart, interplay, 2, date(2026, 2, 1), team.colleague)
    # Contact x Forløb: 5.
    gen_rating(case, forloeb, contact, 5, date(2026, 5, 20), team.practitioner)
    db.session.commit()
    login(team.leader, team.org)
    html = client.get(f"/indsatser/{team.intervention.id}/kvalitet").get_data(as_text=True)
    heat = _text(
        html[
            html.index('class="heat-map"') : html.index("</table>", html.index('class="heat-map"'))
        ]
    )
    assert "Tidlig tilstedeværelse 3,5 n = 2 5,0 n = 1 – n = 0" in heat
    assert "Samspil i centrum 1,5 n = 2 – n = 0 – n = 0" in heat
    low = _text(html[html.index('class="striped low-list"') :].split("</table>")[0])
    # The revised 2 is gone; the two low interplay cells are listed, with the comment.
    assert "SP-2026-001 Opstart Samspil i centrum 1 Aflyst" in low
    assert "SP-2026-002 Opstart Samspil i centrum 2" in low
    assert "Tidlig tilstedeværelse" not in low
    # Trend per quarter: the revised cell counts in 2026 K2 (its latest rating).
    trend = _text(html[html.index('class="trend"') :].split("</table>")[0])
    assert "2026 K1 2026 K2" in trend
    assert "Tidlig tilstedeværelse 3,0 (1) 4,5 (2)" in trend
    # Distribution: contact has one each of 3, 4, 5.
    dist = _text(html[html.index('class="distribution"') :].split("</table>")[0])
    assert "Tidlig tilstedeværelse 0 0 1 1 1 3 0 %" in dist
    assert "Samspil i centrum 1 1 0 0 0 2 100 %" in dist


def test_low_list_leaves_out_closed_cases_unless_asked(client, login, team):
    closed = gen_case(team.intervention, "SP-2025-009", end_date=date(2026, 3, 1))
    gen_rating(closed, team.phases[0], team.elements[0], 1, date(2026, 2, 1))
    db.session.commit()
    login(team.leader, team.org)
    url = f"/indsatser/{team.intervention.id}/kvalitet"
    html = client.get(url).get_data(as_text=True)
    assert "SP-2025-009" not in html
    assert "Vis også 1 lav vurdering i afsluttede forløb" in html
    assert "SP-2025-009" in client.get(url + "?lukkede=1").get_data(as_text=True)


def test_empty_quality_page_explains_itself(client, login, team):
    login(team.leader, team.org)
    html = client.get(f"/indsatser/{team.intervention.id}/kvalitet").get_data(as_text=True)
    assert "Ingen vurderinger endnu" in html


def _pattern(client, team, rater=None):
    url = f"/indsatser/{team.intervention.id}/kvalitet/moenster"
    return client.get(url if rater is None else f"{url}?behandler={rater.id}")


def test_practitioner_sees_own_pattern_against_the_team(client, login, team):
    other = gen_case(team.intervention, "SP-2026-002")
    gen_rating(team.case, team.phases[0], team.elements[0], 2, rater=team.practitioner)
    gen_rating(team.case, team.phases[1], team.elements[0], 3, rater=team.practitioner)
    gen_rating(other, team.phases[0], team.elements[0], 5, rater=team.colleague)
    db.session.commit()
    login(team.practitioner, team.org)
    response = _pattern(client, team)
    assert response.status_code == 200
    row = _text(response.get_data(as_text=True)).split("Tidlig tilstedeværelse", 2)[-1]
    # Own: (2 + 3) / 2 = 2.5 over 2 cells; team (2 + 3 + 5) / 3 = 3.3 over 3 -> -0.8.
    assert row.strip().startswith("2,5 2 3,3 3 −0,8")
    # Another practitioner's pattern is not theirs to see.
    assert _pattern(client, team, team.colleague).status_code == 403


def test_leader_sees_each_practitioners_pattern(client, login, team):
    gen_rating(team.case, team.phases[0], team.elements[0], 4, rater=team.colleague)
    db.session.commit()
    login(team.leader, team.org)
    response = _pattern(client, team, team.colleague)
    assert response.status_code == 200
    assert "Frederik Friiss mønster" in response.get_data(as_text=True)
    stranger = gen_user(team.org, role="practitioner")
    db.session.commit()
    assert _pattern(client, team, stranger).status_code == 404


def test_the_pattern_of_anyone_whose_ratings_count_can_be_opened(client, login, team):
    """A rating counts in the team's figures; whoever gave it, their pattern can be
    opened: a practitioner who has left the team, or someone who rated before only the
    team could."""
    partner = gen_user(team.org, role="partner", name="Pernille Pagh")
    gen_rating(team.case, team.phases[0], team.elements[0], 1, rater=partner)
    gen_rating(team.case, team.phases[1], team.elements[0], 5, rater=team.colleague)
    gen_rating(team.case, team.phases[2], team.elements[0], 3, rater=team.practitioner)
    db.session.delete(
        db.session.scalars(select(TeamMember).where(TeamMember.user_id == team.colleague.id)).one()
    )
    db.session.commit()
    login(team.leader, team.org)
    for person, own in ((partner, "1,0 1"), (team.colleague, "5,0 1")):
        response = _pattern(client, team, person)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert f"{person.name}s mønster" in html
        # Own mean and cells, then the team's over all three cells: (1 + 5 + 3) / 3 = 3.0.
        row = _text(html).split("Tidlig tilstedeværelse", 2)[-1]
        assert row.strip().startswith(f"{own} 3,0 3")
    # The picker: the team first, then the others, labelled.
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', html)
    assert options == [
        (str(team.practitioner.id), "Birgitte Bach"),
        (str(team.leader.id), "Lise Lund"),
        (str(team.colleague.id), "Frederik Friis (ikke i teamet)"),
        (str(partner.id), "Pernille Pagh (ikke i teamet)"),
    ]
    # Someone neither on the team nor with a rating has no pattern here.
    assert _pattern(client, team, team.evaluator).status_code == 404


def _seed_002_cases(team):
    """Seed 002's 51 coded cases and 95 closed without a discharge report, as case records."""
    n = 0
    for goal, grade, yes, no, not_described in SEED_002_CELLS:
        for reflection, times in (("yes", yes), ("no", no), ("not_described", not_described)):
            for _ in range(times):
                n += 1
                gen_case(
                    team.intervention,
                    f"RA-{n:03}",
                    start=date(2019, 1, 1),
                    end_date=date(2019, 12, 1),
                    goal_attainment=goal,
                    problem_grade=grade,
                    reflected_adjustment=reflection,
                )
    for _ in range(95):
        n += 1
        gen_case(
            team.intervention, f"RA-{n:03}", start=date(2019, 1, 1), end_date=date(2019, 12, 1)
        )
    db.session.commit()


def test_outcomes_reproduce_seed_002_table_3(client, login, team):
    _seed_002_cases(team)
    login(team.leader, team.org)
    html = client.get(f"/indsatser/{team.intervention.id}/resultater").get_data(as_text=True)
    table_3 = _table(html, "grade-table")
    # Seed 002, table 3 (problem grade x goal attainment, column percentages, half up).
    assert "I mål På vej Ikke i mål I alt" in table_3
    assert "Svær 6 (30 %) 5 (36 %) 7 (41 %) 18 (35 %)" in table_3
    assert "Mellem 4 (20 %) 8 (57 %) 7 (41 %) 19 (37 %)" in table_3
    assert "Let 10 (50 %) 1 (7 %) 3 (18 %) 14 (27 %)" in table_3
    assert "I alt 20 (100 %) 14 (100 %) 17 (100 %) 51 (100 %)" in table_3
    # Table 2: goal attainment, with the cases without an outcome counted separately.
    table_2 = _table(html, "goal-table")
    assert "I mål 20 39 %" in table_2
    assert "På vej 14 27 %" in table_2
    assert "Ikke i mål 17 33 %" in table_2
    assert "I alt 51 100 %" in table_2
    assert "Afsluttet uden kodet resultat (indgår ikke i procenterne) 95" in table_2
    # The open case of the fixture is counted apart, never silently dropped.
    assert "1 åbne forløb (indgår ikke i tabellerne)" in _text(html)
    adjustment = _table(html, "adjustment-table")
    assert "I alt 20 (100 %) 14 (100 %) 17 (100 %) 51 (100 %)" in adjustment
    # Table 5: A 8, B 8, C 4, D 22; 42 of the 51 placed, nine not (seed 002, lines 542-609).
    pattern = _table(html, "pattern-table")
    assert "Målopnåelse + A 8 alle sværhedsgrader B 8 lette problemer" in pattern
    assert "Målopnåelse − C 4 svære problemer D 22 alle sværhedsgrader" in pattern
    text = _text(html)
    assert "42 af 51 kodede forløb er placeret; 9 passer i ingen af cellerne." in text
    assert "95 afsluttede forløb mangler den kodning" in text


def test_outcome_tables_as_an_htmx_fragment(client, login, team):
    """An HTMX request renders only the page's block; the table macros must be inside it."""
    _seed_002_cases(team)
    login(team.leader, team.org)
    url = f"/indsatser/{team.intervention.id}/resultater"
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment
    assert "Svær 6 (30 %) 5 (36 %) 7 (41 %) 18 (35 %)" in _table(fragment, "grade-table")
    assert _table(fragment, "grade-table") == _table(
        client.get(url).get_data(as_text=True), "grade-table"
    )


def test_outcome_categories_table(client, login, team):
    from improvement.cases.service import categories_of
    from improvement.models import Case

    _seed_002_cases(team)
    first = categories_of(team.org.id)[0]
    coded = db.session.query(Case).filter(Case.goal_attainment == "achieved").first()
    coded.problem_categories = [first]
    db.session.commit()
    login(team.leader, team.org)
    html = client.get(f"/indsatser/{team.intervention.id}/resultater").get_data(as_text=True)
    # 1 of the 20 achieved cases has the category: 5 %; 1 of 51 overall: 2 %.
    assert f"{first.name} 1 (5 %) 0 (0 %) 0 (0 %) 1 (2 %)" in _table(html, "category-table")


def test_outcome_categories_count_only_the_organisations_own_on_closed_cases(client, login, team):
    """Edge cases of the counting in SQL, hand-counted: an archived category stays while a
    closed case carries it (even without an outcome), not while only an open case does; a
    linked category of another organisation is left out; open cases are not counted."""
    from improvement.cases.service import categories_of, ensure_categories
    from tests.helpers import gen_org

    active, open_only, closed_only = categories_of(team.org.id)[:3]
    other = gen_org("Syd")
    ensure_categories(other.id)
    foreign = categories_of(other.id)[0]
    closed = {"start": date(2019, 1, 1), "end_date": date(2019, 12, 1)}
    achieved = gen_case(
        team.intervention, "K-1", goal_attainment="achieved", problem_grade="severe", **closed
    )
    achieved.problem_categories = [active]
    missed = gen_case(
        team.intervention, "K-2", goal_attainment="not_achieved", problem_grade="mild", **closed
    )
    missed.problem_categories = [active, foreign]
    gen_case(team.intervention, "K-3", **closed).problem_categories = [closed_only]
    # An open case coded in the database: not in the tables.
    still_open = gen_case(team.intervention, "O-1", goal_attainment="achieved")
    still_open.problem_categories = [open_only]
    open_only.archived = closed_only.archived = True
    db.session.commit()
    login(team.leader, team.org)
    html = client.get(f"/indsatser/{team.intervention.id}/resultater").get_data(as_text=True)
    table = _table(html, "category-table")
    # Active: 1 of 1 achieved, 0 progressing (no base), 1 of 1 not achieved, 2 of 2.
    assert f"{active.name} 1 (100 %) 0 1 (100 %) 2 (100 %)" in table
    # Archived, on a closed case without an outcome: shown, counted nowhere.
    assert f"{closed_only.name} 0 (0 %) 0 0 (0 %) 0 (0 %)" in table
    assert open_only.name not in table
    # The other organisation's category (same seeded names, another id) adds no row and
    # no count: K-2 is counted once, under the organisation's own category.
    assert table.count(active.name) == 1
    assert "I alt 1 (100 %) 0 1 (100 %) 2 (100 %)" in table
    figures = _text(html[: html.index('id="goal-table"')])
    # 3 closed (2 with an outcome, 1 without); open: the fixture's case and O-1.
    assert "3 afsluttede forløb 2 med kodet målopnåelse 1 afsluttet uden kodet resultat" in (
        figures
    )
    assert "2 åbne forløb (indgår ikke i tabellerne)" in figures
    grade = _table(html, "grade-table")
    assert "Svær 1 (100 %) 0 0 (0 %) 1 (50 %)" in grade
    assert "Let 0 (0 %) 0 1 (100 %) 1 (50 %)" in grade


def test_outcomes_empty_state(client, login, team):
    login(team.leader, team.org)
    html = client.get(f"/indsatser/{team.intervention.id}/resultater").get_data(as_text=True)
    assert "Ingen afsluttede forløb endnu" in html


def test_cell_counts_in_sql_match_the_analysis_rule(team):
    """The heat map page counts in SQL; the rule it must follow is analysis.ratings'.
    Random revisions (same-time ones included, across a year end) give the same counts."""
    rng = Random(7)
    cases = [team.case] + [gen_case(team.intervention, f"SP-2026-1{n:02d}") for n in range(5)]
    start = datetime(2025, 11, 20, 10, tzinfo=UTC)
    for _ in range(120):
        rating = gen_rating(
            rng.choice(cases),
            rng.choice(team.phases),
            rng.choice(team.elements),
            rng.randint(1, 5),
            rater=rng.choice([team.practitioner, team.colleague]),
        )
        # Whole days only, so a cell's revisions often share a time and the later row wins.
        rating.rated_at = start + timedelta(days=rng.randint(0, 90))
    db.session.commit()
    every_revision = [
        {
            "case_id": r.case_id,
            "phase": r.phase_id,
            "core_element": r.core_element_id,
            "score": r.score,
            "rated_at": r.rated_at,
            "rater_id": r.rater_id,
        }
        for r in service.ratings_of_intervention(team.intervention)
    ]
    expected = cell_counts(every_revision)
    assert len({key[3] for key in expected}) == 2  # 2025 K4 and 2026 K1
    rows = service.latest_cell_rows(team.intervention)
    assert cells_within(rows) == expected
    assert not any(closed for *_key, closed, _n in rows)
    low = service.low_cells(team.intervention, 2, include_closed=True, offset=0, limit=1000)
    assert sorted((c.case_id, c.phase_id, c.core_element_id, c.score) for c in low) == sorted(
        (r.case_id, r.phase, r.core_element, r.score) for r in low_ratings(every_revision)
    )
    # The pattern page's sums, in SQL, are the pure rule's over every revision.
    for rater in (team.practitioner.id, team.colleague.id, team.leader.id):
        in_sql = service.rater_sums(team.intervention, rater)
        assert in_sql == sorted(rater_sums(every_revision, rater), key=lambda r: r.core_element)
    assert sum(r.team_count for r in in_sql) == sum(expected.values()) < 120


def test_a_rating_counts_in_the_quarter_of_its_danish_date(team):
    # 30 September 22:30 UTC is 1 October 00:30 in Copenhagen: the fourth quarter, as the
    # page shows its date; 23:30 on New Year's Eve UTC is already next year there.
    moments = [
        (team.phases[0], datetime(2026, 9, 30, 21, 30, tzinfo=UTC)),  # 23:30: still K3
        (team.phases[1], datetime(2026, 9, 30, 22, 30, tzinfo=UTC)),  # 00:30: K4
        (team.phases[2], datetime(2026, 12, 31, 23, 30, tzinfo=UTC)),  # 00:30: 2027 K1
    ]
    for phase, moment in moments:
        rating = gen_rating(team.case, phase, team.elements[0], 3, rater=team.practitioner)
        rating.rated_at = moment
    db.session.commit()
    counts = cells_within(service.latest_cell_rows(team.intervention))
    quarters = {phase: quarter for (_element, phase, _score, quarter) in counts}
    assert quarters == {
        team.phases[0].id: 2026 * 4 + 2,
        team.phases[1].id: 2026 * 4 + 3,
        team.phases[2].id: 2027 * 4 + 0,
    }


def test_outcomes_for_the_cases_closed_in_one_year(client, login, team):
    # Seed 002 reports the cases closed in 2018 and in 2019 apart.
    for n, (year, goal) in enumerate(
        [(2018, "achieved"), (2018, "not_achieved"), (2019, "achieved"), (2019, "achieved")]
    ):
        gen_case(
            team.intervention,
            f"AA-{n:03}",
            start=date(year, 1, 1),
            end_date=date(year, 12, 31),
            goal_attainment=goal,
            problem_grade="mild",
            reflected_adjustment="yes",
        )
    db.session.commit()
    login(team.leader, team.org)
    url = f"/indsatser/{team.intervention.id}/resultater"
    html = client.get(url).get_data(as_text=True)
    assert '<option value="2019"' in html and '<option value="2018"' in html
    assert "I alt 4 100 %" in _table(html, "goal-table")
    html = client.get(url, query_string={"aar": "2018"}).get_data(as_text=True)
    assert "Forløb afsluttet i 2018" in html
    goal = _table(html, "goal-table")
    assert "I mål 1 50 %" in goal and "Ikke i mål 1 50 %" in goal and "I alt 2 100 %" in goal
    # The open case of the fixture is still counted apart; a year with no cases is all.
    assert "1 åbne forløb" in _text(html)
    html = client.get(url, query_string={"aar": "1999"}).get_data(as_text=True)
    assert "I alt 4 100 %" in _table(html, "goal-table")


# Seed 002, table 4 (lines 454-472): cases per goal group whose journal describes each
# dimension of the professional alliance.
SEED_002_ALLIANCE = {
    "negative": {"achieved": 18, "progressing": 10, "not_achieved": 13},
    "positive": {"achieved": 13, "progressing": 11, "not_achieved": 9},
    "doubt": {"achieved": 15, "progressing": 7, "not_achieved": 8},
    "relationship": {"achieved": 14, "progressing": 9, "not_achieved": 13},
}


def test_outcomes_reproduce_seed_002_table_4_of_the_alliance(client, login, team):
    _seed_002_cases(team)
    coded = db.session.scalars(
        select(Case).where(Case.goal_attainment.is_not(None)).order_by(Case.code)
    ).all()
    by_goal = {g: [c for c in coded if c.goal_attainment == g] for g in SEED_002_ALLIANCE["doubt"]}
    keys = {c.id: [] for c in coded}
    for dimension, counts in SEED_002_ALLIANCE.items():
        for goal, n in counts.items():
            for case in by_goal[goal][:n]:
                keys[case.id].append(dimension)
    for case in coded:
        case.alliance = " ".join(keys[case.id])
    db.session.commit()
    login(team.leader, team.org)
    html = client.get(f"/indsatser/{team.intervention.id}/resultater").get_data(as_text=True)
    table_4 = _table(html, "alliance-table")
    assert "Negative alliancebeskrivelser 18 (90 %) 10 (71 %) 13 (76 %) 41 (80 %)" in table_4
    assert "Positive alliancebeskrivelser 13 (65 %) 11 (79 %) 9 (53 %) 33 (65 %)" in table_4
    assert "Professionel tvivl 15 (75 %) 7 (50 %) 8 (47 %) 30 (59 %)" in table_4
    assert "Relationsarbejde 14 (70 %) 9 (64 %) 13 (76 %) 36 (71 %)" in table_4
    assert "I alt 20 (100 %) 14 (100 %) 17 (100 %) 51 (100 %)" in table_4
