"""Queries and small services for cases: every page issues a fixed number of queries."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import yaml
from flask_babel import to_user_timezone
from sqlalchemy import Integer, cast, extract, func, literal, or_, select
from sqlalchemy import case as when
from sqlalchemy.orm import aliased, joinedload

from ..analysis.followup import FollowUpStatus, Timeliness, followup_status, followup_walk
from ..analysis.ratings import RaterSums
from ..clock import local_moment
from ..extensions import db
from ..interventions.team import team_of
from ..models import (
    ALLIANCE_DIMENSIONS,
    AuditEvent,
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


# The professional role on the team of those who can be a case's authority caseworker.
CASEWORKER_ROLE = "authority_caseworker"
# The caseworker's user row beside the practitioner's in one query. Made once: an alias
# made per call is a new statement to SQLAlchemy's compiled cache, compiled every time.
CASEWORKER = aliased(User, name="caseworker")


def team_users(intervention: Intervention) -> list[User]:
    """The team in the order every list of it has (Danish alphabetical: team_of)."""
    return [member.user for member in team_of(intervention)]


def team_and_caseworkers(intervention: Intervention) -> tuple[list[User], list[User]]:
    """The team, and those of it who are authority caseworkers, each in the team's order
    (team_of): the case form's two selects from one query."""
    members = team_of(intervention)
    return (
        [member.user for member in members],
        [member.user for member in members if member.professional_role == CASEWORKER_ROLE],
    )


def is_team_member(intervention: Intervention, user_id: int | None) -> bool:
    """Whether the user is on the intervention's team: only they rate its cases."""
    return user_id is not None and (
        db.session.scalar(
            select(TeamMember.id).where(
                TeamMember.intervention_id == intervention.id, TeamMember.user_id == user_id
            )
        )
        is not None
    )


def raters_of(intervention: Intervention) -> list[tuple[User, bool]]:
    """The team's members and everyone else who has rated a case of the intervention (who
    has left the team since, or rated before only the team could), each by name, with
    whether they are on the team: the team first. Two queries."""
    team = team_users(intervention)
    on_team = {u.id for u in team}
    others = db.session.scalars(
        select(User)
        .where(
            User.id.in_(
                select(CoreElementRating.rater_id)
                .join(Case, Case.id == CoreElementRating.case_id)
                .where(
                    Case.intervention_id == intervention.id,
                    CoreElementRating.organization_id == intervention.organization_id,
                )
            ),
            User.id.not_in(on_team),
        )
        .order_by(User.name)
    )
    return [(u, True) for u in team] + [(u, False) for u in others]


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


# The case list's order: open cases first, then by code. A code is unique within an
# intervention, so the order is total and pages never overlap or skip a case.
LIST_ORDER = (Case.end_date.is_not(None), Case.code)


@dataclass(slots=True)
class CaseLine:
    """A case as the key figures and the overdue list read it: plain columns, no ORM object."""

    id: int
    code: str
    practitioner_id: int | None
    practitioner_name: str | None
    start_date: date
    end_date: date | None
    followup_cadence_months: int | None
    caseworker_id: int | None = None
    caseworker_name: str | None = None
    phase_id: int | None = None
    phase_name: str | None = None
    phase_position: int | None = None
    goal_attainment: str | None = None
    problem_grade: str | None = None
    reflected_adjustment: str | None = None
    followups: list[date] = field(default_factory=list)

    @property
    def outcome_coded(self) -> bool:
        """Whether the codes the results' tables place a closed case by are all set."""
        return None not in (self.goal_attainment, self.problem_grade, self.reflected_adjustment)


