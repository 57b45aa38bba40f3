"""Compare two snapshots of an intervention description, line by line, side by side.

A snapshot is the plain dict the description page is rendered from (see
`snapshot` in improvement/description/queries.py). It is flattened into labelled lines per
section, and difflib pairs the lines of two snapshots into rows for a side-by-side view.

A snapshot stores codes, not words: a core element's status, an organisational
prerequisite's status, a development point's kind and status, and whether a core element
a point names is archived. They are put in words when shown (`readable`), in the reader's
language, and lines are compared by the codes, so a version published by someone reading
English compares as unchanged with the same text read in Danish. Versions published before
that stored the words of their publisher's language too ("status_label", "Fælles sprog
(archived)"); their codes are used where they have them, and their words are read back
where they have nothing else. Versions published before prerequisites were described have
none, and compare with a draft without any as unchanged.

The theory of change's labels (A1, K2, F1) are numbers by position: deleting A1 makes A2
the new A1. Where both snapshots name the items behind their labels (`theory_ids`), lines
are compared by those items instead, so a renumbered but unchanged line reads as unchanged
and the lines after a deletion do not all read as changed.
"""

import difflib
from collections import Counter
from dataclasses import dataclass, field

SECTIONS = (
    "basics",
    "theory",
    "core_elements",
    "prerequisites",
    "workflows",
    "development_points",
)


@dataclass(frozen=True)
class Line:
    """A line as the reader sees it, compared by what it is about (`identity`): the same
    text with the theory's labels replaced by the items they stand for."""

    text: str = field(compare=False)
    identity: str


@dataclass(frozen=True)
class DiffRow:
    tag: str  # "same", "added", "removed", "changed", "moved"
    left: str | None
    right: str | None


def _field(label: str, value) -> list[str]:
    if value in (None, "", []):
        return []
    return [f"{label}: {value}"]


# Words in the flattened lines; the app passes them translated.
LABELS = {
    "name": "Name",
    "target_group": "Target group",
    "purpose": "Purpose",
    "aim": "Overall aim",
    "knowledge": "knowledge",
    "applies_to": "applies to",
    "source": "source",
    "description": "description",
    "why": "why",
    "focus": "focus",
    "practice": "in practice",
    "activities": "activities",
    "covers": "covers",
    "gap": "missing",
    "phase": "Phase",
    "child": "child/young person",
    "parents": "parents",
    "professionals": "professionals",
    "core_elements": "core elements",
    "elements": "elements",
    # What the codes a snapshot stores read as (the app passes the models' labels); a code
    # without a word reads as the word an older snapshot stored with it, or as itself.
    "core_element_statuses": {},
    "prerequisite_statuses": {},
    "point_kinds": {},
    "point_statuses": {},
    # A core element a development point names that is archived; and the same words in
    # every language the app speaks, to read those older snapshots stored back as a flag.
    "archived": "%(name)s (archived)",
    "archived_in_any_language": ("%(name)s (archived)",),
}

# How a line is compared: by the codes, and an archived core element named alike.
_CODED_ARCHIVED = "%(name)s (archived)"


def _same(label: str) -> str:
    return label


def _by_item(ids: dict[str, str]):
    """Names a theory label by the item it stands for; "A1 → K2" part by part."""

    def name(label: str) -> str:
        return " → ".join(ids.get(part, part) for part in label.split(" → "))

    return name


def _word(entry: dict, key: str, words: dict | None) -> str:
    """An entry's status or kind (`key`) in `words`; with None, the code it is compared
    by. A snapshot from before codes were put in words at display time has both, the word
    in its publisher's language: the code wins, the word is what is left without one."""
    code = entry.get(key)
    stored = entry.get(f"{key}_label")
    if words is None:
        return str(code or stored or "")
    return str(words.get(code) or stored or code or "")


def _unarchived(text: str, patterns) -> tuple[str, bool]:
    """(name, archived) of "Fælles sprog (arkiveret)" as an older snapshot stored it, in
    whichever of the app's languages it was published."""
    for pattern in patterns:
        head, found, tail = str(pattern).partition("%(name)s")
        if not found or not (head or tail):
            continue
        if len(text) > len(head) + len(tail) and text.startswith(head) and text.endswith(tail):
            return text[len(head) : len(text) - len(tail)], True
    return text, False


def core_element_refs(point: dict, labels: dict | None = None) -> list[tuple[str, bool]]:
    """(name, archived) of each core element a development point names: stored as such,
    or, in an older snapshot, as the name with "(archived)" in its publisher's language."""
    patterns = {**LABELS, **(labels or {})}["archived_in_any_language"]
    refs = []
    for entry in point.get("core_elements", []):
        if isinstance(entry, dict):
            refs.append((str(entry.get("name", "")), bool(entry.get("archived"))))
        else:
            refs.append(_unarchived(str(entry), patterns))
    return refs


def _core_names(point: dict, L: dict, coded: bool) -> list[str]:  # noqa: N803
    archived = _CODED_ARCHIVED if coded else str(L["archived"])
    return [
        archived % {"name": name} if gone else name for name, gone in core_element_refs(point, L)
    ]


