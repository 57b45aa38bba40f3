"""Selvevalueringsrunder and Selvevaluering – resultater: what the rounds list, the round
page and the result page say of each round, so an evaluator has it in the workbook.

Answer rows are deliberately not per person, so min–max and agreement cannot be rebuilt from
them: the result table is exported as the page shows it, figures withheld as the page
withholds them ("for få til at vise", "skjult"), never as the hidden number. Expectations
are worked out by hand from the answers below (I høj grad 100, I nogen grad 67, I mindre grad
33, Slet ikke 0, Ved ikke: no score).
"""

from datetime import UTC, datetime, timedelta
from io import BytesIO

from openpyxl import load_workbook

from improvement.extensions import db
from tests.assessments.helpers import answer_all, gen_respondent, gen_round, setup_team
from tests.exports.test_xlsx_strict import problems
from tests.helpers import gen_intervention, gen_org, gen_user
from tests.querycount import count_queries

ROUNDS = "Selvevalueringsrunder"
RESULTS = "Selvevaluering – resultater"
ROUNDS_HEADER = [
    "Indsats",
    "Runde",
    "Status",
    "Åbnet",
    "Lukket",
    "Spørgeskemaversion",
    "Udsagn",
    "Inviterede",
    "Inviterede pr. rolle",
    "Besvaret helt",
    "Besvaret delvist",
    "Ikke besvaret",
]
RESULTS_HEADER = [
    "Indsats",
    "Runde",
    "Element nr.",
    "Element",
    "n",
    "Kun »ved ikke«",
    "Score",
    "Min",
    "Maks",
    "Spredning",
    "Enighed",
    "Ledere",
    "Ledere, n",
    "Medarbejdere",
    "Medarbejdere, n",
    "Myndighed",
    "Myndighed, n",
    "Andre",
    "Andre, n",
]
TOO_FEW = "for få til at vise"
HIDDEN = "skjult"
# 9:00 UTC is 10:00 in Copenhagen in winter, 11:00 in summer (from 30 March 2025).
START = datetime(2025, 1, 6, 9, tzinfo=UTC)
# The shared instrument has four statements per element.
STATEMENTS = 44

# Autumn: a leader, three practitioners, a caseworker and one more invited who never
# answered. Element → answer to all its statements; the third practitioner left element 11
# out, the caseworker answered element 1 only.
ALL = range(1, 12)
AUTUMN = {
    "leader": ("leader", {**dict.fromkeys(ALL, "high"), 3: "some", 10: "dont_know"}),
    "p1": ("practitioner", {**dict.fromkeys(ALL, "some"), 2: "dont_know", 10: "dont_know"}),
    "p2": ("practitioner", {**dict.fromkeys(ALL, "little"), 3: "high"}),
    "p3": ("practitioner", {**dict.fromkeys(range(1, 11), "high"), 3: "some", 10: "dont_know"}),
    "caseworker": ("authority", {1: "none"}),
}


def _closed(intervention, instrument, name, opened, closed):
    round_ = gen_round(intervention, instrument, name, status="closed")
    round_.created_at, round_.closed_at = opened, closed
    return round_


def _world():
    """The autumn round above, a spring round with two practitioners and two caseworkers,
    and an open winter round. Returns (org, leader, intervention, instrument)."""
    org, intervention, instrument, users, _ = setup_team()
    users["p3"] = gen_user(org, role="practitioner", name="Frida Familie")
    users["olga"] = gen_user(org, role="practitioner", name="Olga Øvrig")
    users["cw2"] = gen_user(org, role="practitioner", name="Anne Myndighed")

    autumn = _closed(intervention, instrument, "Efterår", START, START + timedelta(days=60))
    for key, (role, values) in AUTUMN.items():
        answer_all(gen_respondent(autumn, users[key], role), instrument, values)
    gen_respondent(autumn, users["olga"], "other")

    spring = _closed(
        intervention,
        instrument,
        "Forår",
        START + timedelta(days=30),
        START + timedelta(days=90),
    )
    for key, role, values in [
        ("p1", "practitioner", {1: "high"}),
        ("p2", "practitioner", {1: "some"}),
        ("caseworker", "authority", {1: "little"}),
        ("cw2", "authority", {1: "little", 2: "dont_know"}),
    ]:
        answer_all(gen_respondent(spring, users[key], role), instrument, values)

    winter = gen_round(intervention, instrument, "Vinter")
    winter.created_at = START + timedelta(days=100)
    answer_all(gen_respondent(winter, users["leader"], "leader"), instrument, {1: "high"})
    db.session.commit()
    return org, users["leader"], intervention, instrument


