"""Pure parsing and checking of import rows: hand-made rows, hand-made expectations."""

from datetime import date, datetime

import pytest

from improvement.imports.parsing import (
    ANSWERS_SHEET,
    RATINGS_SHEET,
    AnswerContext,
    AnswerRow,
    RatingContext,
    RatingRow,
    Refused,
    RoundInfo,
    Row,
    check_answers,
    check_ratings,
    parse_sheets,
    read_upload,
)

CTX = RatingContext(
    cases={"A-1": 10, "A-2": 11, "LUKKET": 12},
    closed_cases={"LUKKET"},
    starts={"A-1": date(2026, 1, 5), "A-2": date(2026, 1, 5), "LUKKET": date(2025, 6, 1)},
    phases={"Opstart": 20, "Forløb": 21},
    elements={"Tæt kontakt": 30},
    scale=(1, 2, 3, 4, 5),
    today=date(2026, 3, 10),
)


def rating(n, case="A-1", phase="Opstart", element="Tæt kontakt", score=4, day=None, comment=None):
    return Row(
        n,
        {
            "Forløbskode": case,
            "Fase": phase,
            "Kerneelement": element,
            "Score": score,
            "Dato": day if day is not None else datetime(2026, 3, 1),
            "Kommentar": comment,
        },
    )


def test_valid_rating_rows_become_ids():
    valid, errors = check_ratings(
        [rating(2), rating(3, case="A-2", phase="Forløb", score=2.0, comment=" Syg ")], CTX
    )
    assert errors == []
    assert valid == [
        RatingRow(2, 10, 20, 30, 4, date(2026, 3, 1), ""),
        RatingRow(3, 11, 21, 30, 2, date(2026, 3, 1), "Syg"),
    ]


@pytest.mark.parametrize(
    ("row", "column", "value"),
    [
        (rating(5, case="X-9"), "Forløbskode", "X-9"),
        (rating(5, case="LUKKET"), "Forløbskode", "LUKKET"),
        (rating(5, case=None), "Forløbskode", ""),
        (rating(5, phase="Ukendt"), "Fase", "Ukendt"),
        (rating(5, element="Arkiveret"), "Kerneelement", "Arkiveret"),
        (rating(5, score=6), "Score", "6"),
        (rating(5, score=2.5), "Score", "2.5"),
        (rating(5, score="høj"), "Score", "høj"),
        (rating(5, score=True), "Score", "True"),
        (rating(5, score="²"), "Score", "²"),
        (rating(5, day="01-03-2026"), "Dato", "01-03-2026"),
        (rating(5, day=46000), "Dato", "46000"),
        (rating(5, day=datetime(2026, 3, 11)), "Dato", "11-03-2026"),
        # Before the case started; -1 in a date cell is read as 29-12-1899.
        (rating(5, day=datetime(2026, 1, 4)), "Dato", "04-01-2026"),
        (rating(5, day=datetime(1899, 12, 29)), "Dato", "29-12-1899"),
    ],
)
def test_each_wrong_cell_is_one_error_and_the_row_is_not_valid(row, column, value):
    valid, errors = check_ratings([rating(2), row], CTX)
    assert [r.row for r in valid] == [2]
    assert [(e.sheet, e.row, e.column, e.value) for e in errors] == [
        (RATINGS_SHEET, 5, column, value)
    ]
    assert errors[0].message


def test_a_row_with_three_wrong_cells_gives_three_errors():
    _valid, errors = check_ratings([rating(7, case="X", phase="Y", score=0)], CTX)
    assert [e.column for e in errors] == ["Forløbskode", "Fase", "Score"]


def test_a_date_before_the_case_started_names_the_start(app):
    with app.test_request_context():
        _valid, errors = check_ratings([rating(2, day=datetime(2025, 12, 31))], CTX)
    # The start as the sheet writes dates.
    assert [e.message for e in errors] == ["Datoen er før forløbet startede (05-01-2026)."]


def test_the_start_day_itself_is_allowed():
    valid, errors = check_ratings([rating(2, day=date(2026, 1, 5))], CTX)
    assert errors == [] and valid[0].day == date(2026, 1, 5)


def test_today_is_allowed_and_a_string_score_of_digits_too():
    valid, errors = check_ratings([rating(2, score=" 3 ", day=date(2026, 3, 10))], CTX)
    assert errors == []
    assert valid[0].score == 3


