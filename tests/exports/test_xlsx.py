"""The streaming .xlsx writer: what it writes reads back with openpyxl and pandas."""

from datetime import UTC, date, datetime
from decimal import Decimal
from enum import IntEnum
from io import BytesIO
from zipfile import ZipFile
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from openpyxl import load_workbook

from improvement.exports import xlsx
from improvement.exports.xlsx import Col, ColorScale, Radar, Workbook


class Level(IntEnum):
    HIGH = 3


def _book(target, **options):
    return Workbook(
        target,
        date_format="DD-MM-YYYY",
        datetime_format="DD-MM-YYYY HH:MM",
        timezone=ZoneInfo("Europe/Copenhagen"),
        header_fill="DDE7EF",
        **options,
    )


def _write(sheets, **options) -> BytesIO:
    """sheets: (name, columns, header, rows, extra keyword arguments) tuples."""
    target = BytesIO()
    with _book(target, **options) as book:
        for name, columns, header, rows, extra in sheets:
            book.add_sheet(name, columns, header, rows, **extra)
        book.close()
    target.seek(0)
    return target


def test_values_keep_their_types():
    rows = [
        ("tekst", 7, 2.5, Decimal("1.25"), date(2025, 3, 1), datetime(2025, 3, 1, 12, 30)),
        ("", None, Level.HIGH, True, None, datetime(2025, 6, 1, 10, 0, tzinfo=UTC)),
    ]
    columns = [Col(30), Col(10, number_format="0"), Col(10, number_format="0.0")]
    columns += [Col(10), Col(12), Col(17)]
    data = _write([("Ark", columns, list("ABCDEF"), rows, {})], booleans=("Ja", "Nej"))
    sheet = load_workbook(data)["Ark"]
    assert [c.value for c in sheet[2]] == [
        "tekst",
        7,
        2.5,
        1.25,
        datetime(2025, 3, 1),
        datetime(2025, 3, 1, 12, 30),
    ]
    assert sheet["B2"].number_format == "0" and sheet["C2"].number_format == "0.0"
    assert sheet["E2"].number_format == "DD-MM-YYYY"
    assert sheet["F2"].number_format == "DD-MM-YYYY HH:MM"
    # Empty text is an empty cell; aware times are Danish wall-clock time (summer: +2).
    assert [c.value for c in sheet[3]] == [None, None, 3, "Ja", None, datetime(2025, 6, 1, 12)]


def test_booleans_are_excel_booleans_unless_named():
    data = _write([("Ark", [Col(8)], ["Aktiv"], [(True,), (False,)], {})])
    assert [c.value for c in load_workbook(data)["Ark"]["A"]] == ["Aktiv", True, False]


def test_other_types_are_refused():
    with pytest.raises(TypeError, match="cannot write"):
        _write([("Ark", [Col(8)], ["X"], [(object(),)], {})])


def test_texts_are_escaped_and_keep_their_spaces():
    texts = ["a < b & c > d", "  indrykket", "slut ", "linje\nto", "bip\x07lyd", "æøå “citat”"]
    data = _write([("Ark", [Col(30)], ["Tekst"], [(t,) for t in texts], {})])
    values = [c.value for c in load_workbook(data)["Ark"]["A"][1:]]
    # A control character XML cannot carry is dropped rather than failing the export.
    assert values == [*texts[:4], "biplyd", texts[5]]


def test_repeated_texts_are_shared_and_unique_ones_inline(monkeypatch):
    monkeypatch.setattr(xlsx._SharedStrings, "TRIAL", 10)
    rows = [(f"Indsats {i % 3}", f"Kode {i}") for i in range(100)]
    data = _write([("Ark", [Col(20), Col(20)], ["Indsats", "Kode"], rows, {})])
    shared = ZipFile(data).read("xl/sharedStrings.xml").decode()
    # The three names, and the codes the column added before it was judged not to repeat.
    assert shared.count("<si>") == 3 + 10
    assert "Kode 9<" in shared and "Kode 10<" not in shared
    sheet = load_workbook(data)["Ark"]
    assert list(sheet.iter_rows(min_row=2, values_only=True)) == rows