def readable(snapshot: dict, labels: dict | None = None) -> dict:
    """The snapshot as the document shows it: each core element and organisational
    prerequisite with its `status_label`, each development point with its `kind_label` and
    `status_label`, and the core elements it names as names, "(archived)" after an
    archived one; all in `labels`' language. A snapshot from before prerequisites were
    described reads as having none."""
    L = {**LABELS, **(labels or {})}  # noqa: N806
    doc = dict(snapshot or {})
    doc["core_elements"] = [
        {**ce, "status_label": _word(ce, "status", L["core_element_statuses"])}
        for ce in doc.get("core_elements", [])
    ]
    # Versions published before prerequisites were described have none.
    doc["prerequisites"] = [
        {**p, "status_label": _word(p, "status", L["prerequisite_statuses"])}
        for p in doc.get("prerequisites", [])
    ]
    doc["development_points"] = [
        {
            **dp,
            "kind_label": _word(dp, "kind", L["point_kinds"]),
            "status_label": _word(dp, "status", L["point_statuses"]),
            "core_elements": _core_names(dp, L, coded=False),
        }
        for dp in doc.get("development_points", [])
    ]
    return doc


def flatten(
    snapshot: dict, labels: dict | None = None, name=_same, coded: bool = False
) -> dict[str, list[str]]:
    """The snapshot as readable lines, per section; stable for equal content. `name`
    writes a theory label (A1, F2, "A1 → K2"): as it is, or by the item it stands for.
    `coded`: statuses and kinds as their codes, the lines compared rather than shown."""
    L = {**LABELS, **(labels or {})}  # noqa: N806
    core_statuses = None if coded else L["core_element_statuses"]
    prerequisite_statuses = None if coded else L["prerequisite_statuses"]
    point_kinds = None if coded else L["point_kinds"]
    point_statuses = None if coded else L["point_statuses"]
    theory = snapshot.get("theory") or {}
    basics = [
        *_field(L["name"], snapshot.get("name")),
        *_field(L["target_group"], snapshot.get("target_group")),
        *_field(L["purpose"], snapshot.get("purpose")),
    ]
    lines_theory = [*_field(L["aim"], theory.get("purpose"))]
    for key in ("activities", "short_term", "long_term"):
        for item in theory.get(key, []):
            leads = ", ".join(name(label) for label in item.get("leads_to", []))
            suffix = f" → {leads}" if leads else ""
            lines_theory.append(f"{name(item['label'])}: {item['text']}{suffix}")
    for assumption in theory.get("assumptions", []):
        label = name(assumption["label"])
        lines_theory.append(f"{label}: {assumption['text']}")
        lines_theory += _field(f"{label} – {L['knowledge']}", assumption.get("knowledge"))
        for link in assumption.get("links", []):
            lines_theory.append(f"{label} – {L['applies_to']}: {name(link)}")
        for ref in assumption.get("references", []):
            year = f" ({ref['year']})" if ref.get("year") else ""
            url = f" {ref['url']}" if ref.get("url") else ""
            source = f"{ref['author']}{year}. {ref['title']}.{url}"
            lines_theory.append(f"{label} – {L['source']}: {source}")
    cores = []
    for ce in snapshot.get("core_elements", []):
        title = ce["name"]
        cores.append(f"{title} [{_word(ce, 'status', core_statuses)}]")
        for key, label in (
            ("description", L["description"]),
            ("why", L["why"]),
            ("focus", L["focus"]),
            ("practice", L["practice"]),
        ):
            cores += _field(f"{title} – {label}", ce.get(key))
        activities = ", ".join(name(label) for label in ce.get("activities", []))
        cores += _field(f"{title} – {L['activities']}", activities)
    # Lines named by the prerequisite's name, as a core element's are.
    prerequisites = []
    for p in snapshot.get("prerequisites", []):
        title = p["name"]
        prerequisites.append(f"{title} [{_word(p, 'status', prerequisite_statuses)}]")
        prerequisites += _field(f"{title} – {L['covers']}", p.get("description"))
        prerequisites += _field(f"{title} – {L['gap']}", p.get("gap"))
    flows = []
    for phase in snapshot.get("workflows", []):
        flows.append(f"{L['phase']}: {phase['phase']}")
        flows += _field(f"{phase['phase']} – {L['description']}", phase.get("description"))
        for step in phase.get("steps", []):
            head = f"{phase['phase']} / {step['step']}"
            flows.append(head)
            flows += _field(f"{head} – {L['child']}", step.get("child"))
            flows += _field(f"{head} – {L['parents']}", step.get("parents"))
            flows += _field(f"{head} – {L['professionals']}", step.get("professionals"))
    points = []
    for dp in snapshot.get("development_points", []):
        title = dp["title"]
        kind, status = _word(dp, "kind", point_kinds), _word(dp, "status", point_statuses)
        points.append(f"{title} [{kind}, {status}]")
        points += _field(f"{title} – {L['description']}", dp.get("description"))
        cores_named = ", ".join(_core_names(dp, L, coded))
        points += _field(f"{title} – {L['core_elements']}", cores_named)
        points += _field(f"{title} – {L['elements']}", ", ".join(dp.get("elements", [])))
    return {
        "basics": basics,
        "theory": lines_theory,
        "core_elements": cores,
        "prerequisites": prerequisites,
        "workflows": flows,
        "development_points": points,
    }


