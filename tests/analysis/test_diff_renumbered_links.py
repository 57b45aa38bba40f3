"""A core element's activities compared across a renumbering of the theory of change.

Activities are labelled A1, A2, … by position, so deleting A1 makes A4 the new A3. Before,
a core element linked to A1 and A4 compared as "A1, A4" → "A3": the unchanged link to A4
read as a change, and A3 named an activity the left column calls A4. Now each activity is
named by the newer version's label (its older one noted) and its text, and marked one by
one: the link to A4 unchanged, the one to A1 removed with its activity.
"""

from improvement.analysis.description_diff import DiffRow, Ref, compare, count_changes

TEXTS = {"i1": "Besøg", "i2": "Samtale", "i3": "Gruppe", "i4": "Netværk", "i5": "Måling"}


def _snapshot(ids, cores, leads=None, results=("k1",)):
    """Activities A1, A2, … standing for the items `ids`; short-term results K1, … for
    `results`; `cores`: core element name → the labels of its activities."""
    activities = [f"A{n}" for n in range(1, len(ids) + 1)]
    short = [f"K{n}" for n in range(1, len(results) + 1)]
    return {
        "theory_ids": {
            **dict(zip(activities, ids, strict=True)),
            **dict(zip(short, results, strict=True)),
        },
        "theory": {
            "activities": [
                {"label": label, "text": TEXTS[item], "leads_to": (leads or {}).get(label, [])}
                for label, item in zip(activities, ids, strict=True)
            ],
            "short_term": [
                {"label": label, "text": f"Resultat {item}", "leads_to": []}
                for label, item in zip(short, results, strict=True)
            ],
        },
        "core_elements": [
            {"name": name, "status": "potential", "activities": linked}
            for name, linked in cores.items()
        ],
    }


def _shown(rows):
    return [row for row in rows if row.tag != "same"]


def test_deleting_a1_leaves_the_link_to_the_old_a4_unchanged_and_removes_the_one_to_a1():
    old = _snapshot(["i1", "i2", "i3", "i4"], {"Kontakt": ["A1", "A4"]})
    new = _snapshot(["i2", "i3", "i4"], {"Kontakt": ["A3"]})  # A1 deleted: A4 is now A3

    (row,) = _shown(compare(old, new)["core_elements"])
    # The old output was DiffRow("changed", "Kontakt – activities: A1, A4",
    # "Kontakt – activities: A3"): A4 → A3 read as a change, and nothing said A3 was A4.
    assert row.right != "Kontakt – activities: A3"
    assert row == DiffRow(
        "changed",
        "Kontakt – activities: A1, A4",
        "Kontakt – activities: A3 (was A4)",
        head="Kontakt – activities",
        left_refs=(
            Ref("removed", "A1", "Besøg", deleted=True),
            Ref("same", "A4", "Netværk"),
        ),
        right_refs=(Ref("same", "A3 (was A4)", "Netværk"),),
    )


def test_a_link_to_a_renumbered_activity_alone_is_not_shown_as_a_change():
    old = _snapshot(["i1", "i2", "i3", "i4"], {"Kontakt": ["A4"]})
    new = _snapshot(["i2", "i3", "i4"], {"Kontakt": ["A3"]})
    diff = compare(old, new)
    assert _shown(diff["core_elements"]) == []
    assert count_changes(diff) == {"added": 0, "removed": 1, "changed": 0, "moved": 0}


def test_moving_an_activity_up_does_not_change_the_core_elements_linked_to_it():
    # "Gruppe" (A3) is moved above "Samtale" (A2); Kontakt is linked to both. Its list reads
    # A2, A3 in both versions, but of items i2, i3 before and i3, i2 after: the old
    # comparison called that a changed line although no link changed.
    old = _snapshot(["i1", "i2", "i3"], {"Kontakt": ["A2", "A3"]})
    new = _snapshot(["i1", "i3", "i2"], {"Kontakt": ["A2", "A3"]})
    assert _shown(compare(old, new)["core_elements"]) == []


def test_a_real_addition_beside_a_renumbering_is_marked_added_and_named_in_both_numberings():
    # A1 is deleted, and Kontakt, linked to A4 (now A3), is also linked to Samtale (was A2,
    # now A1); Forløb is unlinked from Gruppe, which stays in the theory (not deleted).
    old = _snapshot(["i1", "i2", "i3", "i4"], {"Kontakt": ["A4"], "Forløb": ["A3"]})
    new = _snapshot(["i2", "i3", "i4"], {"Kontakt": ["A1", "A3"], "Forløb": []})
    rows = _shown(compare(old, new)["core_elements"])
    assert rows == [
        DiffRow(
            "changed",
            "Kontakt – activities: A4",
            "Kontakt – activities: A1 (was A2), A3 (was A4)",
            head="Kontakt – activities",
            left_refs=(Ref("same", "A4", "Netværk"),),
            right_refs=(
                Ref("added", "A1 (was A2)", "Samtale"),
                Ref("same", "A3 (was A4)", "Netværk"),
            ),
        ),
        DiffRow(
            "removed",
            "Forløb – activities: A3",
            None,
            head="Forløb – activities",
            left_refs=(Ref("removed", "A3", "Gruppe", deleted=False),),
        ),
    ]


def test_a_changed_theory_line_names_renumbered_items_as_both_versions_do():
    # K1 is deleted (K2 becomes K1) and A1 (so A2 becomes A1), whose text also changes.
    old = _snapshot(["i1", "i2"], {}, leads={"A2": ["K1", "K2"]}, results=("k1", "k2"))
    new = _snapshot(["i2"], {}, leads={"A1": ["K1"]}, results=("k2",))
    new["theory"]["activities"][0]["text"] = "Samtale i hjemmet"
    rows = _shown(compare(old, new)["theory"])
    # Before: "A2: Samtale → K1, K2" beside "A1: Samtale i hjemmet → K1", as if the link
    # to K2 had gone; it is the one to K1 that went, with K1.
    assert (
        DiffRow("changed", "A2: Samtale → K1, K2", "A1 (was A2): Samtale i hjemmet → K1 (was K2)")
        in rows
    )
    assert DiffRow("removed", "K1: Resultat k1", None) in rows


def test_the_reader_language_names_the_renumbering():
    old = _snapshot(["i1", "i2", "i3", "i4"], {"Kontakt": ["A1", "A4"]})
    new = _snapshot(["i2", "i3", "i4"], {"Kontakt": ["A3"]})
    words = {"activities": "aktiviteter", "renumbered": "%(label)s (tidligere %(old)s)"}
    (row,) = _shown(compare(old, new, words)["core_elements"])
    assert row.right == "Kontakt – aktiviteter: A3 (tidligere A4)"
    assert row.right_refs == (Ref("same", "A3 (tidligere A4)", "Netværk"),)


def test_versions_without_item_names_compare_listed_activities_by_their_text():
    # Published before snapshots named their items: A1 is "Besøg" in one and "Samtale" in
    # the other, so a label says nothing; the texts tell which link is the same.
    old = _snapshot(["i1", "i2"], {"Kontakt": ["A1", "A2"]})
    new = _snapshot(["i2"], {"Kontakt": ["A1"]})
    del old["theory_ids"]
    (row,) = _shown(compare(old, new)["core_elements"])
    assert row.right == "Kontakt – activities: A1"
    # Not known to be deleted, nor renumbered: nothing names the items across versions.
    assert row.left_refs == (Ref("removed", "A1", "Besøg"), Ref("same", "A2", "Samtale"))
    assert row.right_refs == (Ref("same", "A1", "Samtale"),)
