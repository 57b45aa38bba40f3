"""An assumption's links compared by the items they join, not by their labels.

An assumption's lines of the links it applies to ("F1 – gælder: A1 → K1") come in the
order of their labels, and moving an activity renumbers them: before, a link the assumption
still applied to read as moved (or changed) although no link changed. Now the lines are
compared by the items they join: the same items unchanged whatever their labels, another
item a change, a link more or less an addition or a removal; shown in the newer version's
numbering with the older label noted, as a core element's activities are.
"""

import re
from html import unescape

from improvement.analysis.description_diff import DiffRow, compare, count_changes
from improvement.extensions import db
from improvement.models import ChangeTheoryLink
from tests.description.factories import gen_assumption, gen_item
from tests.helpers import gen_intervention, gen_org, gen_user

WORDS = {"applies_to": "gælder", "renumbered": "%(label)s (tidligere %(old)s)"}


def _shown(rows):
    return [row for row in rows if row.tag != "same"]


# Besøg (i1), Samtale (i2), Gruppe (i3) lead to Tryghed (i9), K1; F1 (f1) applies to the
# links from Besøg and from Gruppe.
OLD = {
    "theory_ids": {"A1": "i1", "A2": "i2", "A3": "i3", "K1": "i9", "F1": "f1"},
    "theory": {
        "activities": [
            {"label": "A1", "text": "Besøg", "leads_to": ["K1"]},
            {"label": "A2", "text": "Samtale", "leads_to": ["K1"]},
            {"label": "A3", "text": "Gruppe", "leads_to": ["K1"]},
        ],
        "short_term": [{"label": "K1", "text": "Tryghed", "leads_to": []}],
        "assumptions": [
            {"label": "F1", "text": "Tilknytning", "links": ["A1 → K1", "A3 → K1"]},
        ],
    },
}

# Gruppe moved to the top: it is A1 now, Besøg A2, Samtale A3; F1 applies to the same links.
MOVED = {
    "theory_ids": {"A1": "i3", "A2": "i1", "A3": "i2", "K1": "i9", "F1": "f1"},
    "theory": {
        "activities": [
            {"label": "A1", "text": "Gruppe", "leads_to": ["K1"]},
            {"label": "A2", "text": "Besøg", "leads_to": ["K1"]},
            {"label": "A3", "text": "Samtale", "leads_to": ["K1"]},
        ],
        "short_term": [{"label": "K1", "text": "Tryghed", "leads_to": []}],
        "assumptions": [
            {"label": "F1", "text": "Tilknytning", "links": ["A1 → K1", "A2 → K1"]},
        ],
    },
}


def _with_links(snapshot, links):
    """The snapshot with F1 applying to `links`."""
    theory = snapshot["theory"]
    assumption = {**theory["assumptions"][0], "links": links}
    return {**snapshot, "theory": {**theory, "assumptions": [assumption]}}


def test_moving_an_activity_an_assumption_applies_to_changes_none_of_its_links():
    diff = compare(OLD, MOVED, WORDS)
    # The old comparison read F1's links in label order, i1 then i3 before and i3 then i1
    # after: DiffRow("moved", "F1 – gælder: A3 → K1", "F1 – gælder: A1 (tidligere A3) → K1").
    assert diff["theory"] == [
        DiffRow("moved", "A3: Gruppe → K1", "A1 (tidligere A3): Gruppe → K1"),
        DiffRow("same", "A1: Besøg → K1", "A2: Besøg → K1"),
        DiffRow("same", "A2: Samtale → K1", "A3: Samtale → K1"),
        DiffRow("same", "K1: Tryghed", "K1: Tryghed"),
        DiffRow("same", "F1: Tilknytning", "F1: Tilknytning"),
        DiffRow("same", "F1 – gælder: A3 → K1", "F1 – gælder: A1 → K1"),
        DiffRow("same", "F1 – gælder: A1 → K1", "F1 – gælder: A2 → K1"),
    ]
    # Only the activity itself moved.
    assert count_changes(diff) == {"added": 0, "removed": 0, "changed": 0, "moved": 1}


def test_links_renumbered_by_a_deletion_are_unchanged():
    # Besøg (A1) is deleted: Samtale and Gruppe become A1 and A2, and F1 applies to the
    # link from Gruppe only, now A2 → K1.
    new = {
        "theory_ids": {"A1": "i2", "A2": "i3", "K1": "i9", "F1": "f1"},
        "theory": {
            "activities": [
                {"label": "A1", "text": "Samtale", "leads_to": ["K1"]},
                {"label": "A2", "text": "Gruppe", "leads_to": ["K1"]},
            ],
            "short_term": [{"label": "K1", "text": "Tryghed", "leads_to": []}],
            "assumptions": [{"label": "F1", "text": "Tilknytning", "links": ["A2 → K1"]}],
        },
    }
    assert _shown(compare(OLD, new, WORDS)["theory"]) == [
        DiffRow("removed", "A1: Besøg → K1", None),
        DiffRow("removed", "F1 – gælder: A1 → K1", None),
    ]


def test_a_link_to_another_item_is_a_change_named_in_the_newer_numbering():
    # Gruppe moved to the top, and F1 no longer applies to the link from Besøg but to the
    # one from Samtale (now A3): one link changed; the one from Gruppe is unchanged.
    new = _with_links(MOVED, ["A1 → K1", "A3 → K1"])
    diff = compare(OLD, new, WORDS)
    assert _shown(diff["theory"]) == [
        DiffRow("moved", "A3: Gruppe → K1", "A1 (tidligere A3): Gruppe → K1"),
        DiffRow("changed", "F1 – gælder: A1 → K1", "F1 – gælder: A3 (tidligere A2) → K1"),
    ]
    assert count_changes(diff) == {"added": 0, "removed": 0, "changed": 1, "moved": 1}


