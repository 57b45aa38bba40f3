"""Hostile and odd workbooks: a sheet that declares the full width or a million rows, a
workbook that unpacks to far more than its size, and text the forms would have cleaned."""

import re
import zipfile
from datetime import datetime
from io import BytesIO

import pytest
from openpyxl import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from sqlalchemy import select

from improvement.extensions import db
from improvement.imports import parsing
from improvement.imports.parsing import MAX_COLUMNS, RATINGS_SHEET, Refused, read_upload
from improvement.models import CoreElementRating
from tests.imports.test_views import RATING_HEADER, counts, upload, world, xlsx  # noqa: F401

SHEET_XML = "xl/worksheets/sheet1.xml"


def rewritten(data: bytes, sheet_xml) -> bytes:
    """The workbook with its first sheet's XML passed through `sheet_xml`."""
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == SHEET_XML:
                content = sheet_xml(content.decode()).encode()
            target.writestr(info, content)
    return out.getvalue()


def hostile(dimension: str | None, last_row: int, column: str = "A", rows=None) -> bytes:
    """A ratings sheet with one more cell at `column``last_row`, whose <dimension> says
    `dimension` (None: no dimension at all, as some writers leave it out)."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = RATINGS_SHEET
    for row in rows or [RATING_HEADER]:
        ws.append(row)
    ws[f"{column}{last_row}"] = "x"
    buffer = BytesIO()
    workbook.save(buffer)
    replacement = f'<dimension ref="{dimension}"/>' if dimension else ""
    return rewritten(
        buffer.getvalue(), lambda xml: re.sub(r'<dimension ref="[^"]*"\s*/>', replacement, xml)
    )


@pytest.fixture
def cells_read(monkeypatch):
    """Counts the cells openpyxl hands over, and stops a test that reads far more than the
    sheet holds (before the fix a sheet declared A1:XFD3000 took 40 s: 49 million cells)."""
    budget = 2_000_000
    seen = {"cells": 0, "rows": 0}
    original = ReadOnlyWorksheet._cells_by_row

    def counting(self, *args, **kwargs):
        for row in original(self, *args, **kwargs):
            seen["cells"] += len(row)
            seen["rows"] += 1
            if seen["cells"] > budget:
                pytest.fail(f"read more than {budget} cells")
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting)
    return seen


def test_a_sheet_declaring_the_full_width_is_read_only_as_wide_as_the_template_needs(
    app, cells_read
):
    data = hostile("A1:XFD3000", 3000)
    assert len(data) < 20_000
    upload_ = read_upload("import.xlsx", data)
    # 3,000 rows of at most MAX_COLUMNS cells, not of 16,384.
    assert cells_read["rows"] == 3000
    assert cells_read["cells"] <= 3000 * MAX_COLUMNS
    assert [r.number for r in upload_.ratings] == [3000]


def test_a_cell_far_to_the_right_is_not_read_and_costs_nothing(app, cells_read):
    data = hostile(None, 2, column="XFD", rows=[RATING_HEADER, ["A-1"]])
    upload_ = read_upload("import.xlsx", data)
    assert cells_read["cells"] <= 2 * MAX_COLUMNS
    assert [r.values["Forløbskode"] for r in upload_.ratings] == ["A-1"]


def test_a_sheet_declaring_a_million_rows_is_refused_before_a_row_is_read(app, cells_read):
    data = hostile("A1:F1048576", 1_048_576)
    with pytest.raises(Refused) as refused:
        read_upload("import.xlsx", data)
    assert "længere nede end række 50.000" in str(refused.value)
    assert RATINGS_SHEET in str(refused.value)
    assert cells_read["rows"] == 0


def test_a_sheet_that_does_not_declare_its_size_is_refused_at_the_row_past_the_limit(
    app, cells_read
):
    data = hostile(None, 1_048_576)
    with pytest.raises(Refused) as refused:
        read_upload("import.xlsx", data, max_rows=100)
    assert "længere nede end række 100" in str(refused.value)
    assert cells_read["rows"] <= 101
    # Within the limit it is read as before.
    upload_ = read_upload("import.xlsx", hostile(None, 100), max_rows=100)
    assert [r.number for r in upload_.ratings] == [100]


def test_a_workbook_that_unpacks_to_far_more_than_its_size_is_not_opened(app, monkeypatch):
    def no_open(*_args, **_kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(parsing, "load_workbook", no_open)
    # A part of 20 MB of one character packs to some 20 kB.
    out = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(xlsx(ratings=[RATING_HEADER]))) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info.filename), zipfile.ZIP_DEFLATED)
        target.writestr("xl/padding.xml", "a" * 20_000_000, zipfile.ZIP_DEFLATED)
    assert len(out.getvalue()) < 100_000
    with pytest.raises(Refused) as refused:
        read_upload("import.xlsx", out.getvalue(), max_unpacked=10_000_000)
    assert "fylder mere end 10 MB, når den pakkes ud" in str(refused.value)


def test_the_hostile_sheet_is_refused_in_danish_and_nothing_is_saved(
    world,  # noqa: F811
    login,
    cells_read,
):
    client = login(world["leader"], world["org"])
    response = upload(client, world, hostile("A1:XFD1048576", 1_048_576))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Filen blev ikke importeret" in html
    assert "har rækker længere nede end række 50.000" in html
    assert cells_read["rows"] == 0
    assert counts() == (0, 0)


def test_imported_text_is_cleaned_as_the_forms_clean_it(world, login):  # noqa: F811
    client = login(world["leader"], world["org"])
    comment = "QA2 \u202egnp.exe \x85 \u2066x\x7f\r\nanden linje\rtredje"
    data = xlsx(
        ratings=[
            RATING_HEADER,
            # The code with a bidirectional override still names the case.
            ["FH-1\u202e", "Opstart", "Tæt kontakt", 4, datetime(2026, 2, 1), comment],
        ]
    )
    response = upload(client, world, data)
    assert response.status_code == 200, response.get_data(as_text=True)
    rating = db.session.scalars(select(CoreElementRating)).one()
    assert rating.comment == "QA2 gnp.exe  x\nanden linje\ntredje"


def test_a_control_character_cannot_hide_a_cpr_number(world, login):  # noqa: F811
    client = login(world["leader"], world["org"])
    data = xlsx(
        ratings=[
            RATING_HEADER,
            ["FH-1", "Opstart", "Tæt kontakt", 4, datetime(2026, 2, 1), "Barn 01020\x7f31234"],
        ]
    )
    response = upload(client, world, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Det ligner et CPR-nummer" in html and "0102031234" not in html
    assert counts() == (0, 0)


def test_a_true_or_false_score_is_shown_as_danish_excel_shows_it(world, login):  # noqa: F811
    client = login(world["leader"], world["org"])
    data = xlsx(
        ratings=[
            RATING_HEADER,
            ["FH-1", "Opstart", "Tæt kontakt", True, datetime(2026, 2, 1), None],
            ["FH-2", "Opstart", "Tæt kontakt", False, datetime(2026, 2, 1), None],
        ]
    )
    response = upload(client, world, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<td>SAND</td>" in html and "<td>FALSK</td>" in html
    assert "True" not in html and "False" not in html
    assert counts() == (0, 0)
