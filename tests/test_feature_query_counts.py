"""The feature pages issue as many SQL queries for a big intervention as for a small one.

The "small" synthetic data set spreads cases, PDSA cycles, meetings and assessment rounds
over its interventions by a Pareto weight, so one organisation holds both an intervention
with a handful of rows and one with many times more. Each page is rendered for both and
the statement counts must be equal; an N+1 query shows up as a difference.
"""

from datetime import date

import pytest
from sqlalchemy import func, select

from improvement import scale, seeding
from improvement.extensions import db
from improvement.models import (
    AssessmentRound,
    Case,
    CoreElement,
    CoreElementRating,
    Intervention,
    Membership,
    Organization,
    PdsaCycle,
    Phase,
    ProgressScore,
    User,
)
from tests.helpers import gen_intervention
from tests.querycount import count_queries

PAGES = {
    "board": "/indsatser/{i}/tavle",
    "self-assessment result": "/indsatser/{i}/selvevaluering/{round}",
    "quality heat map": "/indsatser/{i}/kvalitet",
    "quality heat map cell": "/indsatser/{i}/kvalitet/kerneelementer/{element}/faser/{phase}",
    "quality heat map, open cases": "/indsatser/{i}/kvalitet?aabne=1",
    "quality heat map cell, one year": (
        "/indsatser/{i}/kvalitet/kerneelementer/{element}/faser/{phase}?aar=2025"
    ),
    "case grid": "/indsatser/{i}/forloeb/{case}",
    "case list": "/indsatser/{i}/forloeb",
    # The big intervention's second page against the small one's only page (past the end).
    "case list, page 2": "/indsatser/{i}/forloeb?side=2",
    "case list, mine": "/indsatser/{i}/forloeb?mine=1",
    "case list, searched and filtered": "/indsatser/{i}/forloeb?soeg=0&status=aabne",
    "quality pattern": "/indsatser/{i}/kvalitet/moenster",
    "outcome tables": "/indsatser/{i}/resultater",
    "overview": "/indsatser/{i}",
    "export": "/indsatser/{i}/eksport.xlsx",
}


def _first(model, intervention_id, *where, order=None):
    return db.session.scalar(
        select(model.id)
        .where(model.intervention_id == intervention_id, *where)
        .order_by(*(order if order is not None else [model.id]))
    )


def _objects(intervention_id: int, biggest: bool) -> dict:
    """The round and case to show: on the big side the closed case with most ratings."""
    ratings = (
        select(func.count())
        .where(CoreElementRating.case_id == Case.id)
        .correlate(Case)
        .scalar_subquery()
    )
    return {
        "i": intervention_id,
        "element": _first(CoreElement, intervention_id),
        "phase": _first(Phase, intervention_id),
        "round": _first(AssessmentRound, intervention_id, AssessmentRound.status == "closed"),
        "case": _first(
            Case,
            intervention_id,
            Case.end_date.is_not(None),
            order=[ratings.desc() if biggest else ratings, Case.id],
        ),
    }


@pytest.fixture
def world(app):
    seeding.load_reference()
    scale.generate("small", seed=11)
    per_intervention = dict(
        db.session.execute(
            select(Case.intervention_id, func.count()).group_by(Case.intervention_id)
        ).all()
    )
    # Interventions of one organisation with a closed round, a closed case and a cycle.
    usable = []
    for intervention in db.session.scalars(select(Intervention).order_by(Intervention.id)):
        if all(
            (
                _first(AssessmentRound, intervention.id, AssessmentRound.status == "closed"),
                _first(Case, intervention.id, Case.end_date.is_not(None)),
                _first(PdsaCycle, intervention.id),
            )
        ):
            usable.append(intervention)
    by_org: dict[int, list[Intervention]] = {}
    for intervention in usable:
        by_org.setdefault(intervention.organization_id, []).append(intervention)
    org_id, candidates = max(by_org.items(), key=lambda item: len(item[1]))
    assert len(candidates) >= 2, "the small data set needs two comparable interventions"
    candidates.sort(key=lambda i: per_intervention.get(i.id, 0))
    small, big = candidates[0], candidates[-1]
    assert per_intervention[big.id] >= 3 * per_intervention[small.id]
    admin = db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organization_id == org_id, Membership.role == "admin")
    )
    return {
        "org": db.session.get(Organization, org_id),
        "user": admin,
        "small": _objects(small.id, biggest=False),
        "big": _objects(big.id, biggest=True),
    }


def _count(client, url):
    client.get(url)  # warm caches (e.g. reference rows loaded once per process)
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


@pytest.mark.parametrize("page", list(PAGES))
def test_feature_page_queries_do_not_grow_with_data(client, login, world, page):
    login(world["user"], world["org"])
    small = _count(client, PAGES[page].format(**world["small"]))
    big = _count(client, PAGES[page].format(**world["big"]))
    assert big == small, f"{page}: {small} queries on the small intervention, {big} on the big"


def test_organisation_progress_queries_do_not_grow(client, login, world):
    login(world["user"], world["org"])
    before = _count(client, "/fremdrift")
    org = world["org"]
    for n in range(6):
        intervention = gen_intervention(org)
        for month in range(1, 4):
            db.session.add(
                ProgressScore(
                    organization_id=org.id,
                    intervention_id=intervention.id,
                    score_tenths=10 + 5 * n % 30,
                    assessed_on=date(2026, month, 1),
                )
            )
    db.session.commit()
    assert _count(client, "/fremdrift") == before
