"""The exported workbooks print as an evaluator expects: every sheet on A4, one page wide
(not its columns spread over pages), or, for a sheet so wide that one page would shrink it
below a readable 55 %, as few pages wide as keep it readable, with row numbers to match a
row's parts; as many pages tall as it needs, across the page when its columns are wide,
with a header naming the sheet and what the workbook is about and a footer with page
numbers. The XML is read as Excel reads it; LibreOffice is not needed."""

import zipfile
from datetime import UTC
from io import BytesIO
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from improvement import seeding
from improvement.exports.xlsx import Col, Radar, Workbook
from improvement.extensions import db
from improvement.models import Intervention, Organization, User
from tests.exports.test_xlsx_strict import problems
from tests.helpers import gen_intervention, gen_org, gen_user

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
FOOTER = "&CSide &P af &N"


def _sheets(data: bytes) -> dict[str, ElementTree.Element]:
    """Each sheet's XML by the sheet's name, in the workbook's order."""
    with zipfile.ZipFile(BytesIO(data)) as archive:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target").lstrip("/") for rel in rels}
        return {
            sheet.get("name"): ElementTree.fromstring(archive.read(targets[sheet.get(f"{R}id")]))
            for sheet in book.iter(f"{MAIN}sheet")
        }


def _print_setup(root) -> dict:
    """What a sheet's XML says about printing it."""
    fit = root.find(f"{MAIN}sheetPr/{MAIN}pageSetUpPr")
    setup = root.find(f"{MAIN}pageSetup")
    return {
        "first": root[0].tag == f"{MAIN}sheetPr",
        "fitToPage": None if fit is None else fit.get("fitToPage"),
        "fitToWidth": setup.get("fitToWidth"),
        "fitToHeight": setup.get("fitToHeight"),
        "paperSize": setup.get("paperSize"),
        "orientation": setup.get("orientation"),
        "header": root.findtext(f"{MAIN}headerFooter/{MAIN}oddHeader"),
        "footer": root.findtext(f"{MAIN}headerFooter/{MAIN}oddFooter"),
        "row numbers": root.find(f"{MAIN}printOptions[@headings='1']") is not None,
    }


def _download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return response.data


@pytest.fixture
def demo(login):
    """The demo data, its first organisation's leader logged in; returns the organisation
    and its first intervention."""
    seeding.load_reference()
    seeding.load_demo()
    org = db.session.scalars(select(Organization).order_by(Organization.id)).first()
    leader = db.session.scalars(select(User).where(User.email == "leder@nord.demo")).one()
    login(leader, org)
    intervention = db.session.scalars(
        select(Intervention).where(Intervention.organization_id == org.id).order_by(Intervention.id)
    ).first()
    return org, intervention


# The demo's sheets wider than a landscape page holds at 55 % (149.4 / 0.55 = 271.6 width
# units), with their columns' total width: pages wide = ceil(width / 271.6).
PAGES_WIDE = {
    "Forandringsteori": 2,  # 330
    "Kerneelementer": 2,  # 348
    "Arbejdsgange": 2,  # 358
    "Udviklingspunkter": 2,  # 460
    "Møder og beslutninger": 2,  # 504
    "Forløb": 2,  # 313: the practitioner and the caseworker beside the code
    "Prøvehandlinger": 4,  # 973: 243 a page, 61 %; on one page 15 %
}
# The demo's sheets narrow enough for an upright page (102 width units), with their width.
PORTRAIT = {
    "Opfølgninger (§ 70)",  # 73
}


def test_every_sheet_prints_on_a4_readably_wide_with_header_and_footer(client, demo):
    org, intervention = demo
    workbooks = {
        f"{org.name} – {intervention.name}": f"/indsatser/{intervention.id}/eksport.xlsx",
        f"{org.name} – alle indsatser": "/eksport.xlsx",
    }
    for subject, url in workbooks.items():
        data = _download(client, url)
        assert problems(data) == []
        sheets = _sheets(data)
        assert len(sheets) > 10
        assert PAGES_WIDE.keys() <= sheets.keys()
        for name, root in sheets.items():
            pages = PAGES_WIDE.get(name, 1)
            # Landscape for every sheet of the demo but the follow-ups' four short columns:
            # even Oversigt's three columns are wider than an upright page, and
            # Selvevaluering pr. element has its chart beside.
            assert _print_setup(root) == {
                "first": True,
                "fitToPage": "1",
                "fitToWidth": str(pages),
                "fitToHeight": "0",
                "paperSize": "9",
                "orientation": "portrait" if name in PORTRAIT else "landscape",
                "header": f"&L&A&R{subject}",
                "footer": FOOTER,
                "row numbers": pages > 1,
            }, name
        # As openpyxl (and so the import, and pandas) reads it.
        book = load_workbook(BytesIO(data))
        for sheet in book.worksheets:
            assert sheet.sheet_properties.pageSetUpPr.fitToPage
            pages = PAGES_WIDE.get(sheet.title, 1)
            assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (pages, 0)
            assert bool(sheet.print_options.headings) == (pages > 1)
            assert sheet.page_setup.paperSize == 9
            assert sheet.print_title_rows == "$1:$1"


