"""Queries for the improvement pages: each page issues a fixed number of them."""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, case, func, not_, or_, select
from sqlalchemy.orm import aliased, contains_eager, joinedload, load_only, selectinload

from .. import clock
from ..access import scoped
from ..extensions import db
from ..ids import parse_id
from ..interventions.team import team_of
from ..models import (
    ActionItem,
    DevelopmentPoint,
    ImprovementPlan,
    Intervention,
    Meeting,
    PdsaCycle,
    ProgressScore,
    User,
)
from ..models.base import utcnow
from .rules import PHASE_ORDER

DONE_WEEKS = 4
DONE_WEEK_CHOICES = (2, 4, 8, 13)


def points_of(intervention: Intervention) -> list[DevelopmentPoint]:
    stmt = (
        scoped(DevelopmentPoint)
        .where(DevelopmentPoint.intervention_id == intervention.id)
        .order_by(DevelopmentPoint.position, DevelopmentPoint.id)
    )
    return list(db.session.scalars(stmt))


def cycle_counts_by_point(intervention: Intervention) -> dict[int, tuple[int, int]]:
    """development_point_id → (all cycles, open cycles)."""
    stmt = scoped(
        PdsaCycle,
        select(
            PdsaCycle.development_point_id,
            func.count(),
            func.sum(case((PdsaCycle.phase != "done", 1), else_=0)),
        ),
    ).where(PdsaCycle.intervention_id == intervention.id)
    stmt = stmt.group_by(PdsaCycle.development_point_id)
    return {pid: (total, int(open_ or 0)) for pid, total, open_ in db.session.execute(stmt)}


def plans_by_point(intervention: Intervention) -> dict[int, ImprovementPlan]:
    stmt = scoped(ImprovementPlan).join(ImprovementPlan.development_point)
    stmt = stmt.where(DevelopmentPoint.intervention_id == intervention.id)
    return {p.development_point_id: p for p in db.session.scalars(stmt)}


def plan_of(point: DevelopmentPoint) -> ImprovementPlan | None:
    stmt = scoped(ImprovementPlan).where(ImprovementPlan.development_point_id == point.id)
    return db.session.scalars(stmt).first()


def cycles_of_point(point: DevelopmentPoint) -> list[PdsaCycle]:
    stmt = (
        scoped(PdsaCycle)
        .where(PdsaCycle.development_point_id == point.id)
        .options(joinedload(PdsaCycle.owner))
        .order_by(PdsaCycle.id)
    )
    return list(db.session.scalars(stmt))


def chains(cycles: list[PdsaCycle]) -> list[list[PdsaCycle]]:
    """Series of linked cycles (first test → its follow-ups), oldest series first.

    A cycle followed up twice (two adaptations of one test) continues in the first and
    starts its own branch in the second, so every cycle appears exactly once.
    """
    by_id = {c.id: c for c in cycles}
    children: dict[int, list[PdsaCycle]] = {}
    roots = []
    for cycle in cycles:
        if cycle.previous_id in by_id:
            children.setdefault(cycle.previous_id, []).append(cycle)
        else:
            roots.append(cycle)
    series = []
    pending = list(roots)
    while pending:
        start = pending.pop(0)
        chain = [start]
        while children.get(chain[-1].id):
            first, *rest = children[chain[-1].id]
            pending.extend(rest)
            chain.append(first)
        series.append(chain)
    return series


def followups_of(cycle: PdsaCycle) -> list[PdsaCycle]:
    stmt = scoped(PdsaCycle).where(PdsaCycle.previous_id == cycle.id).order_by(PdsaCycle.id)
    return list(db.session.scalars(stmt))


def team_users(intervention: Intervention) -> list[User]:
    return [m.user for m in team_of(intervention)]


def person_choices(
    intervention: Intervention, current_id: int | None = None, users: list[User] | None = None
):
    """(id, name) pairs: the team (`users` if already loaded), plus the current owner if
    they have left the team.
    """
    from flask_babel import gettext as _

    if users is None:
        users = team_users(intervention)
    pairs = [("", _("Nobody yet"))] + [(u.id, u.name) for u in users]
    if current_id and current_id not in {u.id for u in users}:
        user = db.session.get(User, current_id)
        if user is not None:
            pairs.append((user.id, _("%(name)s (no longer on the team)", name=user.name)))
    return pairs


