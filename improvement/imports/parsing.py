"""Reading and checking an uploaded import workbook: pure functions, no database.

The workbook is the template from improvement/imports/template.py: a sheet of quality
ratings ("Kvalitet i kerneelementer") and a sheet of self-assessment answers
("Selvevaluering"). Reading refuses the whole file (not .xlsx, formulas, missing columns,
a sheet longer than MAX_ROWS, a workbook that unpacks to more than MAX_UNPACKED) and
reports every CPR-shaped cell; it reads at most MAX_COLUMNS columns of a sheet, however
wide the sheet says it is. The template's guide and drop-down lists are never opened.
Text is cleaned as the forms clean it. Checking turns rows into (valid rows, errors), so
nothing is written unless every row is right.
"""

import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from flask_babel import format_number, get_locale
from flask_babel import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from ..cases.forms import COMMENT_MAX_LENGTH
from ..formatting import format_day
from ..forms import UNTYPED
from ..names import name_key
from ..validators import CPR_MESSAGE, contains_cpr, masked

RATINGS_SHEET = "Kvalitet i kerneelementer"
ANSWERS_SHEET = "Selvevaluering"
GUIDE_SHEET = "Vejledning"
LISTS_SHEET = "Lister"
# The template's sheets that hold nothing to import. They are not read at all, so their
# length neither counts against the row limit nor costs time: the lists grow with the
# intervention, and a crafted sheet can say it is a million rows long. A sheet someone
# adds is still read: for CPR-shaped cells, and as a data sheet that was renamed.
UNREAD_SHEETS = frozenset({GUIDE_SHEET, LISTS_SHEET})

CASE, PHASE, ELEMENT, SCORE, DATE, COMMENT = (
    "Forløbskode",
    "Fase",
    "Kerneelement",
    "Score",
    "Dato",
    "Kommentar",
)
RATING_COLUMNS = (CASE, PHASE, ELEMENT, SCORE, DATE, COMMENT)
ROUND, RESPONDENT, STATEMENT, ANSWER = "Runde", "Respondent (e-mail)", "Udsagn", "Svar"
ANSWER_COLUMNS = (ROUND, RESPONDENT, STATEMENT, ANSWER)


class Refused(ValueError):
    """The whole file is refused; the message says why (in the user's language)."""


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    value: str
    message: str
    # The column's place in the sheet (0 is A), so errors are listed as the sheet reads
    # (in_reading_order) whatever order the columns were put in.
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Row:
    number: int  # the row's number in Excel
    values: dict  # column header → cell value
    positions: dict = field(default_factory=dict, compare=False)  # header → place (0 is A)


@dataclass
class Upload:
    """The data rows of the sheets found in the file (a sheet absent from the file: None),
    and the cells that look like CPR numbers: errors, so nothing may be imported."""

    ratings: list[Row] | None = None
    answers: list[Row] | None = None
    errors: list[RowError] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)  # as the workbook orders them


def _is_formula(value) -> bool:
    if isinstance(value, str):
        return value.startswith("=")
    # Array and data-table formulas are objects, not strings.
    return type(value).__module__.startswith("openpyxl.worksheet.formula")


# Rows per sheet: far more than any import of paper ratings or answers (the largest
# intervention holds some 13,000 ratings in all), far less than Excel's 1,048,576.
MAX_ROWS = 50_000
# Columns read per sheet. The template has six and four; a few added for notes, or the
# columns put in another order, still work. Further right nothing is read: a sheet that
# declares the full width (XFD) would otherwise have every row filled out to 16,384 cells.
MAX_COLUMNS = 26
# What the workbook's parts may unpack to. A workbook of MAX_ROWS rows of the template
# unpacks to some 13 MB; a "zip bomb" of a few MB to gigabytes, which openpyxl would
# read into memory (the shared strings) or parse cell by cell before any row limit.
MAX_UNPACKED = 100_000_000


def _too_long(sheet: str, max_rows: int) -> Refused:
    return Refused(
        _(
            "The sheet “%(sheet)s” has rows further down than row %(max)s. At most %(max)s "
            "rows can be imported at a time: delete the rows below the data, or split the "
            "rows over several files.",
            sheet=sheet,
            max=format_number(max_rows),
        )
    )


