"""A save into which someone else's changes made meanwhile were merged says so, as the PDSA
worksheet and the meeting do: an intervention's summary, a round's name and a team row put
the news in the page's message area (out of band). A save that took in nothing of theirs
says nothing of a merge, and drops an earlier save's news; a field both changed is still
asked about."""

import json
import re

import pytest

from improvement.extensions import db
from improvement.models import AssessmentRound, Intervention, TeamMember
from tests.test_conflict_forms_merge import (
    HX,
    _intervention,
    _name_form,
    _round,
    _row,
    _summary_form,
    _team,
    fields_of,
    listed,
)

SUMMARY_MERGED = "Indsatsen er gemt sammen med de ændringer, en anden har gemt i mellemtiden."
ROUND_MERGED = "Runden er gemt med det navn, en anden gav den i mellemtiden."
ROW_MERGED = (
    "Rækken for Carl Carlsen er gemt sammen med den ændring, en anden har gemt i mellemtiden."
)

NEWS = re.compile(r'<div id="messages" hx-swap-oob="innerHTML">(.*?)</div>', re.S)


def news(body: str) -> str | None:
    """The text an answer puts in the page's message area; None where it leaves it be."""
    found = NEWS.findall(body)
    assert len(found) <= 1
    return re.sub(r"<[^>]+>", "", found[0]).strip() if found else None


# ------------------------------------------------------------------ an intervention's summary


