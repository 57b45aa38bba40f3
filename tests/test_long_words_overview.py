"""A long Danish compound in an intervention's target group or purpose, or in a core
element's texts, breaks at a syllable with a hyphen ("Børnefamiliekonsulentkoordina-
tionsmødeindsatsen"), not at any letter ("…mødeind|satsen"). The overview sets target group
and purpose in columns of a third of the page, a core element's card its three questions
too: at 1366 pixels such a word is wider than its column. The printed description shows
the same texts. Each shows the text with the hyphenate filter's soft hyphens
(improvement/hyphenation.py); what is saved, and what the editors hold, stays as typed."""

from sqlalchemy import select

from improvement.extensions import db
from improvement.hyphenation import SOFT_HYPHEN, hyphenate
from improvement.models import ChangeTheory, CoreElement, Intervention
from tests.cases.helpers import gen_core_element
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

# 47 letters, one word: wider than a column of a third of the page at 1366.
COMPOUND = "Børnefamiliekonsulentkoordinationsmødeindsatsen"
TARGET_GROUP = f"Familier i {COMPOUND} med spædbørn"
PURPOSE = f"{COMPOUND}: at styrke samspillet mellem forældre og barn"


def _between(html: str, start: str, end: str) -> str:
    """The part of the page from `start` to the next `end` after it."""
    assert start in html, start
    return html.split(start, 1)[1].split(end, 1)[0]


def _world():
    org = gen_org("Nord")
    leader = gen_user(org, role="leader", name="Lise Lund")
    intervention = gen_intervention(
        org, name="Spædbarnsindsats", target_group=TARGET_GROUP, purpose=PURPOSE
    )
    gen_member(intervention, leader, "leader")
    return org, leader, intervention


def _element(intervention) -> CoreElement:
    element = gen_core_element(intervention, "Tidlig og intensiv tilstedeværelse")
    element.description = f"Beskrivelse af {COMPOUND}."
    element.why = f"{COMPOUND} er vigtig."
    element.focus = f"Fokus på {COMPOUND}"
    element.practice = f"{COMPOUND} betyder fælles møder."
    return element


def test_the_word_gets_soft_hyphens():
    # Every assertion below compares with the hyphenated text: it differs from the typed one.
    assert SOFT_HYPHEN in hyphenate(COMPOUND, 21)


def test_the_overviews_target_group_and_purpose_break_at_syllables(client, login):
    org, leader, intervention = _world()
    db.session.commit()
    login(leader, org)
    page = client.get(f"/indsatser/{intervention.id}").get_data(as_text=True)
    facts = _between(page, '<dl class="facts">', "</dl>")
    assert f"<dd>{hyphenate(TARGET_GROUP, 21)}</dd>" in facts
    assert f"<dd>{hyphenate(PURPOSE, 21)}</dd>" in facts
    assert "Familier i " in facts  # the shorter words are left whole
    # The editor holds the texts as typed, and so does the database.
    editor = client.get(
        f"/indsatser/{intervention.id}/rediger", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert TARGET_GROUP in editor and PURPOSE in editor
    assert SOFT_HYPHEN not in editor
    saved = db.session.execute(select(Intervention.target_group, Intervention.purpose)).one()
    assert tuple(saved) == (TARGET_GROUP, PURPOSE)


def test_a_core_elements_card_breaks_its_texts_at_syllables(client, login):
    org, leader, intervention = _world()
    element = _element(intervention)
    db.session.commit()
    login(leader, org)
    page = client.get(f"/indsatser/{intervention.id}/kerneelementer").get_data(as_text=True)
    card = _between(page, f'id="core-{element.id}"', "</li>")
    assert f"<p>{hyphenate(element.description, 21)}</p>" in card
    for text in (element.why, element.focus, element.practice):
        assert f"<dd>{hyphenate(text, 21)}</dd>" in card
    # The editor holds the texts as typed.
    editor = client.get(
        f"/indsatser/{intervention.id}/kerneelementer/{element.id}/rediger",
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)
    assert element.why in editor and SOFT_HYPHEN not in editor


def test_the_description_document_breaks_them_at_syllables(client, login):
    # Printed, the document is the width of A4 less its margins (about 670 pixels).
    org, leader, intervention = _world()
    element = _element(intervention)
    db.session.commit()
    login(leader, org)
    page = client.get(f"/indsatser/{intervention.id}/indsatsbeskrivelse").get_data(as_text=True)
    purpose_section = _between(page, "1. Målgruppe og formål", "</section>")
    assert f"<p>{hyphenate(TARGET_GROUP, 21)}</p>" in purpose_section
    assert f"<p>{hyphenate(PURPOSE, 21)}</p>" in purpose_section
    core = _between(page, '<table role="presentation" class="doc-core', "</table>")
    assert f"<p>{hyphenate(element.description, 21)}</p>" in core
    for text in (element.why, element.focus, element.practice):
        assert f"</strong> {hyphenate(text, 21)}</p>" in core


def test_the_theory_of_change_page_breaks_them_at_syllables(client, login):
    """The theory of change repeats the target group and purpose above its own aim."""
    org, leader, intervention = _world()
    db.session.add(
        ChangeTheory(
            organization_id=org.id, intervention_id=intervention.id, purpose=f"Målet: {COMPOUND}"
        )
    )
    db.session.commit()
    login(leader, org)
    page = client.get(f"/indsatser/{intervention.id}/forandringsteori").get_data(as_text=True)
    assert f"<dd>{hyphenate(TARGET_GROUP, 21)}</dd>" in page
    assert f"<dd>{hyphenate(PURPOSE, 21)}</dd>" in page
    assert f">{hyphenate(f'Målet: {COMPOUND}', 21)}</p>" in page
