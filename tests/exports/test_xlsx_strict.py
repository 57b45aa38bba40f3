"""The exported workbooks as Excel reads them: strictly.

openpyxl and pandas read much that Excel does not: a child element out of the schema's
order, a part without a content type, a relationship to a missing part, a defined name for
a sheet that is not there. Excel then says "We found a problem with some content" and
repairs the workbook or drops parts of it. `problems()` checks a package strictly: child
order and attribute values as ECMA-376 Part 1 (Transitional) has them (sml.xsd for the
workbook, sheets, styles and shared strings; dml-chart.xsd and dml-spreadsheetDrawing.xsd
for the chart), and what the schemas cannot say: every part has a content type, every
relationship a target, every r:id a relationship of the right type, defined names their
sheets, counts and style indexes are right, numbers are finite, texts carry no escape.
The sequences are written out here (no schema files are shipped) for the elements the
writer uses; an unexpected child of one of them is reported.
"""

import math
import posixpath
import re
import zipfile
from datetime import UTC
from decimal import Decimal
from io import BytesIO
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from improvement import seeding
from improvement.exports import workbook as wb
from improvement.exports.xlsx import Col, ColorScale, Radar, Workbook
from improvement.extensions import db
from improvement.imports.parsing import load_workbook as load_import
from improvement.models import Intervention, Organization, User
from tests.cases.helpers import gen_case, gen_core_element, gen_phase, gen_rating
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
DML = "http://schemas.openxmlformats.org/drawingml/2006/main"
CT = "application/vnd.openxmlformats-officedocument."

# Relationship type → the content type its target must have.
TARGET_TYPES = {
    f"{R}/officeDocument": f"{CT}spreadsheetml.sheet.main+xml",
    f"{R}/worksheet": f"{CT}spreadsheetml.worksheet+xml",
    f"{R}/styles": f"{CT}spreadsheetml.styles+xml",
    f"{R}/sharedStrings": f"{CT}spreadsheetml.sharedStrings+xml",
    f"{R}/theme": f"{CT}theme+xml",
    f"{R}/drawing": f"{CT}drawing+xml",
    f"{R}/chart": f"{CT}drawingml.chart+xml",
}
# Element (namespace, local name) with an r:id → the relationship type it must name.
REFERENCES = {
    (MAIN, "sheet"): f"{R}/worksheet",
    (MAIN, "drawing"): f"{R}/drawing",
    (CHART, "chart"): f"{R}/chart",
}

