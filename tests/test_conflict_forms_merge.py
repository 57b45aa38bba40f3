"""Two people editing an intervention's summary, a round's name or a team row at once: the
forms carry the values they were drawn with, so what only the other person changed is
merged in, only a field both changed is asked about (with what the other person saved),
and a field only this user changed is never listed as if the other person had set it."""

from html.parser import HTMLParser

from improvement.extensions import db
from improvement.models import AssessmentRound, Intervention, TeamMember
from tests.assessments.helpers import gen_round, shared_instrument
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

HX = {"HX-Request": "true"}


class _Fields(HTMLParser):
    """What a browser would send from a form: each control's name and current value."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name"):
            if a.get("type") != "checkbox" or "checked" in a:
                self.values[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a["value"]
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            # As a browser: the line break right after <textarea> is not in its value.
            first = not self.values[self._textarea]
            text = data.removeprefix("\r").removeprefix("\n") if first else data
            self.values[self._textarea] += text


def fields_of(html: str) -> dict[str, str]:
    parser = _Fields()
    parser.feed(html)
    return parser.values


def listed(body: str) -> str:
    """The 'saved meanwhile' list above the form ('' where there is none)."""
    if 'class="their-version"' not in body:
        return ""
    return body[body.index('class="their-version"') : body.index("</aside>")]


def assert_partial(body: str) -> None:
    assert "<html" not in body and "<body" not in body


# ------------------------------------------------------------------ an intervention's summary


def _intervention(browser):
    org = gen_org("Nord")
    anna = gen_user(org, role="leader", name="Anna Andersen")
    bent = gen_user(org, role="leader", name="Bent Berg")
    intervention = gen_intervention(
        org, name="Familiehuset", target_group="Familier", purpose="Styrke forældrene"
    )
    db.session.commit()
    return intervention, browser(anna, org), browser(bent, org)


def _summary_form(client, intervention) -> dict[str, str]:
    response = client.get(f"/indsatser/{intervention.id}/rediger", headers=HX)
    assert response.status_code == 200
    return fields_of(response.get_data(as_text=True))


def test_summary_saves_meanwhile_on_different_fields_are_both_kept(browser):
    intervention, anna, bent = _intervention(browser)
    url = f"/indsatser/{intervention.id}/rediger"
    annas, bents = _summary_form(anna, intervention), _summary_form(bent, intervention)
    assert (
        anna.post(url, data={**annas, "name": "Familiehuset Nord"}, headers=HX).status_code == 200
    )
    response = bent.post(url, data={**bents, "purpose": "Styrke hele familien"}, headers=HX)
    assert response.status_code == 200
    saved = db.session.get(Intervention, intervention.id)
    assert (saved.name, saved.purpose) == ("Familiehuset Nord", "Styrke hele familien")
    assert saved.target_group == "Familier"


def test_summary_archived_meanwhile_is_no_conflict(browser):
    intervention, anna, bent = _intervention(browser)
    bents = _summary_form(bent, intervention)
    assert anna.post(f"/indsatser/{intervention.id}/arkiver").status_code == 302
    response = bent.post(
        f"/indsatser/{intervention.id}/rediger", data={**bents, "purpose": "Nyt formål"}, headers=HX
    )
    assert response.status_code == 200
    saved = db.session.get(Intervention, intervention.id)
    assert (saved.status, saved.purpose) == ("archived", "Nyt formål")


def test_summary_field_both_changed_is_asked_about_and_only_it_is_listed(browser):
    intervention, anna, bent = _intervention(browser)
    url = f"/indsatser/{intervention.id}/rediger"
    annas, bents = _summary_form(anna, intervention), _summary_form(bent, intervention)
    anna.post(url, data={**annas, "purpose": "Annas formål"}, headers=HX)
    response = bent.post(
        url,
        data={**bents, "purpose": "Bents formål", "target_group": "Bents målgruppe"},
        headers=HX,
    )
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    theirs = listed(body)
    assert "<dt>Formål</dt><dd>Annas formål</dd>" in theirs
    # Only Bent changed the target group: its old value is not Anna's.
    assert "Målgruppe" not in theirs and "Familier" not in theirs
    assert "Bents formål" in body and "Bents målgruppe" in body
    assert db.session.get(Intervention, intervention.id).purpose == "Annas formål"


def test_summary_conflict_answers_htmx_with_the_form_drawn_anew(browser):
    intervention, anna, bent = _intervention(browser)
    url = f"/indsatser/{intervention.id}/rediger"
    annas, bents = _summary_form(anna, intervention), _summary_form(bent, intervention)
    anna.post(url, data={**annas, "purpose": "Annas formål", "name": "Nyt navn"}, headers=HX)
    response = bent.post(url, data={**bents, "purpose": "Bents formål"}, headers=HX)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert_partial(body)
    assert body.lstrip().startswith('<article id="summary"')
    # The form now starts from what is saved: Anna's name is in it, and saving again keeps
    # Bent's purpose on purpose.
    again = fields_of(body)
    assert again["name"] == "Nyt navn" and again["purpose"] == "Bents formål"
    assert bent.post(url, data=again, headers=HX).status_code == 200
    saved = db.session.get(Intervention, intervention.id)
    assert (saved.name, saved.purpose) == ("Nyt navn", "Bents formål")


# ------------------------------------------------------------------ a round's name


def _round(browser):
    org = gen_org("Nord")
    anna = gen_user(org, role="leader", name="Anna Andersen")
    bent = gen_user(org, role="leader", name="Bent Berg")
    intervention = gen_intervention(org, name="Familiehuset")
    round_ = gen_round(intervention, shared_instrument(), name="Basline")
    db.session.commit()
    url = f"/indsatser/{intervention.id}/selvevaluering/{round_.id}"
    return round_, url, browser(anna, org), browser(bent, org)


def _name_form(client, url) -> dict[str, str]:
    response = client.get(f"{url}/navn", headers=HX)
    assert response.status_code == 200
    return fields_of(response.get_data(as_text=True))


def test_round_closed_meanwhile_is_renamed_without_a_conflict(browser):
    round_, url, anna, bent = _round(browser)
    bents = _name_form(bent, url)
    assert anna.post(f"{url}/luk", data={"confirm": "1"}).status_code == 302
    response = bent.post(f"{url}/navn", data={**bents, "name": "Baseline"}, headers=HX)
    assert response.status_code == 200
    saved = db.session.get(AssessmentRound, round_.id)
    assert (saved.name, saved.status) == ("Baseline", "closed")


def test_round_renamed_by_both_is_asked_about_with_their_name(browser):
    round_, url, anna, bent = _round(browser)
    annas, bents = _name_form(anna, url), _name_form(bent, url)
    anna.post(f"{url}/navn", data={**annas, "name": "Baseline"}, headers=HX)
    response = bent.post(f"{url}/navn", data={**bents, "name": "Baseline 2026"}, headers=HX)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "<dd>Baseline</dd>" in listed(body) and 'value="Baseline 2026"' in body
    assert db.session.get(AssessmentRound, round_.id).name == "Baseline"
    # Closed before Bent saves again: his choice to replace Anna's name still stands.
    assert anna.post(f"{url}/luk", data={"confirm": "1"}).status_code == 302
    assert bent.post(f"{url}/navn", data=fields_of(body), headers=HX).status_code == 200
    saved = db.session.get(AssessmentRound, round_.id)
    assert (saved.name, saved.status) == ("Baseline 2026", "closed")


def test_round_rename_conflict_answers_htmx_with_the_form_drawn_anew(browser):
    round_, url, anna, bent = _round(browser)
    annas, bents = _name_form(anna, url), _name_form(bent, url)
    anna.post(f"{url}/navn", data={**annas, "name": "Baseline"}, headers=HX)
    response = bent.post(f"{url}/navn", data={**bents, "name": "Baseline 2026"}, headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert_partial(body)
    assert body.lstrip().startswith('<form id="round-title"')
    again = fields_of(body)
    assert again["base"]  # drawn from what Anna saved, so saving again is on purpose
    assert bent.post(f"{url}/navn", data=again, headers=HX).status_code == 200
    assert db.session.get(AssessmentRound, round_.id).name == "Baseline 2026"


# ------------------------------------------------------------------ a team row


def _team(browser):
    org = gen_org("Nord")
    anna = gen_user(org, role="leader", name="Anna Andersen")
    bent = gen_user(org, role="leader", name="Bent Berg")
    carl = gen_user(org, role="practitioner", name="Carl Carlsen")
    intervention = gen_intervention(org, name="Familiehuset")
    member = gen_member(intervention, carl, "practitioner", in_quality_team=True)
    db.session.commit()
    return member, browser(anna, org), browser(bent, org)


def _row(client, member) -> dict[str, str]:
    page = client.get(f"/indsatser/{member.intervention_id}").get_data(as_text=True)
    start = page.index(f'<tr id="member-{member.id}"')
    return fields_of(page[start : page.index("</tr>", start)])


def test_team_row_changes_meanwhile_to_the_other_control_are_both_kept(browser):
    member, anna, bent = _team(browser)
    url = f"/indsatser/{member.intervention_id}/team/{member.id}"
    annas, bents = _row(anna, member), _row(bent, member)
    assert bents["in_quality_team"] == "y"
    assert (
        anna.post(url, data={**annas, "professional_role": "leader"}, headers=HX).status_code == 200
    )
    # Bent switches Carl out of the quality team in a row still showing "practitioner".
    del bents["in_quality_team"]
    response = bent.post(url, data=bents, headers=HX)
    assert response.status_code == 200
    saved = db.session.get(TeamMember, member.id)
    assert (saved.professional_role, saved.in_quality_team) == ("leader", False)


def test_team_row_role_chosen_by_both_is_refused_with_theirs_shown(browser):
    member, anna, bent = _team(browser)
    url = f"/indsatser/{member.intervention_id}/team/{member.id}"
    annas, bents = _row(anna, member), _row(bent, member)
    anna.post(url, data={**annas, "professional_role": "leader"}, headers=HX)
    response = bent.post(url, data={**bents, "professional_role": "partner"}, headers=HX)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "En anden har ændret rækken i mellemtiden" in body
    assert '<option value="leader" selected>' in body
    assert db.session.get(TeamMember, member.id).professional_role == "leader"
    # Anna switches Carl out before Bent chooses again in the row drawn anew: both stand.
    annas = fields_of(body)
    del annas["in_quality_team"]
    assert anna.post(url, data=annas, headers=HX).status_code == 200
    again = {**fields_of(body), "professional_role": "partner"}
    assert bent.post(url, data=again, headers=HX).status_code == 200
    saved = db.session.get(TeamMember, member.id)
    assert (saved.professional_role, saved.in_quality_team) == ("partner", False)


def test_team_row_merged_answers_htmx_with_the_row_showing_both_changes(browser):
    member, anna, bent = _team(browser)
    url = f"/indsatser/{member.intervention_id}/team/{member.id}"
    annas, bents = _row(anna, member), _row(bent, member)
    anna.post(url, data={**annas, "professional_role": "leader"}, headers=HX)
    del bents["in_quality_team"]
    response = bent.post(url, data=bents, headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert_partial(body)
    assert body.lstrip().startswith(f'<tr id="member-{member.id}"')
    again = fields_of(body)
    assert again["professional_role"] == "leader" and "in_quality_team" not in again
    # The row is drawn from what is saved, and so is the base it carries.
    assert again["version"] == str(db.session.get(TeamMember, member.id).version)
    assert '"professional_role": "leader"' in again["base"]
