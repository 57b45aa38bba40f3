"""Walk every registered URL rule with every method, as a user of another organisation and
as a read-only evaluator, and assert that nothing leaks and nothing is written.

A later feature that adds a route with a new URL parameter must add it to PARAMS below
(how to find an id of that kind in the victim organisation); the test fails until it does.
"""

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import func, select

from improvement import seeding
from improvement.assessments import service as assessment_service
from improvement.cases.service import categories_of
from improvement.extensions import db
from improvement.models import AssessmentRespondent, AssessmentRound, AuditEvent
from tests.cases.helpers import gen_case
from tests.description.factories import gen_description, gen_prerequisite
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_action_item, gen_cycle, gen_meeting

SECRET = "Hemmelig indsats hos Syd"


@dataclass
class World:
    home: object
    victim: object
    outsider: object
    evaluator: object
    intervention: object
    member: object
    membership: object
    extra: dict


@pytest.fixture
def world(app):
    home, victim = gen_org("Nord"), gen_org("Syd")
    outsider = gen_user(home, role="admin")
    evaluator = gen_user(victim, role="evaluator")
    leader = gen_user(victim, role="leader")
    intervention = gen_intervention(victim, name=SECRET, target_group="Fortrolig målgruppe")
    member = gen_member(intervention, leader)
    extra = gen_description(intervention)
    extra["prerequisite"] = gen_prerequisite(intervention)
    extra["cycle"] = gen_cycle(extra["point"], owner=leader)
    extra["meeting"] = gen_meeting(intervention)
    extra["action_item"] = gen_action_item(extra["meeting"], owner=leader)
    # Self-assessment: the 11 elements, an own instrument version and a round with a respondent.
    seeding.load_reference()
    data = seeding.read("assessment_instrument.yaml")
    instrument = assessment_service.build_instrument(data, victim.id)
    db.session.add(instrument)
    db.session.flush()
    round_ = AssessmentRound(
        organization_id=victim.id,
        intervention_id=intervention.id,
        instrument_id=instrument.id,
        name="Baseline",
    )
    db.session.add(round_)
    db.session.flush()
    extra["instrument"] = instrument
    extra["round"] = round_
    extra["respondent"] = AssessmentRespondent(
        organization_id=victim.id, round_id=round_.id, user_id=leader.id, role="leader"
    )
    db.session.add(extra["respondent"])
    extra["case"] = gen_case(intervention, "SYD-2026-1")
    # A closed, coded case, so the pages that tabulate outcomes render their tables too.
    gen_case(
        intervention,
        "SYD-2026-2",
        end_date=date(2026, 6, 1),
        goal_attainment="achieved",
        problem_grade="moderate",
        reflected_adjustment="yes",
    )
    extra["category"] = categories_of(victim.id)[0]
    db.session.commit()
    # A text changed twice: its history offers the earlier one back (a restore, by event).
    for text in ("Tidligere tekst", "Nuværende tekst"):
        extra["core_element"].why = text
        db.session.commit()
    extra["event"] = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_type == "CoreElement")
        .order_by(AuditEvent.id.desc())
    ).first()
    membership = next(m for m in leader.memberships if m.organization_id == victim.id)
    return World(home, victim, outsider, evaluator, intervention, member, membership, extra)


# URL parameter → the id of such an object in the victim organisation.
PARAMS = {
    "intervention_id": lambda w: w.intervention.id,
    "member_id": lambda w: w.member.id,
    "membership_id": lambda w: w.membership.id,
    "core_element_id": lambda w: w.extra["core_element"].id,
    "prerequisite_id": lambda w: w.extra["prerequisite"].id,
    "point_id": lambda w: w.extra["point"].id,
    "phase_id": lambda w: w.extra["phase"].id,
    "step_id": lambda w: w.extra["step"].id,
    "item_id": lambda w: w.extra["item"].id,
    "link_id": lambda w: w.extra["link"].id,
    "assumption_id": lambda w: w.extra["assumption"].id,
    "reference_id": lambda w: w.extra["reference"].id,
    "version_id": lambda w: w.extra["version"].id,
    "kind": lambda w: "kerneelement",
    "object_id": lambda w: w.extra["core_element"].id,
    "cycle_id": lambda w: w.extra["cycle"].id,
    "meeting_id": lambda w: w.extra["meeting"].id,
    "action_item_id": lambda w: w.extra["action_item"].id,
    "round_id": lambda w: w.extra["round"].id,
    "respondent_id": lambda w: w.extra["respondent"].id,
    "statement_id": lambda w: w.extra["instrument"].statements[0].id,
    "element_number": lambda w: 1,
    "instrument_id": lambda w: w.extra["instrument"].id,
    "case_id": lambda w: w.extra["case"].id,
    "category_id": lambda w: w.extra["category"].id,
    "event_id": lambda w: w.extra["event"].id,
}