def test_sheet_layout_header_filter_and_print_titles():
    columns = [Col(12), Col(60, wrap=True)]
    data = _write([("Ark", columns, ["Navn", "Lang tekst"], [("a", "b"), ("c", None)], {})])
    sheet = load_workbook(data)["Ark"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:B3"
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "portrait"
    assert sheet["A1"].font.bold and sheet["A1"].fill.fgColor.rgb.endswith("DDE7EF")
    assert sheet.column_dimensions["A"].width == 12
    assert sheet.column_dimensions["B"].width == 60
    assert sheet["B2"].alignment.wrap_text and sheet["A2"].alignment.vertical == "top"


def test_color_scale_and_radar_chart():
    rows = [(n, f"Element {n}", 10.0 * n, 50.0) for n in range(1, 12)]
    sheets = [
        (
            "Radar",
            [Col(10), Col(30), Col(22), Col(22)],
            ["Nr.", "Element", "Runde 1", "Runde 2"],
            rows,
            {
                "color_scale": ColorScale(3, ((1, "F8696B"), (3, "FFEB84"), (5, "63BE7B"))),
                "radar": Radar("Titel & mere", columns=(3, 4), anchor=6),
            },
        )
    ]
    sheet = load_workbook(_write(sheets))["Radar"]
    (rule,) = sheet.conditional_formatting
    assert str(rule.sqref) == "C2:C12"
    (chart,) = sheet._charts
    assert chart.anchor._from.col == 5 and chart.anchor._from.row == 1
    assert len(chart.series) == 2
    assert chart.series[1].val.numRef.f == "'Radar'!$D$2:$D$12"
    assert chart.y_axis.scaling.max == 100


def test_sheets_in_order_with_one_moved_first_and_pandas_reads_them():
    sheets = [
        ("Første", [Col(10)], ["A"], [(1,), (2,)], {}),
        ("Anden", [Col(10)], ["B"], [], {}),
        ("Oversigt", [Col(10), Col(10)], ["Felt", "Værdi"], [("Rækker", 2)], {"first": True}),
    ]
    data = _write(sheets)
    assert load_workbook(data).sheetnames == ["Oversigt", "Første", "Anden"]
    frames = pd.read_excel(data, sheet_name=None)
    assert list(frames) == ["Oversigt", "Første", "Anden"]
    assert frames["Første"]["A"].tolist() == [1, 2] and frames["Anden"].empty


def test_a_failing_row_source_leaves_nothing_open():
    def rows():
        yield ("a",)
        raise RuntimeError("database went away")

    # pytest turns unclosed temporary files (ResourceWarning) into errors.
    with pytest.raises(RuntimeError, match="went away"), _book(BytesIO()) as book:
        book.add_sheet("Ark", [Col(10)], ["A"], [("x",)])
        book.add_sheet("Fejl", [Col(10)], ["A"], rows())


def test_a_sheet_longer_than_excel_allows_goes_on_in_numbered_sheets(monkeypatch):
    """Excel opens 1,048,575 data rows a sheet; more go on in "Name (2)" and on, each with
    the header, and the overview's row counts name every part (limit made 4 here)."""
    from improvement.exports import workbook as wb

    monkeypatch.setattr(wb, "MAX_DATA_ROWS", 4)
    long_name = "Vurderinger af kerneelementer i alt"  # longer than Excel's 31
    sheets = [
        wb.Sheet(long_name, [wb.Column("Nr", "int", "Rækkens nummer")], ([n] for n in range(9))),
        wb.Sheet("Præcis", [wb.Column("Nr", "int", "Rækkens nummer")], [[1], [2], [3], [4]]),
    ]

    def overview(written):
        rows = [(name, count) for sheet in written for name, count in sheet.parts]
        return wb.Sheet(
            "Oversigt", [wb.Column("Ark", "text", ""), wb.Column("Rækker", "int", "")], rows
        )

    target = BytesIO()
    wb.write_workbook(sheets, overview, target)
    book = load_workbook(BytesIO(target.getvalue()))
    first, second = "Vurderinger af kerneelementer i", "Vurderinger af kerneelement (2)"
    third = "Vurderinger af kerneelement (3)"
    assert book.sheetnames == ["Oversigt", first, second, third, "Præcis"]
    assert [[c.value for c in row] for row in book[first].iter_rows()] == [
        ["Nr"],
        [0],
        [1],
        [2],
        [3],
    ]
    assert [[c.value for c in row] for row in book[third].iter_rows()] == [["Nr"], [8]]
    assert sheets[0].count == 9
    # A sheet of exactly the limit is not followed by an empty part.
    assert [[c.value for c in row] for row in book["Oversigt"].iter_rows(min_row=2)] == [
        [first, 4],
        [second, 4],
        [third, 1],
        ["Præcis", 4],
    ]


def test_data_definitions_name_every_part_of_a_long_sheet(monkeypatch):
    """Datadefinitioner names the sheets as their tabs read, every part of a long one."""
    from improvement.exports import workbook as wb
    from improvement.exports.sheets import definitions_sheet

    monkeypatch.setattr(wb, "MAX_DATA_ROWS", 4)
    sheets = [
        wb.Sheet(
            "Vurderinger af kerneelementer i alt",
            [wb.Column("Nr", "int", "Rækkens nummer"), wb.Column("Note", "text", "Fritekst")],
            ([n, "x"] for n in range(9)),
        ),
        wb.Sheet("Kort", [wb.Column("Nr", "int", "Rækkens nummer")], [[1]]),
    ]
    sheets.append(definitions_sheet(sheets))
    target = BytesIO()
    overview = wb.Sheet("Oversigt", [wb.Column("Ark", "text", "")], [])
    wb.write_workbook(sheets, lambda written: overview, target)
    book = load_workbook(BytesIO(target.getvalue()))
    parts = (
        "Vurderinger af kerneelementer i, Vurderinger af kerneelement (2), "
        "Vurderinger af kerneelement (3)"
    )
    assert [row[:3] for row in book["Datadefinitioner"].iter_rows(min_row=2, values_only=True)] == [
        (parts, "Nr", "Rækkens nummer"),
        (parts, "Note", "Fritekst"),
        ("Kort", "Nr", "Rækkens nummer"),
    ]
