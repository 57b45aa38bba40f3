"""A small streaming writer of .xlsx workbooks (Office Open XML SpreadsheetML).

The organisation export has well over a million rows. openpyxl and XlsxWriter spend about
100 µs per ten-cell row in their general cell machinery (measured on our 2-core machine),
which makes minutes; this writer spends a few µs, because it supports only what the
exports use: typed cells (texts, numbers, dates, booleans) with a handful of styles, a
frozen bold header, column widths, an autofilter, print titles, a colour scale on one
column, a radar chart, and a print setup (A4, as few pages wide as keep it readable, a
header and footer).

Each sheet's XML is written to a temporary file as rows arrive (memory stays flat), then
compressed into the zip by a background thread while the next sheet is written; zlib
releases the GIL, so this uses the second core. Texts that repeat go to the shared string
table. The parts follow what openpyxl writes, and openpyxl, pandas and LibreOffice read
them back.
"""

import math
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.writer.theme import theme_xml

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
DML = "http://schemas.openxmlformats.org/drawingml/2006/main"
CONTENT = "application/vnd.openxmlformats-officedocument."
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Characters XML 1.0 cannot carry at all; they are dropped. Control characters (openpyxl
# refuses them), surrogates, and U+FFFE and U+FFFF: the forms keep these two, and one in a
# text made the whole sheet (or the shared strings) unreadable.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
SPECIAL = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Excel reads _xHHHH_ in a cell's text as the character HHHH (ST_Xstring, ECMA-376 Part 1,
# 22.4.2.4): a typed "_x0041_" would show as "A". Such a text has its underscore written
# as _x005F_, which Excel reads as "_".
XSTRING = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
# Day 0 of Excel's (1900) date system is 30 Dec 1899.
EXCEL_EPOCH = date(1899, 12, 30).toordinal()
# Rows are encoded to the temporary file in batches of this many.
BATCH = 500
# zlib level. The national organisation export's 475 MB of sheet XML: level 1 takes 2 s of
# CPU for a 58 MB workbook, the default 6 takes 7.5 s for 45 MB. With repeated texts in the
# shared string table, level 1 is as small as openpyxl's level 6 was (57 MB).
COMPRESSION = 1
# 1 cm in the EMU units of DrawingML.
EMU_PER_CM = 360_000
# Excel's limit on a cell's text, counted in UTF-16 code units (an emoji is two). Excel
# does not open a longer text as it is (it offers to repair the file), so one is cut.
MAX_CELL_TEXT = 32_767

# Printing. A column's width unit is the width of a digit in the default font (Calibri
# 11): 7 pixels of 96 to the inch.
CM_PER_WIDTH = 7 / 96 * 2.54
# Page margins in inches: about 1 cm at the sides, room above and below for the header and
# footer (Excel's "narrow" margins, a little wider at the sides).
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.75, "bottom": 0.75, "header": 0.3, "footer": 0.3}
# What fits across an A4 page between the side margins at 100 %, in width units: upright
# (21 cm) 19.0 cm, 102 units; across (29.7 cm) 27.7 cm, 149 units. A sheet wider than an
# upright page prints across the page; one wider still prints smaller, to fit.
PORTRAIT_WIDTH = (21.0 - (MARGINS["left"] + MARGINS["right"]) * 2.54) / CM_PER_WIDTH
LANDSCAPE_WIDTH = (29.7 - (MARGINS["left"] + MARGINS["right"]) * 2.54) / CM_PER_WIDTH
# Smaller than this a printed sheet cannot be read: a sheet of many long texts (the PDSA
# worksheets' 25 columns would print at 15 % on one page) is spread over as few pages
# across as keep it at this scale or larger, each row's cells going on onto the next page.
MIN_PRINT_SCALE = 0.55
PAPER_A4 = 9  # ST_PaperSize (ECMA-376 Part 1, 18.3.1.63)
# Excel allows 255 characters in a header or a footer, codes included; the workbook's
# subject is cut to this many characters shown (at most 160 written, with "&" doubled).
MAX_SUBJECT = 80


@dataclass(frozen=True)
class Col:
    width: float
    wrap: bool = False
    # Excel number format for int and float values (None: General).
    number_format: str | None = None


@dataclass(frozen=True)
class ColorScale:
    """A three-colour scale on one column's data cells: (value, RRGGBB) low, mid, high."""

    column: int  # 1-based
    points: tuple[tuple[float, str], tuple[float, str], tuple[float, str]]


