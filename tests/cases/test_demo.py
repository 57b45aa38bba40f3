"""Demo cases: about 20 per demo intervention, plausible, deterministic and loaded once."""

import re

from sqlalchemy import func, select

from improvement import seeding
from improvement.cases.forms import CODE_PATTERN
from improvement.extensions import db
from improvement.models import Case, CaseFollowUp, CoreElementRating, Intervention


def _snapshot():
    cases = db.session.execute(
        select(Case.code, Case.start_date, Case.end_date, Case.goal_attainment).order_by(Case.code)
    ).all()
    ratings = db.session.scalar(select(func.count()).select_from(CoreElementRating))
    return cases, ratings


def test_demo_cases_are_plausible_and_loaded_once(app):
    seeding.load_reference()
    seeding.load_demo()
    interventions = db.session.scalar(select(func.count()).select_from(Intervention))
    cases, ratings = _snapshot()
    assert len(cases) == 20 * interventions
    for code, start, end, _goal in cases:
        assert CODE_PATTERN.fullmatch(code) and not re.search(r"[A-Z]{4}|\d{5}", code)
        assert end is None or end >= start
    assert any(goal for *_rest, goal in cases)  # some closed cases have an outcome
    assert any(end and goal is None for _c, _s, end, goal in cases)  # some closed without
    assert ratings > 300
    scores = set(db.session.scalars(select(CoreElementRating.score).distinct()))
    assert scores <= {1, 2, 3, 4, 5} and {1, 5} <= scores
    assert db.session.scalar(select(func.count()).select_from(CaseFollowUp)) > 0

    seeding.load_demo()  # again: nothing changes
    assert _snapshot() == (cases, ratings)
