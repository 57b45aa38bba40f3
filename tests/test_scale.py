from sqlalchemy import func, select

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