def _sheet_rows(ws, max_rows: int) -> list[tuple]:
    """The sheet's rows, at most MAX_COLUMNS wide. A sheet that says (in its dimension)
    that it is longer than `max_rows` is refused before a row is read; one that does not
    say, or says less, when row `max_rows` + 1 is reached."""
    if ws.max_row is not None and ws.max_row > max_rows:
        raise _too_long(ws.title, max_rows)
    width = min(ws.max_column or MAX_COLUMNS, MAX_COLUMNS)
    rows = []
    for row in ws.iter_rows(max_col=width, values_only=True):
        if len(rows) == max_rows:
            raise _too_long(ws.title, max_rows)
        rows.append(tuple(row))
    return rows


class _Reader(ExcelReader):
    """openpyxl's reader, read-only, that opens no sheet in UNREAD_SHEETS. openpyxl opens
    every sheet as it opens the workbook, to find its size from its <dimension>; a sheet
    without one is parsed to its end there, the sheets nothing is read from too."""

    def read_worksheets(self):
        for sheet, rel in self.parser.find_sheets():
            # A chart sheet has no cells: openpyxl's worksheets leave it out too.
            if sheet.name in UNREAD_SHEETS or "chartsheet" in rel.Type:
                continue
            if rel.target in self.valid_files:
                ws = ReadOnlyWorksheet(self.wb, sheet.name, rel.target, self.shared_strings)
                self.wb._sheets.append(ws)


def load_workbook(data: bytes):
    """The workbook, read-only, formulas as formulas, without the sheets in UNREAD_SHEETS."""
    reader = _Reader(BytesIO(data), read_only=True, data_only=False)
    reader.read()
    return reader.wb


def read_upload(
    filename: str, data: bytes, max_rows: int = MAX_ROWS, max_unpacked: int = MAX_UNPACKED
) -> Upload:
    """Parse the file; raise Refused for a file that cannot be imported at all."""
    if not filename.lower().endswith(".xlsx"):
        raise Refused(_("Only Excel workbooks (.xlsx) can be imported."))
    if not zipfile.is_zipfile(BytesIO(data)):
        raise Refused(_("The file is not a valid Excel workbook (.xlsx)."))
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            # The sizes the archive declares bound what it unpacks to: zipfile stops at a
            # part's declared size, and refuses the part if its content is longer.
            unpacked = sum(info.file_size for info in archive.infolist())
    except Exception as error:  # a broken central directory
        raise Refused(_("The file is not a valid Excel workbook (.xlsx).")) from error
    if unpacked > max_unpacked:
        raise Refused(
            _(
                "The workbook unpacks to more than %(size)s, far more than an import "
                "needs, so it is not read. Copy the rows into a new import template and "
                "upload that.",
                size=f"{max_unpacked / 1_000_000:g} MB",
            )
        )
    try:
        workbook = load_workbook(data)
    except Exception as error:  # openpyxl raises many kinds for a broken package
        raise Refused(_("The file is not a valid Excel workbook (.xlsx).")) from error
    try:
        sheets = {ws.title: _sheet_rows(ws, max_rows) for ws in workbook}
    except Refused:
        raise
    except Exception as error:
        raise Refused(_("The file is not a valid Excel workbook (.xlsx).")) from error
    finally:
        workbook.close()
    return parse_sheets(sheets)


CPR_MASK = "••••••-••••"


def _clean(text: str) -> str:
    """Text as the forms keep it (forms.BaseForm): line breaks as LF, and without the
    characters no one types (control characters, bidirectional overrides)."""
    return UNTYPED.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _masked(value) -> str:
    """The cell as shown in the error list: never the CPR-shaped part itself."""
    if not isinstance(value, str):
        return CPR_MASK
    return masked(_clean(value), CPR_MASK)


def _cpr_shaped(value) -> bool:
    """A text cell with a CPR number in it, or a whole number that is one. Excel keeps
    0102031234 typed into a number cell as 102031234 (and shows it as 010203-1234 when the
    cell is formatted "000000-0000", as CPR columns often are), so the number is also
    read with its leading zero put back."""
    if isinstance(value, str):
        # As it would be saved: a control character inside the number hides it no longer.
        return contains_cpr(_clean(value))
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, float) and not value.is_integer():
        return False
    number = int(value)
    return 0 < number < 10**10 and contains_cpr(f"{number:010d}")


def _column_name(sheet: str, rows: list[tuple], r: int, c: int) -> str:
    """A data sheet's column by its header (as the other row errors), else its letter."""
    if sheet in (RATINGS_SHEET, ANSWERS_SHEET) and r > 1 and rows and c < len(rows[0]):
        header = _text(rows[0][c])
        if header:
            return header
    return get_column_letter(c + 1)