ROUND = RoundInfo(
    id=1,
    is_open=True,
    respondents={"bo@example.test": 100},
    statements={"Vi har en teori": 200, "Vi måler": 201},
    answers={"high": "high", "i høj grad": "high", "ved ikke": "dont_know"},
)
ACTX = AnswerContext(
    rounds={"Baseline": ROUND, "Gammel": RoundInfo(2, False, {}, {}, {})},
)


def answer(
    n, round_="Baseline", email="Bo@Example.test", statement="Vi har en teori", value="I høj grad"
):
    return Row(
        n, {"Runde": round_, "Respondent (e-mail)": email, "Udsagn": statement, "Svar": value}
    )


def test_valid_answers_by_label_or_key_any_case():
    valid, errors = check_answers(
        [answer(2), answer(3, statement="Vi måler", value="VED IKKE")], ACTX
    )
    assert errors == []
    assert valid == [AnswerRow(2, 100, 200, "high"), AnswerRow(3, 100, 201, "dont_know")]


@pytest.mark.parametrize(
    ("row", "columns"),
    [
        (answer(4, round_="Ukendt"), ["Runde"]),
        (answer(4, round_="Gammel"), ["Runde", "Respondent (e-mail)", "Udsagn", "Svar"]),
        (answer(4, email="eve@example.test"), ["Respondent (e-mail)"]),
        (answer(4, statement="Andet udsagn"), ["Udsagn"]),
        (answer(4, value="Meget"), ["Svar"]),
        (answer(4, value=None), ["Svar"]),
    ],
)
def test_wrong_answers(row, columns):
    valid, errors = check_answers([row], ACTX)
    assert valid == []
    assert [e.column for e in errors] == columns
    assert {(e.sheet, e.row) for e in errors} == {(ANSWERS_SHEET, 4)}


def test_same_answer_twice_is_one_row_and_a_conflicting_one_is_an_error():
    valid, errors = check_answers([answer(2), answer(3), answer(4, value="Ved ikke")], ACTX)
    assert valid == [AnswerRow(2, 100, 200, "high")]
    assert [(e.row, e.column) for e in errors] == [(4, "Svar")]


HEADER_R = ("Forløbskode", "Fase", "Kerneelement", "Score", "Dato", "Kommentar")


def test_parse_sheets_skips_empty_rows_and_numbers_rows_as_excel():
    upload = parse_sheets(
        {
            RATINGS_SHEET: [HEADER_R, (None,) * 6, ("A-1", "Opstart", "Tæt kontakt", 3, None, "")],
            "Vejledning": [("tekst",)],
        }
    )
    assert upload.answers is None
    assert [r.number for r in upload.ratings] == [3]


def test_extra_columns_and_order_do_not_matter():
    header = ("Ekstra",) + tuple(reversed(HEADER_R))
    upload = parse_sheets({RATINGS_SHEET: [header, ("x", "k", None, 4, "T", "F", "A-1")]})
    assert upload.ratings[0].values["Forløbskode"] == "A-1"
    assert upload.ratings[0].values["Score"] == 4


@pytest.mark.parametrize(
    ("sheets", "fragment"),
    [
        ({RATINGS_SHEET: [HEADER_R[:-2]]}, "Dato, Kommentar"),
        ({ANSWERS_SHEET: []}, "Runde"),
        ({"Ark1": [("a",)]}, RATINGS_SHEET),
        ({RATINGS_SHEET: [HEADER_R, ("A-1", "=B1", None, 1, None, None)]}, "row 2"),
        ({"Noter": [("Barn 010203-1234",)]}, "CPR"),
    ],
)
def test_whole_file_refusals(sheets, fragment):
    with pytest.raises(Refused) as refused:
        parse_sheets(sheets)
    assert fragment in str(refused.value)


def test_read_upload_refuses_other_files():
    with pytest.raises(Refused):
        read_upload("data.csv", b"a;b")
    with pytest.raises(Refused):
        read_upload("data.xlsx", b"not a zip at all")
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "a zip, not a workbook")
    with pytest.raises(Refused):
        read_upload("data.xlsx", buffer.getvalue())


def test_a_numeric_case_code_matches_its_text():
    ctx = RatingContext(
        {"1001": 5}, set(), {}, {"Opstart": 20}, {"Tæt kontakt": 30}, (1, 2, 3), CTX.today
    )
    valid, errors = check_ratings([rating(2, case=1001.0, score=3)], ctx)
    assert errors == []
    assert valid[0].case_id == 5
