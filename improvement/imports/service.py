"""Database side of the import: what rows may refer to, and writing the checked rows.

Each function issues a fixed number of queries however many rows the file has.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import Row, select
from sqlalchemy.orm import selectinload

from .. import clock
from ..cases import service as cases_service
from ..clock import LOCAL
from ..extensions import db
from ..models import (
    AssessmentAnswer,
    AssessmentRespondent,
    AssessmentRound,
    AssessmentStatement,
    Case,
    CoreElement,
    CoreElementRating,
    Intervention,
    Phase,
)
from ..names import name_key
from .parsing import AnswerContext, AnswerRow, RatingContext, RatingRow, RoundInfo


def _by_name(items) -> tuple[dict, frozenset]:
    """Active items by name, and the names (name_key) more than one item has, archived ones
    included: those rows are refused, never filed under a guess. Names and codes are
    matched as parsing.check_ratings normalises them."""
    counts = Counter(name_key(item.name) for item in items)
    ambiguous = frozenset(key for key, n in counts.items() if n > 1)
    active = {
        item.name.strip(): item.id  # also the template's drop-down list
        for item in items
        if not item.archived and name_key(item.name) not in ambiguous
    }
    return active, ambiguous


def rating_context(intervention: Intervention) -> RatingContext:
    cases = list(db.session.scalars(select(Case).where(Case.intervention_id == intervention.id)))
    phases, ambiguous_phases = _by_name(cases_service.phases_of(intervention))
    elements, ambiguous_elements = _by_name(cases_service.core_elements_of(intervention))
    return RatingContext(
        cases={c.code: c.id for c in cases},
        closed_cases={c.code for c in cases if c.is_closed},
        starts={c.code: c.start_date for c in cases},
        phases=phases,
        elements=elements,
        scale=cases_service.scale_values(),
        today=clock.today(),
        ambiguous_phases=ambiguous_phases,
        ambiguous_elements=ambiguous_elements,
    )


def rounds_with_details(intervention: Intervention) -> list[AssessmentRound]:
    stmt = (
        select(AssessmentRound)
        .where(AssessmentRound.intervention_id == intervention.id)
        .options(
            selectinload(AssessmentRound.instrument),
            selectinload(AssessmentRound.respondents).joinedload(AssessmentRespondent.user),
        )
        .order_by(AssessmentRound.created_at, AssessmentRound.id)
    )
    return list(db.session.scalars(stmt))


def statements_by_instrument(instrument_ids: set[int]) -> dict[int, list[AssessmentStatement]]:
    grouped: dict[int, list[AssessmentStatement]] = defaultdict(list)
    if instrument_ids:
        stmt = (
            select(AssessmentStatement)
            .where(AssessmentStatement.instrument_id.in_(instrument_ids))
            .order_by(AssessmentStatement.element, AssessmentStatement.position)
        )
        for statement in db.session.scalars(stmt):
            grouped[statement.instrument_id].append(statement)
    return grouped


def answer_context(intervention: Intervention, own_email: str | None = None) -> AnswerContext:
    rounds = rounds_with_details(intervention)
    statements = statements_by_instrument({r.instrument_id for r in rounds})
    infos = {}
    for round_ in rounds:
        answers = {}
        for step in round_.instrument.scale:
            answers[str(step["key"]).lower()] = step["key"]
            answers[str(step["label"]).strip().lower()] = step["key"]
        infos[round_.name] = RoundInfo(
            id=round_.id,
            is_open=round_.is_open,
            respondents={r.user.email.lower(): r.id for r in round_.respondents},
            statements={s.text.strip(): s.id for s in statements[round_.instrument_id]},
            answers=answers,
        )
    return AnswerContext(rounds=infos, own_email=own_email)


def _local_day(moment: datetime) -> date:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL).date()


@dataclass(frozen=True)
class HistoryOnly:
    """An imported rating saved to the cell's history only: a newer rating applies to the
    cell (the grid's, or a later row of the same file), and the grid, the heat map and the
    low ratings go on showing that one."""

    row: int  # the row in the sheet
    case_id: int
    case_code: str
    phase: str
    element: str
    day: date
    score: int
    applying_day: date
    applying_score: int
    applying_from_file: bool  # the rating that applies came in with the same file


@dataclass
class Counts:
    ratings_created: int = 0  # saved, and now the rating that applies to its cell
    ratings_unchanged: int = 0
    answers_created: int = 0
    answers_changed: int = 0
    answers_unchanged: int = 0
    ratings_history_only: list[HistoryOnly] = field(default_factory=list)

    @property
    def total(self) -> int:
        return (
            self.ratings_created
            + len(self.ratings_history_only)
            + self.answers_created
            + self.answers_changed
        )


def add_ratings(
    intervention: Intervention,
    rows: list[RatingRow],
    rater_id: int,
    counts: Counts,
    now: datetime | None = None,
):
    """Append the ratings that are not already there (same cell, score, day and comment),
    and count which of them now apply to their cell and which went to the history only."""
    existing = {
        (r.case_id, r.phase_id, r.core_element_id, r.score, _local_day(r.rated_at), r.comment)
        for r in cases_service.ratings_of_intervention(intervention)
    }
    now = now or datetime.now(UTC)
    added: list[tuple[RatingRow, CoreElementRating]] = []
    # Oldest first, so the latest row of a cell is also its latest date.
    for row in sorted(rows, key=lambda r: (r.day, r.row)):
        key = (row.case_id, row.phase_id, row.core_element_id, row.score, row.day, row.comment)
        if key in existing:
            counts.ratings_unchanged += 1
            continue
        existing.add(key)
        rating = CoreElementRating(
            organization_id=intervention.organization_id,
            case_id=row.case_id,
            phase_id=row.phase_id,
            core_element_id=row.core_element_id,
            score=row.score,
            comment=row.comment,
            rater_id=rater_id,
            # Noon in Denmark keeps the day the same in every time zone the app shows;
            # stored as UTC, like every moment (SQLite keeps the digits, not the zone).
            # Today's noon may not have come yet: then now, so that a correction made
            # in the grid after the import is the later rating, as it is.
            rated_at=min(
                datetime(row.day.year, row.day.month, row.day.day, 12, tzinfo=LOCAL), now
            ).astimezone(UTC),
        )
        db.session.add(rating)
        added.append((row, rating))
    _count_applying(intervention, added, counts)


def _applying_ratings(intervention: Intervention) -> dict[tuple[int, int, int], Row]:
    """The rating that applies to each rated cell of the intervention, with its names:
    the row the database marks is_latest, the one the grid, heat map and low list show."""
    stmt = (
        cases_service.latest_of(intervention)
        .add_columns(Case.code, Phase.name.label("phase"), CoreElement.name.label("element"))
        .join(Phase, Phase.id == CoreElementRating.phase_id)
        .join(CoreElement, CoreElement.id == CoreElementRating.core_element_id)
    )
    return {(r.case_id, r.phase_id, r.core_element_id): r for r in db.session.execute(stmt)}


def _count_applying(
    intervention: Intervention,
    added: list[tuple[RatingRow, CoreElementRating]],
    counts: Counts,
) -> None:
    """An added rating older than the one that applies to its cell only joins the cell's
    history: counted apart, with what applies instead, so no one takes it for a correction
    that went in. Asked of the database after the flush has marked is_latest."""
    if not added:
        return
    db.session.flush()
    applying = _applying_ratings(intervention)
    added_ids = {rating.id for _row, rating in added}
    history_only = []
    for row, rating in added:
        current = applying[(row.case_id, row.phase_id, row.core_element_id)]
        if current.id == rating.id:
            counts.ratings_created += 1
            continue
        history_only.append(
            HistoryOnly(
                row=row.row,
                case_id=row.case_id,
                case_code=current.code,
                phase=current.phase.strip(),
                element=current.element.strip(),
                day=row.day,
                score=row.score,
                applying_day=_local_day(current.rated_at),
                applying_score=current.score,
                applying_from_file=current.id in added_ids,
            )
        )
    counts.ratings_history_only = sorted(history_only, key=lambda h: h.row)


def add_answers(intervention: Intervention, rows: list[AnswerRow], counts: Counts):
    """Insert new answers and change those with another value; the same value is no change."""
    if not rows:
        return
    stmt = select(AssessmentAnswer).where(
        AssessmentAnswer.respondent_id.in_({r.respondent_id for r in rows})
    )
    existing = {(a.respondent_id, a.statement_id): a for a in db.session.scalars(stmt)}
    for row in rows:
        answer = existing.get((row.respondent_id, row.statement_id))
        if answer is None:
            db.session.add(
                AssessmentAnswer(
                    organization_id=intervention.organization_id,
                    respondent_id=row.respondent_id,
                    statement_id=row.statement_id,
                    value=row.value,
                )
            )
            counts.answers_created += 1
        elif answer.value != row.value:
            answer.value = row.value
            counts.answers_changed += 1
        else:
            counts.answers_unchanged += 1


def cases_of(intervention: Intervention) -> list[Case]:
    stmt = (
        select(Case)
        .where(Case.intervention_id == intervention.id, Case.end_date.is_(None))
        .order_by(Case.code)
    )
    return list(db.session.scalars(stmt))


def template_data(intervention: Intervention, own_email: str | None = None):
    """What the template's lists hold. With `own_email` (someone who may import only their
    own answers) the respondents' list holds only that person."""
    from .template import TemplateData

    ctx = rating_context(intervention)
    rounds = [r for r in rounds_with_details(intervention) if r.is_open]
    statements = statements_by_instrument({r.instrument_id for r in rounds})
    respondents = sorted(
        {
            r.user.email
            for round_ in rounds
            for r in round_.respondents
            if own_email is None or r.user.email.lower() == own_email
        }
    )
    texts: list[str] = []
    labels: list[str] = []
    for round_ in rounds:
        texts += [
            s.text.strip() for s in statements[round_.instrument_id] if s.text.strip() not in texts
        ]
        labels += [
            str(s["label"]) for s in round_.instrument.scale if str(s["label"]) not in labels
        ]
    return TemplateData(
        intervention=intervention.name,
        cases=[c.code for c in cases_of(intervention)],
        phases=list(ctx.phases),
        elements=list(ctx.elements),
        scale=[(s.value, s.label) for s in cases_service.rating_scale()],
        rounds=[r.name for r in rounds],
        respondents=respondents,
        statements=texts,
        answers=labels,
    )


def build_template_for(intervention: Intervention, own_email: str | None = None):
    from .template import build_template

    return build_template(template_data(intervention, own_email))
