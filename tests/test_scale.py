import re
from collections import Counter
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from improvement import scale
from improvement.extensions import db
from improvement.models import CoreElement, Intervention, Organization, TeamMember, User


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_small_size_is_deterministic_and_complete(app):
    counts = scale.generate("small", seed=7)
    assert counts["organisations"] == 3 and counts["interventions"] == 12
    assert _count(Organization) == 3
    assert _count(User) == 3 * 8
    assert _count(CoreElement) == 12 * 4
    # Every team member belongs to the intervention's own organisation.
    mismatched = db.session.scalar(
        select(func.count())
        .select_from(TeamMember)
        .join(Intervention, TeamMember.intervention_id == Intervention.id)
        .where(TeamMember.organization_id != Intervention.organization_id)
    )
    assert mismatched == 0
    first = list(db.session.scalars(select(Intervention.status).order_by(Intervention.id)))
    # Running again with the same names adds nothing.
    assert scale.generate("small", seed=7) == {"organisations": 0}
    assert list(db.session.scalars(select(Intervention.status).order_by(Intervention.id))) == first


def _fingerprint():
    """The generated rows as values (ids left out: PostgreSQL does not reuse them)."""
    from sqlalchemy.orm import aliased

    from improvement.models import AssessmentRound, Case, CoreElementRating, PdsaCycle

    previous = aliased(PdsaCycle)
    queries = [
        select(Case.code, Case.start_date, Case.end_date, Case.alliance, Case.updated_at),
        select(
            PdsaCycle.title, previous.title, PdsaCycle.created_at, PdsaCycle.updated_at
        ).outerjoin(previous, previous.id == PdsaCycle.previous_id),
        select(AssessmentRound.name, AssessmentRound.created_at, AssessmentRound.closed_at),
        select(CoreElementRating.score, CoreElementRating.rated_at, CoreElementRating.is_latest),
    ]
    return [
        db.session.execute(query.order_by(query.selected_columns[0].table.c.id)).all()
        for query in queries
    ]


def test_the_same_seed_gives_the_same_data(app):
    from improvement import seeding

    fingerprints = []
    for _run in range(2):
        seeding.load_reference()
        scale.generate("small", seed=5)
        fingerprints.append(_fingerprint())
        db.session.commit()
        # Empty the database (as the app fixture does after each test) for the next run.
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
    assert all(fingerprints[0]) and fingerprints[0] == fingerprints[1]


def test_orgs_override_scales_interventions(app):
    counts = scale.generate("national", seed=1, orgs=2)
    assert counts["organisations"] == 2
    assert counts["interventions"] == round(1000 * 2 / 98)


def test_health_is_public_and_trivial(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"


def test_small_size_generates_the_features_in_their_own_organisation(app):
    from improvement import seeding
    from improvement.models import (
        ActionItem,
        AssessmentAnswer,
        AssessmentRespondent,
        AssessmentRound,
        Case,
        CaseFollowUp,
        CoreElementRating,
        Meeting,
        PdsaCycle,
    )

    seeding.load_reference()
    counts = scale.generate("small", seed=7)
    assert counts["cases"] == 300 and _count(Case) == 300
    assert counts["PDSA cycles"] == 120 and _count(PdsaCycle) == 120
    assert counts["assessment rounds"] == 24 and _count(AssessmentRound) == 24
    assert _count(CoreElementRating) == counts["core-element ratings"] > 300 * 4
    assert _count(CaseFollowUp) == counts["follow-ups"] > 0
    assert _count(ActionItem) == counts["action items"] > 0
    assert _count(AssessmentAnswer) == counts["assessment answers"] > 0
    closed = db.session.scalar(select(func.count()).where(Case.end_date.is_not(None)))
    coded = db.session.scalar(select(func.count()).where(Case.goal_attainment.is_not(None)))
    assert 0.7 * 300 < closed < 300 and 0 < coded < closed
    # Every generated row belongs to its intervention's organisation.
    for model in (Case, PdsaCycle, Meeting, ActionItem, AssessmentRound):
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(model)
                .join(Intervention, model.intervention_id == Intervention.id)
                .where(model.organization_id != Intervention.organization_id)
            )
            == 0
        ), model
    for model, parent, key in (
        (CoreElementRating, Case, CoreElementRating.case_id),
        (CaseFollowUp, Case, CaseFollowUp.case_id),
        (AssessmentRespondent, AssessmentRound, AssessmentRespondent.round_id),
    ):
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(model)
                .join(parent, key == parent.id)
                .where(model.organization_id != parent.organization_id)
            )
            == 0
        ), model
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AssessmentAnswer)
            .join(AssessmentRespondent, AssessmentAnswer.respondent_id == AssessmentRespondent.id)
            .where(AssessmentAnswer.organization_id != AssessmentRespondent.organization_id)
        )
        == 0
    )
    scores = set(db.session.scalars(select(CoreElementRating.score).distinct()))
    assert scores <= {1, 2, 3, 4, 5}
    # The generator sets the latest flag itself; it must be the flag the rule sets.
    from improvement.models.cases import mark_latest

    def latest_ids():
        return set(
            db.session.scalars(select(CoreElementRating.id).where(CoreElementRating.is_latest))
        )

    generated = latest_ids()
    cells = db.session.execute(
        select(
            CoreElementRating.case_id, CoreElementRating.phase_id, CoreElementRating.core_element_id
        ).distinct()
    ).all()
    assert len(generated) == len(cells)
    mark_latest(db.session.connection())
    assert latest_ids() == generated


