"""The row limit and the reading apply to the sheets the import reads, not to the template's
guide and drop-down lists: those are never opened, however long they are or say they are."""

import re
import zipfile
from datetime import datetime
from io import BytesIO

import pytest
from openpyxl import Workbook

from improvement.imports.parsing import ANSWERS_SHEET, GUIDE_SHEET, LISTS_SHEET, RATINGS_SHEET
from tests.imports.test_views import (  # noqa: F401
    ANSWER_HEADER,
    RATING_HEADER,
    counts,
    upload,
    world,
)

LIMIT = 10
GUIDE_XML = "xl/worksheets/sheet1.xml"
LISTS_XML = "xl/worksheets/sheet4.xml"


@pytest.fixture
def small_limit(app):
    app.config["IMPORT_MAX_ROWS"] = LIMIT


def workbook(w, ratings=2, answers=1, guide=3 * LIMIT, lists=3 * LIMIT) -> bytes:
    """A workbook laid out as the template (guide, the two data sheets, the lists), with
    `ratings` and `answers` rows of data under the headers."""
    book = Workbook()
    guide_ws = book.active
    guide_ws.title = GUIDE_SHEET
    for n in range(guide):
        guide_ws.append([f"Vejledningens linje {n + 1}", "Kolonne", "Betydning"])
    ratings_ws = book.create_sheet(RATINGS_SHEET)
    ratings_ws.append(RATING_HEADER)
    for n in range(ratings):
        ratings_ws.append(["FH-1", "Opstart", "Tæt kontakt", 1 + n % 5, datetime(2026, 2, 1 + n)])
    answers_ws = book.create_sheet(ANSWERS_SHEET)
    answers_ws.append(ANSWER_HEADER)
    for _n in range(answers):
        answers_ws.append(["Baseline", "bo@example.test", w["s1"], "I høj grad"])
    lists_ws = book.create_sheet(LISTS_SHEET)
    lists_ws.sheet_state = "hidden"
    for n in range(lists):
        lists_ws.append([f"FH-{n}", "Opstart", "Tæt kontakt"])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_dimension(data: bytes, part: str, dimension: str | None) -> bytes:
    """The workbook with `part`'s <dimension> saying `dimension` (None: left out)."""
    replacement = f'<dimension ref="{dimension}"/>' if dimension else ""
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == part:
                xml = re.sub(r'<dimension ref="[^"]*"\s*/>', replacement, content.decode())
                assert xml != content.decode()
                content = xml.encode()
            target.writestr(info, content)
    return out.getvalue()


def upload_recording(monkeypatch, client, w, data: bytes):
    """Upload the file; the response, and the worksheet parts taken out of the archive
    meanwhile (a sheet not taken out is not parsed)."""
    opened = []
    original = zipfile.ZipFile.open

    def recording(self, name, *args, **kwargs):
        filename = getattr(name, "filename", name)
        if filename.startswith("xl/worksheets/"):
            opened.append(filename)
        return original(self, name, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(zipfile.ZipFile, "open", recording)
        response = upload(client, w, data)
    return response, opened


def test_a_guide_and_lists_longer_than_the_limit_do_not_stop_the_import(
    world,  # noqa: F811
    login,
    small_limit,
    monkeypatch,
):
    client = login(world["leader"], world["org"])
    response, opened = upload_recording(monkeypatch, client, world, workbook(world))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "Filen blev ikke importeret" not in response.get_data(as_text=True)
    assert counts() == (2, 1)
    assert GUIDE_XML not in opened and LISTS_XML not in opened


@pytest.mark.parametrize("dimension", ["A1:XFD1048576", None])
def test_a_guide_sheet_declaring_the_whole_grid_is_never_opened(
    world,  # noqa: F811
    login,
    small_limit,
    monkeypatch,
    dimension,
):
    # Some 20,000 cells, said to be the whole grid; or not said at all, when openpyxl
    # would read every row to find the sheet's size.
    data = with_dimension(workbook(world, guide=5000), GUIDE_XML, dimension)
    client = login(world["leader"], world["org"])
    response, opened = upload_recording(monkeypatch, client, world, data)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert counts() == (2, 1)
    assert GUIDE_XML not in opened
    assert "xl/worksheets/sheet2.xml" in opened  # the data sheets are read


@pytest.mark.parametrize(
    ("sheet", "rows"),
    [(RATINGS_SHEET, {"ratings": LIMIT}), (ANSWERS_SHEET, {"answers": LIMIT})],
)
def test_a_data_sheet_past_the_limit_is_still_refused_in_danish(
    world,  # noqa: F811
    login,
    small_limit,
    sheet,
    rows,
):
    # The header and LIMIT rows of data: row LIMIT + 1 is past the limit.
    client = login(world["leader"], world["org"])
    response = upload(client, world, workbook(world, guide=1, lists=1, **rows))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Filen blev ikke importeret" in html
    assert f"Arket “{sheet}” har rækker længere nede end række {LIMIT}" in html
    assert counts() == (0, 0)


def test_a_data_sheet_at_the_limit_is_imported(world, login, small_limit):  # noqa: F811
    client = login(world["leader"], world["org"])
    response = upload(client, world, workbook(world, ratings=LIMIT - 1))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert counts() == (LIMIT - 1, 1)
