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
    only_new_errors,
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
        (rating(5, score=2.5), "Score", "2,5"),  # as Danish Excel shows it
        (rating(5, score=1e30), "Score", "1E+30"),  # not 1000000000000000019884624838656
        (rating(5, score=-1.5e20), "Score", "-1,5E+20"),
        (rating(5, score="høj"), "Score", "høj"),
        (rating(5, score=True), "Score", "TRUE"),  # SAND in Danish, as Excel shows it
        (rating(5, score="²"), "Score", "²"),
        (rating(5, day="1/3/2026"), "Dato", "1/3/2026"),
        (rating(5, day=""), "Dato", ""),
        (rating(5, day="11-03-2026"), "Dato", "11-03-2026"),  # text in the future
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
    # The start as the pages write dates.
    assert [e.message for e in errors] == ["Datoen er før forløbet startede (05.01.2026)."]


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


# --- Case codes, names and dates as people type them --------------------------------------


def test_a_lower_case_code_with_spaces_matches_the_stored_upper_case_code():
    valid, errors = check_ratings([rating(2, case=" a-1 "), rating(3, case="lukket")], CTX)
    assert [r.case_id for r in valid] == [10]
    # Matched, then refused for being closed: the code was found.
    assert [(e.row, e.value) for e in errors] == [(3, "lukket")]
    assert "closed" in errors[0].message


def test_phase_and_element_names_match_ignoring_case_and_surrounding_spaces():
    valid, errors = check_ratings([rating(2, phase="  OPSTART ", element="tæt KONTAKT ")], CTX)
    assert errors == []
    assert (valid[0].phase_id, valid[0].core_element_id) == (20, 30)


@pytest.mark.parametrize(
    "text", ["01-11-2025", " 1-11-2025 ", "01.11.2025", "1.11.2025", "2025-11-01"]
)
def test_text_dates_in_the_three_formats_are_read(text):
    ctx = RatingContext(
        {"A-1": 10},
        set(),
        {"A-1": date(2025, 6, 1)},
        {"Opstart": 20},
        {"Tæt kontakt": 30},
        (1, 2, 3, 4, 5),
        date(2026, 3, 10),
    )
    valid, errors = check_ratings([rating(2, day=text)], ctx)
    assert errors == []
    assert valid[0].day == date(2025, 11, 1)


def test_text_dates_meet_the_same_range_checks(app):
    rows = [rating(2, day="11-03-2026"), rating(3, day="2026.03.01"), rating(4, day="04.01.2026")]
    with app.test_request_context():
        _valid, errors = check_ratings(rows, CTX)
    assert [(e.row, e.message) for e in errors] == [
        (2, "Datoen ligger i fremtiden."),
        (3, "Kunne ikke læse '2026.03.01' som en dato; skriv fx 05-03-2026."),
        (4, "Datoen er før forløbet startede (05.01.2026)."),
    ]


def test_an_unreadable_or_missing_date_says_so(app):
    with app.test_request_context():
        _valid, errors = check_ratings(
            [rating(2, day="31-02-2026"), rating(3, day="  "), rating(4, day=46000)], CTX
        )
    assert [e.message for e in errors] == [
        "Kunne ikke læse '31-02-2026' som en dato; skriv fx 05-03-2026.",
        "Udfyld datoen.",
        "Skriv datoen som en Excel-dato, fx 05-03-2026.",
    ]


def test_a_name_several_phases_or_core_elements_have_is_refused_never_guessed(app):
    ctx = RatingContext(
        CTX.cases,
        CTX.closed_cases,
        CTX.starts,
        {"Forløb": 21},
        {"Tæt kontakt": 30},
        CTX.scale,
        CTX.today,
        ambiguous_phases=frozenset({"opstart"}),
        ambiguous_elements=frozenset({"tæt kontakt"}),
    )
    rows = [rating(2, phase=" OPSTART"), rating(3, phase="Forløb", element="Tæt kontakt")]
    with app.test_request_context():
        valid, errors = check_ratings(rows, ctx)
    assert valid == []
    assert [(e.row, e.column, e.message) for e in errors] == [
        (
            2,
            "Fase",
            "Flere faser hedder sådan; giv dem forskellige navne under Arbejdsgange først.",
        ),
        (
            2,
            "Kerneelement",
            "Flere kerneelementer hedder sådan; giv dem forskellige navne under "
            "Kerneelementer først.",
        ),
        (
            3,
            "Kerneelement",
            "Flere kerneelementer hedder sådan; giv dem forskellige navne under "
            "Kerneelementer først.",
        ),
    ]