@dataclass(frozen=True)
class Radar:
    """A radar chart of `columns` (one series each, named by its header) over the
    categories in column 1, anchored in row 2 of column `anchor` (all 1-based)."""

    title: str
    columns: tuple[int, ...]
    anchor: int
    width_cm: float = 18
    height_cm: float = 12
    style: int = 26
    y_min: float = 0
    y_max: float = 100


@dataclass(frozen=True)
class _SheetPart:
    name: str
    columns: int
    rows: int
    chart: bool
    # Printed across the page: its columns (and chart) are wider than an upright page.
    landscape: bool = False
    # How many pages wide it prints (see MIN_PRINT_SCALE).
    pages_wide: int = 1


class _Styles:
    """Cell formats (cellXfs), created as the sheets ask for them."""

    BUILTIN_FORMATS = {None: 0, "0": 1}  # General, and whole numbers

    def __init__(self, header_fill: str):
        self.header_fill = header_fill
        self.formats: dict[str, int] = {}
        self.xfs: dict[tuple[str | None, bool], int] = {}
        self.header = 1  # xf 0 is the default, 1 the header

    def body(self, number_format: str | None, wrap: bool) -> int:
        key = (number_format, wrap)
        if key not in self.xfs:
            if number_format not in self.BUILTIN_FORMATS and number_format not in self.formats:
                self.formats[number_format] = 164 + len(self.formats)
            self.xfs[key] = 2 + len(self.xfs)
        return self.xfs[key]

    def xml(self) -> str:
        formats = "".join(
            f'<numFmt numFmtId="{i}" formatCode={quoteattr(code)}/>'
            for code, i in self.formats.items()
        )
        font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
        xfs = [
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
            '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1"'
            ' applyFill="1"/>',
        ]
        for (number_format, wrap), _ in sorted(self.xfs.items(), key=lambda item: item[1]):
            number = self.BUILTIN_FORMATS.get(number_format, self.formats.get(number_format))
            wrap_text = ' wrapText="1"' if wrap else ""
            xfs.append(
                f'<xf numFmtId="{number}" fontId="0" fillId="0" borderId="0" xfId="0"'
                f' applyNumberFormat="1" applyAlignment="1">'
                f'<alignment vertical="top"{wrap_text}/></xf>'
            )
        return (
            f'{XML_HEAD}<styleSheet xmlns="{MAIN}">'
            f'<numFmts count="{len(self.formats)}">{formats}</numFmts>'
            f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
            '<fills count="3"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill>'
            f'<fill><patternFill patternType="solid"><fgColor rgb="FF{self.header_fill}"/>'
            '<bgColor indexed="64"/></patternFill></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _cut(value: str, mark: str) -> str:
    """`value` cut so that, ending with `mark`, it fits in a cell."""
    room = MAX_CELL_TEXT - _utf16_length(mark)
    kept = value[:room]
    # Characters outside the Basic Multilingual Plane take two units. Dropping half the
    # excess (rounded up) in characters drops at least that many units and at most one
    # more than the excess, so it never cuts much deeper than needed.
    while (excess := _utf16_length(kept) - room) > 0:
        kept = kept[: -((excess + 1) // 2)]
    return kept + mark


def _escaped(value: str) -> bool:
    """Whether `value` holds what Excel reads as an escape. openpyxl (and so the import, and
    pandas) undoes Excel's escape of it only in the shared string table, so such a text is
    always written there, never inline."""
    return "_x" in value and XSTRING.search(value) is not None


def _text(value: str) -> str:
    """The <t> element of an inline or shared string."""
    if SPECIAL.search(value):
        value = escape(ILLEGAL.sub("", value))
    if "_x" in value:
        value = XSTRING.sub("_x005F_", value)
    if value[:1].isspace() or value[-1:].isspace():
        return f'<t xml:space="preserve">{value}</t>'
    return f"<t>{value}</t>"


class _SharedStrings:
    """The workbook's shared string table: a text repeated on many rows (an intervention's
    name, a phase, a statement) is written once and referred to by number.

    A column whose texts mostly do not repeat (codes, comments) stops adding to the table
    and writes its new texts inline, so the table stays small; the table has a cap too.
    A text that looks like Excel's escape is always shared (see _escaped).
    """

    LIMIT = 300_000  # entries
    LONGEST = 500  # characters; longer texts are written inline
    TRIAL = 1_000  # texts a column adds before its repetition is judged

    def __init__(self):
        self.index: dict[str, int] = {}

    def add(self, text: str) -> int:
        """The number of `text` in the table, added if new (whatever the limits)."""
        i = self.index.get(text)
        if i is None:
            i = self.index[text] = len(self.index)
        return i

    def xml_parts(self) -> Iterator[str]:
        yield f'{XML_HEAD}<sst xmlns="{MAIN}" uniqueCount="{len(self.index)}">'
        for text in self.index:
            yield f"<si>{_text(text)}</si>"
        yield "</sst>"


class _Encoders(dict):
    """type(value) → function(value, row number as text) → the XML of one column's cell.

    Looking the encoder up by exact type keeps the common cases to one dict lookup;
    subclasses and other types fall through to `general`. Empty cells are left out: the
    column's style (<col style>) covers them.
    """

    def __init__(self, book: "Workbook", letter: str, column: Col):
        super().__init__()
        styles, timezone, booleans = book.styles, book.timezone, book.booleans
        naive_zone = book.naive_timezone
        text = styles.body(None, column.wrap)
        number = styles.body(column.number_format, column.wrap)
        day = styles.body(book.date_format, column.wrap)
        moment = styles.body(book.datetime_format, column.wrap)
        shared = book.shared
        table = shared.index
        sharing = True
        seen = added = 0

        def empty(value, row):
            return ""

        def string(value, row):
            nonlocal sharing, seen, added
            if not value:
                return ""
            seen += 1
            i = table.get(value)
            if i is None:
                if sharing and len(value) <= shared.LONGEST and len(table) < shared.LIMIT:
                    i = table[value] = len(table)
                    added += 1
                    # Mostly new texts: this column's texts do not repeat, write them inline.
                    sharing = added < shared.TRIAL or added * 2 < seen
                else:
                    # Only a text longer than half the limit can exceed it in UTF-16 units;
                    # shared texts are far shorter.
                    if len(value) * 2 > MAX_CELL_TEXT and _utf16_length(value) > MAX_CELL_TEXT:
                        value = _cut(value, book.cut_mark)
                        book.cut += 1
                    if _escaped(value):
                        return (
                            f'<c r="{letter}{row}" s="{text}" t="s"><v>{shared.add(value)}</v></c>'
                        )
                    return (
                        f'<c r="{letter}{row}" s="{text}" t="inlineStr"><is>{_text(value)}</is></c>'
                    )
            return f'<c r="{letter}{row}" s="{text}" t="s"><v>{i}</v></c>'

        def numeric(value, row):
            return f'<c r="{letter}{row}" s="{number}"><v>{value!r}</v></c>'

        def floating(value, row):
            # Excel has no NaN or infinity (a cell holding one is repaired away): empty.
            if not math.isfinite(value):
                return ""
            return f'<c r="{letter}{row}" s="{number}"><v>{value!r}</v></c>'

        def decimal(value, row):
            if not value.is_finite():
                return ""
            return f'<c r="{letter}{row}" s="{number}"><v>{value}</v></c>'

        def boolean(value, row):
            if booleans:
                return string(booleans[0] if value else booleans[1], row)
            return f'<c r="{letter}{row}" s="{text}" t="b"><v>{int(value)}</v></c>'

        def calendar_day(value, row):
            return f'<c r="{letter}{row}" s="{day}"><v>{value.toordinal() - EXCEL_EPOCH}</v></c>'

        def timestamp(value, row):
            if value.tzinfo is None and naive_zone is not None:
                value = value.replace(tzinfo=naive_zone)
            if value.tzinfo is not None:
                # Excel has no time zones: write the wall-clock time of `timezone`.
                value = value.astimezone(timezone).replace(tzinfo=None)
            return f'<c r="{letter}{row}" s="{moment}"><v>{to_excel(value)!r}</v></c>'

        def general(value, row):
            # Subclasses (an IntEnum, a Markup string) are written as their base type.
            if isinstance(value, str):
                return string(str(value), row)
            if isinstance(value, int):
                return numeric(int(value), row)
            if isinstance(value, float):
                return floating(float(value), row)
            if isinstance(value, Decimal):
                return decimal(value, row)
            if isinstance(value, datetime):
                return timestamp(value, row)
            if isinstance(value, date):
                return calendar_day(value, row)
            raise TypeError(f"cannot write {type(value).__name__} to Excel: {value!r}")

        self.update(
            {
                str: string,
                int: numeric,
                float: floating,
                bool: boolean,
                datetime: timestamp,
                date: calendar_day,
                type(None): empty,
                Decimal: decimal,
            }
        )
        self.general = general
        self.style = text

    def __missing__(self, kind):
        return self.general


def _sheet_name_ref(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


class Workbook:
    """Write sheets one after the other into `target` (a binary file); close() finishes.

    Aware datetimes are written as wall-clock time in `timezone`; naive ones are taken to
    be in `naive_timezone` and converted alike (None: written as they are). With `booleans`
    (yes, no) True and False are written as those texts instead of Excel's TRUE/FALSE.
    A text longer than a cell holds is cut and ends with `cut_mark`; `cut` counts them.

    Every sheet prints on A4 one page wide, or as few pages wide as keep it at
    MIN_PRINT_SCALE (with row numbers, so the parts of a row can be matched), and as many
    tall as it needs, across the page when its columns are wider than an upright page. The
    header shows the sheet's name and `subject` (plain text: what the workbook is about),
    the footer `page_numbers`, a footer text with Excel's codes (&P the page, &N the number
    of pages).
    """

    def __init__(
        self,
        target,
        *,
        date_format: str,
        datetime_format: str,
        timezone: tzinfo,
        header_fill: str,
        booleans: tuple[str, str] | None = None,
        naive_timezone: tzinfo | None = None,
        cut_mark: str = "…",
        subject: str = "",
        page_numbers: str = "&P / &N",
    ):
        self.zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION)
        self.styles = _Styles(header_fill)
        self.shared = _SharedStrings()
        self.date_format, self.datetime_format = date_format, datetime_format
        self.timezone, self.naive_timezone = timezone, naive_timezone
        self.booleans = booleans
        self.cut_mark, self.cut = cut_mark, 0
        self.header_footer = _header_footer(subject, page_numbers)
        self.sheets: list[_SheetPart] = []
        self.order: list[int] = []
        # One thread compresses finished parts into the zip, in order.
        self.packer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="xlsx")
        self.packed: list[Future] = []
        self.files: list = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.packer.shutdown(wait=True, cancel_futures=True)
        for part in self.files:  # left over when something failed
            part.close()
        self.zip.close()

    def add_sheet(
        self,
        name: str,
        columns: Sequence[Col],
        header: Sequence[str],
        rows: Iterable[Sequence],
        color_scale: ColorScale | None = None,
        radar: Radar | None = None,
        first: bool = False,
    ) -> int:
        """Write a sheet (header row, then `rows`); returns the number of data rows."""
        encoders = [
            _Encoders(self, get_column_letter(i), column)
            for i, column in enumerate(columns, start=1)
        ]
        # Closed by the packing thread once compressed into the zip.
        xml = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            head = _sheet_head(columns, encoders, header, self.styles.header, self.shared)
            xml.write(head.encode())
            count = _write_rows(xml, encoders, rows)
        except BaseException:
            xml.close()
            raise
        # Without rows a chart would chart the header (A2:A1 is A1:A2 to Excel).
        chart = radar is not None and count > 0
        width = _print_width(columns, radar if chart else None)
        pages_wide = math.ceil(width / (LANDSCAPE_WIDTH / MIN_PRINT_SCALE))
        sheet = _SheetPart(
            name[:31], len(columns), count, chart, width > PORTRAIT_WIDTH, pages_wide
        )
        self.sheets.append(sheet)
        index = len(self.sheets)
        if first:
            self.order.insert(0, index)
        else:
            self.order.append(index)
        xml.write(_sheet_tail(sheet, color_scale, self.header_footer).encode())
        self.files.append(xml)
        self._pack(f"xl/worksheets/sheet{index}.xml", xml)
        if sheet.chart:
            self._pack_chart(index, sheet, radar)
        return count

    def _pack(self, name: str, content) -> None:
        """Queue a part (text, or a temporary file) for compression into the zip."""

        def store():
            if isinstance(content, str):
                self.zip.writestr(name, content)
                return
            size = content.seek(0, 2)
            content.seek(0)
            # ZIP64 only when needed (zipfile's own rule): some readers stumble over it.
            zip64 = size * 1.05 > zipfile.ZIP64_LIMIT
            with self.zip.open(name, "w", force_zip64=zip64) as out:
                shutil.copyfileobj(content, out, 1 << 20)
            content.close()

        self.packed.append(self.packer.submit(store))

    def _pack_chart(self, index: int, sheet: _SheetPart, radar: Radar) -> None:
        n = sum(1 for s in self.sheets if s.chart)
        drawing = _relationships([("drawing", f"/xl/drawings/drawing{n}.xml")])
        self._pack(f"xl/worksheets/_rels/sheet{index}.xml.rels", drawing)
        chart = _relationships([("chart", f"/xl/charts/chart{n}.xml")])
        self._pack(f"xl/drawings/_rels/drawing{n}.xml.rels", chart)
        self._pack(f"xl/drawings/drawing{n}.xml", _drawing(radar))
        self._pack(f"xl/charts/chart{n}.xml", _radar_chart(sheet.name, radar, sheet.rows))

    def close(self) -> None:
        """Write the workbook's own parts and wait until everything is in the zip."""
        ordered = [(i, self.sheets[i - 1]) for i in self.order]
        count = len(self.sheets)
        relations = [("worksheet", f"/xl/worksheets/sheet{i}.xml") for i in range(1, count + 1)]
        relations += [
            ("styles", "/xl/styles.xml"),
            ("sharedStrings", "/xl/sharedStrings.xml"),
            ("theme", "/xl/theme/theme1.xml"),
        ]
        self._pack("xl/workbook.xml", _workbook(ordered))
        self._pack("xl/_rels/workbook.xml.rels", _relationships(relations))
        # Closed by the packing thread once compressed into the zip.
        table = tempfile.TemporaryFile()  # noqa: SIM115
        self.files.append(table)
        for part in _batched(self.shared.xml_parts()):
            table.write(part.encode())
        self._pack("xl/sharedStrings.xml", table)
        self._pack("xl/styles.xml", self.styles.xml())
        # openpyxl's default Office theme: chart styles take their colours from it.
        self._pack("xl/theme/theme1.xml", theme_xml)
        self._pack("[Content_Types].xml", _content_types(self.sheets))
        self._pack("_rels/.rels", _relationships([("officeDocument", "xl/workbook.xml")]))
        self.packer.shutdown(wait=True)
        for future in self.packed:
            future.result()  # re-raises what went wrong in the packing thread


def _workbook(ordered: Sequence[tuple[int, _SheetPart]]) -> str:
    """workbook.xml: the sheets in order (by the number of their part), the autofilter
    ranges and the header row repeated on every printed page."""
    sheets, filters, titles = [], [], []
    for position, (number, sheet) in enumerate(ordered):
        sheets.append(
            f'<sheet name={quoteattr(sheet.name)} sheetId="{number}" r:id="rId{number}"/>'
        )
        ref = escape(_sheet_name_ref(sheet.name))
        last = get_column_letter(sheet.columns)
        filters.append(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{position}"'
            f' hidden="1">{ref}!$A$1:${last}${sheet.rows + 1}</definedName>'
        )
        titles.append(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{position}">'
            f"{ref}!$1:$1</definedName>"
        )
    return (
        f'{XML_HEAD}<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{''.join(sheets)}</sheets>"
        f"<definedNames>{''.join(filters + titles)}</definedNames>"
        '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
    )


def _batched(parts: Iterable[str], size: int = 10_000) -> Iterator[str]:
    """The parts joined into longer strings, to write them in fewer calls."""
    batch = []
    for part in parts:
        batch.append(part)
        if len(batch) == size:
            yield "".join(batch)
            batch.clear()
    yield "".join(batch)


def _write_rows(xml, encoders: Sequence[_Encoders], rows: Iterable[Sequence]) -> int:
    number = 1  # the header's
    batch = []
    for number, row in enumerate(rows, start=2):
        r = str(number)  # once, not in every cell
        cells = "".join(
            [encode[type(value)](value, r) for encode, value in zip(encoders, row, strict=True)]
        )
        batch.append(f'<row r="{r}">{cells}</row>')
        if len(batch) == BATCH:
            xml.write("".join(batch).encode())
            batch.clear()
    xml.write("".join(batch).encode())
    return number - 1


def _sheet_head(
    columns: Sequence[Col],
    encoders: Sequence[_Encoders],
    header: Sequence[str],
    style: int,
    shared: _SharedStrings,
) -> str:
    """The sheet up to its first data row: printed to fit (fitToPage: the page setup's
    fitToWidth and fitToHeight apply), frozen header, column widths and styles
    (which empty cells take), the header row (inline, but a text with an escape in
    `shared`)."""
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{column.width}" style="{encode.style}" customWidth="1"/>'
        for i, (column, encode) in enumerate(zip(columns, encoders, strict=True), start=1)
    )
    titles = "".join(
        f'<c r="{get_column_letter(i)}1" s="{style}" t="s"><v>{shared.add(text)}</v></c>'
        if _escaped(text)
        else f'<c r="{get_column_letter(i)}1" s="{style}" t="inlineStr"><is>{_text(text)}</is></c>'
        for i, text in enumerate(header, start=1)
    )
    return (
        f'{XML_HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        "</sheetView></sheetViews>"
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
        f'<sheetData><row r="1">{titles}</row>'
    )


def _sheet_tail(sheet: _SheetPart, scale: ColorScale | None, header_footer: str) -> str:
    """The sheet after its last row: autofilter, colour scale, print setup (row numbers on a
    sheet printed more than one page wide; margins; A4, `pages_wide` pages wide and as many
    tall as needed; header and footer), chart."""
    last = get_column_letter(sheet.columns)
    tail = f'</sheetData><autoFilter ref="A1:{last}{sheet.rows + 1}"/>'
    if scale and sheet.rows:
        letter = get_column_letter(scale.column)
        values = "".join(f'<cfvo type="num" val="{value}"/>' for value, _ in scale.points)
        colours = "".join(f'<color rgb="FF{colour}"/>' for _, colour in scale.points)
        tail += (
            f'<conditionalFormatting sqref="{letter}2:{letter}{sheet.rows + 1}">'
            f'<cfRule type="colorScale" priority="1"><colorScale>{values}{colours}'
            "</colorScale></cfRule></conditionalFormatting>"
        )
    margins = "".join(f' {side}="{inches}"' for side, inches in MARGINS.items())
    orientation = "landscape" if sheet.landscape else "portrait"
    if sheet.pages_wide > 1:
        tail += '<printOptions headings="1"/>'
    tail += (
        f"<pageMargins{margins}/>"
        f'<pageSetup paperSize="{PAPER_A4}" orientation="{orientation}"'
        f' fitToWidth="{sheet.pages_wide}" fitToHeight="0"/>{header_footer}'
    )
    if sheet.chart:
        tail += '<drawing r:id="rId1"/>'
    return tail + "</worksheet>"


def _print_width(columns: Sequence[Col], radar: Radar | None) -> float:
    """How wide the sheet prints at 100 %, in column width units: its columns, and a chart
    that reaches beyond them."""
    widths = [column.width for column in columns]
    if radar is None:
        return sum(widths)
    before = sum(widths[: radar.anchor - 1])
    return before + max(sum(widths[radar.anchor - 1 :]), radar.width_cm / CM_PER_WIDTH)


def _header_text(value: str, limit: int) -> str:
    """`value` as literal text in a header or footer: on one line, without what XML cannot
    carry, cut to `limit` characters, and "&" doubled (a single one starts a code)."""
    value = " ".join(ILLEGAL.sub("", value).split())
    if len(value) > limit:
        value = value[: limit - 1].rstrip() + "…"
    return value.replace("&", "&&")


def _header_footer(subject: str, page_numbers: str) -> str:
    """Every sheet's header and footer: the sheet's name (&A) left and `subject` right in
    the header, `page_numbers` centred in the footer. In Excel they keep their size on a
    sheet printed smaller to fit the page, so that the paper can be told by them
    (LibreOffice scales them with the sheet)."""
    header = "&L&A"
    if subject := _header_text(subject, MAX_SUBJECT):
        header += f"&R{subject}"
    footer = f"&C{page_numbers}" if page_numbers else ""
    return (
        '<headerFooter scaleWithDoc="0">'
        f"<oddHeader>{escape(header)}</oddHeader>"
        + (f"<oddFooter>{escape(footer)}</oddFooter>" if footer else "")
        + "</headerFooter>"
    )


def _relationships(targets: Sequence[tuple[str, str]]) -> str:
    items = "".join(
        f'<Relationship Id="rId{i}" Type="{REL}/{kind}" Target="{target}"/>'
        for i, (kind, target) in enumerate(targets, start=1)
    )
    return f'{XML_HEAD}<Relationships xmlns="{PKG_REL}">{items}</Relationships>'


def _content_types(sheets: Sequence[_SheetPart]) -> str:
    parts = [("/xl/workbook.xml", "spreadsheetml.sheet.main+xml")]
    parts += [("/xl/styles.xml", "spreadsheetml.styles+xml")]
    parts += [("/xl/sharedStrings.xml", "spreadsheetml.sharedStrings+xml")]
    parts += [("/xl/theme/theme1.xml", "theme+xml")]
    parts += [
        (f"/xl/worksheets/sheet{i}.xml", "spreadsheetml.worksheet+xml")
        for i in range(1, len(sheets) + 1)
    ]
    charts = sum(1 for s in sheets if s.chart)
    for n in range(1, charts + 1):
        parts.append((f"/xl/drawings/drawing{n}.xml", "drawing+xml"))
        parts.append((f"/xl/charts/chart{n}.xml", "drawingml.chart+xml"))
    overrides = "".join(
        f'<Override PartName="{name}" ContentType="{CONTENT}{kind}"/>' for name, kind in parts
    )
    return (
        f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{overrides}</Types>"
    )


def _drawing(radar: Radar) -> str:
    width = round(radar.width_cm * EMU_PER_CM)
    height = round(radar.height_cm * EMU_PER_CM)
    return (
        f'{XML_HEAD}<xdr:wsDr xmlns:xdr="{DRAWING}" xmlns:a="{DML}" xmlns:r="{REL}"'
        f' xmlns:c="{CHART}"><xdr:oneCellAnchor>'
        f"<xdr:from><xdr:col>{radar.anchor - 1}</xdr:col><xdr:colOff>0</xdr:colOff>"
        "<xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
        f'<xdr:ext cx="{width}" cy="{height}"/>'
        '<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="1" name="Chart 1"/>'
        "<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>"
        '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
        f'<a:graphic><a:graphicData uri="{CHART}"><c:chart r:id="rId1"/></a:graphicData>'
        "</a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>"
    )


def _radar_chart(sheet: str, radar: Radar, rows: int) -> str:
    ref = escape(_sheet_name_ref(sheet))
    categories = f"{ref}!$A$2:$A${rows + 1}"
    series = []
    for order, column in enumerate(radar.columns):
        letter = get_column_letter(column)
        series.append(
            f'<c:ser><c:idx val="{order}"/><c:order val="{order}"/>'
            f"<c:tx><c:strRef><c:f>{ref}!${letter}$1</c:f></c:strRef></c:tx>"
            '<c:marker><c:symbol val="none"/></c:marker>'
            f"<c:cat><c:numRef><c:f>{categories}</c:f></c:numRef></c:cat>"
            f"<c:val><c:numRef><c:f>{ref}!${letter}$2:${letter}${rows + 1}</c:f></c:numRef>"
            "</c:val></c:ser>"
        )
    return (
        f'{XML_HEAD}<c:chartSpace xmlns:c="{CHART}" xmlns:a="{DML}" xmlns:r="{REL}">'
        f'<c:style val="{radar.style}"/><c:chart>'
        "<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:pPr><a:defRPr/></a:pPr>"
        f"<a:r><a:t>{escape(radar.title)}</a:t></a:r></a:p></c:rich></c:tx>"
        '<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>'
        '<c:plotArea><c:layout/><c:radarChart><c:radarStyle val="standard"/>'
        f'<c:varyColors val="0"/>{"".join(series)}'
        '<c:axId val="10"/><c:axId val="100"/></c:radarChart>'
        '<c:catAx><c:axId val="10"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="l"/><c:majorTickMark val="none"/>'
        '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="100"/>'
        '<c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
        '<c:lblOffset val="100"/></c:catAx>'
        '<c:valAx><c:axId val="100"/><c:scaling><c:orientation val="minMax"/>'
        f'<c:max val="{radar.y_max}"/><c:min val="{radar.y_min}"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="l"/><c:majorGridlines/>'
        '<c:majorTickMark val="none"/>'
        '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="10"/>'
        '<c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx></c:plotArea>'
        '<c:legend><c:legendPos val="r"/><c:overlay val="0"/></c:legend>'
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
    )