# Child sequences, each entry a name or a choice ("a|b") with a suffix: "!" exactly once,
# "*" any number, "+" at least once; none: at most once.
SEQUENCES = {
    (MAIN, "workbook"): (
        "fileVersion fileSharing workbookPr workbookProtection bookViews sheets! "
        "functionGroups externalReferences definedNames calcPr oleSize customWorkbookViews "
        "pivotCaches smartTagPr smartTagTypes webPublishing fileRecoveryPr* "
        "webPublishObjects extLst"
    ),
    (MAIN, "bookViews"): "workbookView+",
    (MAIN, "sheets"): "sheet+",
    (MAIN, "definedNames"): "definedName*",
    (MAIN, "worksheet"): (
        "sheetPr dimension sheetViews sheetFormatPr cols* sheetData! sheetCalcPr "
        "sheetProtection protectedRanges scenarios autoFilter sortState dataConsolidate "
        "customSheetViews mergeCells phoneticPr conditionalFormatting* dataValidations "
        "hyperlinks printOptions pageMargins pageSetup headerFooter rowBreaks colBreaks "
        "customProperties cellWatches ignoredErrors smartTags drawing legacyDrawing "
        "legacyDrawingHF drawingHF picture oleObjects controls webPublishItems tableParts "
        "extLst"
    ),
    (MAIN, "sheetPr"): "tabColor outlinePr pageSetUpPr",
    (MAIN, "headerFooter"): "oddHeader oddFooter evenHeader evenFooter firstHeader firstFooter",
    (MAIN, "sheetViews"): "sheetView+ extLst",
    (MAIN, "sheetView"): "pane selection* pivotSelection* extLst",
    (MAIN, "cols"): "col+",
    (MAIN, "sheetData"): "row*",
    (MAIN, "row"): "c* extLst",
    (MAIN, "c"): "f v is extLst",
    (MAIN, "is"): "t r* rPh* phoneticPr",
    (MAIN, "autoFilter"): "filterColumn* sortState extLst",
    (MAIN, "conditionalFormatting"): "cfRule+ extLst",
    (MAIN, "cfRule"): "formula* colorScale dataBar iconSet extLst",
    (MAIN, "colorScale"): "cfvo+ color+",
    (MAIN, "sst"): "si* extLst",
    (MAIN, "si"): "t r* rPh* phoneticPr",
    (MAIN, "styleSheet"): (
        "numFmts fonts fills borders cellStyleXfs cellXfs cellStyles dxfs tableStyles colors extLst"
    ),
    (MAIN, "numFmts"): "numFmt*",
    (MAIN, "fonts"): "font*",
    (MAIN, "fills"): "fill*",
    (MAIN, "fill"): "patternFill|gradientFill",
    (MAIN, "patternFill"): "fgColor bgColor",
    (MAIN, "borders"): "border*",
    (MAIN, "border"): "start end left right top bottom diagonal vertical horizontal",
    (MAIN, "cellStyleXfs"): "xf+",
    (MAIN, "cellXfs"): "xf+",
    (MAIN, "xf"): "alignment protection extLst",
    (MAIN, "cellStyles"): "cellStyle+",
    (CHART, "chartSpace"): (
        "date1904 lang roundedCorners style clrMapOvr pivotSource protection chart! spPr "
        "txPr externalData printSettings userShapes extLst"
    ),
    (CHART, "chart"): (
        "title autoTitleDeleted pivotFmts view3D floor sideWall backWall plotArea! legend "
        "plotVisOnly dispBlanksAs showDLblsOverMax extLst"
    ),
    (CHART, "title"): "tx layout overlay spPr txPr extLst",
    (CHART, "tx"): "strRef|rich|v",
    (CHART, "plotArea"): (
        "layout areaChart|area3DChart|lineChart|line3DChart|stockChart|radarChart|"
        "scatterChart|pieChart|pie3DChart|doughnutChart|barChart|bar3DChart|ofPieChart|"
        "surfaceChart|surface3DChart|bubbleChart+ valAx|catAx|dateAx|serAx* dTable spPr "
        "extLst"
    ),
    (CHART, "radarChart"): "radarStyle! varyColors ser* dLbls axId! axId! extLst",
    (CHART, "ser"): "idx! order! tx spPr marker dPt* dLbls cat val extLst",
    (CHART, "marker"): "symbol size spPr extLst",
    (CHART, "cat"): "multiLvlStrRef|numRef|numLit|strRef|strLit!",
    (CHART, "val"): "numRef|numLit!",
    (CHART, "numRef"): "f! numCache extLst",
    (CHART, "strRef"): "f! strCache extLst",
    (CHART, "catAx"): (
        "axId! scaling! delete axPos! majorGridlines minorGridlines title numFmt "
        "majorTickMark minorTickMark tickLblPos spPr txPr crossAx! crosses|crossesAt auto "
        "lblAlgn lblOffset tickLblSkip tickMarkSkip noMultiLvlLbl extLst"
    ),
    (CHART, "valAx"): (
        "axId! scaling! delete axPos! majorGridlines minorGridlines title numFmt "
        "majorTickMark minorTickMark tickLblPos spPr txPr crossAx! crosses|crossesAt "
        "crossBetween majorUnit minorUnit dispUnits extLst"
    ),
    (CHART, "scaling"): "logBase orientation max min extLst",
    (CHART, "legend"): "legendPos legendEntry* layout overlay spPr txPr extLst",
    (XDR, "wsDr"): "twoCellAnchor|oneCellAnchor|absoluteAnchor*",
    (XDR, "oneCellAnchor"): "from! ext! sp|grpSp|graphicFrame|cxnSp|pic|contentPart! clientData!",
    (XDR, "from"): "col! colOff! row! rowOff!",
    (XDR, "graphicFrame"): "nvGraphicFramePr! xfrm! graphic!",
    (XDR, "nvGraphicFramePr"): "cNvPr! cNvGraphicFramePr!",
}

# ST_MarkerStyle, and the attributes of type xsd:boolean the writer writes.
# fmt: off
MARKERS = {"circle", "dash", "diamond", "dot", "none", "picture", "plus", "square", "star",
           "triangle", "x", "auto"}
BOOLEANS = {"applyFont", "applyFill", "applyNumberFormat", "applyAlignment", "wrapText",
            "customWidth", "hidden", "fullCalcOnLoad", "fitToPage", "scaleWithDoc", "headings"}
