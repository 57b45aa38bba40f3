"""Compare two snapshots of an intervention description, line by line, side by side.

A snapshot is the plain dict the description page is rendered from (see
improvement/description/snapshot.py). It is flattened into labelled lines per section, and
difflib pairs the lines of two snapshots into rows for a side-by-side view.
"""

import difflib
from collections import Counter
from dataclasses import dataclass

SECTIONS = (
    "basics",
    "theory",
    "core_elements",
    "workflows",
    "development_points",
)


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
    "phase": "Phase",
    "child": "child/young person",
    "parents": "parents",
    "professionals": "professionals",
    "core_elements": "core elements",
    "elements": "elements",
}


def flatten(snapshot: dict, labels: dict | None = None) -> dict[str, list[str]]:
    """The snapshot as readable lines, per section; stable for equal content."""
    L = {**LABELS, **(labels or {})}  # noqa: N806
    theory = snapshot.get("theory") or {}
    basics = [
        *_field(L["name"], snapshot.get("name")),
        *_field(L["target_group"], snapshot.get("target_group")),
        *_field(L["purpose"], snapshot.get("purpose")),
    ]
    lines_theory = [*_field(L["aim"], theory.get("purpose"))]
    for key in ("activities", "short_term", "long_term"):
        for item in theory.get(key, []):
            leads = ", ".join(item.get("leads_to", []))
            suffix = f" → {leads}" if leads else ""
            lines_theory.append(f"{item['label']}: {item['text']}{suffix}")
    for assumption in theory.get("assumptions", []):
        label = assumption["label"]
        lines_theory.append(f"{label}: {assumption['text']}")
        lines_theory += _field(
            f"{assumption['label']} – {L['knowledge']}", assumption.get("knowledge")
        )
        for link in assumption.get("links", []):
            lines_theory.append(f"{assumption['label']} – {L['applies_to']}: {link}")
        for ref in assumption.get("references", []):
            year = f" ({ref['year']})" if ref.get("year") else ""
            url = f" {ref['url']}" if ref.get("url") else ""
            source = f"{ref['author']}{year}. {ref['title']}.{url}"
            lines_theory.append(f"{label} – {L['source']}: {source}")
    cores = []
    for ce in snapshot.get("core_elements", []):
        name = ce["name"]
        cores.append(f"{name} [{ce.get('status_label', '')}]")
        for key, label in (
            ("description", L["description"]),
            ("why", L["why"]),
            ("focus", L["focus"]),
            ("practice", L["practice"]),
        ):
            cores += _field(f"{name} – {label}", ce.get(key))
        cores += _field(f"{name} – {L['activities']}", ", ".join(ce.get("activities", [])))
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
        points.append(f"{title} [{dp.get('kind_label', '')}, {dp.get('status_label', '')}]")
        points += _field(f"{title} – {L['description']}", dp.get("description"))
        points += _field(f"{title} – {L['core_elements']}", ", ".join(dp.get("core_elements", [])))
        points += _field(f"{title} – {L['elements']}", ", ".join(dp.get("elements", [])))
    return {
        "basics": basics,
        "theory": lines_theory,
        "core_elements": cores,
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


def _replace_rows(left: list[str], right: list[str], moved: Counter) -> list[DiffRow]:
    """One block of lines replaced by others. A line that only moved (the same text
    removed elsewhere) is "moved"; of the rest, lines about the same thing (same key) pair
    up as changed, then the remaining ones by position; what is left is added or removed."""
    rest = list(left)
    pairs: dict[int, str] = {}
    fresh = []
    for j, line in enumerate(right):
        if moved[line] > 0:
            moved[line] -= 1
            continue
        fresh.append(j)
    for j in fresh:
        match = next((a for a in rest if _key(a) == _key(right[j])), None)
        if match is not None:
            rest.remove(match)
            pairs[j] = match
    for j in fresh:
        if j not in pairs and rest:
            pairs[j] = rest.pop(0)
    rows = []
    for j, line in enumerate(right):
        if j not in fresh:
            rows.append(DiffRow("moved", line, line))
        elif j in pairs:
            rows.append(DiffRow("changed", pairs[j], line))
        else:
            rows.append(DiffRow("added", None, line))
    return rows + [DiffRow("removed", a, None) for a in rest]


def side_by_side(old: list[str], new: list[str]) -> list[DiffRow]:
    """Rows pairing old and new lines: unchanged, removed (left only), added (right only),
    changed (paired), and moved: a line removed in one place and added unchanged in another
    (an element moved up the list), shown once where it now is."""
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
                DiffRow("same", old[i], new[j])
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


def compare(old: dict, new: dict, labels: dict | None = None) -> dict[str, list[DiffRow]]:
    """Side-by-side rows per section of two snapshots."""
    a, b = flatten(old or {}, labels), flatten(new or {}, labels)
    return {section: side_by_side(a[section], b[section]) for section in SECTIONS}


def count_changes(diff: dict[str, list[DiffRow]]) -> dict[str, int]:
    counts = {"added": 0, "removed": 0, "changed": 0, "moved": 0}
    for rows in diff.values():
        for row in rows:
            if row.tag in counts:
                counts[row.tag] += 1
    return counts
