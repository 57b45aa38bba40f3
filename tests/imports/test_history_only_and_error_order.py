"""The import's result and error table as the team reads them (QA round 2).

An imported rating older than the one that applies to its cell is saved to the history only:
the result says so and names it, rather than counting it as new. Errors are listed as the
sheet reads, and a date in a message is written as the pages write dates.
"""

import re
from datetime import date, datetime
from html import unescape
from io import BytesIO

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from improvement import clock
from improvement.extensions import db
from improvement.models import CoreElementRating
from tests.cases.helpers import gen_case, gen_core_element, gen_phase, gen_rating
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.querycount import count_queries

HX = {"HX-Request": "true"}
RATING_HEADER = ["Forløbskode", "Fase", "Kerneelement", "Score", "Dato", "Kommentar"]
ELEMENT = "Tidlig og intensiv tilstedeværelse"


@pytest.fixture
def team(app):
    org = gen_org("Nord")
    leader = gen_user(org, role="leader", name="Lise Leder")
    intervention = gen_intervention(org, name="Familiehuset")
    gen_member(intervention, leader, "leader")
    opstart = gen_phase(intervention, "Opstart")
    forloeb = gen_phase(intervention, "Forløb", position=1)
    element = gen_core_element(intervention, ELEMENT)
    first = gen_case(intervention, "BB-2026-101")  # started 05-01-2026
    second = gen_case(intervention, "BB-2026-102")
    db.session.commit()
    return {
        "org": org,
        "leader": leader,
        "intervention": intervention,
        "opstart": opstart,
        "forloeb": forloeb,
        "element": element,
        "first": first,
        "second": second,
    }


def xlsx(rows, sheets=None) -> bytes:
    """A workbook with the ratings sheet (header first), then any further sheets."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Kvalitet i kerneelementer"
    for row in rows:
        ws.append(row)
    for name, more in (sheets or {}).items():
        extra = workbook.create_sheet(name)
        for row in more:
            extra.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, t, data: bytes):
    return client.post(
        f"/indsatser/{t['intervention'].id}/import",
        data={"file": (BytesIO(data), "papir.xlsx")},
        content_type="multipart/form-data",
        headers=HX,
    )


def _cells(row_html: str) -> list[str]:
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row_html, re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells]


def rating_counts(html: str) -> list[str]:
    """The counts table's row of ratings: kind, new, changed, history only, already saved."""
    row = re.search(r"<tr><th scope=\"row\">Vurderinger af kvalitet.*?</tr>", html, re.S)
    return _cells(row.group(0))