# fmt: on
# Attribute values restricted to a list (ST_* enumerations) or a pattern.
ENUMS = {
    (MAIN, "c", "t"): {"b", "d", "e", "inlineStr", "n", "s", "str"},
    (MAIN, "pane", "state"): {"split", "frozen", "frozenSplit"},
    (MAIN, "pane", "activePane"): {"bottomLeft", "bottomRight", "topLeft", "topRight"},
    (MAIN, "selection", "pane"): {"bottomLeft", "bottomRight", "topLeft", "topRight"},
    (MAIN, "pageSetup", "orientation"): {"default", "portrait", "landscape"},
    # Of cfRule's types and the fill patterns, those the writer may come to use.
    (MAIN, "cfRule", "type"): {"colorScale", "dataBar", "iconSet", "cellIs", "expression"},
    (MAIN, "cfvo", "type"): {"num", "percent", "max", "min", "formula", "percentile"},
    (MAIN, "patternFill", "patternType"): {"none", "solid", "gray125", "gray0625"},
    (MAIN, "alignment", "vertical"): {"top", "center", "bottom", "justify", "distributed"},
    (CHART, "radarStyle", "val"): {"standard", "marker", "filled"},
    (CHART, "legendPos", "val"): {"b", "tr", "l", "r", "t"},
    (CHART, "axPos", "val"): {"b", "l", "r", "t"},
    (CHART, "majorTickMark", "val"): {"cross", "in", "none", "out"},
    (CHART, "minorTickMark", "val"): {"cross", "in", "none", "out"},
    (CHART, "tickLblPos", "val"): {"high", "low", "nextTo", "none"},
    (CHART, "crosses", "val"): {"autoZero", "max", "min"},
    (CHART, "crossBetween", "val"): {"between", "midCat"},
    (CHART, "lblAlgn", "val"): {"ctr", "l", "r"},
    (CHART, "orientation", "val"): {"maxMin", "minMax"},
    (CHART, "dispBlanksAs", "val"): {"span", "gap", "zero"},
    (CHART, "symbol", "val"): MARKERS,
}
BOOLEAN = re.compile(r"true|false|1|0")
RGB = re.compile(r"[0-9A-F]{8}")
CELL = re.compile(r"([A-Z]{1,3})([1-9][0-9]*)")
# A cell text's Excel escapes (ST_Xstring): the writer writes only the underscore's.
ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# What Excel refuses in a sheet's name.
SHEET_NAME_CHARS = re.compile(r"[\[\]:*?/\\]")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _local(element) -> tuple[str, str]:
    """(namespace, local name) of an element."""
    namespace, _, local = element.tag[1:].rpartition("}")
    return namespace, local


def _check_sequence(element, spec: str, where: str, out: list[str]) -> None:
    """The children of `element` against a sequence spec (see SEQUENCES)."""
    namespace, local = _local(element)
    names = [_local(child)[1] for child in element]
    others = [_local(child)[0] for child in element if _local(child)[0] != namespace]
    # DrawingML children (a:graphic, a:off) come from their own namespace.
    if others and namespace not in (XDR, CHART):
        out.append(f"{where}: {local} has a child in {others[0]}")
    position = 0
    for item in spec.split():
        suffix = item[-1] if item[-1] in "!*+" else ""
        choices = set((item[:-1] if suffix else item).split("|"))
        count = 0
        while position < len(names) and names[position] in choices:
            count += 1
            position += 1
            if suffix in ("", "!"):
                break
        if suffix in ("!", "+") and count == 0:
            out.append(f"{where}: {local} lacks {item.rstrip('!+')}")
    if position < len(names):
        out.append(
            f"{where}: {local} has {names[position]} out of order "
            f"or not allowed (children: {' '.join(names)})"
        )


def _check_tree(root, where: str, out: list[str]) -> None:
    """Child order and attribute values of every element of a part."""
    for element in root.iter():
        key = _local(element)
        # c:chart is also the drawing's reference to a chart part (no children).
        if key in SEQUENCES and element.get(f"{{{R}}}id") is None:
            _check_sequence(element, SEQUENCES[key], where, out)
        for attribute, value in element.attrib.items():
            allowed = ENUMS.get((*key, attribute))
            if allowed is not None and value not in allowed:
                out.append(f"{where}: {key[1]} {attribute}={value!r} is not one of {allowed}")
            if attribute in BOOLEANS and not BOOLEAN.fullmatch(value):
                out.append(f"{where}: {key[1]} {attribute}={value!r} is not a boolean")
            if attribute == "rgb" and not RGB.fullmatch(value):
                out.append(f"{where}: {key[1]} rgb={value!r} is not AARRGGBB")


