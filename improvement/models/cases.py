"""Cases (borgerforløb), their follow-ups, outcomes and per-phase quality ratings.

A case carries only a pseudonymous code chosen by the team. Ratings of the core elements
("kvalitet i kerneelementer") are append-only: a revision is a new row, the latest row of
a (case, phase, core element) cell counts, and the earlier rows are the cell's history.
Which row is the latest is stored on the row (``is_latest``), kept by one session hook.
"""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    false,
    func,
    select,
    text,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ..extensions import db
from .base import NO_ID_REUSE, OrgScoped, Timestamped, Versioned, utcnow
from .description import CoreElement, Phase
from .interventions import Intervention
from .organisations import User

# Seed 002's codes, in the seed's order. Keys match improvement/analysis/outcomes.py.
GOAL_ATTAINMENT = {
    "achieved": _l("Goal reached"),
    "progressing": _l("On the way"),
    "not_achieved": _l("Goal not reached"),
}
PROBLEM_GRADES = {"mild": _l("Mild"), "moderate": _l("Moderate"), "severe": _l("Severe")}
REFLECTED_ADJUSTMENT = {
    "yes": _l("Yes"),
    "no": _l("No"),
    "not_described": _l("Not described"),
}
# Seed 002's table 4: what the journal describes of the professional alliance (any of them).
ALLIANCE_DIMENSIONS = {
    "negative": _l("Negative descriptions of the alliance"),
    "positive": _l("Positive descriptions of the alliance"),
    "doubt": _l("Professional doubt"),
    "relationship": _l("Relationship work"),
}


def alliance_keys_of(stored: str | None) -> list[str]:
    """The ALLIANCE_DIMENSIONS keys a case.alliance column holds, in their order."""
    return [key for key in (stored or "").split() if key in ALLIANCE_DIMENSIONS]