def test_summary_saved_after_another_field_was_saved_says_so_and_keeps_both(browser):
    intervention, anna, bent = _intervention(browser)
    url = f"/indsatser/{intervention.id}/rediger"
    annas, bents = _summary_form(anna, intervention), _summary_form(bent, intervention)
    first = anna.post(url, data={**annas, "name": "Familiehuset Nord"}, headers=HX)
    assert news(first.get_data(as_text=True)) == ""
    response = bent.post(url, data={**bents, "purpose": "Styrke hele familien"}, headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert news(body) == SUMMARY_MERGED
    # The summary Bent sees holds Anna's name beside his purpose, as saved.
    assert "<h1>Familiehuset Nord " in body and "Styrke hele familien" in body
    saved = db.session.get(Intervention, intervention.id)
    assert (saved.name, saved.purpose) == ("Familiehuset Nord", "Styrke hele familien")


def test_summary_saved_after_it_was_archived_says_so(browser):
    # The form showed a status; the summary now shows "Archived", which Bent did not do.
    intervention, anna, bent = _intervention(browser)
    bents = _summary_form(bent, intervention)
    assert anna.post(f"/indsatser/{intervention.id}/arkiver").status_code == 302
    response = bent.post(
        f"/indsatser/{intervention.id}/rediger", data={**bents, "purpose": "Nyt formål"}, headers=HX
    )
    assert response.status_code == 200
    assert news(response.get_data(as_text=True)) == SUMMARY_MERGED
    saved = db.session.get(Intervention, intervention.id)
    assert (saved.status, saved.purpose) == ("archived", "Nyt formål")


def test_summary_drawn_while_archived_and_saved_after_a_reopen_keeps_the_status(browser):
    # Bent's form had no status (archived); Anna reopened it meanwhile. The status is not a
    # field Bent could change: his save keeps hers instead of being refused over it.
    intervention, anna, bent = _intervention(browser)
    status = intervention.status
    assert anna.post(f"/indsatser/{intervention.id}/arkiver").status_code == 302
    bents = _summary_form(bent, intervention)
    assert "status" not in bents
    assert anna.post(f"/indsatser/{intervention.id}/genaabn").status_code == 302
    response = bent.post(
        f"/indsatser/{intervention.id}/rediger", data={**bents, "purpose": "Nyt formål"}, headers=HX
    )
    assert response.status_code == 200
    assert news(response.get_data(as_text=True)) == SUMMARY_MERGED
    saved = db.session.get(Intervention, intervention.id)
    assert (saved.status, saved.purpose) == (status, "Nyt formål")


def test_a_field_sent_that_the_base_lacks_is_asked_about_not_replaced(browser):
    # A base without a field (a form drawn without it, or an older form) takes the saved
    # value only for a field that was not sent: one the user sent and changed is theirs.
    intervention, anna, bent = _intervention(browser)
    url = f"/indsatser/{intervention.id}/rediger"
    annas, bents = _summary_form(anna, intervention), _summary_form(bent, intervention)
    anna.post(url, data={**annas, "purpose": "Annas formål"}, headers=HX)
    base = json.loads(bents["base"])
    del base["purpose"]
    sent = {**bents, "base": json.dumps(base), "purpose": "Bents formål"}
    response = bent.post(url, data=sent, headers=HX)
    assert response.status_code == 409
    assert "Bents formål" in response.get_data(as_text=True)
    assert db.session.get(Intervention, intervention.id).purpose == "Annas formål"


def test_summary_saved_with_no_one_elses_change_says_nothing_of_a_merge(browser):
    intervention, anna, bent = _intervention(browser)
    url = f"/indsatser/{intervention.id}/rediger"
    annas, bents = _summary_form(anna, intervention), _summary_form(bent, intervention)
    anna.post(url, data={**annas, "name": "Familiehuset Nord"}, headers=HX)
    merged = bent.post(url, data={**bents, "purpose": "Styrke hele familien"}, headers=HX)
    assert news(merged.get_data(as_text=True)) == SUMMARY_MERGED
    # Bent edits on, and nobody else saves: the earlier news goes, none comes.
    again = _summary_form(bent, intervention)
    response = bent.post(url, data={**again, "target_group": "Familier med små børn"}, headers=HX)
    assert response.status_code == 200
    assert news(response.get_data(as_text=True)) == ""
    saved = db.session.get(Intervention, intervention.id)
    assert (saved.name, saved.target_group) == ("Familiehuset Nord", "Familier med små børn")


def test_summary_saved_after_the_same_change_meanwhile_says_nothing_of_a_merge(browser):
    # Anna fixed the same thing Bent did: nothing of hers came in that he had not written.
    intervention, anna, bent = _intervention(browser)
    url = f"/indsatser/{intervention.id}/rediger"
    annas, bents = _summary_form(anna, intervention), _summary_form(bent, intervention)
    anna.post(url, data={**annas, "purpose": "Styrke forældrene og børnene"}, headers=HX)
    response = bent.post(url, data={**bents, "purpose": "Styrke forældrene og børnene"}, headers=HX)
    assert response.status_code == 200
    assert news(response.get_data(as_text=True)) == ""


def test_summary_field_both_changed_is_still_asked_about_and_a_later_merge_is_told(browser):
    intervention, anna, bent = _intervention(browser)
    url = f"/indsatser/{intervention.id}/rediger"
    annas, bents = _summary_form(anna, intervention), _summary_form(bent, intervention)
    anna.post(url, data={**annas, "purpose": "Annas formål"}, headers=HX)
    response = bent.post(url, data={**bents, "purpose": "Bents formål"}, headers=HX)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "<dt>Formål</dt><dd>Annas formål</dd>" in listed(body)
    assert news(body) is None  # asked in the form, not reported as saved
    assert db.session.get(Intervention, intervention.id).purpose == "Annas formål"
    # Before Bent saves again on purpose, Anna renames it: that comes in, and he is told.
    anna.post(url, data={**_summary_form(anna, intervention), "name": "Nyt navn"}, headers=HX)
    response = bent.post(url, data=fields_of(body), headers=HX)
    assert response.status_code == 200
    assert news(response.get_data(as_text=True)) == SUMMARY_MERGED
    saved = db.session.get(Intervention, intervention.id)
    assert (saved.name, saved.purpose) == ("Nyt navn", "Bents formål")


# ------------------------------------------------------------------ a round's name


def test_round_saved_unrenamed_after_a_rename_keeps_their_name_and_says_so(browser):
    round_, url, anna, bent = _round(browser)
    annas, bents = _name_form(anna, url), _name_form(bent, url)
    anna.post(f"{url}/navn", data={**annas, "name": "Baseline"}, headers=HX)
    # Bent saves the name as his form showed it.
    response = bent.post(f"{url}/navn", data=bents, headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert news(body) == ROUND_MERGED
    assert '<h1 id="round-title">Baseline ' in body
    assert db.session.get(AssessmentRound, round_.id).name == "Baseline"


def test_round_renamed_after_it_was_closed_says_nothing_of_a_merge(browser):
    # Closing changes nothing the name form holds.
    round_, url, anna, bent = _round(browser)
    bents = _name_form(bent, url)
    assert anna.post(f"{url}/luk", data={"confirm": "1"}).status_code == 302
    response = bent.post(f"{url}/navn", data={**bents, "name": "Baseline"}, headers=HX)
    assert response.status_code == 200
    assert news(response.get_data(as_text=True)) == ""
    saved = db.session.get(AssessmentRound, round_.id)
    assert (saved.name, saved.status) == ("Baseline", "closed")


def test_round_renamed_by_both_is_still_asked_about_and_the_resave_is_no_merge(browser):
    round_, url, anna, bent = _round(browser)
    annas, bents = _name_form(anna, url), _name_form(bent, url)
    anna.post(f"{url}/navn", data={**annas, "name": "Baseline"}, headers=HX)
    response = bent.post(f"{url}/navn", data={**bents, "name": "Baseline 2026"}, headers=HX)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "<dd>Baseline</dd>" in listed(body) and news(body) is None
    response = bent.post(f"{url}/navn", data=fields_of(body), headers=HX)
    assert response.status_code == 200
    assert news(response.get_data(as_text=True)) == ""
    assert db.session.get(AssessmentRound, round_.id).name == "Baseline 2026"


# ------------------------------------------------------------------ a team row


def test_team_row_saved_after_the_other_control_changed_says_so_and_keeps_both(browser):
    member, anna, bent = _team(browser)
    url = f"/indsatser/{member.intervention_id}/team/{member.id}"
    annas, bents = _row(anna, member), _row(bent, member)
    anna.post(url, data={**annas, "professional_role": "leader"}, headers=HX)
    del bents["in_quality_team"]  # Bent switches Carl out of the quality team
    response = bent.post(url, data=bents, headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert news(body) == ROW_MERGED
    # The row comes first (htmx reads a <tr> answer only if it leads), the news after it.
    assert body.lstrip().startswith(f'<tr id="member-{member.id}"')
    assert body.index("</tr>") < body.index('<div id="messages"')
    assert '<option value="leader" selected>' in body
    saved = db.session.get(TeamMember, member.id)
    assert (saved.professional_role, saved.in_quality_team) == ("leader", False)


@pytest.mark.parametrize("meanwhile", ["nothing", "changed and changed back"])
def test_team_row_saved_with_no_one_elses_change_says_nothing_of_a_merge(browser, meanwhile):
    member, anna, bent = _team(browser)
    url = f"/indsatser/{member.intervention_id}/team/{member.id}"
    bents = _row(bent, member)
    if meanwhile != "nothing":
        anna.post(url, data={**_row(anna, member), "professional_role": "leader"}, headers=HX)
        anna.post(url, data={**_row(anna, member), "professional_role": "practitioner"}, headers=HX)
        assert str(db.session.get(TeamMember, member.id).version) != bents["version"]
    del bents["in_quality_team"]
    response = bent.post(url, data=bents, headers=HX)
    assert response.status_code == 200
    assert news(response.get_data(as_text=True)) == ""
    saved = db.session.get(TeamMember, member.id)
    assert (saved.professional_role, saved.in_quality_team) == ("practitioner", False)


def test_team_row_role_chosen_by_both_is_still_refused_and_the_next_choice_is_no_merge(browser):
    member, anna, bent = _team(browser)
    url = f"/indsatser/{member.intervention_id}/team/{member.id}"
    annas, bents = _row(anna, member), _row(bent, member)
    anna.post(url, data={**annas, "professional_role": "leader"}, headers=HX)
    response = bent.post(url, data={**bents, "professional_role": "partner"}, headers=HX)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "En anden har ændret rækken i mellemtiden" in body and news(body) is None
    again = {**fields_of(body), "professional_role": "partner"}
    response = bent.post(url, data=again, headers=HX)
    assert response.status_code == 200
    assert news(response.get_data(as_text=True)) == ""
    assert db.session.get(TeamMember, member.id).professional_role == "partner"
