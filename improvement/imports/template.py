"""The import template: two sheets to fill in, a guide in Danish and hidden drop-down lists.

The drop-down lists (data validation) refer to columns of the hidden sheet "Lister", so
they hold the intervention's own cases, phases, core elements, rounds, respondents,
statements and the scales, however long the lists are.
"""

from dataclasses import dataclass
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .parsing import (
    ANSWER,
    ANSWER_COLUMNS,
    ANSWERS_SHEET,
    CASE,
    COMMENT,
    DATE,
    ELEMENT,
    GUIDE_SHEET,
    LISTS_SHEET,
    PHASE,
    RATING_COLUMNS,
    RATINGS_SHEET,
    RESPONDENT,
    ROUND,
    SCORE,
    STATEMENT,
)

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE7EF")
WRAP = Alignment(wrap_text=True, vertical="top")
# Rows prepared with drop-downs and date format; more rows can be added by copying.
ROWS = 1000


@dataclass(frozen=True)
class TemplateData:
    intervention: str
    cases: list[str]
    phases: list[str]
    elements: list[str]
    scale: list[tuple[int, str]]  # (value, label)
    rounds: list[str]
    respondents: list[str]
    statements: list[str]
    answers: list[str]  # scale labels of the open rounds' instruments


WIDTHS = {
    CASE: 16,
    PHASE: 22,
    ELEMENT: 34,
    SCORE: 8,
    DATE: 12,
    COMMENT: 50,
    ROUND: 24,
    RESPONDENT: 32,
    STATEMENT: 70,
    ANSWER: 20,
}


def _header(ws, columns):
    ws.append(list(columns))
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        ws.column_dimensions[get_column_letter(index)].width = WIDTHS[column]
    ws.freeze_panes = "A2"


def _list(ws, lists, column: int, header: str, values: list) -> str | None:
    """Write a list into column `column` of the lists sheet; its range, or None if empty."""
    letter = get_column_letter(column)
    lists.cell(row=1, column=column, value=header).font = HEADER_FONT
    for row, value in enumerate(values, start=2):
        lists.cell(row=row, column=column, value=value)
    if not values:
        return None
    return f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"


def _dropdown(ws, column: int, source: str | None, title: str, message: str):
    if source is None:
        return
    letter = get_column_letter(column)
    validation = DataValidation(type="list", formula1=source, allow_blank=True)
    validation.error = message
    validation.errorTitle = title
    validation.showErrorMessage = True
    validation.add(f"{letter}2:{letter}{ROWS + 1}")
    ws.add_data_validation(validation)


GUIDE = [
    ("Sådan bruges skabelonen", None, None),
    (
        "Udfyld et eller begge ark og upload projektmappen på indsatsens importside. Hver "
        "række kontrolleres, før noget gemmes: er blot én række forkert, gemmes intet, og du "
        "får en liste over fejlene. Importeres den samme fil igen, ændres intet.",
        None,
        None,
    ),
    (
        "Skriv kun værdier, ikke formler. Skriv aldrig borgeres navne eller CPR-numre: "
        "ligner en celle et CPR-nummer, gemmes intet, og fejllisten viser hver sådan celle.",
        None,
        None,
    ),
    (None, None, None),
    ("Ark", "Kolonne", "Betydning og tilladte værdier"),
    (
        RATINGS_SHEET,
        CASE,
        "Forløbets pseudonyme kode; et forløb i indsatsen, der ikke er afsluttet. Store og "
        "små bogstaver er lige gode.",
    ),
    (
        RATINGS_SHEET,
        PHASE,
        "Forløbets fase; en af indsatsens aktive faser. Store og små bogstaver er lige gode. "
        "Har flere faser samme navn (også arkiverede), står navnet ikke på listen og kan "
        "ikke importeres, før de har fået forskellige navne under Arbejdsgange.",
    ),
    (
        RATINGS_SHEET,
        ELEMENT,
        "Det kerneelement, der vurderes; et af indsatsens aktive kerneelementer. Store og "
        "små bogstaver er lige gode. Har flere kerneelementer samme navn (også arkiverede), "
        "står navnet ikke på listen og kan ikke importeres, før de har fået forskellige navne "
        "under Kerneelementer.",
    ),
    (RATINGS_SHEET, SCORE, "I hvilken grad der er arbejdet med kerneelementet: et helt tal 1–5."),
    (
        RATINGS_SHEET,
        DATE,
        "Hvornår vurderingen blev givet: en dato (fx 05-03-2026), ikke i fremtiden og ikke "
        "før forløbets startdato. Står datoen som tekst, skal den skrives 05-03-2026, "
        "05.03.2026 eller 2026-03-05.",
    ),
    (
        RATINGS_SHEET,
        COMMENT,
        "Valgfri: hvorfor der blev afveget. En række magen til en gemt vurdering af samme "
        "celle (samme score, dato og kommentar) springes over.",
    ),
    (
        ANSWERS_SHEET,
        ROUND,
        "Selvevalueringsrunden; en åben runde i indsatsen.",
    ),
    (
        ANSWERS_SHEET,
        RESPONDENT,
        "E-mail på en inviteret respondent, som har svaret på papir; en leder eller "
        "administrator indtaster på vedkommendes vegne. Andre kan kun importere deres egne "
        "svar.",
    ),
    (ANSWERS_SHEET, STATEMENT, "Udsagnet, ordret som i rundens version af spørgeskemaet."),
    (
        ANSWERS_SHEET,
        ANSWER,
        "Svaret på skalaen, fx 'I høj grad' eller 'Ved ikke'. Et eksisterende svar "
        "overskrives; samme svar er ingen ændring.",
    ),
]


