"""Write sheets of typed rows into a well-formed .xlsx, streaming (see xlsx.py).

A sheet is columns (with their meaning, type and allowed values, for the Datadefinitioner
sheet) plus an iterable of rows; rows are written as they come, so memory stays flat however
many there are. Dates stay dates, numbers numbers, and empty stays empty.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from itertools import chain, islice
from typing import BinaryIO

from ..clock import LOCAL
from .xlsx import Col, ColorScale, Radar, Workbook

HEADER_FILL = "DDE7EF"
# Excel opens at most 1,048,576 rows a sheet, the header included. A longer sheet goes on
# in "Name (2)", "Name (3)" ... with the same header, so no row is cut off.
MAX_DATA_ROWS = 1_048_575
# Excel's limit on a sheet's name.
MAX_NAME = 31
# How a text too long for a cell ends, once cut (Oversigt counts them).
CUT_MARK = " … [afkortet]"
# Every printed page's footer (Excel's codes: &P the page, &N the pages printed).
PAGE_NUMBERS = "Side &P af &N"

# Column types as they appear in Datadefinitioner, with their Excel formats and widths.
TYPES = {
    "text": ("Tekst", None, 30),
    "long_text": ("Tekst (lang)", None, 60),
    "int": ("Heltal", "0", 10),
    "number": ("Tal", "0.0", 10),
    "date": ("Dato", "DD-MM-YYYY", 12),
    "datetime": ("Dato og tid", "DD-MM-YYYY HH:MM", 17),
    "bool": ("Ja/nej", None, 8),
    # A figure the self-assessment's result page may withhold: a number, or the page's
    # words for why it is not shown ("for få til at vise"), wrapped to the narrow column.
    "number_or_text": ("Tal eller tekst", "0.0", 11),
    "int_or_text": ("Heltal eller tekst", "0", 11),
}
# Kinds whose cells wrap within the column's width.
WRAPPED = frozenset({"long_text", "number_or_text", "int_or_text"})


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
    # Why the sheet has no rows, in plain Danish, for Oversigt (shown only when it has
    # none): the builder says what is missing, the data table itself stays rows only.
    empty: str = ""
    # What Oversigt should say about the sheet whatever its rows (e.g. what was left out).
    note: str = ""
    count: int = field(default=0, init=False)
    # Texts longer than an Excel cell holds, cut to fit (see xlsx.MAX_CELL_TEXT).
    cut: int = field(default=0, init=False)
    # The sheets it was written as, with their rows: one, unless it exceeded Excel's limit.
    parts: list[tuple[str, int]] = field(default_factory=list, init=False)


def part_name(name: str, number: int) -> str:
    """The name of a sheet's `number`th part: the name itself, then "Name (2)" and on."""
    if number == 1:
        return name[:MAX_NAME]
    suffix = f" ({number})"
    return name[: MAX_NAME - len(suffix)] + suffix


def _write_sheet(workbook: Workbook, sheet: Sheet, first: bool = False) -> None:
    columns = [
        Col(
            width=column.width or TYPES[column.kind][2],
            wrap=column.kind in WRAPPED,
            number_format=TYPES[column.kind][1],
        )
        for column in sheet.columns
    ]
    header = [column.header for column in sheet.columns]
    rows = iter(sheet.rows)
    number = 1
    cut_before = workbook.cut
    while True:
        name = part_name(sheet.name, number)
        count = workbook.add_sheet(
            name,
            columns,
            header,
            islice(rows, MAX_DATA_ROWS),
            color_scale=sheet.color_scale,
            # The chart's sheets are a few rows per round; a chart charts its own part.
            radar=sheet.radar if number == 1 else None,
            first=first,
        )
        sheet.parts.append((name, count))
        sheet.count += count
        sheet.cut = workbook.cut - cut_before
        if count < MAX_DATA_ROWS:
            return
        following = next(rows, None)
        if following is None:
            return
        rows = chain([following], rows)
        number += 1


def write_workbook(
    sheets: Sequence[Sheet],
    overview: Callable[[Sequence[Sheet]], Sheet],
    target: BinaryIO,
    timezone: tzinfo = LOCAL,
    subject: str = "",
) -> None:
    """All sheets into `target`, with the overview (which reports their row counts) first.

    Every printed page's header names its sheet and `subject`, what the workbook is about.

    Every timestamp is written as wall-clock time in `timezone` (Excel has no time zones).
    The database stores UTC, and SQLite hands it back without a zone, so a naive value is
    UTC too.
    """
    with Workbook(
        target,
        date_format=TYPES["date"][1],
        datetime_format=TYPES["datetime"][1],
        timezone=timezone,
        naive_timezone=UTC,
        header_fill=HEADER_FILL,
        booleans=("Ja", "Nej"),
        cut_mark=CUT_MARK,
        subject=subject,
        page_numbers=PAGE_NUMBERS,
    ) as workbook:
        # Sheets are written in order and the overview needs the counts, so it is written
        # last and placed first.
        for sheet in sheets:
            _write_sheet(workbook, sheet)
        _write_sheet(workbook, overview(sheets), first=True)
        workbook.close()