def case_lines(intervention: Intervention) -> list[CaseLine]:
    """Every case of the intervention in list order, with its follow-up days: two queries.

    Both run on the session's connection and are fetched whole: the ORM's result handling,
    or fetching row by row, cost as much as the queries themselves for a few thousand rows.
    The connection does not autoflush as the session does, hence the flush: a case added
    but not yet flushed is read too.
    """
    db.session.flush()
    connection = db.session.connection()
    lines = {
        row[0]: CaseLine(*row)
        for row in connection.execute(
            select(
                Case.id,
                Case.code,
                Case.practitioner_id,
                User.name,
                Case.start_date,
                Case.end_date,
                Case.followup_cadence_months,
                Case.caseworker_id,
                CASEWORKER.name,
                Case.phase_id,
                Phase.name,
                Phase.position,
                Case.goal_attainment,
                Case.problem_grade,
                Case.reflected_adjustment,
            )
            .join(User, User.id == Case.practitioner_id, isouter=True)
            .join(CASEWORKER, CASEWORKER.id == Case.caseworker_id, isouter=True)
            .join(Phase, Phase.id == Case.phase_id, isouter=True)
            .where(Case.intervention_id == intervention.id)
            .order_by(*LIST_ORDER)
        ).all()
    }
    for case_id, held_on in connection.execute(
        select(CaseFollowUp.case_id, CaseFollowUp.held_on)
        .join(Case, Case.id == CaseFollowUp.case_id)
        # The organisation filter lets PostgreSQL read the organisation's follow-ups by
        # index instead of scanning every organisation's (150,000 rows nationally).
        .where(
            Case.intervention_id == intervention.id,
            CaseFollowUp.organization_id == intervention.organization_id,
        )
    ).all():
        # A case created since the first query is not in the list; its days are not needed.
        if line := lines.get(case_id):
            line.followups.append(held_on)
    return list(lines.values())


def caseworker_saves(intervention: Intervention) -> list[tuple[int, int | None, int | None]]:
    """Every save that set the caseworker of one of the intervention's cases, oldest first,
    as (case id, old caseworker id, new caseworker id) from the audit trail: one query,
    however many cases (improvement.analysis.caseworkers counts the changes).

    A case's creation is among them: it names the first caseworker, who replaces no one,
    but is the one a later save replaces should that save's "old" be missing (the trail
    records None for a value set without being read first, as a script may do).
    The trail's ``changes`` is JSON; a path into it (``#>>`` on PostgreSQL,
    ``JSON_EXTRACT`` on SQLite) is NULL where a save did not touch the caseworker, and
    for "not chosen": a save that did has one of the two set.
    """
    pair = AuditEvent.changes
    old = pair[("caseworker_id", 0)].as_integer()
    new = pair[("caseworker_id", 1)].as_integer()
    stmt = select(AuditEvent.id, AuditEvent.object_id, old, new).where(
        # By the object index (migration 0017), not every event the organisation wrote.
        AuditEvent.organization_id == intervention.organization_id,
        AuditEvent.object_type == "Case",
        AuditEvent.action.in_(("insert", "update")),
        AuditEvent.object_id.in_(select(Case.id).where(Case.intervention_id == intervention.id)),
        or_(old.is_not(None), new.is_not(None)),
    )
    # Put in order here: asked of the database, the order made SQLite (which knows nothing
    # of the data) read the organisation's whole trail in id order instead of the index.
    rows = sorted(db.session.execute(stmt).all())
    return [(case_id, before, after) for _id, case_id, before, after in rows]


def cases_by_id(intervention: Intervention, ids: list[int]) -> list[Case]:
    """The cases of one page of the list, in the order of `ids`, with what their rows show
    (one query). The list's filters and order are applied to its lines (`case_lines`);
    only the page's fifty cases are loaded as objects."""
    stmt = (
        select(Case)
        .where(Case.intervention_id == intervention.id, Case.id.in_(ids))
        .options(joinedload(Case.practitioner), joinedload(Case.phase))
    )
    by_id = {case.id: case for case in db.session.scalars(stmt)}
    return [by_id[case_id] for case_id in ids if case_id in by_id]


def ratings_of_intervention(intervention: Intervention) -> list[CoreElementRating]:
    stmt = (
        select(CoreElementRating)
        .join(Case, Case.id == CoreElementRating.case_id)
        .where(Case.intervention_id == intervention.id)
        .order_by(CoreElementRating.id)
    )
    return list(db.session.scalars(stmt))


def latest_of(intervention: Intervention):
    """The latest rating of every (case, phase, core element) cell of the intervention,
    joined to its case (callers pick the columns): one row per cell, read by the partial
    index on ``is_latest``. The same rule as improvement.analysis.ratings.latest_ratings."""
    return (
        select(
            CoreElementRating.id,
            CoreElementRating.case_id,
            CoreElementRating.phase_id,
            CoreElementRating.core_element_id,
            CoreElementRating.score,
            CoreElementRating.rated_at,
        )
        .join(Case, Case.id == CoreElementRating.case_id)
        .where(Case.intervention_id == intervention.id, CoreElementRating.is_latest)
    )


def latest_cell_rows(intervention: Intervention) -> list:
    """The intervention's latest ratings counted in SQL: one row per (core element, phase,
    score, quarter, case closed) with its number of cells, a few hundred at most however
    many cases there are. The heat map, distribution and trend are sums of them
    (improvement.analysis.ratings.cells_within)."""
    # The quarter on the Danish calendar: a rating just after midnight on 1 October is in
    # the fourth quarter, as the pages show its date.
    rated_at = local_moment(CoreElementRating.rated_at)
    year = cast(extract("year", rated_at), Integer)
    month = cast(extract("month", rated_at), Integer)
    # Same numbering as analysis.ratings.quarter_index.
    quarter = year * 4 + (month - 1) // 3
    keys = (
        CoreElementRating.core_element_id,
        CoreElementRating.phase_id,
        CoreElementRating.score,
        quarter,
        Case.end_date.is_not(None),
    )
    stmt = latest_of(intervention).with_only_columns(*keys, func.count()).group_by(*keys)
    return db.session.execute(stmt).all()


# A cell in a list (the low ratings, a heat map cell's cases): its case's code and end date
# (for the "closed" mark) and its latest rating, read by name.
LISTED_CELL = (
    CoreElementRating.case_id,
    Case.code.label("case_code"),
    Case.end_date.label("case_end_date"),
    CoreElementRating.score,
    CoreElementRating.comment,
    CoreElementRating.rated_at,
)


def _in_cell(element_id: int, phase_id: int) -> tuple:
    """The conditions of one heat map cell: a core element in a phase."""
    return (
        CoreElementRating.core_element_id == element_id,
        CoreElementRating.phase_id == phase_id,
    )


def low_cells(
    intervention: Intervention, threshold: int, include_closed: bool, offset: int, limit: int
) -> list:
    """One page of the cells whose latest rating is at or below ``threshold``, with their
    case's code and end date: the list for the reflection meeting, by case and then in the
    course's order of phases and core elements. Their number is known from
    `latest_cell_rows`; a large intervention has thousands."""
    stmt = (
        latest_of(intervention)
        .with_only_columns(
            *LISTED_CELL, CoreElementRating.phase_id, CoreElementRating.core_element_id
        )
        .join(Phase, Phase.id == CoreElementRating.phase_id)
        .join(CoreElement, CoreElement.id == CoreElementRating.core_element_id)
        .where(CoreElementRating.score <= threshold)
        .order_by(Case.code, Phase.position, Phase.id, CoreElement.position, CoreElement.id)
        .offset(offset)
        .limit(limit)
    )
    if not include_closed:
        stmt = stmt.where(Case.end_date.is_(None))
    return db.session.execute(stmt).all()


def cell_score_counts(
    intervention: Intervention, element_id: int, phase_id: int, where=()
) -> Counter:
    """Cases per latest rating in one cell of the heat map (a core element in a phase),
    of the cases the conditions `where` keep (the page's filter): the cell's mean and n,
    as the heat map counts them, and the size of its list."""
    stmt = (
        latest_of(intervention)
        .with_only_columns(CoreElementRating.score, func.count())
        .where(*_in_cell(element_id, phase_id), *where)
        .group_by(CoreElementRating.score)
    )
    return Counter(dict(db.session.execute(stmt).all()))


def cell_cases(
    intervention: Intervention, element_id: int, phase_id: int, offset: int, limit: int, where=()
) -> list:
    """One page of the cases behind a heat map cell that the conditions `where` keep, with
    the cell's latest rating: the lowest first (what the reflection meeting takes up), then
    by code."""
    stmt = (
        latest_of(intervention)
        .with_only_columns(*LISTED_CELL)
        .where(*_in_cell(element_id, phase_id), *where)
        .order_by(CoreElementRating.score, Case.code)
        .offset(offset)
        .limit(limit)
    )
    return db.session.execute(stmt).all()


def outcome_counts(
    intervention: Intervention, year: int | None = None
) -> tuple[list, list, Counter]:
    """The intervention's cases counted in SQL for the outcome tables.

    First, one mapping per way a case can be coded (open or not, goal attainment, problem
    grade, reflected adjustment) with its number of cases in "count": the rows the
    analysis takes as groups of cases. Second, (goal attainment, problem category id,
    cases) for the closed cases, for the problem categories. Third, (alliance dimension,
    goal attainment) → closed cases, for table 4. A few dozen rows whatever the number of
    cases.
    With `year`, only the cases closed that year are among the closed (seed 002 reports
    2018 and 2019 apart); the open ones are counted all the same.
    """
    is_open = Case.end_date.is_(None)
    closed = Case.end_date.is_not(None)
    if year is not None:
        closed = Case.end_date.between(date(year, 1, 1), date(year, 12, 31))
    codings = (Case.goal_attainment, Case.problem_grade, Case.reflected_adjustment)
    groups = db.session.execute(
        select(is_open.label("open"), *codings, func.count().label("count"))
        .where(Case.intervention_id == intervention.id, or_(is_open, closed))
        .group_by(is_open, *codings)
    ).all()
    category_counts = db.session.execute(
        select(Case.goal_attainment, case_problem_category.c.problem_category_id, func.count())
        # From the intervention's cases to their links by the links' primary key (a
        # few milliseconds); the caller keeps only the organisation's own categories.
        .join(Case, Case.id == case_problem_category.c.case_id)
        .where(Case.intervention_id == intervention.id, closed)
        .group_by(Case.goal_attainment, case_problem_category.c.problem_category_id)
    ).all()
    # Table 4's alliance dimensions: per goal attainment, the closed cases coded with each
    # (keys are stored space-separated in one column). One row per goal attainment.
    padded = literal(" ") + Case.alliance + literal(" ")
    alliance_counts = db.session.execute(
        select(
            Case.goal_attainment,
            *(
                func.sum(when((padded.like(f"% {key} %"), 1), else_=0))
                for key in ALLIANCE_DIMENSIONS
            ),
        )
        .where(Case.intervention_id == intervention.id, closed)
        .group_by(Case.goal_attainment)
    ).all()
    alliance = Counter()
    for goal, *per_key in alliance_counts:
        for key, n in zip(ALLIANCE_DIMENSIONS, per_key, strict=True):
            if goal is not None and n:
                alliance[key, goal] += n
    # Mappings: a Row's "count" attribute would be the tuple method of that name.
    return [row._mapping for row in groups], category_counts, alliance


def closing_years(intervention: Intervention) -> list[int]:
    """The years the intervention's cases were closed in, newest first."""
    year = cast(extract("year", Case.end_date), Integer)
    stmt = (
        select(year)
        .where(Case.intervention_id == intervention.id, Case.end_date.is_not(None))
        .group_by(year)
        .order_by(year.desc())
    )
    return list(db.session.scalars(stmt))