def build_template(data: TemplateData) -> BytesIO:
    workbook = Workbook()
    guide = workbook.active
    guide.title = GUIDE_SHEET
    ratings = workbook.create_sheet(RATINGS_SHEET)
    answers = workbook.create_sheet(ANSWERS_SHEET)
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"

    guide.append([f"Importskabelon: {data.intervention}"])
    guide["A1"].font = Font(bold=True, size=14)
    for text, column, meaning in GUIDE:
        guide.append([text, column, meaning])
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = WRAP
    guide["A2"].font = HEADER_FONT
    for cell in guide[6]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    guide.column_dimensions["A"].width = 60
    guide.column_dimensions["B"].width = 22
    guide.column_dimensions["C"].width = 80
    guide.merge_cells("A3:C3")
    guide.merge_cells("A4:C4")
    guide.row_dimensions[3].height = 48
    guide.row_dimensions[4].height = 32

    _header(ratings, RATING_COLUMNS)
    _header(answers, ANSWER_COLUMNS)
    for row in range(2, ROWS + 2):
        ratings.cell(row=row, column=RATING_COLUMNS.index(DATE) + 1).number_format = "DD-MM-YYYY"
        ratings.cell(row=row, column=RATING_COLUMNS.index(COMMENT) + 1).alignment = WRAP

    sources = {
        CASE: _list(ratings, lists, 1, "Forløbskoder", data.cases),
        PHASE: _list(ratings, lists, 2, "Faser", data.phases),
        ELEMENT: _list(ratings, lists, 3, "Kerneelementer", data.elements),
        SCORE: _list(ratings, lists, 4, "Score", [v for v, _label in data.scale]),
        ROUND: _list(answers, lists, 6, "Runder", data.rounds),
        RESPONDENT: _list(answers, lists, 7, "Respondenter", data.respondents),
        STATEMENT: _list(answers, lists, 8, "Udsagn", data.statements),
        ANSWER: _list(answers, lists, 9, "Svar", data.answers),
    }
    lists.cell(row=1, column=5, value="Scorens betydning").font = HEADER_FONT
    for row, (_value, label) in enumerate(data.scale, start=2):
        lists.cell(row=row, column=5, value=label)
    wrong = "Vælg en værdi fra listen."
    for sheet, columns in ((ratings, RATING_COLUMNS), (answers, ANSWER_COLUMNS)):
        for index, column in enumerate(columns, start=1):
            if column in sources:
                _dropdown(sheet, index, sources[column], column, wrong)
    date_rule = DataValidation(type="date", operator="greaterThan", formula1="1")
    date_rule.error = "Skriv en dato, fx 05-03-2026."
    date_rule.errorTitle = DATE
    date_rule.showErrorMessage = True
    letter = get_column_letter(RATING_COLUMNS.index(DATE) + 1)
    date_rule.add(f"{letter}2:{letter}{ROWS + 1}")
    ratings.add_data_validation(date_rule)

    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer
