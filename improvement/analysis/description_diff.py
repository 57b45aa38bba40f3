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
and the lines after a deletion do not all read as changed. A line shown as changed names
its items in the newer version's numbering with the older label noted ("A3 (was A4)"), and a
core element's list of activities is compared activity by activity (`Ref`), each named by
its label and text, so a link that only was renumbered reads as unchanged beside the one
that was really removed or added. An assumption's lines of the links it applies to ("F1 –
applies to: A1 → K1") are compared by the items they join, one line per link, in an order
that is not their numbering: moving an activity renumbers the links without changing one.
A snapshot keeps the labels as codes with the Danish letters (K2); they are shown in the
reader's language ("theory_label"), and compared as kept.
"""

import difflib
from collections import Counter
from dataclasses import dataclass, field, replace

SECTIONS = (
    "basics",
    "theory",
    "core_elements",
    "prerequisites",
    "workflows",
    "development_points",
)


@dataclass(frozen=True)
class Ref:
    """A theory item a line lists (a core element's activity), as one side shows it."""

    tag: str  # "same", "added", "removed"
    name: str  # its label; on the newer side the older one noted if renumbered: "A3 (was A4)"
    text: str
    deleted: bool = False  # removed because the item itself is gone from the newer version


@dataclass(frozen=True)
class Line:
    """A line as the reader sees it, compared by what it is about (`identity`): the same
    text with the theory's labels replaced by the items they stand for. `noted` is the
    text with renumbered labels noted, shown where the line is not unchanged; a line that
    lists theory items has the list's `head` and its `refs`, each (item, Ref)."""

    text: str = field(compare=False)
    identity: str
    noted: str | None = field(default=None, compare=False)
    head: str = field(default="", compare=False)
    refs: tuple[tuple[str, Ref], ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class DiffRow:
    tag: str  # "same", "added", "removed", "changed", "moved"
    left: str | None
    right: str | None
    # A line listing theory items: its head ("Kontakt – activities") and each side's
    # items, marked one by one.
    head: str = ""
    left_refs: tuple[Ref, ...] = ()
    right_refs: tuple[Ref, ...] = ()


def _field(label: str, value) -> list[str]:
    if value in (None, "", []):
        return []
    return [f"{label}: {value}"]


def _same(label: str) -> str:
    return label


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
    # A theory item's label in the newer version, its label in the older one noted.
    "renumbered": "%(label)s (was %(old)s)",
    # A theory label as the reader's language writes it: a snapshot keeps it as a code with
    # the Danish letters ("K2"), which the app shows as models.theory.theory_label does.
    "theory_label": _same,
}

# How a line is compared: by the codes, and an archived core element named alike.
_CODED_ARCHIVED = "%(name)s (archived)"


def _by_item(ids: dict[str, str]):
    """Names a theory label by the item it stands for; "A1 → K2" part by part."""

    def name(label: str) -> str:
        return " → ".join(ids.get(part, part) for part in label.split(" → "))

    return name


def _noting(was: dict[str, str], words: str, shown=_same):
    """Names a theory label as the newer version does, the older label noted where the
    item was renumbered: "A3 (was A4)"; "A1 → K2" part by part; each label as `shown`
    writes it."""

    def name(label: str) -> str:
        return " → ".join(
            words % {"label": shown(part), "old": shown(was[part])} if part in was else shown(part)
            for part in label.split(" → ")
        )

    return name


def _listing(labels: list[str], name, sets: bool) -> str:
    """A list of theory items (what an item leads to, a core element's activities). Compared
    as a set (`sets`): its order is the labels' numbering, which moving an item changes."""
    names = [name(label) for label in labels]
    return ", ".join(sorted(names) if sets else names)


def _activities_head(title: str, L: dict) -> str:  # noqa: N803
    return f"{title} – {L['activities']}"


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
    archived one; and the theory's labels ("K2") as their letters are written; all in
    `labels`' language. A snapshot from before prerequisites were described reads as
    having none."""
    L = {**LABELS, **(labels or {})}  # noqa: N806
    shown = L["theory_label"]
    doc = dict(snapshot or {})
    theory = doc.get("theory") or {}
    if theory:
        doc["theory"] = {
            **theory,
            **{
                key: [
                    {
                        **item,
                        "label": shown(item["label"]),
                        "leads_to": [shown(label) for label in item.get("leads_to", [])],
                    }
                    for item in theory.get(key, [])
                ]
                for key in ("activities", "short_term", "long_term")
            },
            "assumptions": [
                {
                    **a,
                    "label": shown(a["label"]),
                    "links": [shown(link) for link in a.get("links", [])],
                }
                for a in theory.get("assumptions", [])
            ],
        }
    doc["core_elements"] = [
        {
            **ce,
            "status_label": _word(ce, "status", L["core_element_statuses"]),
            "activities": [shown(label) for label in ce.get("activities", [])],
        }
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
    snapshot: dict,
    labels: dict | None = None,
    name=_same,
    coded: bool = False,
    sets: bool = False,
) -> dict[str, list[str]]:
    """The snapshot as readable lines, per section; stable for equal content. `name`
    writes a theory label (A1, F2, "A1 → K2"): as it is, or by the item it stands for.
    `coded`: statuses and kinds as their codes, the lines compared rather than shown;
    `sets`: lists of theory items in an order independent of their numbering."""
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
            leads = _listing(item.get("leads_to", []), name, sets)
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
        activities = _listing(ce.get("activities", []), name, sets)
        cores += _field(_activities_head(title, L), activities)
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


def _marked(line: Line | None, other: Line | None, missing: str) -> tuple[Ref, ...]:
    """The items `line` lists, each unchanged where `other` lists it too, else `missing`
    ("removed" on the older side, "added" on the newer)."""
    if line is None:
        return ()
    keys = {key for key, _ in other.refs} if other is not None else set()
    return tuple(replace(ref, tag="same" if key in keys else missing) for key, ref in line.refs)


def _row(tag: str, left: Line | None, right: Line | None) -> DiffRow:
    """A row of two lines, each in its side's numbering (the newer side's renumbered
    labels noted where the line is not unchanged), the items they list marked one by one."""
    shown = None
    if right is not None:
        shown = right.text if tag == "same" or right.noted is None else right.noted
    return DiffRow(
        tag,
        left.text if left else None,
        shown,
        head=(right or left).head,
        left_refs=_marked(left, right, "removed"),
        right_refs=_marked(right, left, "added"),
    )


def _replace_rows(
    left: list[Line], right: list[Line], moved: Counter, before: dict[Line, Line]
) -> list[DiffRow]:
    """One block of lines replaced by others. A line that only moved (the same line
    removed elsewhere, `before`) is "moved"; of the rest, lines about the same thing (same
    key) pair up as changed, then the remaining ones by position; what is left is added or
    removed."""
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
            rows.append(_row("moved", before[line], line))
        elif j in pairs:
            rows.append(_row("changed", pairs[j], line))
        else:
            rows.append(_row("added", None, line))
    return rows + [_row("removed", a, None) for a in rest]


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
    before = {line: line for line in reversed(old)}  # a line as the old side shows it
    rows: list[DiffRow] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            rows += [
                _row("same", old[i], new[j])
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
            continue
        left = []
        for line in old[i1:i2]:  # a moved line is shown where it went, not where it was
            if left_moved[line] > 0:
                left_moved[line] -= 1
            else:
                left.append(line)
        rows += _replace_rows(left, new[j1:j2], moved, before)
    return rows


def _has_codes(snapshot: dict) -> bool:
    return (
        all("status" in ce for ce in snapshot.get("core_elements", []))
        and all("status" in p for p in snapshot.get("prerequisites", []))
        and all("kind" in dp and "status" in dp for dp in snapshot.get("development_points", []))
    )


def _item_texts(snapshot: dict) -> dict[str, str]:
    theory = snapshot.get("theory") or {}
    return {
        item["label"]: item["text"]
        for key in ("activities", "short_term", "long_term")
        for item in theory.get(key, [])
    }


def _activity_lists(snapshot: dict, L: dict, ids, name, gone) -> dict[str, tuple]:  # noqa: N803
    """Each core element's line of activities, as shown → its head and its items, each
    (what it is compared by, Ref) named by `name`; `gone`: labels of items deleted since.
    An item is compared by its id, or in a version from before snapshots named them, by
    its text: there a label may stand for another activity in each version."""
    texts = _item_texts(snapshot)
    lists = {}
    for ce in snapshot.get("core_elements", []):
        activities = ce.get("activities", [])
        head = _activities_head(ce["name"], L)
        for text in _field(head, ", ".join(activities)):
            lists[text] = (
                head,
                tuple(
                    (
                        ids.get(label, label) if ids else texts.get(label) or label,
                        Ref("same", name(label), texts.get(label, ""), label in gone),
                    )
                    for label in activities
                ),
            )
    return lists


def _sections(
    snapshot: dict,
    labels: dict | None,
    ids: dict[str, str] | None,
    coded: bool,
    was: dict[str, str] | None = None,
    gone: frozenset[str] = frozenset(),
):
    """The snapshot's lines per section as shown, each compared by its codes where
    `coded` (else as shown), and by item where `ids` names the theory's items. `was`: the
    older label of each item renumbered since, noted where a line is shown changed;
    `gone`: labels of the items deleted since."""
    L = {**LABELS, **(labels or {})}  # noqa: N806
    shown_label = L["theory_label"]
    shown = flatten(snapshot, labels, shown_label)
    name = _noting(was, L["renumbered"], shown_label) if was else shown_label
    noted = flatten(snapshot, labels, name) if was else shown
    by = _by_item(ids) if ids is not None else _same
    compared = flatten(snapshot, labels, by, coded=coded, sets=True)
    lists = _activity_lists(snapshot, L, ids, name, gone)
    sections = {}
    for section, lines in shown.items():
        listed = lists if section == "core_elements" else {}
        sections[section] = [
            Line(text, identity, note, *listed.get(text, ()))
            for text, note, identity in zip(lines, noted[section], compared[section], strict=True)
        ]
    return sections


def _renumbering(old_ids: dict[str, str], new_ids: dict[str, str]):
    """(was, gone): the older label of each item the newer version numbers differently,
    and the older labels of the items it no longer has."""
    old_label = {item: label for label, item in old_ids.items()}
    was = {
        label: old_label[item]
        for label, item in new_ids.items()
        if item in old_label and old_label[item] != label
    }
    kept = set(new_ids.values())
    return was, frozenset(label for label, item in old_ids.items() if item not in kept)


def _label_order(label: str) -> tuple[int, int, str]:
    """A1 < A2 < A10 < K1 < L1 < F1, as the theory numbers its items and assumptions."""
    prefix, number = label[:1], label[1:]
    return (
        "AKLF".index(prefix) if prefix and prefix in "AKLF" else 4,
        int(number) if number.isdigit() else 0,
        label,
    )


def _ranks(old_ids: dict[str, str], new_ids: dict[str, str]) -> dict[str, tuple]:
    """Each item's place, the same in both versions: its label's in the newer numbering,
    after them an item the newer version no longer has, by its older label."""
    ranks = {item: (1, _label_order(label)) for label, item in old_ids.items()}
    ranks.update({item: (0, _label_order(label)) for label, item in new_ids.items()})
    return ranks


def _link_order(ids: dict[str, str], ranks: dict[str, tuple]):
    """Sorts a version's links ("A1 → K2") by the places of the items they join (`ranks`):
    the links the versions share in the same order in each, the newer version's as it
    numbers them. A label naming no item ("?") goes last."""

    def key(link: str) -> tuple:
        return tuple(ranks.get(ids.get(part, ""), (2, part)) for part in link.split(" → "))

    return key


def _links_in_order(snapshot: dict, key) -> dict:
    """The snapshot with each assumption's links sorted by `key`; a new dict, the one given
    left as it is."""
    theory = snapshot.get("theory")
    if not theory or not theory.get("assumptions"):
        return snapshot
    assumptions = [
        {**a, "links": sorted(a.get("links", []), key=key)} for a in theory["assumptions"]
    ]
    return {**snapshot, "theory": {**theory, "assumptions": assumptions}}


def compare(old: dict, new: dict, labels: dict | None = None) -> dict[str, list[DiffRow]]:
    """Side-by-side rows per section of two snapshots. Versions published before
    snapshots named their theory items (`theory_ids`) are compared by label. Statuses and
    kinds are compared by code where both snapshots have theirs, and shown in `labels`'
    words."""
    old, new = old or {}, new or {}
    by_item = "theory_ids" in old and "theory_ids" in new
    # By code where both stored theirs; a snapshot without them is compared as it reads.
    coded = _has_codes(old) and _has_codes(new)
    if by_item:
        was, gone = _renumbering(old["theory_ids"], new["theory_ids"])
        ranks = _ranks(old["theory_ids"], new["theory_ids"])
        old = _links_in_order(old, _link_order(old["theory_ids"], ranks))
        new = _links_in_order(new, _link_order(new["theory_ids"], ranks))
        a = _sections(old, labels, old["theory_ids"], coded, gone=gone)
        b = _sections(new, labels, new["theory_ids"], coded, was=was)
    else:
        a, b = _sections(old, labels, None, coded), _sections(new, labels, None, coded)
    return {section: side_by_side(a[section], b[section]) for section in SECTIONS}


def count_changes(diff: dict[str, list[DiffRow]]) -> dict[str, int]:
    counts = {"added": 0, "removed": 0, "changed": 0, "moved": 0}
    for rows in diff.values():
        for row in rows:
            if row.tag in counts:
                counts[row.tag] += 1
    return counts
