"""Write sheets of typed rows into a well-formed .xlsx, streaming (openpyxl write-only mode).

A sheet is columns (with their meaning, type and allowed values, for the Datadefinitioner
sheet) plus an iterable of rows; rows are written as they come, so memory stays flat however
many there are. Dates stay dates, numbers numbers, and empty stays empty.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

DANISH_TIME = ZoneInfo("Europe/Copenhagen")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE7EF")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")

# Column types as they appear in Datadefinitioner, with their Excel formats and widths.
TYPES = {
    "text": ("Tekst", None, 30),
    "long_text": ("Tekst (lang)", None, 60),
    "int": ("Heltal", "0", 10),
    "number": ("Tal", "0.0", 10),
    "date": ("Dato", "DD-MM-YYYY", 12),
    "datetime": ("Dato og tid", "DD-MM-YYYY HH:MM", 17),
    "bool": ("Ja/nej", None, 8),
}


@dataclass(frozen=True)
class Column:
    header: str
    kind: str
    meaning: str
    allowed: str = ""
    width: int | None = None


@dataclass
class Sheet:
    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]
    # Called with the open worksheet and the number of data rows, after the rows are written
    # (charts, conditional formatting); rows are streamed, so it cannot look at them.
    finish: Callable | None = None
    count: int = field(default=0, init=False)


def _cell(ws, value, column: Column):
    if isinstance(value, bool) or (column.kind == "bool" and value is not None):
        value = "Ja" if value else "Nej"
    elif isinstance(value, datetime) and value.tzinfo is not None:
        # Excel has no time zones; write Danish wall-clock time.
        value = value.astimezone(DANISH_TIME).replace(tzinfo=None)
    elif value == "":
        value = None
    cell = WriteOnlyCell(ws, value=value)
    # The format follows the value, so a mixed column (Oversigt) still shows dates as dates.
    if isinstance(value, datetime):
        cell.number_format = TYPES["datetime"][1]
    elif isinstance(value, date):
        cell.number_format = TYPES["date"][1]
    elif isinstance(value, int | float) and TYPES[column.kind][1]:
        cell.number_format = TYPES[column.kind][1]
    cell.alignment = WRAP if column.kind == "long_text" else TOP
    return cell


def _write_sheet(workbook: Workbook, sheet: Sheet):
    ws = workbook.create_sheet(sheet.name[:31])
    for index, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width or TYPES[column.kind][2]
    ws.freeze_panes = "A2"
    # Printed: landscape, with the header row repeated on every page.
    ws.page_setup.orientation = "landscape"
    ws.print_title_rows = "1:1"
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, value=column.header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        header.append(cell)
    ws.append(header)
    count = 0
    for row in sheet.rows:
        ws.append(
            [_cell(ws, value, column) for value, column in zip(row, sheet.columns, strict=True)]
        )
        count += 1
    sheet.count = count
    last = get_column_letter(len(sheet.columns))
    ws.auto_filter.ref = f"A1:{last}{count + 1}"
    if sheet.finish:
        sheet.finish(ws, count)
    return ws


def write_workbook(
    sheets: Sequence[Sheet], overview: Callable[[Sequence[Sheet]], Sheet]
) -> BytesIO:
    """All sheets, with the overview (which reports their row counts) placed first."""
    workbook = Workbook(write_only=True)
    # Sheets are written in order and the overview needs the counts, so it is written last
    # and then moved to the front.
    for sheet in sheets:
        _write_sheet(workbook, sheet)
    first = _write_sheet(workbook, overview(sheets))
    workbook.move_sheet(first.title, offset=-len(sheets))
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer
