from improvement.analysis.description_diff import (
    DiffRow,
    compare,
    count_changes,
    readable,
    side_by_side,
)


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
    assert count_changes(diff) == {"added": 2, "removed": 0, "changed": 1, "moved": 0}
    assert count_changes(compare(new, new)) == {"added": 0, "removed": 0, "changed": 0, "moved": 0}


def _element(name, why=""):
    return {"name": name, "status_label": "Potentielt", "why": why}


def test_an_element_moved_up_is_moved_and_a_new_one_added_not_a_rename():
    # v1: A, B, C. v2: C moved first, and a new D after B.
    old = {"core_elements": [_element("A", "a"), _element("B", "b"), _element("C", "c")]}
    new = {
        "core_elements": [
            _element("C", "c"),
            _element("A", "a"),
            _element("B", "b"),
            _element("D", "d"),
        ]
    }
    rows = [r for r in compare(old, new)["core_elements"] if r.tag != "same"]
    assert rows == [
        DiffRow("moved", "C [Potentielt]", "C [Potentielt]"),
        DiffRow("moved", "C – why: c", "C – why: c"),
        DiffRow("added", None, "D [Potentielt]"),
        DiffRow("added", None, "D – why: d"),
    ]
    assert count_changes(compare(old, new)) == {
        "added": 2,
        "removed": 0,
        "changed": 0,
        "moved": 2,
    }


def test_lines_about_the_same_thing_pair_up_before_lines_by_position():
    # B's text changes and a new element E comes before it: B pairs with B, not with E.
    old = {"core_elements": [_element("A", "a"), _element("B", "b")]}
    new = {"core_elements": [_element("A", "a"), _element("E", "e"), _element("B", "b2")]}
    rows = [r for r in compare(old, new)["core_elements"] if r.tag != "same"]
    assert DiffRow("changed", "B – why: b", "B – why: b2") in rows
    assert DiffRow("added", None, "E [Potentielt]") in rows
    assert not [r for r in rows if r.tag == "removed"]
    # A rename alone is still one changed line.
    renamed = compare({"core_elements": [_element("A")]}, {"core_elements": [_element("Å")]})[
        "core_elements"
    ]
    assert renamed == [DiffRow("changed", "A [Potentielt]", "Å [Potentielt]")]


def _theory(*texts, ids, leads=None, activities=()):
    """A snapshot whose activities are A1, A2, … with `texts`, standing for the items `ids`."""
    labels = [f"A{n}" for n in range(1, len(texts) + 1)]
    return {
        "theory_ids": {**dict(zip(labels, ids, strict=True)), "K1": "i99"},
        "theory": {
            "activities": [
                {"label": label, "text": text, "leads_to": (leads or {}).get(label, [])}
                for label, text in zip(labels, texts, strict=True)
            ],
            "short_term": [{"label": "K1", "text": "Tryghed", "leads_to": []}],
        },
        "core_elements": [{"name": "Kontakt", "status_label": "P", "activities": activities}],
    }


def test_a_deleted_theory_item_does_not_make_the_renumbered_ones_read_as_changed():
    # A1 "Besøg" is deleted: A2 "Samtale" becomes A1 and A3 "Gruppe" becomes A2, and the
    # links and core element that named them follow the new labels.
    old = _theory(
        "Besøg",
        "Samtale",
        "Gruppe",
        ids=["i1", "i2", "i3"],
        leads={"A3": ["K1"]},
        activities=["A2", "A3"],
    )
    new = _theory(
        "Samtale", "Gruppe", ids=["i2", "i3"], leads={"A2": ["K1"]}, activities=["A1", "A2"]
    )
    diff = compare(old, new)
    assert diff["theory"] == [
        DiffRow("removed", "A1: Besøg", None),
        DiffRow("same", "A2: Samtale", "A1: Samtale"),
        DiffRow("same", "A3: Gruppe → K1", "A2: Gruppe → K1"),
        DiffRow("same", "K1: Tryghed", "K1: Tryghed"),
    ]
    assert [r.tag for r in diff["core_elements"]] == ["same", "same"]
    assert count_changes(diff) == {"added": 0, "removed": 1, "changed": 0, "moved": 0}


def test_versions_without_item_names_are_compared_by_label():
    # Published before snapshots carried theory_ids: label by label, as they read.
    old = _theory("Besøg", "Samtale", ids=["i1", "i2"])
    new = _theory("Samtale", ids=["i2"])
    del old["theory_ids"]
    assert compare(old, new)["theory"] == [
        DiffRow("changed", "A1: Besøg", "A1: Samtale"),
        DiffRow("removed", "A2: Samtale", None),
        DiffRow("same", "K1: Tryghed", "K1: Tryghed"),
    ]