def test_an_ampersand_in_a_name_is_doubled_in_the_header(client, login):
    """A single "&" starts one of Excel's codes in a header ("&B" bold, "&P" the page): a
    name's own is written "&&". And "<" is XML-escaped like any text."""
    org = gen_org("Nord & Syd")
    leader = gen_user(org, role="leader")
    intervention = gen_intervention(org, name="Mor & barn <1 år")
    db.session.commit()
    login(leader, org)

    data = _download(client, f"/indsatser/{intervention.id}/eksport.xlsx")
    assert problems(data) == []
    headers = {_print_setup(root)["header"] for root in _sheets(data).values()}
    assert headers == {"&L&A&RNord && Syd – Mor && barn <1 år"}
    assert "Nord &amp;&amp; Syd – Mor &amp;&amp; barn &lt;1 år" in _sheet_xml(data)

    data = _download(client, "/eksport.xlsx")
    assert problems(data) == []
    headers = {_print_setup(root)["header"] for root in _sheets(data).values()}
    assert headers == {"&L&A&RNord && Syd – alle indsatser"}


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def test_long_names_are_cut_to_fit_a_header(client, login):
    """Excel refuses a header of more than 255 characters; names may have 200 each. The
    organisation's is cut first, so that the intervention's still shows; a cut never leaves
    half of a doubled "&"."""
    org = gen_org("Børne- og Ungeforvaltningen " + "o" * 170)
    leader = gen_user(org, role="leader")
    intervention = gen_intervention(org, name="Spæd & " + "&" * 193)
    db.session.commit()
    login(leader, org)

    data = _download(client, f"/indsatser/{intervention.id}/eksport.xlsx")
    assert problems(data) == []
    header = _print_setup(next(iter(_sheets(data).values())))["header"]
    assert len(header) <= 255
    assert header.startswith("&L&A&RBørne- og Ungeforvaltningen ooooooooooo… – Spæd && &&&&")
    assert header.endswith("&&…")
    # Every "&" of the names doubled: none left alone to start a code.
    assert "&" not in header.removeprefix("&L&A&R").replace("&&", "")


def _written(*sheets) -> bytes:
    """A workbook of `sheets`: (name, column widths, number of rows, radar chart or None)."""
    target = BytesIO()
    with Workbook(
        target,
        date_format="DD-MM-YYYY",
        datetime_format="DD-MM-YYYY HH:MM",
        timezone=UTC,
        header_fill="DDE7EF",
        subject="Nord & Syd",
        page_numbers="Side &P af &N",
    ) as book:
        for name, widths, rows, radar in sheets:
            columns = [Col(width) for width in widths]
            header = [f"Kolonne {i}" for i in range(len(widths))]
            data = [[float(n + i) for i in range(len(widths))] for n in range(rows)]
            book.add_sheet(name, columns, header, data, radar=radar)
        book.close()
    return target.getvalue()


def test_a_sheet_prints_across_the_page_when_its_columns_and_chart_are_wide():
    """Upright when the columns fit an A4 page's 19 cm (102 width units) at 100 %, across
    it otherwise; a chart beside the columns counts, one left out (no rows) does not."""
    chart = Radar("Radar", (2, 3), anchor=5)  # 18 cm wide, beside four columns of 40 units
    data = _written(
        ("Smalt", [30, 30, 30], 2, None),
        ("Bredt", [60, 30, 30], 2, None),
        ("Med diagram", [10, 10, 10, 10], 3, chart),
        ("Diagram uden rækker", [10, 10, 10, 10], 0, chart),
    )
    assert problems(data) == []
    setups = {name: _print_setup(root) for name, root in _sheets(data).items()}
    assert {name: setup["orientation"] for name, setup in setups.items()} == {
        "Smalt": "portrait",
        "Bredt": "landscape",
        "Med diagram": "landscape",
        "Diagram uden rækker": "portrait",
    }
    for setup in setups.values():
        assert (setup["fitToPage"], setup["fitToWidth"], setup["fitToHeight"]) == ("1", "1", "0")
        assert setup["paperSize"] == "9"
        assert setup["header"] == "&L&A&RNord && Syd"
        assert setup["footer"] == FOOTER


# The print setup's elements in an order or with a value Excel repairs: (text, replacement,
# a word of the problem reported).
BROKEN = [
    (
        '<pageSetUpPr fitToPage="1"/>',
        '<pageSetUpPr fitToPage="1"/><tabColor rgb="FF0000FF"/>',
        "order",
    ),
    ('fitToPage="1"', 'fitToPage="yes"', "boolean"),
    ("<oddHeader>", "<evenHeader>x</evenHeader><oddHeader>", "order"),
    ("</sheetViews>", "</sheetViews><sheetPr/>", "order"),
]


@pytest.mark.parametrize(("old", "new", "word"), BROKEN)
def test_the_strict_checks_know_the_print_setup(old, new, word):
    data = _written(("Ark", [10, 10], 1, None))
    assert problems(data) == []
    target = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(target, "w") as copy:
        for name in source.namelist():
            content = source.read(name).decode()
            if name == "xl/worksheets/sheet1.xml":
                assert old in content
                content = content.replace(old, new, 1)
            copy.writestr(name, content)
    found = problems(target.getvalue())
    assert any(word in problem for problem in found), found