def _key(line: str) -> str:
    """What a line is about: "Fælles sprog – why" of "Fælles sprog – why: …", "Fælles
    sprog" of "Fælles sprog [Potentielt]"; the whole line where it names nothing."""
    if ": " in line:
        return line.split(": ", 1)[0]
    if line.endswith("]") and " [" in line:
        return line.rsplit(" [", 1)[0]
    return line


def _replace_rows(left: list[Line], right: list[Line], moved: Counter) -> list[DiffRow]:
    """One block of lines replaced by others. A line that only moved (the same line
    removed elsewhere) is "moved"; of the rest, lines about the same thing (same key) pair
    up as changed, then the remaining ones by position; what is left is added or removed."""
    rest = list(left)
    pairs: dict[int, Line] = {}
    fresh = []
    for j, line in enumerate(right):
        if moved[line] > 0:
            moved[line] -= 1
            continue
        fresh.append(j)
    for j in fresh:
        key = _key(right[j].identity)
        at = next((i for i, a in enumerate(rest) if _key(a.identity) == key), None)
        if at is not None:
            pairs[j] = rest.pop(at)
    for j in fresh:
        if j not in pairs and rest:
            pairs[j] = rest.pop(0)
    rows = []
    for j, line in enumerate(right):
        if j not in fresh:
            rows.append(DiffRow("moved", line.text, line.text))
        elif j in pairs:
            rows.append(DiffRow("changed", pairs[j].text, line.text))
        else:
            rows.append(DiffRow("added", None, line.text))
    return rows + [DiffRow("removed", a.text, None) for a in rest]


def _lines(lines: list) -> list[Line]:
    return [line if isinstance(line, Line) else Line(line, line) for line in lines]


def side_by_side(old: list[str | Line], new: list[str | Line]) -> list[DiffRow]:
    """Rows pairing old and new lines: unchanged, removed (left only), added (right only),
    changed (paired), and moved: a line removed in one place and added unchanged in another
    (an element moved up the list), shown once where it now is. An unchanged line whose
    label was renumbered is "same", showing each side's label."""
    old, new = _lines(old), _lines(new)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    opcodes = matcher.get_opcodes()
    gone = Counter(line for tag, i1, i2, _, _ in opcodes if tag != "equal" for line in old[i1:i2])
    came = Counter(line for tag, _, _, j1, j2 in opcodes if tag != "equal" for line in new[j1:j2])
    moved = gone & came
    left_moved = Counter(moved)
    rows: list[DiffRow] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            rows += [
                DiffRow("same", old[i].text, new[j].text)
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
            continue
        left = []
        for line in old[i1:i2]:  # a moved line is shown where it went, not where it was
            if left_moved[line] > 0:
                left_moved[line] -= 1
            else:
                left.append(line)
        rows += _replace_rows(left, new[j1:j2], moved)
    return rows


def _has_codes(snapshot: dict) -> bool:
    return (
        all("status" in ce for ce in snapshot.get("core_elements", []))
        and all("status" in p for p in snapshot.get("prerequisites", []))
        and all("kind" in dp and "status" in dp for dp in snapshot.get("development_points", []))
    )


def _sections(snapshot: dict, labels: dict | None, ids: dict[str, str] | None, coded: bool):
    """The snapshot's lines per section as shown, each compared by its codes where
    `coded` (else as shown), and by item where `ids` names the theory's items."""
    shown = flatten(snapshot, labels)
    by = _by_item(ids) if ids is not None else _same
    compared = flatten(snapshot, labels, by, coded=coded)
    return {
        section: [
            Line(text, identity) for text, identity in zip(lines, compared[section], strict=True)
        ]
        for section, lines in shown.items()
    }


def compare(old: dict, new: dict, labels: dict | None = None) -> dict[str, list[DiffRow]]:
    """Side-by-side rows per section of two snapshots. Versions published before
    snapshots named their theory items (`theory_ids`) are compared by label. Statuses and
    kinds are compared by code where both snapshots have theirs, and shown in `labels`'
    words."""
    old, new = old or {}, new or {}
    by_item = "theory_ids" in old and "theory_ids" in new
    # By code where both stored theirs; a snapshot without them is compared as it reads.
    coded = _has_codes(old) and _has_codes(new)
    a = _sections(old, labels, old["theory_ids"] if by_item else None, coded)
    b = _sections(new, labels, new["theory_ids"] if by_item else None, coded)
    return {section: side_by_side(a[section], b[section]) for section in SECTIONS}


def count_changes(diff: dict[str, list[DiffRow]]) -> dict[str, int]:
    counts = {"added": 0, "removed": 0, "changed": 0, "moved": 0}
    for rows in diff.values():
        for row in rows:
            if row.tag in counts:
                counts[row.tag] += 1
    return counts