def test_a_link_under_the_same_label_to_another_item_is_a_change():
    # F1 applied to the link from Besøg (A1); after the move A1 is Gruppe, and F1 applies
    # to its link instead: the label reads the same, the item is another.
    old = _with_links(OLD, ["A1 → K1"])
    new = _with_links(MOVED, ["A1 → K1"])
    assert _shown(compare(old, new, WORDS)["theory"]) == [
        DiffRow("moved", "A3: Gruppe → K1", "A1 (tidligere A3): Gruppe → K1"),
        DiffRow("changed", "F1 – gælder: A1 → K1", "F1 – gælder: A1 (tidligere A3) → K1"),
    ]


def test_a_link_added_or_removed_beside_a_move_is_an_addition_or_a_removal():
    added = _with_links(MOVED, ["A1 → K1", "A2 → K1", "A3 → K1"])
    assert _shown(compare(OLD, added, WORDS)["theory"]) == [
        DiffRow("moved", "A3: Gruppe → K1", "A1 (tidligere A3): Gruppe → K1"),
        DiffRow("added", None, "F1 – gælder: A3 (tidligere A2) → K1"),
    ]
    removed = _with_links(MOVED, ["A1 → K1"])
    assert _shown(compare(OLD, removed, WORDS)["theory"]) == [
        DiffRow("moved", "A3: Gruppe → K1", "A1 (tidligere A3): Gruppe → K1"),
        DiffRow("removed", "F1 – gælder: A1 → K1", None),
    ]
    # And the other way round: the removed one is named as the older version numbered it.
    assert _shown(compare(added, MOVED, WORDS)["theory"]) == [
        DiffRow("removed", "F1 – gælder: A3 → K1", None),
    ]


def test_a_link_naming_no_item_is_compared_as_it_reads_without_crashing():
    # A label the snapshot names no item for ("?") is compared as it reads, and sorts
    # after the others.
    old = _with_links(OLD, ["A1 → ?", "A3 → K1"])
    new = _with_links(MOVED, ["A1 → K1", "A2 → ?"])
    rows = compare(old, new, WORDS)["theory"]
    assert [row for row in rows if "gælder" in (row.left or row.right)] == [
        DiffRow("same", "F1 – gælder: A3 → K1", "F1 – gælder: A1 → K1"),
        DiffRow("same", "F1 – gælder: A1 → ?", "F1 – gælder: A2 → ?"),
    ]


def test_an_older_version_without_item_names_is_compared_by_label():
    # Published before snapshots named their items: nothing tells which item a label stood
    # for, so the lines are compared as they read, in the order they were stored.
    old = {key: value for key, value in OLD.items() if key != "theory_ids"}
    diff = compare(old, MOVED, WORDS)
    assert _shown(diff["theory"]) == [
        DiffRow("changed", "A1: Besøg → K1", "A1: Gruppe → K1"),
        DiffRow("changed", "A2: Samtale → K1", "A2: Besøg → K1"),
        DiffRow("changed", "A3: Gruppe → K1", "A3: Samtale → K1"),
        DiffRow("changed", "F1 – gælder: A3 → K1", "F1 – gælder: A2 → K1"),
    ]
    # The snapshots given are left as they were.
    assert OLD["theory"]["assumptions"][0]["links"] == ["A1 → K1", "A3 → K1"]
    assert compare(MOVED, MOVED, WORDS) == compare(MOVED, dict(MOVED), WORDS)


# ---------------------------------------------------------------- through the app


def _text(html: str) -> str:
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", unescape(html)))
    return words.replace(" :", ":")


def test_the_comparison_page_after_moving_an_activity_shows_no_changed_assumption(client, login):
    org = gen_org("Nord")
    user = gen_user(org, role="leader", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    texts = ("Hjemmebesøg", "Samtale om søvn", "Forældregruppe")
    items = [gen_item(intervention, text=text, position=n) for n, text in enumerate(texts)]
    result = gen_item(intervention, kind="short_term", text="Tryg tilknytning")
    assumption = gen_assumption(intervention, text="Forældre kommer, når de kendes")
    for item in items:
        db.session.add(
            ChangeTheoryLink(
                organization_id=org.id,
                intervention_id=intervention.id,
                source_id=item.id,
                target_id=result.id,
                assumption_id=assumption.id if item is not items[1] else None,
            )
        )
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{intervention.id}/indsatsbeskrivelse"
    assert client.post(f"{url}/versioner", data={"note": "Før"}).status_code == 302
    move = f"/indsatser/{intervention.id}/forandringsteori/punkter/{items[2].id}/flyt"
    for _ in range(2):  # Forældregruppe up to the top
        response = client.post(move, data={"direction": "up"}, headers={"HX-Request": "true"})
        assert response.status_code == 200
    assert client.post(f"{url}/versioner", data={"note": "Efter"}).status_code == 302

    response = client.get(f"{url}/sammenlign?fra=1&til=2")
    assert response.status_code == 200
    page = _text(response.get_data(as_text=True))
    assert "A1 (tidligere A3): Forældregruppe → K1" in page
    # Before, "F1 – gælder: A1 (tidligere A3) → K1" was listed as moved.
    assert "gælder" not in page
    assert "0 ændret, 1 flyttet." in page