def test_organisation_export_with_more_rounds_than_letters(app):
    """At national size an organisation has dozens of closed rounds; the radar chart is
    anchored right of the last round's column, past column Z (this used to crash), and
    draws only the six most recently closed rounds, which can still be told apart."""
    from datetime import UTC, datetime, timedelta

    from openpyxl import load_workbook

    from improvement import seeding
    from improvement.exports.service import build_export, scope_for
    from improvement.models import AssessmentInstrument, AssessmentRound, Membership, User
    from tests.assessments.helpers import answer_all, gen_respondent

    seeding.load_reference()
    scale.generate("small", seed=3, orgs=1)
    org = db.session.scalars(select(Organization)).first()
    intervention = db.session.scalars(select(Intervention)).first()
    instrument = db.session.scalars(select(AssessmentInstrument)).first()
    members = db.session.scalars(
        select(User).join(Membership).where(Membership.organization_id == org.id).limit(2)
    ).all()
    for n in range(60):
        round_ = AssessmentRound(
            organization_id=org.id,
            intervention_id=intervention.id,
            instrument_id=instrument.id,
            name=f"Ekstra {n}",
            status="closed",
            # Later than every generated round, so the six last are the latest closed.
            closed_at=datetime(2027, 1, 1, tzinfo=UTC) + timedelta(days=n),
        )
        db.session.add(round_)
        db.session.flush()
        # Two respondents give the round a score to show (a round without one is left out).
        for user in members:
            answer_all(gen_respondent(round_, user), instrument, {1: "high"})
    db.session.commit()
    workbook = load_workbook(build_export(scope_for(org, "Test")))
    sheet = workbook["Selvevaluering pr. element"]
    assert sheet.max_column > 60
    (chart,) = sheet._charts
    # One empty column after the last round (0-based column index of the anchor).
    assert chart.anchor._from.col == sheet.max_column + 1
    charted = [
        sheet[series.tx.strRef.f.split("!")[1].replace("$", "")].value for series in chart.series
    ]
    assert [name.split(": ")[1] for name in charted] == [f"Ekstra {n}" for n in range(54, 60)]


# --- The small data set keeps the app's own rules (QA: a scaled data set could not be
# edited). Each test generates it once and checks one rule through the app's code.