class BoardFilter:
    """Who and which development point the board shows; parsed from query or form data."""

    def __init__(self, args):
        self.owner = parse_id(args.get("owner"))
        self.point = parse_id(args.get("point"))
        weeks = parse_id(args.get("uger"))
        self.weeks = weeks if weeks in DONE_WEEK_CHOICES else DONE_WEEKS

    def as_args(self) -> dict:
        args = {k: v for k, v in (("owner", self.owner), ("point", self.point)) if v}
        if self.weeks != DONE_WEEKS:
            args["uger"] = self.weeks
        return args

    def apply(self, stmt):
        if self.owner:
            stmt = stmt.where(PdsaCycle.owner_id == self.owner)
        if self.point:
            stmt = stmt.where(PdsaCycle.development_point_id == self.point)
        return stmt

    @property
    def done_since(self) -> datetime:
        return datetime.now(UTC) - timedelta(weeks=self.weeks)

    def visible(self, stmt):
        return stmt.where(or_(PdsaCycle.phase != "done", PdsaCycle.closed_at >= self.done_since))


# What a card shows (templates/pdsa/_card.html). The worksheet's long texts stay in the
# database: a board of a hundred cards would otherwise load them all and show none.
CARD_COLUMNS = (
    PdsaCycle.intervention_id,
    PdsaCycle.development_point_id,
    PdsaCycle.owner_id,
    PdsaCycle.title,
    PdsaCycle.phase,
    PdsaCycle.due_date,
    PdsaCycle.phase_changed_at,
    PdsaCycle.act_decision,
    PdsaCycle.version,
)


def card_relations() -> tuple:
    """Loader options for the owner's name and the development point's title on a card."""
    return (
        joinedload(PdsaCycle.owner).load_only(User.name),
        joinedload(PdsaCycle.development_point).load_only(DevelopmentPoint.title),
    )


def board_cycles(intervention_id: int, flt: BoardFilter) -> dict[str, list[PdsaCycle]]:
    stmt = scoped(PdsaCycle).where(PdsaCycle.intervention_id == intervention_id)
    stmt = flt.visible(flt.apply(stmt)).options(load_only(*CARD_COLUMNS), *card_relations())
    stmt = stmt.order_by(PdsaCycle.due_date.is_(None), PdsaCycle.due_date, PdsaCycle.id)
    columns: dict[str, list[PdsaCycle]] = {phase: [] for phase in PHASE_ORDER}
    for cycle in db.session.scalars(stmt):
        columns[cycle.phase].append(cycle)
    return columns


def meeting_count(intervention: Intervention) -> int:
    stmt = scoped(Meeting, select(func.count())).where(Meeting.intervention_id == intervention.id)
    return db.session.scalar(stmt)


