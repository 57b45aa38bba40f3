"""Queries and small services for cases: every page issues a fixed number of queries."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import yaml
from sqlalchemy import Integer, cast, extract, func, select
from sqlalchemy.orm import joinedload, selectinload

from ..analysis.followup import FollowUpStatus, followup_status, share_on_time
from ..extensions import db
from ..models import (
    Case,
    CaseFollowUp,
    CoreElement,
    CoreElementRating,
    Intervention,
    Phase,
    ProblemCategory,
    TeamMember,
    User,
)
from ..models.cases import case_problem_category
from ..seeding import SEEDS


@dataclass(frozen=True)
class ScaleStep:
    value: int
    label: str
    description: str


@cache
def rating_scale() -> tuple[ScaleStep, ...]:
    """The 1-5 scale with its labels (seeds/rating_scale.yaml: the scale is data)."""
    with (SEEDS / "rating_scale.yaml").open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return tuple(ScaleStep(s["value"], s["label"], s.get("description", "")) for s in data["scale"])


def scale_values() -> tuple[int, ...]:
    return tuple(step.value for step in rating_scale())


def phases_of(intervention: Intervention) -> list[Phase]:
    stmt = (
        select(Phase)
        .where(Phase.intervention_id == intervention.id)
        .order_by(Phase.position, Phase.id)
    )
    return list(db.session.scalars(stmt))


def core_elements_of(intervention: Intervention) -> list[CoreElement]:
    stmt = (
        select(CoreElement)
        .where(CoreElement.intervention_id == intervention.id)
        .order_by(CoreElement.position, CoreElement.id)
    )
    return list(db.session.scalars(stmt))


def team_users(intervention: Intervention) -> list[User]:
    stmt = (
        select(User)
        .join(TeamMember, TeamMember.user_id == User.id)
        .where(TeamMember.intervention_id == intervention.id)
        .order_by(User.name)
    )
    return list(db.session.scalars(stmt))


def categories_of(organization_id: int, include_archived: bool = False) -> list[ProblemCategory]:
    stmt = (
        select(ProblemCategory)
        .where(ProblemCategory.organization_id == organization_id)
        .order_by(ProblemCategory.position, ProblemCategory.id)
    )
    if not include_archived:
        stmt = stmt.where(ProblemCategory.archived.is_(False))
    return list(db.session.scalars(stmt))


def ensure_categories(organization_id: int) -> None:
    """Give an organisation seed 002's six problem categories, once; then they are its own."""
    exists = db.session.scalar(
        select(ProblemCategory.id).where(ProblemCategory.organization_id == organization_id)
    )
    if exists:
        return
    with (SEEDS / "problem_categories.yaml").open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    for position, item in enumerate(data["categories"]):
        db.session.add(
            ProblemCategory(
                organization_id=organization_id,
                key=item["key"],
                name=item["name"],
                description=item.get("description", ""),
                position=position,
            )
        )
    db.session.flush()


def cases_of(intervention: Intervention) -> list[Case]:
    stmt = (
        select(Case)
        .where(Case.intervention_id == intervention.id)
        .options(
            joinedload(Case.practitioner),
            joinedload(Case.phase),
            selectinload(Case.followups),
            selectinload(Case.problem_categories),
        )
        .order_by(Case.end_date.is_not(None), Case.code)
    )
    return list(db.session.scalars(stmt).unique())


def ratings_of_intervention(intervention: Intervention) -> list[CoreElementRating]:
    stmt = (
        select(CoreElementRating)
        .join(Case, Case.id == CoreElementRating.case_id)
        .where(Case.intervention_id == intervention.id)
        .order_by(CoreElementRating.id)
    )
    return list(db.session.scalars(stmt))


def _latest_cells(intervention: Intervention):
    """The latest rating of every (case, phase, core element) cell, as a subquery.

    Same rule as improvement.analysis.ratings.latest_ratings (latest rated_at, then the
    later row), picked in SQL so pages aggregate one row per cell instead of loading
    every revision into Python.
    """
    rank = (
        func.row_number()
        .over(
            partition_by=(
                CoreElementRating.case_id,
                CoreElementRating.phase_id,
                CoreElementRating.core_element_id,
            ),
            order_by=(CoreElementRating.rated_at.desc(), CoreElementRating.id.desc()),
        )
        .label("rank")
    )
    ranked = (
        select(
            CoreElementRating.id,
            CoreElementRating.case_id,
            CoreElementRating.phase_id,
            CoreElementRating.core_element_id,
            CoreElementRating.score,
            CoreElementRating.comment,
            CoreElementRating.rated_at,
            CoreElementRating.rater_id,
            rank,
        )
        .join(Case, Case.id == CoreElementRating.case_id)
        # The organisation filter lets PostgreSQL read the organisation's ratings by
        # index instead of scanning every organisation's (200 ms -> 40 ms nationally).
        .where(
            Case.intervention_id == intervention.id,
            CoreElementRating.organization_id == intervention.organization_id,
        )
        .subquery()
    )
    return select(ranked).where(ranked.c.rank == 1).subquery()


def latest_cell_counts(intervention: Intervention) -> Counter:
    """improvement.analysis.ratings.cell_counts of the intervention, counted in SQL.

    One row per (core element, phase, score, quarter) comes back, a few hundred at most
    however many cases there are; the heat map, distribution and trend are sums of them.
    """
    cells = _latest_cells(intervention)
    year = cast(extract("year", cells.c.rated_at), Integer)
    month = cast(extract("month", cells.c.rated_at), Integer)
    # Same numbering as analysis.ratings.quarter_index.
    quarter = year * 4 + (month - 1) // 3
    keys = (cells.c.core_element_id, cells.c.phase_id, cells.c.score, quarter)
    stmt = select(*keys, func.count()).group_by(*keys)
    return Counter({(e, p, s, q): n for e, p, s, q, n in db.session.execute(stmt)})