class ProblemCategory(OrgScoped, Timestamped, Versioned, db.Model):
    """A problem category for coding cases (seed 002's six); the list is per organisation."""

    __audited__ = True
    __table_args__ = (UniqueConstraint("organization_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    archived: Mapped[bool] = mapped_column(default=False)


case_problem_category = Table(
    "case_problem_category",
    db.metadata,
    Column("case_id", ForeignKey("citizen_case.id", ondelete="CASCADE"), primary_key=True),
    Column("problem_category_id", ForeignKey("problem_category.id"), primary_key=True),
    Index("ix_case_problem_category_problem_category_id", "problem_category_id"),
)


class Case(OrgScoped, Timestamped, Versioned, db.Model):
    """A citizen's course in an intervention, known only by a pseudonymous code."""

    __tablename__ = "citizen_case"
    __audited__ = True
    __table_args__ = (UniqueConstraint("intervention_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(ForeignKey("intervention.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    practitioner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    # The authority's caseworker (myndighedssagsbehandler), whose duty the § 70 follow-up is:
    # one of the team's authority caseworkers, or None when not chosen.
    caseworker_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    phase_id: Mapped[int | None] = mapped_column(ForeignKey("phase.id"), index=True)
    end_date: Mapped[date | None] = mapped_column(Date)
    # § 70 cadence the team has committed to (1-5 months); None is the legal 3 + 6 months.
    followup_cadence_months: Mapped[int | None] = mapped_column(Integer)
    # Outcome, coded at the end as in seed 002; None is "not coded yet".
    goal_attainment: Mapped[str | None] = mapped_column(String(20))
    problem_grade: Mapped[str | None] = mapped_column(String(20))
    reflected_adjustment: Mapped[str | None] = mapped_column(String(20))
    # ALLIANCE_DIMENSIONS keys coded, space-separated in their order ("" when none).
    alliance: Mapped[str] = mapped_column(String(120), default="", server_default="")

    intervention: Mapped[Intervention] = relationship()
    practitioner: Mapped[User | None] = relationship(foreign_keys=[practitioner_id])
    caseworker: Mapped[User | None] = relationship(foreign_keys=[caseworker_id])
    phase: Mapped[Phase | None] = relationship()
    problem_categories: Mapped[list[ProblemCategory]] = relationship(
        secondary=case_problem_category, order_by=ProblemCategory.position
    )
    followups: Mapped[list["CaseFollowUp"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseFollowUp.held_on"
    )

    @property
    def is_closed(self) -> bool:
        return self.end_date is not None

    @property
    def goal_label(self) -> str:
        return str(GOAL_ATTAINMENT.get(self.goal_attainment, "")) if self.goal_attainment else ""

    @property
    def grade_label(self) -> str:
        return str(PROBLEM_GRADES.get(self.problem_grade, "")) if self.problem_grade else ""

    @property
    def alliance_keys(self) -> list[str]:
        return alliance_keys_of(self.alliance)

    @alliance_keys.setter
    def alliance_keys(self, keys) -> None:
        chosen = set(keys or ())
        self.alliance = " ".join(key for key in ALLIANCE_DIMENSIONS if key in chosen)

    @property
    def alliance_label(self) -> str:
        return ", ".join(str(ALLIANCE_DIMENSIONS[key]) for key in self.alliance_keys)

    @property
    def adjustment_label(self) -> str:
        if not self.reflected_adjustment:
            return ""
        return str(REFLECTED_ADJUSTMENT.get(self.reflected_adjustment, ""))


class CaseFollowUp(OrgScoped, Timestamped, db.Model):
    """A follow-up held in a case (Serviceloven § 70): the day it took place."""

    __audited__ = True
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("citizen_case.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date] = mapped_column(Date)

    case: Mapped[Case] = relationship(back_populates="followups")


class CoreElementRating(OrgScoped, db.Model):
    """How far a core element was worked with in one phase of one case (1-5).

    Append-only: a revision is a new row; the latest row of a cell counts. The latest is
    the row with the latest ``rated_at``, on a tie the later row (as in
    improvement.analysis.ratings.latest_ratings); ``is_latest`` marks it, so pages count
    cells from an index instead of ranking every revision per request.
    """

    __table_args__ = (
        Index("ix_core_element_rating_cell", "case_id", "phase_id", "core_element_id"),
        # The heat map, the low list and the patterns read only latest rows, by case; the
        # included columns let PostgreSQL answer from the index alone.
        Index(
            "ix_core_element_rating_latest",
            "case_id",
            postgresql_include=["phase_id", "core_element_id", "score", "rated_at"],
            postgresql_where=text("is_latest"),
            sqlite_where=text("is_latest"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("citizen_case.id", ondelete="CASCADE"))
    phase_id: Mapped[int] = mapped_column(ForeignKey("phase.id"), index=True)
    core_element_id: Mapped[int] = mapped_column(ForeignKey("core_element.id"), index=True)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    rater_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    rated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Kept by mark_latest (below), never set by hand.
    is_latest: Mapped[bool] = mapped_column(default=False, server_default=false())

    case: Mapped[Case] = relationship()
    phase: Mapped[Phase] = relationship()
    core_element: Mapped[CoreElement] = relationship()
    rater: Mapped[User | None] = relationship()


def mark_latest(connection, case_ids=None) -> None:
    """Set ``is_latest`` on the ratings of ``case_ids`` (every case when None) by the rule
    above, writing only the rows whose flag changes."""
    rating = CoreElementRating.__table__
    rank = (
        func.row_number()
        .over(
            partition_by=(rating.c.case_id, rating.c.phase_id, rating.c.core_element_id),
            order_by=(rating.c.rated_at.desc(), rating.c.id.desc()),
        )
        .label("rank")
    )
    ranked = select(rating.c.id, rank)
    stmt = update(rating)
    if case_ids is not None:
        # Two saves in one case at once would each miss the other's uncommitted row and
        # both mark theirs latest. Locking the cases first makes the second wait, and its
        # UPDATE then sees the first's row. NO KEY UPDATE does not conflict with the key
        # share lock the ratings' foreign key takes, so two saves cannot deadlock on it.
        cases = Case.__table__
        connection.execute(
            select(cases.c.id)
            .where(cases.c.id.in_(case_ids))
            .order_by(cases.c.id)
            .with_for_update(key_share=True)
        )
        ranked = ranked.where(rating.c.case_id.in_(case_ids))
        stmt = stmt.where(rating.c.case_id.in_(case_ids))
    ranked = ranked.subquery()
    is_latest = rating.c.id.in_(select(ranked.c.id).where(ranked.c.rank == 1))
    connection.execute(stmt.where(rating.c.is_latest != is_latest).values(is_latest=is_latest))


# Every ORM write of ratings (grid, import, demo seed) passes this hook, so the flag
# cannot be forgotten; bulk inserts that bypass the ORM call mark_latest themselves.
@event.listens_for(Session, "after_flush")
def _mark_latest_after_flush(session: Session, _flush_context) -> None:
    # Ratings are only added in the app; a changed or deleted one (a test, a script) is
    # marked again as well, so the flag holds whatever the write.
    case_ids = {
        obj.case_id
        for obj in (*session.new, *session.dirty, *session.deleted)
        if isinstance(obj, CoreElementRating)
    }
    if not case_ids:
        return
    mark_latest(session.connection(), sorted(case_ids))
    session.info.setdefault("latest_marked", set()).update(case_ids)


@event.listens_for(Session, "after_flush_postexec")
def _expire_stale_flags(session: Session, _flush_context) -> None:
    # The UPDATE went round the ORM: loaded ratings of those cases reload the flag on use.
    case_ids = session.info.pop("latest_marked", None)
    if not case_ids:
        return
    for obj in list(session.identity_map.values()):
        if isinstance(obj, CoreElementRating) and obj.case_id in case_ids:
            session.expire(obj, ["is_latest"])
