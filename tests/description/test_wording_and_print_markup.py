"""The core element's questions in the framework's own words, and what the description
pages leave off paper (controls, hints) or print whole (assumptions, step names)."""

import re
from html import unescape

from improvement.extensions import db
from improvement.hyphenation import SOFT_HYPHEN
from improvement.models import AssumptionReference, ChangeTheoryLink, DescriptionVersion
from tests.description.factories import (
    EMPTY_SNAPSHOT,
    gen_assumption,
    gen_core_element,
    gen_item,
    gen_phase,
    gen_step,
)
from tests.helpers import gen_intervention, gen_org, gen_user

HX = {"HX-Request": "true"}
# Seed 004 (Fælles fagligt grundlag), the questions answered for each core element.
QUESTIONS = (
    "Hvorfor er kerneelementet vigtigt?",
    "Hvad har kerneelementet fokus på?",
    "Hvad betyder kerneelementet for praksis?",
)
OLD = ("Hvorfor det er vigtigt", "Hvad det fokuserer på", "Hvad det betyder i praksis")


def _world():
    org = gen_org("Nord")
    user = gen_user(org, role="leader", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    db.session.commit()
    return org, user, intervention


def _tag_with(html: str, text: str) -> str:
    """The opening tag of the element whose text (or first child's) starts with `text`."""
    match = re.search(r"(<[a-z0-9]+[^>]*>)\s*(?:<[^>]+>\s*)?" + re.escape(text), html)
    assert match, text
    return match.group(1)


def test_core_elements_ask_the_frameworks_questions(client, login):
    org, user, intervention = _world()
    element = gen_core_element(
        intervention, name="Tæt kontakt", why="Relationen", focus="Barnet", practice="Besøg"
    )
    db.session.commit()
    login(user, org)
    base = f"/indsatser/{intervention.id}"
    pages = [
        client.get(f"{base}/kerneelementer").get_data(as_text=True),
        client.get(f"{base}/kerneelementer/{element.id}/rediger", headers=HX).get_data(
            as_text=True
        ),
        client.get(f"{base}/indsatsbeskrivelse").get_data(as_text=True),
    ]
    for html in map(unescape, pages):
        for question in QUESTIONS:
            assert question in html
        for old in OLD:
            assert old not in html
    document = unescape(pages[2])
    assert "<strong>Hvorfor er kerneelementet vigtigt?</strong> Relationen" in document


def test_compare_prints_which_two_without_the_choice_and_the_back_link(client, login):
    org, user, intervention = _world()
    db.session.add(
        DescriptionVersion(
            organization_id=org.id,
            intervention_id=intervention.id,
            number=1,
            note="Første",
            snapshot=EMPTY_SNAPSHOT,
        )
    )
    db.session.commit()
    login(user, org)
    html = unescape(
        client.get(
            f"/indsatser/{intervention.id}/indsatsbeskrivelse/sammenlign?fra=1&til=draft"
        ).get_data(as_text=True)
    )
    assert re.search(r'<p class="no-print"><a href="[^"]*/indsatsbeskrivelse">Tilbage', html)
    assert re.search(r'<form method="get"[^>]*class="compare-form no-print"', html)
    assert '<p class="print-only compare-print-title"><strong>Version 1 → Nuværende udkast' in html


def test_theory_prints_no_edit_hint_each_url_once_and_whole_assumptions(client, login):
    org, user, intervention = _world()
    activity = gen_item(intervention, "activity", "Hjemmebesøg")
    result = gen_item(intervention, "short_term", "Sensitiv omsorg")
    long_text = (
        "Tilknytning etableres tidligt, når forældrene får støtte til at aflæse barnets "
        "signaler i hverdagen"
    )
    assumption = gen_assumption(intervention, text=long_text)
    db.session.add_all(
        [
            AssumptionReference(
                organization_id=org.id,
                assumption_id=assumption.id,
                author="VIVE",
                year=2024,
                title="Rapport",
                url="https://www.vive.dk/rapport",
            ),
            ChangeTheoryLink(
                organization_id=org.id,
                intervention_id=intervention.id,
                source_id=activity.id,
                target_id=result.id,
                assumption_id=assumption.id,
            ),
        ]
    )
    db.session.commit()
    login(user, org)
    html = unescape(
        client.get(f"/indsatser/{intervention.id}/forandringsteori").get_data(as_text=True)
    )
    assert '<span class="no-print"> Klik på et punkt for at redigere det.</span>' in html
    # The link for the screen, the address as text for paper (whose links print their
    # address after them).
    assert (
        '<a class="no-print" href="https://www.vive.dk/rapport" rel="noopener">'
        'https://www.vive.dk/rapport</a><span class="print-only">https://www.vive.dk/rapport'
        "</span>"
    ) in html
    # On paper the whole assumption; in the select, cut after a word.
    assert f'<span class="print-only">F1: {long_text}</span>' in html
    assert "F1: Tilknytning etableres tidligt, når forældrene får støtte til at aflæse…" in html
    assert "aflæse b<" not in html and "aflæse b\n" not in html


def test_core_elements_print_no_drag_hint_nor_template_button(client, login):
    org, user, intervention = _world()
    gen_core_element(intervention, name="Tæt kontakt")
    db.session.commit()
    login(user, org)
    html = unescape(
        client.get(f"/indsatser/{intervention.id}/kerneelementer").get_data(as_text=True)
    )
    assert "no-print" in _tag_with(html, "Træk et kort i håndtaget")
    assert '<div class="create-row no-print">' in html
    assert html.index('<div class="create-row no-print">') < html.index("Start fra skabelon")


def test_step_names_are_hyphenated_on_the_page_and_in_the_document(client, login):
    org, user, intervention = _world()
    phase = gen_phase(intervention, "Opstart")
    gen_step(phase, "Forventningsafstemningssamtale")
    db.session.commit()
    login(user, org)
    base = f"/indsatser/{intervention.id}"
    for url in (f"{base}/arbejdsgange", f"{base}/indsatsbeskrivelse"):
        html = client.get(url).get_data(as_text=True)
        names = re.findall(r'<th scope="row">(For[^<]*)</th>', html)
        assert names and all(SOFT_HYPHEN in name for name in names), url
        assert {name.replace(SOFT_HYPHEN, "") for name in names} == {
            "Forventningsafstemningssamtale"
        }