class _FormFields(HTMLParser):
    """What a browser submits from the form whose action ends in `action_end`: text,
    date and hidden inputs, checked boxes, each select's selected option (else its first)
    and textareas."""

    def __init__(self, action_end: str):
        super().__init__()
        self.action_end = action_end
        self.inside = False
        self.data: list[tuple[str, str]] = []
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = (attrs.get("action") or "").endswith(self.action_end)
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button"):
                self.data.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self.select, self.options = name, []
        elif tag == "option" and self.select:
            self.options.append((attrs.get("value") or "", "selected" in attrs))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            chosen = [value for value, selected in self.options if selected] or [
                value for value, _selected in self.options[:1]
            ]
            self.data += [(self.select, value) for value in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea:
            # The HTML parser keeps the newline after <textarea>, which a browser drops.
            self.data.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.text += data


def _save_unchanged(client, page: str, org_id: int):
    """GET the edit page, submit its form as a browser would, unchanged."""
    parser = _FormFields(page)
    parser.feed(client.get(page).get_data(as_text=True))
    assert parser.data, page
    data = MultiDict(parser.data)
    data["_org"] = str(org_id)  # as app.js adds to a plain form
    return client.post(page, data=data)


@pytest.fixture
def small(app):
    from improvement import seeding

    seeding.load_reference()
    return scale.generate("small", seed=7)


def test_case_codes_follow_the_case_forms_rule(small):
    from improvement.cases.forms import case_code
    from improvement.models import Case

    rows = db.session.execute(select(Case.intervention_id, Case.code, Case.start_date)).all()
    assert len(rows) == 300
    for _intervention_id, code, start in rows:
        # The form's own validator (raises ValidationError on a code it refuses).
        case_code(None, SimpleNamespace(data=code))
        # Shaped like the demo's codes (SP-2025-014), with the year the case started.
        assert re.fullmatch(rf"[A-Z]{{2}}-{start.year}-\d{{3}}", code), code
    assert len({(i, code) for i, code, _start in rows}) == len(rows)


def test_the_outcome_is_coded_on_closed_cases_only(small, app):
    from improvement.cases.forms import CaseEditForm
    from improvement.models import Case
    from improvement.models.cases import case_problem_category

    with app.test_request_context():
        fields = [field.name for field in CaseEditForm(formdata=None).outcome_fields()]
    assert {"goal_attainment", "problem_categories", "alliance"} <= set(fields)
    is_open = Case.end_date.is_(None)
    for name in fields:
        if name == "problem_categories":
            coded = select(func.count()).select_from(
                case_problem_category.join(Case, Case.id == case_problem_category.c.case_id)
            )
        else:
            column = getattr(Case, name)
            coded = select(func.count()).where(column.is_not(None), column != "")
        assert db.session.scalar(coded.where(is_open)) == 0, name
        assert db.session.scalar(coded.where(~is_open)) > 0, name


def test_practitioners_raters_owners_and_respondents_are_on_the_team(small):
    from improvement.models import (
        ActionItem,
        AssessmentRespondent,
        AssessmentRound,
        Case,
        CoreElementRating,
        PdsaCycle,
    )

    def off_team(stmt, intervention_id, user_id):
        on_team = (
            select(TeamMember.id)
            .where(TeamMember.intervention_id == intervention_id, TeamMember.user_id == user_id)
            .exists()
        )
        return db.session.scalar(stmt.where(~on_team))

    count = select(func.count())
    assert db.session.scalar(count.where(Case.practitioner_id.is_(None))) == 0
    assert off_team(count.select_from(Case), Case.intervention_id, Case.practitioner_id) == 0
    # The responsible practitioner is one of the team's practitioners.
    practitioner = (
        select(TeamMember.id)
        .where(
            TeamMember.intervention_id == Case.intervention_id,
            TeamMember.user_id == Case.practitioner_id,
            TeamMember.professional_role == "practitioner",
        )
        .exists()
    )
    assert db.session.scalar(count.where(~practitioner)) == 0
    rated = count.select_from(CoreElementRating).join(Case, Case.id == CoreElementRating.case_id)
    assert off_team(rated, Case.intervention_id, CoreElementRating.rater_id) == 0
    for model in (PdsaCycle, ActionItem):
        assert off_team(count.select_from(model), model.intervention_id, model.owner_id) == 0
    invited = count.select_from(AssessmentRespondent).join(
        AssessmentRound, AssessmentRound.id == AssessmentRespondent.round_id
    )
    assert off_team(invited, AssessmentRound.intervention_id, AssessmentRespondent.user_id) == 0


def test_timestamps_are_in_time_order(small):
    from improvement.assessments.service import rounds_of
    from improvement.models import AssessmentRound, Case, PdsaCycle

    def naive(moment):
        return moment.replace(tzinfo=None) if moment else None

    for intervention_id in db.session.scalars(select(Intervention.id)):
        rounds = rounds_of(intervention_id)
        # The rounds list orders by creation: that is the rounds' own order (names, ids).
        assert [r.id for r in rounds] == sorted(r.id for r in rounds)
        assert [r.name for r in rounds] == [f"Runde {n}" for n in range(1, len(rounds) + 1)]
        for earlier, later in zip(rounds, rounds[1:], strict=False):
            assert naive(earlier.closed_at) <= naive(later.created_at)
        assert all(not r.is_open for r in rounds[:-1])
    for r in db.session.scalars(select(AssessmentRound)):
        assert naive(r.created_at) <= naive(r.closed_at or r.created_at)
        assert (r.closed_at is None) == r.is_open
    for c in db.session.scalars(select(PdsaCycle)):
        moments = [c.created_at, c.acted_at, c.closed_at]
        moments = [naive(m) for m in moments if m is not None]
        assert moments == sorted(moments), c.id
        assert naive(c.created_at) <= naive(c.phase_changed_at)
    for model in (AssessmentRound, PdsaCycle, Case):
        created = list(db.session.scalars(select(model.created_at).order_by(model.id)))
        assert created == sorted(created), model
    # Nothing is dated at the moment of generation, nor before its intervention started.
    starts = dict(db.session.execute(select(Intervention.id, Intervention.start_date)).all())
    for c in db.session.scalars(select(Case)):
        assert starts[c.intervention_id] <= c.start_date == c.created_at.date()


def test_some_tests_continue_an_earlier_one_as_the_app_continues_them(small, client, login):
    from improvement.models import PdsaCycle

    cycles = {c.id: c for c in db.session.scalars(select(PdsaCycle))}
    continued = [c for c in cycles.values() if c.previous_id is not None]
    # About a quarter (the share varies with the seed; the small set has 120 tests).
    assert 0.15 * len(cycles) <= len(continued) <= 0.4 * len(cycles)
    assert len({c.previous_id for c in continued}) == len(continued)  # each continued once
    for cycle in continued:
        previous = cycles[cycle.previous_id]
        assert previous.development_point_id == cycle.development_point_id
        # Only an adopted or adapted test continues (pdsa.views.cycle_next).
        assert previous.act_decision in ("adopt", "adapt")
        assert previous.closed_at.replace(tzinfo=None) < cycle.created_at.replace(tzinfo=None)
        assert previous.id < cycle.id
        assert re.search(r"\(\d+\)$", cycle.title), cycle.title
    # The app's "next test" on a continued test opens the generated one: it is the
    # continuation the app knows, not a second one.
    cycle = continued[0]
    previous = cycles[cycle.previous_id]
    owner = db.session.get(User, previous.owner_id)
    login(owner, db.session.get(Organization, previous.organization_id))
    response = client.post(
        f"/indsatser/{previous.intervention_id}/proevehandlinger/{previous.id}/naeste",
        data={"_org": str(previous.organization_id)},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/proevehandlinger/{cycle.id}/rediger")
    assert db.session.scalar(select(func.count()).select_from(PdsaCycle)) == len(cycles)


def test_closed_cases_are_coded_for_the_alliance(small):
    from improvement.cases import service
    from improvement.models import Case

    closed = Case.end_date.is_not(None)
    coded = db.session.scalar(select(func.count()).where(closed, Case.alliance != ""))
    assert coded > 0.5 * db.session.scalar(select(func.count()).where(closed))
    assert set(" ".join(db.session.scalars(select(Case.alliance).distinct())).split()) == {
        "negative",
        "positive",
        "doubt",
        "relationship",
    }
    # Seed 002's table 4 on the outcome page is no longer all zero.
    table = Counter()
    for intervention in db.session.scalars(select(Intervention)):
        table += service.outcome_counts(intervention)[2]
    assert {goal for _key, goal in table} == {"achieved", "progressing", "not_achieved"}


def test_generated_cases_and_tests_save_unchanged_through_their_forms(small, client, login):
    from improvement.models import Case, PdsaCycle

    closed = Case.end_date.is_not(None)
    picks = [
        # A closed case with every outcome field coded, and an open one.
        db.session.scalars(
            select(Case)
            .where(closed, Case.goal_attainment.is_not(None), Case.alliance != "")
            .order_by(Case.id)
        ).first(),
        db.session.scalars(select(Case).where(~closed).order_by(Case.id)).first(),
    ]
    for case in picks:
        before = {c.key: getattr(case, c.key) for c in Case.__table__.columns}
        categories = {c.id for c in case.problem_categories}
        user = db.session.get(User, case.practitioner_id)
        org = db.session.get(Organization, case.organization_id)
        login(user, org)
        page = f"/indsatser/{case.intervention_id}/forloeb/{case.id}/rediger"
        response = _save_unchanged(client, page, org.id)
        assert response.status_code == 302, response.get_data(as_text=True)
        case = db.session.get(Case, case.id)
        after = {name: getattr(case, name) for name in before}
        assert {k: v for k, v in after.items() if k not in ("version", "updated_at")} == {
            k: v for k, v in before.items() if k not in ("version", "updated_at")
        }
        assert {c.id for c in case.problem_categories} == categories
    # A continued test's worksheet saves unchanged too (phase rules, dates).
    cycle = db.session.scalars(
        select(PdsaCycle).where(PdsaCycle.previous_id.is_not(None)).order_by(PdsaCycle.id)
    ).first()
    org = db.session.get(Organization, cycle.organization_id)
    login(db.session.get(User, cycle.owner_id), org)
    page = f"/indsatser/{cycle.intervention_id}/proevehandlinger/{cycle.id}/rediger"
    response = _save_unchanged(client, page, org.id)
    assert response.status_code == 302, response.get_data(as_text=True)
