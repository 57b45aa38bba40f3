"""The case list's key figure "forløb med skift af sagsbehandler" (seed 004's
"antal skift i … sagsbehandlere på sager"): counted from the cases' history, saved through
the edit form, narrowed by "Vis kun mine forløb", one query however many cases."""

import re
from html import unescape

import pytest

from improvement.extensions import db
from improvement.models import Case
from tests.cases.helpers import gen_case
from tests.helpers import gen_intervention, gen_member, gen_user
from tests.querycount import count_queries

HX = {"HX-Request": "true"}


@pytest.fixture
def crew(team):
    """The team fixture with two authority caseworkers on the team."""
    team.morten = gen_user(team.org, role="authority", name="Morten Munk")
    team.aase = gen_user(team.org, role="authority", name="Aase Ager")
    for user in (team.morten, team.aase):
        gen_member(team.intervention, user, professional_role="authority_caseworker")
    db.session.commit()
    return team


def _url(team, suffix=""):
    return f"/indsatser/{team.intervention.id}/forloeb{suffix}"


def _save(client, team, case_id, **changes):
    """Save the case through its edit form, as a user does, with `changes` to its fields."""
    edit = _url(team, f"/{case_id}/rediger")
    page = client.get(edit).get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    case = db.session.get(Case, case_id)
    data = {
        "code": case.code,
        "practitioner_id": str(case.practitioner_id or ""),
        "caseworker_id": str(case.caseworker_id or ""),
        "start_date": case.start_date.isoformat(),
        "version": version,
    }
    data.update({k: "" if v is None else str(v) for k, v in changes.items()})
    response = client.post(edit, data=data, headers=HX)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    db.session.expire_all()
    assert db.session.get(Case, case_id).caseworker_id == (
        int(data["caseworker_id"]) if data["caseworker_id"] else None
    )


def _figure(body: str) -> tuple[str, str]:
    """The figure's value and its text (label and hint), as read."""
    block = body.split('id="caseworker-changes"')[1].split("</div>")[0]
    value = re.search(r'class="key-value">([^<]*)<', block).group(1)
    text = re.sub(r"<[^>]+>", " ", block.split("</span>", 1)[1])
    return value, " ".join(unescape(text).replace("\u00ad", "").split())


def test_changes_saved_through_the_form_are_counted_per_case_and_in_all(client, login, crew):
    first = crew.case  # responsible: Birgitte Bach, no caseworker yet
    second = gen_case(crew.intervention, "SP-2026-002", practitioner_id=crew.colleague.id)
    third = gen_case(crew.intervention, "SP-2026-003")
    db.session.commit()
    login(crew.leader, crew.org)
    # Before any save: no change, the label says what counts.
    value, text = _figure(client.get(_url(crew)).get_data(as_text=True))
    assert value == "0"
    assert text == (
        "forløb med skift af sagsbehandler 0 skift i alt. "
        "Det første valg og en fjernelse tæller ikke."
    )

    _save(client, crew, first.id, caseworker_id=crew.morten.id)  # first choice: no change
    _save(client, crew, first.id, code="SP-2026-101")  # another field only
    _save(client, crew, first.id, caseworker_id=crew.aase.id)  # change 1
    _save(client, crew, first.id, caseworker_id=crew.morten.id)  # change 2
    _save(client, crew, second.id, caseworker_id=crew.morten.id)  # first choice
    _save(client, crew, second.id, caseworker_id=None)  # removal: no change
    _save(client, crew, second.id, caseworker_id=crew.aase.id)  # Morten → Aase: change 1
    _save(client, crew, third.id, caseworker_id=crew.aase.id)  # first choice
    _save(client, crew, third.id, caseworker_id=None)  # removal
    _save(client, crew, third.id, caseworker_id=crew.aase.id)  # the same again: no change

    # Another intervention's changes are its own.
    other = gen_intervention(crew.org, name="Familiehuset")
    elsewhere = gen_case(other, "FH-2026-001", caseworker_id=crew.morten.id)
    db.session.commit()
    elsewhere.caseworker_id = crew.aase.id
    db.session.commit()

    value, text = _figure(client.get(_url(crew)).get_data(as_text=True))
    assert (value, text.split(" skift i alt")[0]) == (
        "2",
        "forløb med skift af sagsbehandler 3",
    )

    # "Mine" narrows the figure to one's own cases, as it narrows the others.
    for user, expected in (
        (crew.practitioner, ("1", 2)),  # responsible for the first case
        (crew.colleague, ("1", 1)),  # responsible for the second
        (crew.morten, ("1", 2)),  # the first case's caseworker now
        (crew.aase, ("1", 1)),  # the second's and the third's: the third has no change
        (crew.evaluator, ("0", 0)),
    ):
        login(user, crew.org)
        body = client.get(_url(crew, "?mine=1")).get_data(as_text=True)
        value, text = _figure(body)
        assert (value, text.split(" skift i alt")[0].split()[-1]) == (
            expected[0],
            str(expected[1]),
        ), user.name


def test_the_figure_costs_one_query_however_many_cases_and_changes(app, client, login, crew):
    login(crew.morten, crew.org)
    urls = [_url(crew), _url(crew, "?mine=1"), _url(crew, f"?sagsbehandler={crew.aase.id}")]

    def counts():
        found = []
        for url in urls:
            client.get(url)  # warm caches
            with count_queries() as statements:
                assert client.get(url).status_code == 200
            trail = [s for s in statements if "audit_event" in s]
            assert len(trail) == 1, trail
            found.append(len(statements))
        return found

    small = counts()
    for n in range(40):
        case = gen_case(
            crew.intervention,
            f"KF-3000-{n:03d}",
            caseworker_id=(crew.morten, crew.aase)[n % 2].id,
        )
        db.session.commit()
        if n % 3 == 0:
            # Set unread, as a script would: the trail's "old" is None, its creation says.
            case.caseworker_id = (crew.aase, crew.morten)[n % 2].id
            db.session.commit()
    assert counts() == small
    value, text = _figure(client.get(_url(crew)).get_data(as_text=True))
    assert value == "14" and "14 skift i alt" in text

    # The filter and the pager redraw the rows alone: the trail is not read for them.
    rows = {**HX, "HX-Target": "case-results"}
    with count_queries() as statements:
        body = client.get(_url(crew, "?status=aabne"), headers=rows).get_data(as_text=True)
    assert 'id="case-results"' in body and "caseworker-changes" not in body
    assert not [s for s in statements if "audit_event" in s]


def test_the_demo_has_a_handover_in_each_intervention(client, login):
    from sqlalchemy import select

    from improvement import seeding
    from improvement.models import Intervention, Organization, User

    seeding.load_reference()
    seeding.load_demo()
    nord = db.session.scalars(select(Organization).where(Organization.name.like("%Nord"))).one()
    leader = db.session.scalars(select(User).where(User.email == "leder@nord.demo")).one()
    login(leader, nord)
    for intervention in db.session.scalars(
        select(Intervention).where(Intervention.organization_id == nord.id)
    ).all():
        body = client.get(f"/indsatser/{intervention.id}/forloeb").get_data(as_text=True)
        value, text = _figure(body)
        assert value == "2" and "2 skift i alt" in text, intervention.name