def meetings_of(intervention: Intervention, offset: int, limit: int) -> list[Meeting]:
    """One page of the intervention's meetings, newest first: a team that meets weekly has
    hundreds after a few years."""
    stmt = (
        scoped(Meeting)
        .where(Meeting.intervention_id == intervention.id)
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def open_item_counts(intervention: Intervention) -> dict[int, int]:
    stmt = scoped(ActionItem, select(ActionItem.meeting_id, func.count())).where(
        ActionItem.intervention_id == intervention.id, ActionItem.status == "open"
    )
    return dict(db.session.execute(stmt.group_by(ActionItem.meeting_id)).all())


def meeting_items(meeting: Meeting) -> list[ActionItem]:
    stmt = (
        scoped(ActionItem)
        .where(ActionItem.meeting_id == meeting.id)
        .options(joinedload(ActionItem.owner), joinedload(ActionItem.closed_in_meeting))
        .order_by(ActionItem.id)
    )
    return list(db.session.scalars(stmt))


def _before(meeting: Meeting, other) -> ColumnElement[bool]:
    """`other` (Meeting or an alias of it) comes before `meeting`: an earlier day, or the
    same day and created first."""
    return or_(
        other.held_on < meeting.held_on,
        and_(other.held_on == meeting.held_on, other.id < meeting.id),
    )


def earlier_open_items(meeting: Meeting) -> list[ActionItem]:
    """The action items of earlier meetings that were open when this meeting was held:
    those still open, those followed up and closed at this meeting, and those closed
    after it (at a later meeting, or on a later day). So a meeting's minutes read the
    same after the items are closed later; each row shows its status now beside them."""
    closer = aliased(Meeting)
    day_began = datetime.combine(meeting.held_on, time(), tzinfo=clock.LOCAL).astimezone(UTC)
    stmt = (
        scoped(ActionItem)
        .join(ActionItem.meeting)
        .outerjoin(closer, ActionItem.closed_in_meeting_id == closer.id)
        .where(
            ActionItem.intervention_id == meeting.intervention_id,
            ActionItem.meeting_id != meeting.id,
            _before(meeting, Meeting),
            or_(
                ActionItem.status == "open",
                ActionItem.closed_in_meeting_id == meeting.id,
                # Followed up at a meeting held after this one.
                and_(closer.id.is_not(None), not_(_before(meeting, closer))),
                # Closed without a meeting (data from before meetings recorded it) on or
                # after this meeting's day; one closed on no known day is not listed.
                and_(ActionItem.closed_in_meeting_id.is_(None), ActionItem.closed_at >= day_began),
            ),
        )
        .options(
            joinedload(ActionItem.owner),
            selectinload(ActionItem.meeting),
            contains_eager(ActionItem.closed_in_meeting.of_type(closer)),
        )
        .order_by(ActionItem.due_date.is_(None), ActionItem.due_date, ActionItem.id)
    )
    return list(db.session.scalars(stmt))


def open_items_against(meeting: Meeting, day: date) -> tuple[int, int, date | None]:
    """The meeting's open action items if it were held on `day`: (how many are open, how
    many of those are due before `day`, the earliest of their deadlines)."""
    stmt = scoped(
        ActionItem,
        select(
            func.count(),
            func.count(case((ActionItem.due_date < day, 1))),
            func.min(ActionItem.due_date),
        ),
    ).where(ActionItem.meeting_id == meeting.id, ActionItem.status == "open")
    total, due_before, earliest = db.session.execute(stmt).one()
    return total, due_before, earliest


def items_at(meeting: Meeting) -> tuple[int, int]:
    """(action items added at the meeting, earlier ones followed up and closed at it): what
    other minutes and the board refer to, so the meeting is not deleted while it has any."""
    stmt = scoped(
        ActionItem,
        select(
            func.count(case((ActionItem.meeting_id == meeting.id, 1))),
            func.count(
                case(
                    (
                        and_(
                            ActionItem.closed_in_meeting_id == meeting.id,
                            ActionItem.meeting_id != meeting.id,
                        ),
                        1,
                    )
                )
            ),
        ),
    ).where(or_(ActionItem.meeting_id == meeting.id, ActionItem.closed_in_meeting_id == meeting.id))
    added, followed_up = db.session.execute(stmt).one()
    return added, followed_up


def latest_origin_followed_up(meeting: Meeting) -> date | None:
    """The day of the latest meeting whose action items were followed up and closed at
    `meeting`, or None."""
    stmt = scoped(
        ActionItem,
        select(func.max(Meeting.held_on))
        .select_from(ActionItem)
        .join(Meeting, Meeting.id == ActionItem.meeting_id),
    ).where(ActionItem.closed_in_meeting_id == meeting.id, ActionItem.meeting_id != meeting.id)
    return db.session.scalar(stmt)


def todays_standup(intervention: Intervention) -> Meeting | None:
    stmt = scoped(Meeting).where(
        Meeting.intervention_id == intervention.id,
        Meeting.kind == "standup",
        Meeting.held_on == clock.today(),
    )
    return db.session.scalars(stmt.order_by(Meeting.id)).first()


def open_items_for_standup(intervention: Intervention, standup: Meeting | None):
    """The open action items of meetings held so far, plus those closed at this standup.

    A meeting planned for a later date has not agreed its items yet: they appear once it
    is held, as on the meeting pages."""
    condition = ActionItem.status == "open"
    if standup is not None:
        condition = or_(condition, ActionItem.closed_in_meeting_id == standup.id)
    stmt = (
        scoped(ActionItem)
        .join(ActionItem.meeting)
        .where(
            ActionItem.intervention_id == intervention.id,
            Meeting.held_on <= clock.today(),
            condition,
        )
        .options(joinedload(ActionItem.owner))
        .order_by(ActionItem.due_date.is_(None), ActionItem.due_date, ActionItem.id)
    )
    return list(db.session.scalars(stmt))


def cycle_facts(intervention: Intervention):
    """The plain facts the PDSA key figures are computed from (one query)."""
    from ..analysis.pdsa import CycleFacts

    stmt = scoped(
        PdsaCycle,
        select(
            PdsaCycle.id,
            PdsaCycle.previous_id,
            PdsaCycle.created_at,
            PdsaCycle.acted_at,
            PdsaCycle.closed_at,
            PdsaCycle.act_decision,
            PdsaCycle.prediction,
            PdsaCycle.scale,
            PdsaCycle.data_collection,
            PdsaCycle.observations,
        ),
    ).where(PdsaCycle.intervention_id == intervention.id)

    def day(value):
        return value.date() if value is not None else None

    return [
        CycleFacts(
            id=row.id,
            previous_id=row.previous_id,
            created=day(row.created_at),
            acted=day(row.acted_at),
            closed=day(row.closed_at),
            act_decision=row.act_decision,
            prediction=row.prediction,
            scale=row.scale,
            data_collection=row.data_collection,
            observations=row.observations,
        )
        for row in db.session.execute(stmt)
    ]


def open_action_count(intervention: Intervention) -> int:
    stmt = scoped(ActionItem, select(func.count())).where(
        ActionItem.intervention_id == intervention.id, ActionItem.status == "open"
    )
    return db.session.scalar(stmt) or 0


def progress_history(intervention: Intervention) -> list:
    stmt = (
        scoped(ProgressScore)
        .where(ProgressScore.intervention_id == intervention.id)
        .options(joinedload(ProgressScore.set_by))
        .order_by(ProgressScore.assessed_on.desc(), ProgressScore.id.desc())
    )
    return list(db.session.scalars(stmt))


def latest_scores() -> list[tuple]:
    """Every intervention of the organisation with its latest score (or None), by name."""
    ranked = (
        scoped(
            ProgressScore,
            select(
                ProgressScore.id,
                func.row_number()
                .over(
                    partition_by=ProgressScore.intervention_id,
                    order_by=(ProgressScore.assessed_on.desc(), ProgressScore.id.desc()),
                )
                .label("rank"),
            ),
        )
    ).subquery()
    latest = {
        s.intervention_id: s
        for s in db.session.scalars(
            select(ProgressScore)
            .join(ranked, ranked.c.id == ProgressScore.id)
            .where(ranked.c.rank == 1)
        )
    }
    interventions = db.session.scalars(
        scoped(Intervention).where(Intervention.status != "archived").order_by(Intervention.name)
    )
    return [(i, latest.get(i.id)) for i in interventions]


# A score sent again within this time, the same in every field by the same person, is the
# same save twice (a double click on a plain form, a request the browser resent).
RESENT_WITHIN = timedelta(seconds=10)


def same_score_just_saved(
    intervention: Intervention, user_id: int, score_tenths: int, assessed_on: date, note: str
) -> bool:
    stmt = scoped(ProgressScore, select(ProgressScore.id)).where(
        ProgressScore.intervention_id == intervention.id,
        ProgressScore.set_by_id == user_id,
        ProgressScore.score_tenths == score_tenths,
        ProgressScore.assessed_on == assessed_on,
        ProgressScore.note == note,
        ProgressScore.created_at >= utcnow() - RESENT_WITHIN,
    )
    return db.session.scalar(stmt.limit(1)) is not None