# --- CPR-shaped text ------------------------------------------------------------------------


def test_every_cpr_shaped_cell_is_reported_at_once_and_masked():
    upload = parse_sheets(
        {
            RATINGS_SHEET: [
                HEADER_R,
                ("A-1", "Opstart", "Tæt kontakt", 3, None, "Mor 010203-1234 ringede"),
                ("A-1", "Opstart", "Tæt kontakt", 3, None, None),
                ("0102031234", "Opstart", "Tæt kontakt", 3, None, "Far 3112991234"),
            ],
            ANSWERS_SHEET: [("Runde", "Respondent (e-mail)", "Udsagn", "Svar")],
            "Noter": [("Barn", "Født 150405-4321")],
        }
    )
    cells = [(e.sheet, e.row, e.column) for e in upload.errors]
    assert cells == [
        (RATINGS_SHEET, 2, "Kommentar"),
        (RATINGS_SHEET, 4, "Forløbskode"),
        (RATINGS_SHEET, 4, "Kommentar"),
        ("Noter", 1, "B"),
    ]
    assert all("CPR" in e.message for e in upload.errors)
    # The error list and the rows never carry the number itself.
    assert upload.errors[0].value == "Mor ••••••-•••• ringede"
    assert not any(ch.isdigit() for e in upload.errors for ch in e.value)
    assert upload.ratings[0].values["Kommentar"] == "Mor ••••••-•••• ringede"
    assert upload.ratings[2].values["Forløbskode"] == "••••••-••••"


def test_a_cpr_number_typed_as_a_number_is_reported_and_masked():
    # Excel keeps 1502031234 typed into a cell as a number, and 0102031234 as 102031234
    # (shown as 010203-1234 under the number format "000000-0000").
    upload = parse_sheets(
        {
            RATINGS_SHEET: [
                HEADER_R,
                ("A-1", "Opstart", "Tæt kontakt", 3, None, 1502031234),
                ("A-1", "Opstart", "Tæt kontakt", 3, None, 102031234.0),
                (1502031234, "Opstart", "Tæt kontakt", 3, None, None),
                # Whole numbers that are no CPR number, and a score, pass.
                ("A-1", "Opstart", "Tæt kontakt", 4, None, 3213991234),
                ("A-1", "Opstart", "Tæt kontakt", 4, None, 12345678),
                ("A-1", "Opstart", "Tæt kontakt", 4, None, 102031234.5),
            ]
        }
    )
    cells = [(e.row, e.column, e.value) for e in upload.errors]
    assert cells == [
        (2, "Kommentar", "••••••-••••"),
        (3, "Kommentar", "••••••-••••"),
        (4, "Forløbskode", "••••••-••••"),
    ]
    assert [r.values["Kommentar"] for r in upload.ratings[:2]] == ["••••••-••••"] * 2
    assert upload.ratings[2].values["Forløbskode"] == "••••••-••••"
    assert [r.values["Kommentar"] for r in upload.ratings[3:]] == [
        3213991234,
        12345678,
        102031234.5,
    ]


def test_a_cpr_shaped_cell_gets_no_second_error_but_other_cells_do():
    upload = parse_sheets(
        {RATINGS_SHEET: [HEADER_R, ("0102031234", "Ukendt", "Tæt kontakt", 3, None, None)]}
    )
    _valid, errors = check_ratings(upload.ratings, CTX)
    columns = [e.column for e in only_new_errors(errors, upload.errors)]
    assert columns == ["Fase", "Dato"]


def test_a_formula_still_refuses_the_whole_file_even_beside_cpr_text():
    with pytest.raises(Refused):
        parse_sheets({RATINGS_SHEET: [HEADER_R, ("A-1", "Opstart", "=A1", 3, None, "010203-1234")]})


def test_a_renamed_data_sheet_refuses_the_file_and_names_the_name_to_give_it():
    with pytest.raises(Refused) as refused:
        parse_sheets(
            {
                "Kvalitet": [HEADER_R, ("A-1", "Opstart", "Tæt kontakt", 3, None, None)],
                ANSWERS_SHEET: [("Runde", "Respondent (e-mail)", "Udsagn", "Svar")],
            }
        )
    assert "Kvalitet" in str(refused.value) and RATINGS_SHEET in str(refused.value)
    # A sheet of notes beside the template's sheets is no data sheet.
    upload = parse_sheets({RATINGS_SHEET: [HEADER_R], "Noter": [("Husk", "mødet")]})
    assert upload.ratings == []