# ---------------------------------------------------------------- codes, put in words when shown

DANISH = {
    "core_element_statuses": {"potential": "Potentielt", "confirmed": "Reelt"},
    "point_kinds": {"practice": "Indsatsnært", "organisational": "Organisatorisk"},
    "point_statuses": {"prioritised": "Prioriteret", "done": "Afsluttet"},
    "archived": "%(name)s (arkiveret)",
    "archived_in_any_language": ("%(name)s (archived)", "%(name)s (arkiveret)"),
}


def _coded(status="potential", archived=True):
    return {
        "core_elements": [{"name": "Tæt kontakt", "status": status, "why": "Fordi"}],
        "development_points": [
            {
                "title": "Fast dagsorden",
                "kind": "practice",
                "status": "prioritised",
                "core_elements": [
                    {"name": "Fælles sprog", "archived": archived},
                    {"name": "Tæt kontakt", "archived": False},
                ],
            }
        ],
    }


def _stored_in_english():
    """The same description as a version published by an English reader stored it before
    snapshots held codes only: the codes, and the publisher's words beside them."""
    return {
        "core_elements": [
            {
                "name": "Tæt kontakt",
                "status": "potential",
                "status_label": "Potential",
                "why": "Fordi",
            }
        ],
        "development_points": [
            {
                "title": "Fast dagsorden",
                "kind": "practice",
                "kind_label": "Intervention-near",
                "status": "prioritised",
                "status_label": "Prioritised",
                "core_elements": ["Fælles sprog (archived)", "Tæt kontakt"],
            }
        ],
    }


def test_codes_are_shown_in_the_readers_words():
    doc = readable(_coded(), DANISH)
    assert doc["core_elements"][0]["status_label"] == "Potentielt"
    point = doc["development_points"][0]
    assert (point["kind_label"], point["status_label"]) == ("Indsatsnært", "Prioriteret")
    assert point["core_elements"] == ["Fælles sprog (arkiveret)", "Tæt kontakt"]
    # Without words, the English defaults of the archived mark, and codes as themselves.
    assert readable(_coded())["development_points"][0]["core_elements"][0] == (
        "Fælles sprog (archived)"
    )
    assert readable(_coded())["core_elements"][0]["status_label"] == "potential"


def test_a_version_stored_in_another_language_compares_as_unchanged():
    diff = compare(_stored_in_english(), _coded(), DANISH)
    assert count_changes(diff) == {"added": 0, "removed": 0, "changed": 0, "moved": 0}
    # Both read in the reader's words.
    assert diff["core_elements"][0] == DiffRow(
        "same", "Tæt kontakt [Potentielt]", "Tæt kontakt [Potentielt]"
    )
    assert (
        DiffRow(
            "same",
            "Fast dagsorden – core elements: Fælles sprog (arkiveret), Tæt kontakt",
            "Fast dagsorden – core elements: Fælles sprog (arkiveret), Tæt kontakt",
        )
        in diff["development_points"]
    )
    doc = readable(_stored_in_english(), DANISH)
    assert doc["core_elements"][0]["status_label"] == "Potentielt"
    assert doc["development_points"][0]["core_elements"][0] == "Fælles sprog (arkiveret)"


def test_a_changed_code_or_archive_is_a_change_in_the_readers_words():
    diff = compare(_coded(), _coded(status="confirmed", archived=False), DANISH)
    assert (
        DiffRow("changed", "Tæt kontakt [Potentielt]", "Tæt kontakt [Reelt]")
        in diff["core_elements"]
    )
    assert count_changes(diff)["changed"] == 2


def test_snapshots_without_codes_are_compared_as_they_read():
    # A snapshot with words only: nothing to compare by but the words.
    words_only = {"core_elements": [{"name": "Tæt kontakt", "status_label": "Potentielt"}]}
    coded = {"core_elements": [{"name": "Tæt kontakt", "status": "potential"}]}
    assert count_changes(compare(words_only, coded, DANISH))["changed"] == 0
    english = {"core_elements": [{"name": "Tæt kontakt", "status_label": "Potential"}]}
    assert compare(english, coded, DANISH)["core_elements"] == [
        DiffRow("changed", "Tæt kontakt [Potential]", "Tæt kontakt [Potentielt]")
    ]