def _download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.data


def _table(wb, sheet):
    rows = list(wb[sheet].iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_a_row_per_round_with_status_dates_version_and_who_answered(client, login):
    org, leader, intervention, instrument = _world()
    login(leader, org)
    wb = load_workbook(BytesIO(_download(client, f"/indsatser/{intervention.id}/eksport.xlsx")))
    header, rows = _table(wb, ROUNDS)
    assert list(header) == ROUNDS_HEADER
    version = instrument.name
    assert rows == [
        (
            "Familiehuset",
            "Efterår",
            "Lukket",
            datetime(2025, 1, 6, 10),
            datetime(2025, 3, 7, 10),
            version,
            STATEMENTS,
            6,
            "Ledere: 1; Medarbejdere: 3; Myndighed: 1; Andre: 1",
            3,  # the leader, p1 and p2: all 44, "ved ikke" counted as an answer
            2,  # p3 (40) and the caseworker (4)
            1,  # Olga
        ),
        (
            "Familiehuset",
            "Forår",
            "Lukket",
            datetime(2025, 2, 5, 10),
            datetime(2025, 4, 6, 11),
            version,
            STATEMENTS,
            4,
            "Medarbejdere: 2; Myndighed: 2",
            0,
            4,
            0,
        ),
        # Open rounds too: the rounds list shows them, their counts reveal no answer.
        (
            "Familiehuset",
            "Vinter",
            "Åben",
            datetime(2025, 4, 16, 11),
            None,
            version,
            STATEMENTS,
            1,
            "Ledere: 1",
            0,
            1,
            0,
        ),
    ]


def _autumn_row(element, n, without, score, low, high, spread, agreement, practitioners):
    """A row of the autumn round: the leader and the caseworker answered alone in their
    role, so their cells are "for få til at vise" whether or not they scored; nobody
    answered as "other" (Olga was invited only), so that role is empty, n 0."""
    return (
        element,
        n,
        without,
        score,
        low,
        high,
        spread,
        agreement,
        TOO_FEW,
        TOO_FEW,
        *practitioners,
        TOO_FEW,
        TOO_FEW,
        None,
        0,
    )


def test_the_result_table_as_the_page_shows_it_figures_withheld_in_its_words(client, login):
    org, leader, intervention, _instrument = _world()
    login(leader, org)
    wb = load_workbook(BytesIO(_download(client, f"/indsatser/{intervention.id}/eksport.xlsx")))
    header, rows = _table(wb, RESULTS)
    assert list(header) == RESULTS_HEADER
    # Closed rounds only, in the order they were opened, a row per element.
    assert [(r[1], r[2]) for r in rows] == [
        (name, n) for name in ("Efterår", "Forår") for n in range(1, 12)
    ]
    assert {r[0] for r in rows} == {"Familiehuset"}
    assert rows[0][3] == "Teori og viden"
    # Element number → (element number, n, ...): the row without its names.
    autumn = {r[2]: (r[2], *r[4:]) for r in rows if r[1] == "Efterår"}
    spring = {r[2]: (r[2], *r[4:]) for r in rows if r[1] == "Forår"}

    # 1: 100, 67, 33, 100 and the caseworker's 0: mean 60, 0–100, more than 50 apart. The
    # lone leader and caseworker are hidden, and the practitioners with them (complementary:
    # with the overall mean they would give the two away), their head count shown.
    assert autumn[1] == _autumn_row(1, 5, 0, 60, 0, 100, 100, "Uenige", (HIDDEN, 3))
    # 2: p1 answered "ved ikke" only: 100, 33, 100 → 77.7; p1 counted apart.
    assert autumn[2] == _autumn_row(2, 3, 1, 77.7, 33, 100, 67, "Uenige", (HIDDEN, 2))
    # 3: 67, 67, 100, 67 → 75.25, rounded half up; 33 apart is agreement.
    assert autumn[3] == _autumn_row(3, 4, 0, 75.3, 67, 100, 33, "Enige", (HIDDEN, 3))
    for element in range(4, 10):
        assert autumn[element] == _autumn_row(element, 4, 0, 75, 33, 100, 67, "Uenige", (HIDDEN, 3))
    # 10: only p2 scored (33): the element's figures would be p2's, so none are shown, nor
    # the practitioners' (one of them scored). No agreement with one score.
    assert autumn[10] == _autumn_row(
        10, 1, 3, TOO_FEW, TOO_FEW, TOO_FEW, TOO_FEW, None, (TOO_FEW, TOO_FEW)
    )
    # 11: 100, 67, 33 (p3 and the caseworker did not answer it).
    assert autumn[11] == _autumn_row(11, 3, 0, 66.7, 33, 100, 67, "Uenige", (HIDDEN, 2))

    # Spring: two in each role answered, so the roles are shown: practitioners 100 and 67,
    # caseworkers 33 and 33; no leader invited (empty, n 0).
    assert spring[1] == (1, 4, 0, 58.3, 33, 100, 67, "Uenige", None, 0, 83.5, 2, 33, 2, None, 0)
    # Nobody scored 2 (one "ved ikke") or 3: "ingen score", as the page says, the rest empty.
    no_score = ("ingen score", None, None, None, None, None, 0, None, 0, None, 0, None, 0)
    assert spring[2] == (2, 0, 1, *no_score)
    assert spring[3] == (3, 0, 0, *no_score)

    # The scores are the ones "Selvevaluering pr. element" charts.
    _header, wide = _table(wb, "Selvevaluering pr. element")
    for name, result in (("Efterår", autumn), ("Forår", spring)):
        column = list(_header).index(f"Familiehuset: {name}")
        for row in wide:
            score = result[row[0]][3]
            assert row[column] == (score if isinstance(score, int | float) else None)


def test_a_role_of_one_reads_too_few_where_that_person_scored_nothing(client, login):
    """The caseworker answered element 1 only and is the autumn round's only caseworker:
    an empty cell or a 0 under Myndighed for elements 2–11 would say that they gave no
    score there. So every Myndighed cell reads "for få til at vise", as on the page."""
    org, leader, intervention, _instrument = _world()
    login(leader, org)
    wb = load_workbook(BytesIO(_download(client, f"/indsatser/{intervention.id}/eksport.xlsx")))
    header, rows = _table(wb, RESULTS)
    score, n = header.index("Myndighed"), header.index("Myndighed, n")
    autumn = [r for r in rows if r[1] == "Efterår"]
    assert {(r[score], r[n]) for r in autumn} == {(TOO_FEW, TOO_FEW)}
    # Nowhere is a withheld figure written as a number beside its word.
    for row in rows:
        for cell in row[6:]:
            assert (
                cell is None
                or isinstance(cell, int | float)
                or cell
                in {
                    TOO_FEW,
                    HIDDEN,
                    "ingen score",
                    "Enige",
                    "Uenige",
                }
            )


def test_every_new_column_is_defined_and_oversigt_counts_the_sheets(client, login):
    org, leader, intervention, _instrument = _world()
    login(leader, org)
    wb = load_workbook(BytesIO(_download(client, f"/indsatser/{intervention.id}/eksport.xlsx")))
    definitions = {}
    for sheet, column, meaning, kind, allowed in wb["Datadefinitioner"].iter_rows(
        min_row=2, values_only=True
    ):
        definitions.setdefault(sheet, {})[column] = (meaning, kind, allowed)
    assert list(definitions[ROUNDS]) == ROUNDS_HEADER
    assert list(definitions[RESULTS]) == RESULTS_HEADER
    for sheet in (ROUNDS, RESULTS):
        assert all(meaning for meaning, _kind, _allowed in definitions[sheet].values())
    assert definitions[RESULTS]["Score"][1] == "Tal eller tekst"
    assert definitions[RESULTS]["Ledere, n"][1] == "Heltal eller tekst"
    assert TOO_FEW in definitions[RESULTS]["Score"][2]
    assert HIDDEN in definitions[RESULTS]["Medarbejdere"][2]
    assert definitions[ROUNDS]["Status"][2] == "Åben, Lukket"

    overview = {row[0]: row[1:] for row in wb["Oversigt"].iter_rows(min_row=2, values_only=True)}
    assert overview[f"Rækker i arket {ROUNDS}"] == (3, None)
    assert overview[f"Rækker i arket {RESULTS}"] == (
        22,
        "Udeladt: 1 åben runde; en rundes resultat vises først, når runden er lukket "
        f"(se arket {ROUNDS}).",
    )
    names = wb.sheetnames
    assert names.index(ROUNDS) + 1 == names.index("Selvevaluering")
    assert names.index(RESULTS) + 1 == names.index("Selvevaluering pr. element")


def test_the_organisation_export_has_every_interventions_rounds_and_no_other_org(client, login):
    org, leader, intervention, instrument = _world()
    other = gen_intervention(org, name="Andet tilbud")
    round_ = _closed(other, instrument, "Start", START, START + timedelta(days=1))
    p1 = gen_user(org, role="practitioner")
    p2 = gen_user(org, role="practitioner")
    answer_all(gen_respondent(round_, p1), instrument, {5: "high"})
    answer_all(gen_respondent(round_, p2), instrument, {5: "little"})
    elsewhere = gen_org("Syd")
    gen_round(gen_intervention(elsewhere, name="Sydligt"), instrument, "Hemmelig")
    db.session.commit()
    login(leader, org)
    data = _download(client, "/eksport.xlsx")
    wb = load_workbook(BytesIO(data))
    _header, rounds = _table(wb, ROUNDS)
    assert [(r[0], r[1]) for r in rounds] == [
        ("Andet tilbud", "Start"),
        ("Familiehuset", "Efterår"),
        ("Familiehuset", "Forår"),
        ("Familiehuset", "Vinter"),
    ]
    _header, results = _table(wb, RESULTS)
    assert len(results) == 33
    five = next(r for r in results if r[0] == "Andet tilbud" and r[2] == 5)
    # 100 and 33: two practitioners, shown; nobody else answered.
    assert five[4:] == (2, 0, 66.5, 33, 100, 67, "Uenige", None, 0, 66.5, 2, None, 0, None, 0)


def test_both_workbooks_pass_the_strict_checks(client, login):
    org, leader, intervention, _instrument = _world()
    login(leader, org)
    for url in ("/eksport.xlsx", f"/indsatser/{intervention.id}/eksport.xlsx"):
        data = _download(client, url)
        assert problems(data) == []
        assert {ROUNDS, RESULTS} <= set(load_workbook(BytesIO(data)).sheetnames)


def test_the_sheets_cost_the_same_queries_however_many_rounds(client, login):
    org, intervention, instrument, users, _ = setup_team()
    one = _closed(intervention, instrument, "Én", START, START + timedelta(days=1))
    answer_all(gen_respondent(one, users["p1"]), instrument, {1: "high"})
    db.session.commit()
    login(users["leader"], org)
    urls = ["/eksport.xlsx", f"/indsatser/{intervention.id}/eksport.xlsx"]

    def queries(rounds):
        counts = []
        for url in urls:
            with count_queries() as statements:
                data = _download(client, url)
            counts.append(len(statements))
            wb = load_workbook(BytesIO(data))
            assert len(_table(wb, ROUNDS)[1]) == rounds
        return counts

    few = queries(1)
    for n in range(6):
        round_ = gen_round(intervention, instrument, f"Runde {n}", status="closed" if n else "open")
        for key, role in (("leader", "leader"), ("p1", "practitioner"), ("p2", "practitioner")):
            answer_all(gen_respondent(round_, users[key], role), instrument, {n + 1: "some"})
        gen_respondent(round_, users["caseworker"], "authority")
    db.session.commit()
    assert queries(7) == few


def test_oversigt_says_why_the_sheets_are_empty(client, login):
    org, intervention, instrument, users, _ = setup_team()
    login(users["leader"], org)
    url = f"/indsatser/{intervention.id}/eksport.xlsx"

    def remarks():
        wb = load_workbook(BytesIO(_download(client, url)))
        rows = {row[0]: row[1:] for row in wb["Oversigt"].iter_rows(min_row=2, values_only=True)}
        return rows[f"Rækker i arket {ROUNDS}"], rows[f"Rækker i arket {RESULTS}"]

    no_closed = "Ingen lukkede runder; en rundes resultat vises først, når runden er lukket."
    assert remarks() == ((0, "Ingen selvevalueringsrunder oprettet."), (0, no_closed))
    round_ = gen_round(intervention, instrument, "Åben runde")
    answer_all(gen_respondent(round_, users["p1"]), instrument, {1: "high"})
    db.session.commit()
    assert remarks() == ((1, None), (0, no_closed))