def _sheet_ref(formula: str) -> tuple[str, str]:
    """'Sheet name'!range → (sheet name, range)."""
    sheet, _, ref = formula.rpartition("!")
    if sheet.startswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return sheet, ref


def _check_package(archive: zipfile.ZipFile, out: list[str]) -> dict:
    """Content types and relationships; returns the parsed XML parts by name."""
    names = [info.filename for info in archive.infolist()]
    if len(set(n.lower() for n in names)) != len(names):
        out.append("package: duplicate part names")
    parts = {}
    for name in names:
        data = archive.read(name)
        declaration = re.match(rb"<\?xml[^>]*encoding=.([\w-]+)", data)
        if declaration and declaration.group(1).upper() != b"UTF-8":
            out.append(f"{name}: encoded in {declaration.group(1)}")
        try:
            parts[name] = ElementTree.fromstring(data)
        except ElementTree.ParseError as error:
            out.append(f"{name}: not well-formed XML: {error}")
    types = parts.get("[Content_Types].xml")
    if types is None:
        out.append("package: no [Content_Types].xml")
        return parts
    defaults = {
        d.get("Extension").lower(): d.get("ContentType") for d in types.iter(f"{{{TYPES}}}Default")
    }
    overrides = {}
    for override in types.iter(f"{{{TYPES}}}Override"):
        part = override.get("PartName")
        if part.lower() in overrides:
            out.append(f"[Content_Types].xml: {part} overridden twice")
        overrides[part.lower()] = override.get("ContentType")
        if part.lstrip("/") not in names:
            out.append(f"[Content_Types].xml: override for missing part {part}")

    def content_type(name: str) -> str | None:
        return overrides.get(f"/{name}".lower()) or defaults.get(name.rpartition(".")[2].lower())

    for name in names:
        if name != "[Content_Types].xml" and content_type(name) is None:
            out.append(f"[Content_Types].xml: no content type for {name}")
    # Relationships: targets exist with the right content type, ids unique, r:ids resolve.
    reached = set()
    relationships = {}
    for name in names:
        if not name.endswith(".rels") or name not in parts:
            continue
        folder, _, file = name.rpartition("_rels/")
        source = folder + file[: -len(".rels")]
        if source and source not in names:
            out.append(f"{name}: relationships of a missing part {source}")
        ids = {}
        for rel in parts[name].iter(f"{{{PKG_REL}}}Relationship"):
            if rel.get("Id") in ids:
                out.append(f"{name}: relationship id {rel.get('Id')} twice")
            target = rel.get("Target")
            if target.startswith("/"):
                resolved = target[1:]
            else:
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
            ids[rel.get("Id")] = (rel.get("Type"), resolved)
            if resolved not in names:
                out.append(f"{name}: {rel.get('Id')} targets missing part {target}")
                continue
            reached.add(resolved)
            expected = TARGET_TYPES.get(rel.get("Type"))
            if expected is None:
                out.append(f"{name}: unknown relationship type {rel.get('Type')}")
            elif content_type(resolved) != expected:
                out.append(f"{name}: {resolved} has content type {content_type(resolved)}")
        relationships[source] = ids
    for name in names:
        if name.endswith(".rels") or name == "[Content_Types].xml" or name in reached:
            continue
        out.append(f"package: {name} is not reached by any relationship")
    for source, root in parts.items():
        if source.endswith(".rels") or source == "[Content_Types].xml":
            continue
        ids = relationships.get(source, {})
        used = set()
        for element in root.iter():
            rid = element.get(f"{{{R}}}id")
            if rid is None:
                continue
            if rid in used:
                out.append(f"{source}: r:id {rid} used twice")
            used.add(rid)
            if rid not in ids:
                out.append(f"{source}: r:id {rid} has no relationship")
            elif REFERENCES.get(_local(element)) not in (None, ids[rid][0]):
                out.append(f"{source}: r:id {rid} of {_local(element)[1]} is a {ids[rid][0]}")
    parts["relationships"] = relationships
    return parts