def first_rating_day(case: Case) -> date | None:
    """The calendar day (the user's time zone) of the case's earliest rating, if any."""
    first = db.session.scalar(
        select(func.min(CoreElementRating.rated_at)).where(CoreElementRating.case_id == case.id)
    )
    return to_user_timezone(first).date() if first else None


def ratings_of_case(case: Case) -> list[CoreElementRating]:
    stmt = (
        select(CoreElementRating)
        .where(CoreElementRating.case_id == case.id)
        .options(joinedload(CoreElementRating.rater))
        .order_by(CoreElementRating.id)
    )
    return list(db.session.scalars(stmt))


def latest_by_cell(ratings: list[CoreElementRating]) -> dict[tuple[int, int], CoreElementRating]:
    """(phase id, core element id) -> the cell's latest rating, as the stored flag says."""
    return {(r.phase_id, r.core_element_id): r for r in ratings if r.is_latest}


def rater_sums(intervention: Intervention, rater_id: int) -> list[RaterSums]:
    """improvement.analysis.ratings.rater_sums of the intervention, summed in SQL: one row
    per core element, however many cases there are."""
    cells = (
        latest_of(intervention)
        .with_only_columns(
            CoreElementRating.core_element_id, CoreElementRating.score, CoreElementRating.rater_id
        )
        .subquery()
    )
    own = cells.c.rater_id == rater_id
    stmt = (
        select(
            cells.c.core_element_id,
            func.sum(cells.c.score),
            func.count(),
            func.coalesce(func.sum(when((own, cells.c.score), else_=0)), 0),
            func.coalesce(func.sum(when((own, 1), else_=0)), 0),
        )
        .group_by(cells.c.core_element_id)
        .order_by(cells.c.core_element_id)
    )
    return [RaterSums(*(int(v) for v in row)) for row in db.session.execute(stmt)]


def _followup_inputs(
    start: date, end: date | None, days: list[date], today: date
) -> tuple[list[date], date | None]:
    """The follow-up days the § 70 rules count (sorted, each day once), and the closing
    day they accept."""
    last = min(today, end) if end else today
    held = sorted({day for day in days if start <= day <= last})
    return held, end if end and end >= start else None


def followup_of(case: Case, today: date) -> FollowUpStatus:
    held, closed_on = _followup_inputs(
        case.start_date, case.end_date, [f.held_on for f in case.followups], today
    )
    return followup_status(case.start_date, held, today, case.followup_cadence_months, closed_on)


@dataclass(frozen=True)
class CaseFigures:
    """Key figures over a set of cases, and each case's follow-up status."""

    total: int
    open_count: int
    timeliness: Timeliness
    statuses: dict[int, FollowUpStatus]
    overdue: list[CaseLine]  # the most days overdue first

    @property
    def closed_count(self) -> int:
        return self.total - self.open_count

    @property
    def overdue_count(self) -> int:
        return len(self.overdue)


def case_figures(lines: list[CaseLine], today: date) -> CaseFigures:
    """One pass over the cases: status and timeliness of each, summed (no queries)."""
    statuses: dict[int, FollowUpStatus] = {}
    on_time = late = missed = 0
    for line in lines:
        held, closed_on = _followup_inputs(line.start_date, line.end_date, line.followups, today)
        status, *counts = followup_walk(
            line.start_date, held, today, line.followup_cadence_months, closed_on
        )
        statuses[line.id] = status
        on_time, late, missed = on_time + counts[0], late + counts[1], missed + counts[2]
    overdue = sorted(
        (line for line in lines if statuses[line.id].overdue),
        key=lambda line: -statuses[line.id].days_overdue,
    )
    return CaseFigures(
        total=len(lines),
        open_count=sum(1 for line in lines if line.end_date is None),
        timeliness=Timeliness(on_time, late, missed, len(lines), len(overdue)),
        statuses=statuses,
        overdue=overdue,
    )
