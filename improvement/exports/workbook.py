"""Write sheets of typed rows into a well-formed .xlsx, streaming (see xlsx.py).

A sheet is columns (with their meaning, type and allowed values, for the Datadefinitioner
sheet) plus an iterable of rows; rows are written as they come, so memory stays flat however
many there are. Dates stay dates, numbers numbers, and empty stays empty.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO
from zoneinfo import ZoneInfo

from .xlsx import Col, ColorScale, Radar, Workbook

DANISH_TIME = ZoneInfo("Europe/Copenhagen")
HEADER_FILL = "DDE7EF"

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
    # A colour scale on one column's values (the ratings' heat map).
    color_scale: ColorScale | None = None
    # A radar chart of some of the columns, beside the data.
    radar: Radar | None = None
    count: int = field(default=0, init=False)


def _write_sheet(workbook: Workbook, sheet: Sheet, first: bool = False) -> None:
    columns = [
        Col(
            width=column.width or TYPES[column.kind][2],
            wrap=column.kind == "long_text",
            number_format=TYPES[column.kind][1],
        )
        for column in sheet.columns
    ]
    count = workbook.add_sheet(
        sheet.name,
        columns,
        [column.header for column in sheet.columns],
        sheet.rows,
        color_scale=sheet.color_scale,
        radar=sheet.radar,
        first=first,
    )
    sheet.count = count


def write_workbook(
    sheets: Sequence[Sheet], overview: Callable[[Sequence[Sheet]], Sheet], target: BinaryIO
) -> None:
    """All sheets into `target`, with the overview (which reports their row counts) first."""
    with Workbook(
        target,
        date_format=TYPES["date"][1],
        datetime_format=TYPES["datetime"][1],
        timezone=DANISH_TIME,
        header_fill=HEADER_FILL,
        booleans=("Ja", "Nej"),
    ) as workbook:
        # Sheets are written in order and the overview needs the counts, so it is written
        # last and placed first.
        for sheet in sheets:
            _write_sheet(workbook, sheet)
        _write_sheet(workbook, overview(sheets), first=True)
        workbook.close()