def parse_sheets(sheets: dict[str, list[tuple]]) -> Upload:
    """Refuse formulas anywhere; report every CPR-shaped cell; pick out the two data sheets.

    A CPR-shaped cell is reported by sheet, row and column, all of them at once, and its text
    is masked in the data rows, so no other check shows it back to the user."""
    cpr: list[RowError] = []
    for name, rows in sheets.items():
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if _is_formula(value):
                    raise Refused(
                        _(
                            "Sheet “%(sheet)s”, row %(row)d contains a formula. Import values "
                            "only: copy the cells and paste them as values.",
                            sheet=name,
                            row=r,
                        )
                    )
                if _cpr_shaped(value):
                    column = _column_name(name, rows, r, c)
                    cpr.append(RowError(name, r, column, _masked(value), str(CPR_MESSAGE), c))
    if cpr:
        sheets = {name: _without_cpr(rows) for name, rows in sheets.items()}
    _refuse_renamed(sheets)
    upload = Upload(errors=cpr, sheets=list(sheets))
    if RATINGS_SHEET in sheets:
        upload.ratings = _rows(RATINGS_SHEET, sheets[RATINGS_SHEET], RATING_COLUMNS)
    if ANSWERS_SHEET in sheets:
        upload.answers = _rows(ANSWERS_SHEET, sheets[ANSWERS_SHEET], ANSWER_COLUMNS)
    if upload.ratings is None and upload.answers is None:
        raise Refused(
            _(
                "The workbook has neither the sheet “%(a)s” nor “%(b)s”. Start from the "
                "import template.",
                a=RATINGS_SHEET,
                b=ANSWERS_SHEET,
            )
        )
    return upload


def _refuse_renamed(sheets: dict[str, list[tuple]]) -> None:
    """A data sheet is found by its name. One renamed in Excel would be passed over in
    silence, its rows not imported: a sheet with a data sheet's columns under another name
    refuses the file and says which name to give it back."""
    for name, columns in ((RATINGS_SHEET, RATING_COLUMNS), (ANSWERS_SHEET, ANSWER_COLUMNS)):
        if name in sheets:
            continue
        for title, rows in sheets.items():
            header = {_text(v) for v in rows[0]} if rows else set()
            if set(columns) <= header:
                raise Refused(
                    _(
                        "The sheet “%(found)s” has the columns of the sheet “%(name)s” but "
                        "another name, so its rows would not be imported. Rename it "
                        "“%(name)s” and import the file again.",
                        found=title,
                        name=name,
                    )
                )


def _without_cpr(rows: list[tuple]) -> list[tuple]:
    return [tuple(_masked(v) if _cpr_shaped(v) else v for v in row) for row in rows]


def only_new_errors(errors: list[RowError], known: list[RowError]) -> list[RowError]:
    """The errors of cells not already reported (a CPR-shaped cell needs no second error)."""
    cells = {(e.sheet, e.row, e.column) for e in known}
    return [e for e in errors if (e.sheet, e.row, e.column) not in cells]


def in_reading_order(errors: list[RowError], sheets: Sequence[str]) -> list[RowError]:
    """The errors as someone correcting the file reads it: sheet by sheet in the workbook's
    order, then row by row, then column by column (the CPR-shaped cells among the rest)."""
    place = {name: i for i, name in enumerate(sheets)}
    return sorted(errors, key=lambda e: (place.get(e.sheet, len(place)), e.row, e.position))


def _name(value) -> str:
    """A phase or core element name typed in a cell, as names are matched (names.py)."""
    return name_key(_text(value))


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number comes back as 1001.0
    return "" if value is None else _clean(str(value)).strip()


def _rows(sheet: str, rows: list[tuple], columns: Sequence[str]) -> list[Row]:
    header = [_text(v) for v in rows[0]] if rows else []
    missing = [c for c in columns if c not in header]
    if missing:
        raise Refused(
            _(
                "The sheet “%(sheet)s” is missing the columns: %(columns)s. Start from the "
                "import template.",
                sheet=sheet,
                columns=", ".join(missing),
            )
        )
    index = {c: header.index(c) for c in columns}
    result = []
    for number, row in enumerate(rows[1:], start=2):
        values = {c: (row[i] if i < len(row) else None) for c, i in index.items()}
        if all(_text(v) == "" for v in values.values()):
            continue
        result.append(Row(number, values, index))
    return result