def problems(data: bytes) -> list[str]:
    """Everything in the workbook `data` that Excel would repair or refuse (empty: none)."""
    out: list[str] = []
    with zipfile.ZipFile(BytesIO(data)) as archive:
        parts = _check_package(archive, out)
    relationships = parts.pop("relationships", {})
    if out:  # a part missing or unreadable: the rest cannot be checked
        return out
    for name, root in parts.items():
        if not name.endswith(".rels") and name != "[Content_Types].xml":
            _check_tree(root, name, out)
    book = parts.get("xl/workbook.xml")
    if book is None:
        return out + ["package: no xl/workbook.xml"]
    book_rels = relationships.get("xl/workbook.xml", {})

    def related(source: str, kind: str) -> list[str]:
        return [t for k, t in relationships.get(source, {}).values() if k == f"{R}/{kind}"]

    # Styles: counts right, every index points at something.
    styles = parts[related("xl/workbook.xml", "styles")[0]]
    for group in styles:
        count = group.get("count")
        if count is not None and int(count) != len(group):
            out.append(f"styles: {_local(group)[1]} count={count}, has {len(group)}")
    custom = {int(f.get("numFmtId")) for f in styles.iter(f"{{{MAIN}}}numFmt")}
    if any(i < 164 for i in custom):
        out.append("styles: a custom number format below 164")
    sizes = {
        key: len(styles.find(f"{{{MAIN}}}{group}"))
        for key, group in (
            ("fontId", "fonts"),
            ("fillId", "fills"),
            ("borderId", "borders"),
            ("xfId", "cellStyleXfs"),
        )
    }
    cell_xfs = styles.find(f"{{{MAIN}}}cellXfs")
    for xf in cell_xfs:
        number = int(xf.get("numFmtId", 0))
        if number >= 164 and number not in custom or 49 < number < 164:
            out.append(f"styles: xf with undefined number format {number}")
        for key, size in sizes.items():
            if int(xf.get(key, 0)) >= size:
                out.append(f"styles: xf {key}={xf.get(key)} of {size}")
    styles_count = len(cell_xfs)
    # Shared strings: counted right; only the underscore escaped.
    table = parts[related("xl/workbook.xml", "sharedStrings")[0]]
    strings = table.findall(f"{{{MAIN}}}si")
    if int(table.get("uniqueCount", len(strings))) != len(strings):
        out.append(f"sharedStrings: uniqueCount={table.get('uniqueCount')}, has {len(strings)}")
    for name, root in parts.items():
        for text in root.iter(f"{{{MAIN}}}t"):
            for escape in ESCAPE.findall(text.text or ""):
                # Excel writes the underscore's as _x005F_ (a lowercase f it repairs).
                if escape != "005F":
                    out.append(f"{name}: text {text.text[:40]!r} has the Excel escape _x{escape}_")
    # Sheets: names and ids.
    sheets = book.findall(f"{{{MAIN}}}sheets/{{{MAIN}}}sheet")
    names = [s.get("name") for s in sheets]
    for name in names:
        if not 1 <= len(name) <= 31 or SHEET_NAME_CHARS.search(name):
            out.append(f"workbook: invalid sheet name {name!r}")
        if name.startswith("'") or name.endswith("'") or name.lower() == "history":
            out.append(f"workbook: invalid sheet name {name!r}")
    if len({n.lower() for n in names}) != len(names):
        out.append(f"workbook: sheet names not unique: {names}")
    for attribute in ("sheetId", f"{{{R}}}id"):
        values = [s.get(attribute) for s in sheets]
        if len(set(values)) != len(values):
            out.append(f"workbook: sheet {attribute} not unique")
    for view in book.iter(f"{{{MAIN}}}workbookView"):
        if int(view.get("activeTab", 0)) >= len(sheets):
            out.append("workbook: activeTab beyond the last sheet")
    # Each sheet: its cells, filter and chart.
    filters, used_strings = {}, 0
    rows_of = {}
    for position, sheet in enumerate(sheets):
        where = f"sheet {sheet.get('name')!r}"
        part = book_rels[sheet.get(f"{{{R}}}id")][1]
        root = parts[part]
        for col in root.iter(f"{{{MAIN}}}col"):
            if int(col.get("style", 0)) >= styles_count:
                out.append(f"{where}: col style {col.get('style')} of {styles_count}")
            if not 0 <= float(col.get("width", 0)) <= 255:
                out.append(f"{where}: col width {col.get('width')}")
        last_row = 0
        for row in root.iter(f"{{{MAIN}}}row"):
            number = int(row.get("r"))
            if not last_row < number <= 1_048_576:
                out.append(f"{where}: row {number} after row {last_row}")
            last_row, last_column = number, 0
            for cell in row:
                match = CELL.fullmatch(cell.get("r", ""))
                column = _column_number(match.group(1)) if match else 0
                if not match or int(match.group(2)) != number or column <= last_column:
                    out.append(f"{where}: cell {cell.get('r')} in row {number}")
                last_column = column
                if int(cell.get("s", 0)) >= styles_count:
                    out.append(f"{where}: cell {cell.get('r')} style {cell.get('s')}")
                kind, value = cell.get("t", "n"), cell.findtext(f"{{{MAIN}}}v")
                if kind == "s":
                    used_strings += 1
                    if not value.isdigit() or int(value) >= len(strings):
                        out.append(f"{where}: cell {cell.get('r')} string {value}")
                elif kind == "n" and value is not None:
                    try:
                        finite = math.isfinite(float(value))
                    except ValueError:
                        finite = False
                    if not finite:
                        out.append(f"{where}: cell {cell.get('r')} number {value!r}")
                elif kind == "b" and value not in ("0", "1"):
                    out.append(f"{where}: cell {cell.get('r')} boolean {value!r}")
                elif kind == "inlineStr" and cell.find(f"{{{MAIN}}}is") is None:
                    out.append(f"{where}: inline string cell {cell.get('r')} without <is>")
        rows_of[sheet.get("name")] = last_row
        auto = root.find(f"{{{MAIN}}}autoFilter")
        if auto is not None:
            filters[position] = auto.get("ref")
        priorities = [int(r.get("priority")) for r in root.iter(f"{{{MAIN}}}cfRule")]
        if len(set(priorities)) != len(priorities) or any(p < 1 for p in priorities):
            out.append(f"{where}: conditional format priorities {priorities}")
        for scale in root.iter(f"{{{MAIN}}}colorScale"):
            cfvo, colors = scale.findall(f"{{{MAIN}}}cfvo"), scale.findall(f"{{{MAIN}}}color")
            if not 2 <= len(cfvo) <= 3 or len(colors) != len(cfvo):
                out.append(f"{where}: colour scale of {len(cfvo)} values, {len(colors)} colours")
        drawings = root.findall(f"{{{MAIN}}}drawing")
        if drawings and len(related(part, "drawing")) != 1:
            out.append(f"{where}: drawing without its one drawing part")
    # Defined names: unique, on existing sheets, the filter's range as the sheet's.
    seen = set()
    for defined in book.iter(f"{{{MAIN}}}definedName"):
        name, local = defined.get("name"), defined.get("localSheetId")
        if (name.lower(), local) in seen:
            out.append(f"workbook: defined name {name} twice for sheet {local}")
        seen.add((name.lower(), local))
        if local is not None and not int(local) < len(sheets):
            out.append(f"workbook: defined name {name} for sheet {local} of {len(sheets)}")
            continue
        sheet, ref = _sheet_ref(defined.text or "")
        if local is not None and sheet != names[int(local)]:
            out.append(f"workbook: {name} of sheet {local} refers to {sheet!r}")
        elif sheet not in names:
            out.append(f"workbook: {name} refers to missing sheet {sheet!r}")
        if name == "_xlnm._FilterDatabase":
            if local is None or ref.replace("$", "") != filters.get(int(local)):
                out.append(f"workbook: filter range {ref} of sheet {local} is not its autoFilter")
        elif name == "_xlnm.Print_Titles":
            if not re.fullmatch(r"\$\d+:\$\d+|\$[A-Z]+:\$[A-Z]+", ref):
                out.append(f"workbook: print titles {ref!r}")
        elif name.startswith("_xlnm."):
            out.append(f"workbook: unexpected built-in name {name}")
    for position in filters:
        if ("_xlnm._filterdatabase", str(position)) not in seen:
            out.append(f"workbook: sheet {names[position]!r} has a filter without its name")
    if int(table.get("count", used_strings)) != used_strings:
        out.append(f"sharedStrings: count={table.get('count')}, cells use {used_strings}")
    # Charts: axes cross each other, series refer to rows that exist.
    for name, root in parts.items():
        if not name.startswith("xl/charts/"):
            continue
        axes = [
            a.get("val")
            for kind in ("catAx", "valAx", "dateAx", "serAx")
            for a in root.iterfind(f".//{{{CHART}}}{kind}/{{{CHART}}}axId")
        ]
        used = [a.get("val") for a in root.iterfind(f".//{{{CHART}}}radarChart/{{{CHART}}}axId")]
        if len(set(axes)) != len(axes) or not set(used) <= set(axes):
            out.append(f"{name}: axis ids {axes}, charted on {used}")
        for cross in root.iter(f"{{{CHART}}}crossAx"):
            if cross.get("val") not in axes:
                out.append(f"{name}: crossAx {cross.get('val')} is no axis")
        style = root.find(f"{{{CHART}}}style")
        if style is not None and not 1 <= int(style.get("val")) <= 48:
            out.append(f"{name}: style {style.get('val')}")
        for formula in root.iter(f"{{{CHART}}}f"):
            sheet, ref = _sheet_ref(formula.text)
            rows = [int(n) for n in re.findall(r"\$(\d+)", ref)]
            if sheet not in names:
                out.append(f"{name}: {formula.text} refers to a missing sheet")
            elif rows != sorted(rows) or max(rows) > rows_of[sheet]:
                out.append(f"{name}: {formula.text} beyond the sheet's {rows_of[sheet]} rows")
    for name, root in parts.items():
        if name.startswith("xl/drawings/") and not name.endswith(".rels"):
            ids = [e.get("id") for e in root.iter(f"{{{XDR}}}cNvPr")]
            if len(set(ids)) != len(ids):
                out.append(f"{name}: shape ids {ids} not unique")
    return out


