"""The theory of change's labels follow the reader's language: a short-term result is K1 in
Danish (kortsigtet) and S1 in English, an assumption F1 (forudsætning) and As1; activities
and long-term results are A1 and L1 in both. They stayed Danish in the English UI. A
published version keeps them as codes, the Danish letters, whoever published it, and is
shown in its reader's language."""

import re
from html import unescape

from sqlalchemy import select

from improvement.extensions import db
from improvement.models import ChangeTheoryItem, ChangeTheoryLink, DescriptionVersion
from improvement.models.theory import theory_label
from tests.description.factories import gen_assumption, gen_core_element, gen_item
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user


def _world():
    org = gen_org("Nord")
    danish = gen_user(org, role="leader", name="Dorte Dansk")
    english = gen_user(org, role="leader", name="Erik English", locale="en")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    for user in (danish, english):
        gen_member(intervention, user, "leader")
    visits = gen_item(intervention, "activity", "Hjemmebesøg")
    signals = gen_item(intervention, "short_term", "Forældrene aflæser barnets signaler")
    bond = gen_item(intervention, "long_term", "Tryg tilknytning")
    early = gen_assumption(intervention, "Tilknytning etableres tidligt")
    for source, target, assumption in ((visits, signals, early), (signals, bond, None)):
        db.session.add(
            ChangeTheoryLink(
                organization_id=org.id,
                intervention_id=intervention.id,
                source_id=source.id,
                target_id=target.id,
                assumption_id=assumption.id if assumption else None,
            )
        )
    gen_core_element(intervention, name="Tæt kontakt").activities = [visits]
    db.session.commit()
    return org, danish, english, intervention


def _chips(html: str) -> list[str]:
    return re.findall(r'<span class="chip(?: chip-light)?">([^<]*)</span>', html)


def test_theory_label_writes_a_code_in_the_readers_language(app):
    from flask_babel import force_locale

    with app.test_request_context():
        with force_locale("en"):
            assert [theory_label(c) for c in ("A1", "K2", "L3", "F4")] == ["A1", "S2", "L3", "As4"]
            assert theory_label("A1 → K12") == "A1 → S12"
            assert theory_label("?") == "?" and theory_label("A1 → ?") == "A1 → ?"
        with force_locale("da"):
            assert [theory_label(c) for c in ("A1", "K2", "L3", "F4")] == ["A1", "K2", "L3", "F4"]


def test_the_theory_page_writes_the_labels_in_the_users_language(client, login):
    org, danish, english, intervention = _world()
    theory = f"/indsatser/{intervention.id}/forandringsteori"

    login(english, org)
    html = unescape(client.get(theory).get_data(as_text=True))
    assert {"A1", "S1", "L1", "As1", "S1 · As1"} <= set(_chips(html))
    assert not {"K1", "F1", "K1 · F1"} & set(_chips(html))
    assert 'aria-label="Remove the link A1 → S1"' in html
    assert 'aria-label="Edit assumption As1"' in html
    assert "Applies to: A1 → S1" in html
    assert "S1: Forældrene aflæser barnets signaler" in html  # the link form's choices

    login(danish, org)
    html = unescape(client.get(theory).get_data(as_text=True))
    assert {"A1", "K1", "L1", "F1", "K1 · F1"} <= set(_chips(html))
    assert not {"S1", "As1"} & set(_chips(html))
    assert 'aria-label="Fjern forbindelsen A1 → K1"' in html
    assert 'aria-label="Redigér antagelse F1"' in html


def test_a_version_keeps_codes_and_reads_in_its_readers_language(client, login):
    org, danish, english, intervention = _world()
    url = f"/indsatser/{intervention.id}/indsatsbeskrivelse"
    login(english, org)
    published = client.post(f"{url}/versioner", data={"note": "Efter mødet", "latest": "0"})
    assert published.status_code == 302
    version = db.session.scalars(select(DescriptionVersion)).one()
    theory = version.snapshot["theory"]
    assert [item["label"] for item in theory["short_term"]] == ["K1"]
    assert theory["activities"][0]["leads_to"] == ["K1"]
    assert theory["assumptions"][0]["label"] == "F1"
    assert theory["assumptions"][0]["links"] == ["A1 → K1"]
    assert version.snapshot["core_elements"][0]["activities"] == ["A1"]

    english_doc = unescape(client.get(f"{url}/versioner/{version.id}").get_data(as_text=True))
    assert "<strong>S1</strong>" in english_doc and "<strong>As1</strong>" in english_doc
    assert "→ S1" in english_doc and "(applies to A1 → S1)" in english_doc
    assert "<strong>K1</strong>" not in english_doc and "<strong>F1</strong>" not in english_doc

    # A new first short-term result renumbers the old one, whose text changes too:
    # compared, it reads as S2 (was S1) in English, K2 (was K1) in Danish.
    gen_item(intervention, "short_term", "Forældrene søger hjælp", position=-1)
    signals = db.session.scalars(
        select(ChangeTheoryItem).where(ChangeTheoryItem.kind == "short_term")
    ).first()
    signals.text = "Forældrene aflæser og besvarer barnets signaler"
    db.session.commit()
    compare = f"{url}/sammenlign?fra=1&til=draft"
    english_diff = unescape(client.get(compare).get_data(as_text=True))
    assert "S2 (was S1): Forældrene aflæser og besvarer" in english_diff
    assert "S1: Forældrene søger hjælp" in english_diff
    assert not re.search(r"\b[KF]\d\b", re.sub(r"<[^>]+>", " ", english_diff))
    login(danish, org)
    danish_doc = unescape(client.get(f"{url}/versioner/{version.id}").get_data(as_text=True))
    assert "<strong>K1</strong>" in danish_doc and "<strong>F1</strong>" in danish_doc
    danish_diff = unescape(client.get(compare).get_data(as_text=True))
    assert "K2 (tidligere K1): Forældrene aflæser og besvarer" in danish_diff
    assert "K1: Forældrene søger hjælp" in danish_diff
