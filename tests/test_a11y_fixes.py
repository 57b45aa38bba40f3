"""Accessibility fixes a screen reader or a keyboard notices (WCAG 2.1 AA): controls named by
the item they act on, news read out from the page's message area, live regions kept in place."""

import re

from improvement.extensions import db
from improvement.models import AssessmentRespondent
from tests.assessments.helpers import gen_respondent, gen_round, shared_instrument
from tests.description.factories import gen_assumption, gen_item
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.test_board import board_world

HX = {"HX-Request": "true"}


def _round_world():
    org = gen_org("Nord")
    lise = gen_user(org, role="leader", name="Lise Lund")
    bo = gen_user(org, role="practitioner", name="Bo Bach")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, lise, "leader")
    gen_member(intervention, bo)
    instrument = shared_instrument()
    round_ = gen_round(intervention, instrument, name="Baseline 2026")
    mine = gen_respondent(round_, lise, "leader")
    bos = gen_respondent(round_, bo, "practitioner")
    db.session.commit()
    return org, lise, intervention, instrument, round_, mine, bos


def test_a_respondent_row_is_named_and_its_removal_said_in_the_message_area(client, login):
    org, lise, intervention, _, round_, _, bos = _round_world()
    bos_id = bos.id
    login(lise, org)
    url = f"/indsatser/{intervention.id}/selvevaluering/{round_.id}"
    page = client.get(url).get_data(as_text=True)
    # The row has an id (focus logic can tell it is gone), its name is the row's header,
    # and its button says whom it removes.
    assert f'<tr id="respondent-{bos_id}">' in page
    assert '<th scope="row">Bo Bach</th>' in page
    assert 'aria-label="Fjern Bo Bach fra runden"' in page
    assert 'id="respondents" aria-labelledby="respondents-title"' in page

    response = client.post(f"{url}/respondenter/{bos_id}/fjern", headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(AssessmentRespondent, bos_id) is None
    assert f'id="respondent-{bos_id}"' not in body
    # The news goes into the page's message area, which stays (its content is swapped).
    news = re.search(r'<div id="messages" hx-swap-oob="innerHTML">(.*?)</div>', body)
    assert news and "Bo Bach er fjernet fra runden." in news.group(1)
    assert 'role="status"' in news.group(1)


def test_a_whole_page_after_removal_has_one_message_area(client, login):
    """Without HTMX (a boosted or restored page) the answer is the page: no second area."""
    org, lise, intervention, _, round_, _, bos = _round_world()
    login(lise, org)
    url = f"/indsatser/{intervention.id}/selvevaluering/{round_.id}"
    body = client.post(f"{url}/respondenter/{bos.id}/fjern").get_data(as_text=True)
    assert body.count('id="messages"') == 1


def test_problem_category_fields_and_buttons_name_their_category(client, login):
    org = gen_org("Nord")
    leader = gen_user(org, role="leader")
    db.session.commit()
    login(leader, org)
    client.post("/problemkategorier/standard", headers=HX)
    page = client.get("/problemkategorier").get_data(as_text=True)
    for name in ("Forældrestruktur", "Barnekonflikt"):
        assert f">Navn på {name}</label>" in page
        assert f">Beskrivelse af {name}</label>" in page
        assert f'aria-label="Gem {name}"' in page
        assert f'aria-label="Arkivér {name}"' in page
    # Nothing left called only "Navn" or "Gem" six times over.
    assert page.count(">Navn</label>") == 0


def test_a_saved_answer_swaps_only_what_its_live_region_says_and_names_the_answer(client, login):
    org, lise, intervention, instrument, round_, _, _ = _round_world()
    login(lise, org)
    base = f"/indsatser/{intervention.id}/selvevaluering/{round_.id}"
    statement = instrument.statements[0]
    page = client.get(f"{base}/besvar").get_data(as_text=True)
    # The region is in the page once, and the form swaps its content, not the region.
    assert f'<span id="state-{statement.id}" class="save-region" role="status">' in page
    assert f'hx-target="#state-{statement.id}" hx-swap="innerHTML"' in page
    assert 'hx-target="#text-state-1" hx-swap="innerHTML"' in page

    key = next(k for k, label in instrument.labels.items() if label == "I høj grad")
    response = client.post(
        f"{base}/svar/{statement.id}", data={"value": key, "base": ""}, headers=HX
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "✓ Gemt: I høj grad" in body
    # The region's content only: a new region in its place would often not be read out.
    assert f'id="state-{statement.id}"' not in body and 'role="status"' not in body

    refused = client.post(f"{base}/svar/{statement.id}", data={"value": "nonsense"}, headers=HX)
    assert refused.status_code == 422
    assert 'class="save-state save-error"' in refused.get_data(as_text=True)
    assert f'id="state-{statement.id}"' not in refused.get_data(as_text=True)


def test_theory_buttons_name_their_item_and_a_removed_link_is_said(client, login):
    org = gen_org("Nord")
    leader = gen_user(org, role="leader")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, leader, "leader")
    visit = gen_item(intervention, "activity", "Hjemmebesøg")
    bond = gen_item(intervention, "short_term", "Tryg tilknytning")
    gen_assumption(intervention, text="Tilknytning etableres tidligt")
    db.session.commit()
    login(leader, org)
    url = f"/indsatser/{intervention.id}/forandringsteori"
    client.post(
        f"{url}/forbindelser",
        data={"source_id": visit.id, "target_id": bond.id, "assumption_id": ""},
        headers=HX,
    )
    page = client.get(url).get_data(as_text=True)
    assert 'aria-label="Fjern forbindelsen A1 → K1"' in page
    assert 'id="toc-links" aria-labelledby="toc-links-title"' in page
    assert 'aria-label="Redigér antagelse F1"' in page and 'aria-label="Slet antagelse F1"' in page
    assert 'aria-label="Tilføj reference til antagelse F1"' in page
    assert 'aria-label="Tilføj punkt i aktiviteter"' in page

    link_id = re.search(r'id="toc-link-(\d+)"', page).group(1)
    body = client.post(f"{url}/forbindelser/{link_id}/slet", headers=HX).get_data(as_text=True)
    assert f'id="toc-link-{link_id}"' not in body
    news = re.search(r'<div id="messages" hx-swap-oob="innerHTML">(.*?)</div>', body)
    assert news and "Forbindelsen A1 → K1 er fjernet." in news.group(1)


def test_a_board_move_swaps_the_message_areas_content_not_the_area(client, login):
    org, lise, _, intervention, _, ready, *_ = board_world()
    login(lise, org)
    body = client.post(
        f"/indsatser/{intervention.id}/proevehandlinger/{ready.id}/flyt",
        data={"to": "do", "version": str(ready.version)},
        headers=HX,
    ).get_data(as_text=True)
    news = re.search(r'<div id="messages" hx-swap-oob="([^"]*)">(.*?)</div>', body)
    assert news and news.group(1) == "innerHTML"
    assert "er flyttet til Afprøv" in news.group(2)