@pytest.fixture
def demo(login, monkeypatch):
    """The demo data, its first organisation's leader logged in; sheets of more than 150
    rows continue in "Name (2)" and on. Returns the first intervention's id."""
    monkeypatch.setattr(wb, "MAX_DATA_ROWS", 150)
    seeding.load_reference()
    seeding.load_demo()
    org = db.session.scalars(select(Organization).order_by(Organization.id)).first()
    leader = db.session.scalars(select(User).where(User.email == "leder@nord.demo")).one()
    login(leader, org)
    return db.session.scalars(
        select(Intervention.id).where(Intervention.organization_id == org.id)
    ).first()


def _download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return response.data


def _kinds(data: bytes) -> set[str]:
    """The kinds of sheet in the workbook, as the writer makes them."""
    with zipfile.ZipFile(BytesIO(data)) as archive:
        parts = {name: archive.read(name).decode() for name in archive.namelist()}
    sheets = [text for name, text in parts.items() if name.startswith("xl/worksheets/sheet")]
    charts = [text for name, text in parts.items() if name.startswith("xl/charts/")]
    book = parts["xl/workbook.xml"]
    kinds = {
        "radar chart": any("<c:radarChart>" in chart for chart in charts),
        "colour scale": any('type="colorScale"' in sheet for sheet in sheets),
        "autofilter": all("<autoFilter " in sheet for sheet in sheets),
        "print titles": book.count("_xlnm.Print_Titles") == len(sheets),
        "continued sheet": ' (2)"' in book,
    }
    return {kind for kind, present in kinds.items() if present}