# Form data sent with every write, so validation passes wherever it can and only access
# control stands between the request and a write.
PAYLOAD = {
    "name": "Indbrud",
    "status": "testing",
    "professional_role": "leader",
    "user_id": "1",
    "in_quality_team": "y",
    "version": "1",
    "org_id": "1",
    "locale": "en",
    "role": "admin",
    "email": "indbrud@example.org",
    "password": "indbrud indbrud",
    "current": "x",
    "new": "indbrud indbrud",
    "repeat": "indbrud indbrud",
    "field": "why",
}


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def _url(rule, world):
    missing = [arg for arg in rule.arguments if arg not in PARAMS]
    assert not missing, f"Add {missing} to PARAMS in {__file__} for {rule.rule}"
    return rule.build({arg: PARAMS[arg](world) for arg in rule.arguments})[1]


def _fingerprint(org_id):
    """What the victim organisation has: row counts and versions of everything it owns."""
    rows = []
    for table in db.metadata.sorted_tables:
        if "organization_id" not in table.c or table.name == AuditEvent.__tablename__:
            continue
        columns = [func.count()]
        if "version" in table.c:
            columns.append(func.coalesce(func.sum(table.c.version), 0))
        rows.append(
            (
                table.name,
                *db.session.execute(
                    select(*columns).select_from(table).where(table.c.organization_id == org_id)
                ).one(),
            )
        )
    return rows


def _request(client, method, url):
    return client.open(url, method=method, data=PAYLOAD, headers={"HX-Request": "true"})


def test_outsider_sees_nothing_and_changes_nothing(app, client, login, world):
    login(world.outsider, world.home)
    before = _fingerprint(world.victim.id)
    checked = 0
    for rule, method in _routes(app):
        url = _url(rule, world)
        response = _request(client, method, url)
        # Downloads are binary; exports are checked for foreign rows in tests/exports.
        body = response.get_data().decode("utf-8", "replace")
        assert SECRET not in body, f"{method} {url} leaks another organisation's data"
        assert "Fortrolig målgruppe" not in body, f"{method} {url} leaks"
        if rule.arguments:
            assert response.status_code == 404, f"{method} {url} gave {response.status_code}"
        else:
            assert response.status_code < 500, f"{method} {url} gave {response.status_code}"
        checked += 1
        login(world.outsider, world.home)  # some routes (logout) end the session
    assert checked > 10
    assert _fingerprint(world.victim.id) == before


def test_evaluator_reads_everything_and_writes_nothing(app, client, login, world):
    login(world.evaluator, world.victim)
    before = _fingerprint(world.victim.id)
    for rule, method in _routes(app):
        url = _url(rule, world)
        response = _request(client, method, url)
        view = app.view_functions[rule.endpoint]
        exempt = getattr(view, "access_personal", False) or getattr(view, "access_public", False)
        form_route = not rule.methods <= {"GET", "HEAD", "OPTIONS"}
        if method == "GET" and (exempt or not form_route):
            # 403 where a page is for some roles only (e.g. member administration); 204 from
            # the organisation check app.js makes before a plain form is sent.
            status = response.status_code
            assert status in (200, 204, 302, 403), f"GET {url}: {status}"
        elif not exempt:
            # Writes, and the edit forms they come from (nothing the evaluator could save).
            assert response.status_code == 403, f"{method} {url} gave {response.status_code}"
        login(world.evaluator, world.victim)
    assert _fingerprint(world.victim.id) == before


def test_anonymous_is_sent_to_login(app, client, world):
    for rule, method in _routes(app):
        if getattr(app.view_functions[rule.endpoint], "access_public", False):
            continue
        response = client.open(_url(rule, world), method=method, data=PAYLOAD)
        assert response.status_code == 302, f"{method} {rule.rule}"
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("huge", [2**31, 10**20])
def test_path_numbers_past_the_databases_range_are_404(app, client, login, world, huge):
    """Every number in every route's path, given one no INTEGER column can hold
    (PostgreSQL's range ends at 2^31 - 1, SQLite's at 2^63 - 1): 404 like a missing row,
    never 500, nothing written. Ids in query strings and forms are tested where they are
    read (board filters, rating cells, theory links, round invitations)."""
    login(world.evaluator, world.victim)
    before = _fingerprint(world.victim.id)
    checked = 0
    for rule, method in _routes(app):
        values = {arg: PARAMS[arg](world) for arg in rule.arguments}
        numbers = [arg for arg, value in values.items() if isinstance(value, int)]
        for arg in numbers:
            url = rule.build({**values, arg: huge})[1]
            response = _request(client, method, url)
            assert response.status_code == 404, f"{method} {url} gave {response.status_code}"
            checked += 1
    assert checked > 100
    assert _fingerprint(world.victim.id) == before