def _shown(value) -> str:
    """A cell's value as the error table shows it: as Excel shows it in Denmark."""
    if isinstance(value, bool):  # a TRUE or FALSE cell: as Danish Excel shows it
        return _("TRUE") if value else _("FALSE")
    if isinstance(value, date):  # a datetime too
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float) and abs(value) >= 1e15:
        # Beyond Excel's 15 digits Excel shows an exponent; int() would show float noise.
        return f"{value:G}".replace(".", ",")
    if isinstance(value, float) and not value.is_integer():
        return repr(value).replace(".", ",")
    return _text(value)


def _cell_error(sheet: str, row: Row, column: str, message: str) -> RowError:
    value = _shown(row.values[column])
    return RowError(sheet, row.number, column, value, message, row.positions.get(column, 0))


def _ui_day(day: date) -> str:
    """A date in a message as the pages write dates (05.01.2026 in Danish), not as the
    sheet does. Checked outside a request (a script, a unit test) there is no user's
    locale: Danish, everyone's language by default."""
    return format_day(day, locale=str(get_locale() or "da"))


# --- Ratings ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingContext:
    """What the ratings of one intervention may refer to, keyed by what the sheet shows."""

    cases: dict  # code (upper case) → case id
    closed_cases: set  # codes of closed cases
    starts: dict  # code → the case's start date
    phases: dict  # name → phase id (not archived, and no other phase has the name)
    elements: dict  # name → core element id (likewise)
    scale: Sequence[int]
    today: date
    # Names (name_key) more than one phase or core element has, archived ones included: a
    # row naming one is refused rather than filed under a guess.
    ambiguous_phases: frozenset = frozenset()
    ambiguous_elements: frozenset = frozenset()


@dataclass(frozen=True)
class RatingRow:
    row: int
    case_id: int
    phase_id: int
    core_element_id: int
    score: int
    day: date
    comment: str


def _score(value, scale: Sequence[int]) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        # Only ASCII digits: "²" is a digit to str.isdigit, not to int.
        value = int(text) if text.isascii() and text.isdigit() else value
    return value if isinstance(value, int) and value in scale else None