def history_only_rows(html: str) -> list[list[str]]:
    section = re.search(r'id="history-only-title".*?</section>', html, re.S)
    if section is None:
        return []
    body = re.search(r"<tbody>(.*?)</tbody>", section.group(0), re.S).group(1)
    return [_cells(row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def error_rows(html: str) -> list[list[str]]:
    """The error table: sheet, row, column, value, message per error."""
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return [_cells(row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def latest_flags() -> list[tuple[int, bool]]:
    stmt = select(CoreElementRating.score, CoreElementRating.is_latest).order_by(
        CoreElementRating.id
    )
    return [tuple(r) for r in db.session.execute(stmt)]


# --- An imported rating older than the cell's ------------------------------------------------


def test_a_rating_older_than_the_grids_is_saved_to_the_history_only_and_said_so(team, login):
    # The QA case: the grid rated the cell 4 today; a paper rating of it, 1 on 02-12-2026
    # (before today, after the case started), is imported afterwards.
    client = login(team["leader"], team["org"])
    t = team
    grid = client.post(
        f"/indsatser/{t['intervention'].id}/forloeb/{t['first'].id}/vurdering",
        data={"phase_id": t["opstart"].id, "core_element_id": t["element"].id, "score": "4"},
        headers=HX,
    )
    assert grid.status_code == 200
    today = clock.today()
    data = xlsx([RATING_HEADER, ["BB-2026-101", "Opstart", ELEMENT, 1, "02-12-2026", None]])

    response = upload(client, t, data)

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # Not "Nye 1": nothing new applies; one rating went to the history only.
    assert rating_counts(html) == ["Vurderinger af kvalitet i kerneelementer", "0", "–", "1", "0"]
    assert "Importerede vurderinger, der ikke gælder" in html
    assert "Kun gemt i historikken: 1 af de importerede vurderinger, fordi en nyere" in html
    assert history_only_rows(html) == [
        [
            "2",
            "BB-2026-101",
            "Opstart",
            ELEMENT,
            "02.12.2026",
            "1",
            today.strftime("%d.%m.%Y"),
            "4",
        ]
    ]
    # The case code leads to the grid where the cell can be rated again.
    assert f'href="/indsatser/{t["intervention"].id}/forloeb/{t["first"].id}"' in html
    # As saved: the grid's 4 still applies, the imported 1 is history.
    db.session.expire_all()
    assert latest_flags() == [(4, True), (1, False)]


def test_a_rating_newer_than_the_cells_applies_and_counts_as_new(team, login):
    gen_rating(team["first"], team["opstart"], team["element"], 4, day=date(2026, 2, 1))
    db.session.commit()
    client = login(team["leader"], team["org"])
    data = xlsx([RATING_HEADER, ["BB-2026-101", "Opstart", ELEMENT, 2, date(2026, 3, 1), None]])

    html = upload(client, team, data).get_data(as_text=True)

    assert rating_counts(html) == ["Vurderinger af kvalitet i kerneelementer", "1", "–", "0", "0"]
    assert history_only_rows(html) == []
    assert "der ikke gælder" not in html
    db.session.expire_all()
    assert latest_flags() == [(4, False), (2, True)]


def test_each_rating_that_does_not_apply_names_what_applies_in_row_order(team, login):
    t = team
    # Cell A (101, Opstart) was rated 4 on 10-02; cell B (102, Forløb) 5 on 20-02.
    gen_rating(t["first"], t["opstart"], t["element"], 4, day=date(2026, 2, 10))
    gen_rating(t["second"], t["forloeb"], t["element"], 5, day=date(2026, 2, 20))
    db.session.commit()
    client = login(t["leader"], t["org"])
    data = xlsx(
        [
            RATING_HEADER,
            # Row 2: newer than A's 10-02, so it applies to A and is new.
            ["BB-2026-101", "Opstart", ELEMENT, 3, date(2026, 3, 1), None],
            # Row 3: older than B's 20-02: history only, B's 5 applies.
            ["BB-2026-102", "Forløb", ELEMENT, 1, date(2026, 2, 1), None],
            # Row 4: newer than A's 10-02 but older than row 2: history only, row 2 applies.
            ["BB-2026-101", "Opstart", ELEMENT, 2, date(2026, 2, 15), None],
            # Row 5: a cell without a rating: new.
            ["BB-2026-102", "Opstart", ELEMENT, 2, date(2026, 2, 2), None],
        ]
    )

    html = upload(client, t, data).get_data(as_text=True)

    assert rating_counts(html) == ["Vurderinger af kvalitet i kerneelementer", "2", "–", "2", "0"]
    assert "Kun gemt i historikken: 2 af de importerede vurderinger" in html
    assert history_only_rows(html) == [
        ["3", "BB-2026-102", "Forløb", ELEMENT, "01.02.2026", "1", "20.02.2026", "5"],
        [
            "4",
            "BB-2026-101",
            "Opstart",
            ELEMENT,
            "15.02.2026",
            "2",
            "01.03.2026 (fra denne fil)",
            "3",
        ],
    ]


def test_importing_the_same_file_again_adds_nothing_to_either_count(team, login):
    gen_rating(team["first"], team["opstart"], team["element"], 4, day=date(2026, 2, 10))
    db.session.commit()
    client = login(team["leader"], team["org"])
    data = xlsx([RATING_HEADER, ["BB-2026-101", "Opstart", ELEMENT, 1, date(2026, 2, 1), None]])
    assert "der ikke gælder" in upload(client, team, data).get_data(as_text=True)

    again = upload(client, team, data).get_data(as_text=True)

    assert "Intet nyt" in again
    assert rating_counts(again) == ["Vurderinger af kvalitet i kerneelementer", "0", "–", "0", "1"]
    assert history_only_rows(again) == []


def test_sorting_out_what_applies_costs_the_same_queries_for_many_rows(team, login):
    t = team
    client = login(t["leader"], t["org"])
    cells = [(t["first"], "BB-2026-101"), (t["second"], "BB-2026-102")]
    phases = [(t["opstart"], "Opstart"), (t["forloeb"], "Forløb")]
    for case, _code in cells:
        for phase, _name in phases:
            gen_rating(case, phase, t["element"], 5, day=date(2026, 2, 20))
    db.session.commit()

    def older_ratings(days: int, score: int) -> bytes:
        rows = [RATING_HEADER]
        for _case, code in cells:
            for _phase, name in phases:
                rows += [[code, name, ELEMENT, score, date(2026, 2, d), None] for d in days]
        return xlsx(rows)

    with count_queries() as few:
        small = upload(client, t, older_ratings([1], 2)).get_data(as_text=True)  # 4 rows
    with count_queries() as many:
        large = upload(client, t, older_ratings(range(1, 12), 1)).get_data(as_text=True)

    assert len(history_only_rows(small)) == 4 and len(history_only_rows(large)) == 44

    # Each saved row is an INSERT (the ORM's flush, as before); every read is once per file.
    def reads(statements):
        return [s for s in statements if not s.lstrip().upper().startswith("INSERT")]

    assert len(reads(many)) == len(reads(few))


def test_the_english_page_says_the_same(team, login):
    t = team
    t["leader"].locale = "en"
    gen_rating(t["first"], t["opstart"], t["element"], 4, day=date(2026, 2, 10))
    db.session.commit()
    client = login(t["leader"], t["org"])
    data = xlsx([RATING_HEADER, ["BB-2026-101", "Opstart", ELEMENT, 1, date(2026, 2, 1), None]])

    html = upload(client, t, data).get_data(as_text=True)

    assert "Saved to the history only: 1 of the imported ratings" in html
    # en_DK: English words, Danish day order, as every English page writes dates.
    assert history_only_rows(html) == [
        ["2", "BB-2026-101", "Opstart", ELEMENT, "01/02/2026", "1", "10/02/2026", "4"]
    ]


# --- The error table in the order of the sheet -------------------------------------------------


def test_errors_are_listed_in_row_order_with_the_cpr_shaped_cells_among_them(team, login):
    # The QA file: CPR-shaped comments in rows 6, 7 and 15, unknown codes in 8 to 18.
    good = ["BB-2026-101", "Opstart", ELEMENT, 3, date(2026, 2, 1)]
    rows = [RATING_HEADER] + [good + [None] for _ in range(2, 19)]  # rows 2 to 18
    for number in (6, 7, 15):
        rows[number - 1] = good + [f"Mor {number:02d}0203-1234"]
    for number in range(8, 19):
        rows[number - 1] = ["XX-1"] + rows[number - 1][1:]
    client = login(team["leader"], team["org"])

    response = upload(client, team, xlsx(rows))

    assert response.status_code == 422
    listed = [(r[1], r[2]) for r in error_rows(response.get_data(as_text=True))]
    assert listed == [
        ("6", "Kommentar"),
        ("7", "Kommentar"),
        ("8", "Forløbskode"),
        ("9", "Forløbskode"),
        ("10", "Forløbskode"),
        ("11", "Forløbskode"),
        ("12", "Forløbskode"),
        ("13", "Forløbskode"),
        ("14", "Forløbskode"),
        ("15", "Forløbskode"),
        ("15", "Kommentar"),
        ("16", "Forløbskode"),
        ("17", "Forløbskode"),
        ("18", "Forløbskode"),
    ]
    html = response.get_data(as_text=True)
    assert "0203-1234" not in html  # still masked


def test_within_a_row_errors_follow_the_columns_as_the_sheet_has_them(team, login):
    # Comment moved to column A: its CPR-shaped cell comes before the score in column E.
    header = ["Kommentar", "Forløbskode", "Fase", "Kerneelement", "Score", "Dato"]
    rows = [
        header,
        ["Far 0102031234", "BB-2026-101", "Opstart", ELEMENT, 9, date(2026, 2, 1)],
        ["", "BB-2026-101", "Ukendt", ELEMENT, 3, date(2026, 2, 1)],
    ]
    data = xlsx(rows, sheets={"Noter": [["Barn 150405-4321"]]})
    client = login(team["leader"], team["org"])

    response = upload(client, team, data)

    listed = [(r[0], r[1], r[2]) for r in error_rows(response.get_data(as_text=True))]
    assert listed == [
        ("Kvalitet i kerneelementer", "2", "Kommentar"),
        ("Kvalitet i kerneelementer", "2", "Score"),
        ("Kvalitet i kerneelementer", "3", "Fase"),
        ("Noter", "1", "A"),
    ]


# --- Dates in the messages -------------------------------------------------------------------


def test_the_start_date_in_a_message_is_written_as_the_pages_write_dates(team, login):
    data = xlsx([RATING_HEADER, ["BB-2026-101", "Opstart", ELEMENT, 3, datetime(2025, 12, 31)]])
    client = login(team["leader"], team["org"])

    rows = error_rows(upload(client, team, data).get_data(as_text=True))

    # The value as Excel shows the cell; the case's start as every page shows a date.
    assert [(r[3], r[4]) for r in rows] == [
        ("31-12-2025", "Datoen er før forløbet startede (05.01.2026).")
    ]


def test_the_english_page_writes_the_start_date_as_english_pages_do(team, login):
    team["leader"].locale = "en"
    db.session.commit()
    data = xlsx([RATING_HEADER, ["BB-2026-101", "Opstart", ELEMENT, 3, datetime(2025, 12, 31)]])
    client = login(team["leader"], team["org"])

    rows = error_rows(upload(client, team, data).get_data(as_text=True))

    assert [r[4] for r in rows] == ["The date is before the case started (05/01/2026)."]
