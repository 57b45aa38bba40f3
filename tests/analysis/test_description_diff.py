from improvement.analysis.description_diff import DiffRow, compare, count_changes, side_by_side


def test_side_by_side_marks_added_removed_and_changed():
    old = ["a", "b", "c", "d"]
    new = ["a", "x", "c", "d", "e"]
    rows = side_by_side(old, new)
    assert rows == [
        DiffRow("same", "a", "a"),
        DiffRow("changed", "b", "x"),
        DiffRow("same", "c", "c"),
        DiffRow("same", "d", "d"),
        DiffRow("added", None, "e"),
    ]


def test_side_by_side_removal_and_uneven_replace():
    assert side_by_side(["a", "b"], ["b"]) == [
        DiffRow("removed", "a", None),
        DiffRow("same", "b", "b"),
    ]
    rows = side_by_side(["p", "q", "z"], ["r", "z"])
    assert rows == [
        DiffRow("changed", "p", "r"),
        DiffRow("removed", "q", None),
        DiffRow("same", "z", "z"),
    ]


def test_compare_snapshots_per_section():
    old = {"name": "Indsats", "core_elements": [{"name": "A", "status_label": "Potentielt"}]}
    new = {
        "name": "Indsats",
        "core_elements": [{"name": "A", "status_label": "Reelt", "why": "Fordi"}],
        "development_points": [{"title": "P", "kind_label": "K", "status_label": "S"}],
    }
    diff = compare(old, new)
    assert diff["basics"] == [DiffRow("same", "Name: Indsats", "Name: Indsats")]
    assert diff["core_elements"] == [
        DiffRow("changed", "A [Potentielt]", "A [Reelt]"),
        DiffRow("added", None, "A – why: Fordi"),
    ]
    assert diff["development_points"] == [DiffRow("added", None, "P [K, S]")]
    assert count_changes(diff) == {"added": 2, "removed": 0, "changed": 1}
    assert count_changes(compare(new, new)) == {"added": 0, "removed": 0, "changed": 0}