DATE_FORMATS = ("%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


def _date(value) -> date | str | None:
    """A date cell as a date; text in one of DATE_FORMATS too. Otherwise the message."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is None or (isinstance(value, str) and not _text(value)):
        return _("Fill in the date.")
    if isinstance(value, str):
        text = _text(value)
        for pattern in DATE_FORMATS:
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        return _("Could not read '%(value)s' as a date; write e.g. 05-03-2026.", value=text)
    return _("Write the date as an Excel date, e.g. 05-03-2026.")


def check_ratings(
    rows: Iterable[Row], ctx: RatingContext
) -> tuple[list[RatingRow], list[RowError]]:
    valid: list[RatingRow] = []
    errors: list[RowError] = []
    # Codes are stored in upper case, names matched ignoring case and surrounding spaces.
    cases = {k.upper(): i for k, i in ctx.cases.items()}
    closed = {k.upper() for k in ctx.closed_cases}
    starts = {k.upper(): d for k, d in ctx.starts.items()}
    phases = {name_key(k): i for k, i in ctx.phases.items()}
    elements = {name_key(k): i for k, i in ctx.elements.items()}
    for row in rows:
        v = row.values

        def error(column, message, row=row):
            errors.append(_cell_error(RATINGS_SHEET, row, column, message))

        code, phase, element = _text(v[CASE]).upper(), _name(v[PHASE]), _name(v[ELEMENT])
        before = len(errors)
        if not code:
            error(CASE, _("Fill in the case code."))
        elif code not in cases:
            error(CASE, _("There is no case with this code in the intervention."))
        elif code in closed:
            error(CASE, _("The case is closed; its ratings can no longer be changed."))
        if not phase:
            error(PHASE, _("Fill in the phase."))
        elif phase in ctx.ambiguous_phases:
            error(
                PHASE,
                _(
                    "Several phases have this name; give them different names under "
                    "Workflows first."
                ),
            )
        elif phase not in phases:
            error(PHASE, _("The intervention has no active phase with this name."))
        if not element:
            error(ELEMENT, _("Fill in the core element."))
        elif element in ctx.ambiguous_elements:
            error(
                ELEMENT,
                _(
                    "Several core elements have this name; give them different names under "
                    "Core elements first."
                ),
            )
        elif element not in elements:
            error(ELEMENT, _("The intervention has no active core element with this name."))
        score = _score(v[SCORE], ctx.scale)
        if score is None:
            error(
                SCORE,
                _(
                    "Use a whole number from %(low)d to %(high)d.",
                    low=min(ctx.scale),
                    high=max(ctx.scale),
                ),
            )
        day = _date(v[DATE])
        if not isinstance(day, date):
            error(DATE, day)
        elif day > ctx.today:
            error(DATE, _("The date is in the future."))
        elif code in starts and day < starts[code]:
            # Also a number typed into a date cell: -1 reads as 29-12-1899.
            error(
                DATE,
                _(
                    "The date is before the case started (%(start)s).",
                    start=_ui_day(starts[code]),
                ),
            )
        comment = _text(v[COMMENT])
        if len(comment) > COMMENT_MAX_LENGTH:
            error(
                COMMENT,
                _(
                    "The comment is %(length)d characters long; at most %(max)d are allowed.",
                    length=len(comment),
                    max=COMMENT_MAX_LENGTH,
                ),
            )
        if len(errors) == before:
            valid.append(
                RatingRow(
                    row.number,
                    cases[code],
                    phases[phase],
                    elements[element],
                    score,
                    day,
                    comment,
                )
            )
    return valid, errors


# --- Self-assessment answers ------------------------------------------------------------


@dataclass(frozen=True)
class RoundInfo:
    id: int
    is_open: bool
    respondents: dict  # e-mail (lower case) → respondent id
    statements: dict  # statement text → statement id
    answers: dict  # scale label or key (lower case) → key


@dataclass(frozen=True)
class AnswerContext:
    rounds: dict = field(default_factory=dict)  # name → RoundInfo
    # Set for an importer who may enter only their own answers (lower case e-mail); None
    # for a leader or administrator, who enters paper answers on the respondents' behalf.
    own_email: str | None = None


@dataclass(frozen=True)
class AnswerRow:
    row: int
    respondent_id: int
    statement_id: int
    value: str


def check_answers(
    rows: Iterable[Row], ctx: AnswerContext
) -> tuple[list[AnswerRow], list[RowError]]:
    valid: list[AnswerRow] = []
    errors: list[RowError] = []
    given: dict[tuple[int, int], tuple[str, int]] = {}
    for row in rows:
        v = row.values

        def error(column, message, row=row):
            errors.append(_cell_error(ANSWERS_SHEET, row, column, message))

        name, email = _text(v[ROUND]), _text(v[RESPONDENT]).lower()
        statement, answer = _text(v[STATEMENT]), _text(v[ANSWER]).lower()
        before = len(errors)
        info = ctx.rounds.get(name)
        if not name:
            error(ROUND, _("Fill in the round."))
        elif info is None:
            error(ROUND, _("The intervention has no round with this name."))
        elif not info.is_open:
            error(ROUND, _("The round is closed; answers can no longer be changed."))
        if not email:
            error(RESPONDENT, _("Fill in the respondent's e-mail."))
        elif info is not None and email not in info.respondents:
            error(RESPONDENT, _("This person is not invited to answer the round."))
        elif ctx.own_email is not None and email != ctx.own_email:
            error(
                RESPONDENT,
                _(
                    "You can import only your own answers. A leader or an administrator "
                    "enters answers on another respondent's behalf."
                ),
            )
        if not statement:
            error(STATEMENT, _("Fill in the statement."))
        elif info is not None and statement not in info.statements:
            error(STATEMENT, _("The statement is not in the round's instrument version."))
        if not answer:
            error(ANSWER, _("Fill in the answer."))
        elif info is not None and answer not in info.answers:
            error(ANSWER, _("Choose one of the answers on the scale."))
        if len(errors) > before or info is None:
            continue
        item = AnswerRow(
            row.number, info.respondents[email], info.statements[statement], info.answers[answer]
        )
        key = (item.respondent_id, item.statement_id)
        if key in given and given[key][0] != item.value:
            error(
                ANSWER,
                _(
                    "Row %(row)d gives this respondent another answer to the same statement.",
                    row=given[key][1],
                ),
            )
            continue
        if key not in given:
            given[key] = (item.value, row.number)
            valid.append(item)
    return valid, errors