def test_the_demo_workbooks_open_in_excel_without_repair(client, demo):
    """The organisation's workbook has every kind of sheet the writer makes; it and an
    intervention's pass the strict checks."""
    data = _download(client, "/eksport.xlsx")
    assert _kinds(data) == {
        "radar chart",
        "colour scale",
        "autofilter",
        "print titles",
        "continued sheet",
    }
    assert problems(data) == []
    assert problems(_download(client, f"/indsatser/{demo}/eksport.xlsx")) == []


def test_texts_that_look_like_excel_escapes_read_back_as_typed(client, login):
    """A typed "_x0041_" is no escape: Excel would show "A" unless its underscore is written
    as _x005F_. Short and long texts (a long one is no shared text) read back as typed, with
    openpyxl as the import reads."""
    org = gen_org("Nord")
    leader = gen_user(org, role="leader")
    intervention = gen_intervention(org, name="_x0041_", purpose="_x00e6_ og __X0041__")
    gen_member(intervention, leader, "leader")
    phase, element = gen_phase(intervention, "Opstart"), gen_core_element(intervention, "Kontakt")
    long_comment = "_x0041_ " + "lang kommentar " * 50  # longer than a shared text
    for code, comment in (("F-1", "_x0041_"), ("F-2", long_comment)):
        gen_rating(gen_case(intervention, code), phase, element, 3, comment=comment)
    db.session.commit()
    login(leader, org)

    data = _download(client, f"/indsatser/{intervention.id}/eksport.xlsx")
    assert problems(data) == []
    book = load_workbook(BytesIO(data))
    assert book["Indsatser"]["A2"].value == "_x0041_"
    assert book["Indsatser"]["C2"].value == "_x00e6_ og __X0041__"
    sheet = load_import(data)["Kvalitet i kerneelementer"]
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("Kommentar")
    assert [row[column] for row in rows[1:]] == ["_x0041_", long_comment]