def low_cells(intervention: Intervention, threshold: int) -> list:
    """Cells whose latest rating is at or below ``threshold``, with their case's code and
    end date: the list for the reflection meeting."""
    cells = _latest_cells(intervention)
    stmt = (
        select(
            cells.c.case_id,
            Case.code.label("case_code"),
            Case.end_date.label("case_end_date"),
            cells.c.phase_id,
            cells.c.core_element_id,
            cells.c.score,
            cells.c.comment,
            cells.c.rated_at,
        )
        .join(Case, Case.id == cells.c.case_id)
        .where(cells.c.score <= threshold)
    )
    return db.session.execute(stmt).all()


def outcome_rows(intervention: Intervention) -> tuple[list, dict[int, set[int]]]:
    """The intervention's cases as plain rows for the outcome tables, and the problem
    category ids per case: two queries, no ORM objects (the tables need only codes)."""
    cases = db.session.execute(
        select(
            Case.id,
            Case.end_date,
            Case.goal_attainment,
            Case.problem_grade,
            Case.reflected_adjustment,
        ).where(Case.intervention_id == intervention.id)
    ).all()
    links: dict[int, set[int]] = {}
    for case_id, category_id in db.session.execute(
        select(case_problem_category.c.case_id, case_problem_category.c.problem_category_id)
        .join(Case, Case.id == case_problem_category.c.case_id)
        .where(Case.intervention_id == intervention.id)
    ):
        links.setdefault(case_id, set()).add(category_id)
    return cases, links


def cases_by_id(intervention: Intervention, ids) -> dict[int, Case]:
    """The intervention's cases with these ids (one query, even for none, no eager loads)."""
    stmt = select(Case).where(Case.intervention_id == intervention.id, Case.id.in_(set(ids)))
    return {case.id: case for case in db.session.scalars(stmt)}


def ratings_of_case(case: Case) -> list[CoreElementRating]:
    stmt = (
        select(CoreElementRating)
        .where(CoreElementRating.case_id == case.id)
        .options(joinedload(CoreElementRating.rater))
        .order_by(CoreElementRating.id)
    )
    return list(db.session.scalars(stmt))


def latest_by_cell(ratings: list[CoreElementRating]) -> dict[tuple[int, int], CoreElementRating]:
    """(phase id, core element id) -> the cell's latest rating (rows come ordered by id)."""
    latest: dict[tuple[int, int], CoreElementRating] = {}
    for rating in ratings:
        latest[(rating.phase_id, rating.core_element_id)] = rating
    return latest


def latest_rating_rows(intervention: Intervention) -> list:
    """Each cell's latest rating as a row for improvement.analysis.ratings, in the order
    they were saved: one row per cell instead of every revision."""
    cells = _latest_cells(intervention)
    stmt = select(
        cells.c.case_id,
        cells.c.phase_id.label("phase"),
        cells.c.core_element_id.label("core_element"),
        cells.c.score,
        cells.c.rated_at,
        cells.c.rater_id,
    ).order_by(cells.c.id)
    return db.session.execute(stmt).mappings().all()


def _held(case: Case, today: date) -> list[date]:
    end = min(today, case.end_date) if case.end_date else today
    return [f.held_on for f in case.followups if case.start_date <= f.held_on <= end]


def followup_of(case: Case, today: date) -> FollowUpStatus:
    return followup_status(
        case.start_date,
        _held(case, today),
        today,
        case.followup_cadence_months,
        case.end_date if case.end_date and case.end_date >= case.start_date else None,
    )


def followup_key_figure(cases: list[Case], today: date):
    return share_on_time(
        [
            {
                "start": c.start_date,
                "followups": _held(c, today),
                "cadence_months": c.followup_cadence_months,
                "closed_on": c.end_date if c.end_date and c.end_date >= c.start_date else None,
            }
            for c in cases
        ],
        today,
    )


@dataclass(frozen=True)
class CaseFigures:
    """The case key figures shown on the intervention's overview."""

    open_count: int
    overdue_count: int
    timeliness: object  # analysis.followup.Timeliness


@dataclass
class _CaseDates:
    """What the follow-up figures read of a case, without loading the ORM object."""

    start_date: date
    end_date: date | None
    followup_cadence_months: int | None
    followups: list = field(default_factory=list)


@dataclass(frozen=True)
class _Held:
    held_on: date


def _case_dates(intervention: Intervention) -> list[_CaseDates]:
    """The intervention's cases' dates and follow-ups: two queries of plain columns."""
    cases = {
        row.id: _CaseDates(row.start_date, row.end_date, row.followup_cadence_months)
        for row in db.session.execute(
            select(Case.id, Case.start_date, Case.end_date, Case.followup_cadence_months).where(
                Case.intervention_id == intervention.id
            )
        )
    }
    for case_id, held_on in db.session.execute(
        select(CaseFollowUp.case_id, CaseFollowUp.held_on)
        .join(Case, Case.id == CaseFollowUp.case_id)
        .where(Case.intervention_id == intervention.id)
        .order_by(CaseFollowUp.held_on)
    ):
        cases[case_id].followups.append(_Held(held_on))
    return list(cases.values())


def case_figures(intervention: Intervention, today: date) -> CaseFigures:
    cases = _case_dates(intervention)
    return CaseFigures(
        open_count=sum(1 for c in cases if c.end_date is None),
        overdue_count=sum(1 for c in cases if followup_of(c, today).overdue),
        timeliness=followup_key_figure(cases, today),
    )