def _written(header=("Nr", "Tekst", "Score"), rows=((1, "a", 2.5),), **extra) -> bytes:
    target = BytesIO()
    with Workbook(
        target,
        date_format="DD-MM-YYYY",
        datetime_format="DD-MM-YYYY HH:MM",
        timezone=UTC,
        header_fill="DDE7EF",
    ) as book:
        book.add_sheet("Ark", [Col(10)] * len(header), list(header), rows, **extra)
        book.close()
    return target.getvalue()


def test_a_header_that_looks_like_an_escape_reads_back_as_typed():
    data = _written(header=("_x0041_", "Runde _x00e6_"), rows=[(1, 2)])
    assert problems(data) == []
    assert [c.value for c in load_workbook(BytesIO(data))["Ark"][1]] == ["_x0041_", "Runde _x00e6_"]


def test_characters_xml_cannot_carry_are_dropped(client, login):
    """U+FFFE and U+FFFF pass the forms; written as they are, they made the sheet (or the
    shared strings) unreadable: Excel repaired the workbook, openpyxl refused it."""
    org = gen_org("Nord")
    leader = gen_user(org, role="leader")
    intervention = gen_intervention(org, name="Spæd\ufffebarn", purpose="Fælles\uffff mål")
    db.session.commit()
    login(leader, org)
    data = _download(client, f"/indsatser/{intervention.id}/eksport.xlsx")
    assert problems(data) == []
    row = [c.value for c in load_workbook(BytesIO(data))["Indsatser"][2]]
    assert row[0] == "Spædbarn" and row[2] == "Fælles mål"


def test_numbers_excel_cannot_hold_are_empty_cells():
    rows = [(float("nan"), float("inf"), Decimal("NaN")), (-float("inf"), 1.5, Decimal("2"))]
    data = _written(rows=rows)
    assert problems(data) == []
    sheet = load_workbook(BytesIO(data))["Ark"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [
        [None, None, None],
        [None, 1.5, 2],
    ]


def test_a_chart_of_no_rows_is_left_out():
    """Its ranges would run from row 2 up to the header, which Excel charts as data."""
    data = _written(rows=[], radar=Radar("Tom", (3,), anchor=5))
    assert problems(data) == []
    with zipfile.ZipFile(BytesIO(data)) as archive:
        assert not [name for name in archive.namelist() if "chart" in name]


# What the checks must find: (part, text, replacement, a word of the problem reported).
BROKEN = [
    ("xl/worksheets/sheet1.xml", "<autoFilter ", "<dimension ref='A1'/><autoFilter ", "order"),
    (
        "xl/charts/chart1.xml",
        '<c:overlay val="0"/></c:title>',
        '</c:title><c:overlay val="0"/>',
        "order",
    ),
    ("xl/charts/chart1.xml", '<c:crossAx val="100"/>', '<c:crossAx val="7"/>', "crossAx"),
    ("[Content_Types].xml", "/xl/charts/chart1.xml", "/xl/charts/chart9.xml", "content type"),
    ("xl/_rels/workbook.xml.rels", "/xl/styles.xml", "/xl/style.xml", "missing part"),
    ("xl/workbook.xml", 'localSheetId="0">', 'localSheetId="1">', "sheet 1"),
    ("xl/workbook.xml", 'name="Ark"', 'name="Ark?"', "sheet name"),
    ("xl/sharedStrings.xml", 'uniqueCount="2"', 'uniqueCount="3"', "uniqueCount"),
    ("xl/styles.xml", '<cellXfs count="', '<cellXfs count="9', "count"),
    ("xl/worksheets/sheet1.xml", 'type="colorScale"', 'type="heat"', "not one of"),
    ("xl/sharedStrings.xml", "<t>a</t>", "<t>_x0041_</t>", "escape"),
]


@pytest.mark.parametrize(("part", "old", "new", "word"), BROKEN)
def test_the_checks_find_what_excel_would_repair(part, old, new, word):
    data = _written(
        rows=[(1, "a", 2.5), (2, "b", 4.0)],
        radar=Radar("Radar", (3,), anchor=5),
        color_scale=ColorScale(3, ((1, "F8696B"), (3, "FFEB84"), (5, "63BE7B"))),
    )
    assert problems(data) == []
    target = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(target, "w") as copy:
        for name in source.namelist():
            content = source.read(name).decode()
            if name == part:
                assert old in content
                content = content.replace(old, new, 1)
            copy.writestr(name, content)
    found = problems(target.getvalue())
    assert any(word in problem for problem in found), found
