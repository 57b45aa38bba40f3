"""The Model for Improvement on a development point and its PDSA cycles (prøvehandlinger).

A cycle is one small test of change. Its phase is its status (plan, do, study, act, done);
what a phase demands before a cycle may enter it lives in improvement/pdsa/rules.py.
Cycles chain: "adopt" or "adapt" starts the next cycle linked to this one (previous_id),
so a development point shows its ramp of tests as they grow from one family to more.
"""

import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import NO_ID_REUSE, OrgScoped, Timestamped, Versioned, utcnow
from .description import DevelopmentPoint
from .interventions import Intervention
from .organisations import User

PDSA_PHASES = {
    "plan": _l("Plan"),
    "do": _l("Do"),
    "study": _l("Study"),
    "act": _l("Act"),
    "done": _l("Done"),
}
ACT_DECISIONS = {
    "adopt": _l("Adopt"),
    "adapt": _l("Adapt"),
    "abandon": _l("Abandon"),
}


# A list mark at the start of a line: "- ", "* ", "• ", "1. ", "2) ".
_LIST_MARK = re.compile(r"^\s*(?:[-*•–]|\d{1,2}[.)])\s+")


def change_ideas_of(text: str | None) -> list[str]:
    """One idea per line, without the list marks a team types ("- ", "• ", "1. ")."""
    ideas = (_LIST_MARK.sub("", line).strip() for line in (text or "").splitlines())
    return [idea for idea in ideas if idea]


class ImprovementPlan(OrgScoped, Timestamped, Versioned, db.Model):
    """The three questions of the Model for Improvement for one development point."""

    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    development_point_id: Mapped[int] = mapped_column(
        ForeignKey("development_point.id", ondelete="CASCADE"), unique=True
    )
    # What are we trying to accomplish (ideally how much by when)?
    aim: Mapped[str] = mapped_column(Text, default="")
    # How will we know that a change is an improvement?
    measure: Mapped[str] = mapped_column(Text, default="")
    # What changes can we make that will result in improvement? One idea per line.
    change_ideas: Mapped[str] = mapped_column(Text, default="")

    development_point: Mapped[DevelopmentPoint] = relationship()

    @property
    def change_idea_list(self) -> list[str]:
        return change_ideas_of(self.change_ideas)


class PdsaCycle(OrgScoped, Timestamped, Versioned, db.Model):
    """One small test of change with the fields of a PDSA worksheet."""

    __audited__ = True
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(ForeignKey("intervention.id"), index=True)
    development_point_id: Mapped[int] = mapped_column(
        ForeignKey("development_point.id"), index=True
    )
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("pdsa_cycle.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    phase: Mapped[str] = mapped_column(String(10), default="plan", index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    planned_start: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    # Plan: the change idea tried (one of the development point's, as a rule)
    change_idea: Mapped[str] = mapped_column(String(500), default="", server_default="")
    objective: Mapped[str] = mapped_column(Text, default="")
    questions: Mapped[str] = mapped_column(Text, default="")
    prediction: Mapped[str] = mapped_column(Text, default="")
    plan_details: Mapped[str] = mapped_column(Text, default="")
    scale: Mapped[str] = mapped_column(String(200), default="")
    data_collection: Mapped[str] = mapped_column(Text, default="")
    # Do
    do_description: Mapped[str] = mapped_column(Text, default="")
    observations: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    done_date: Mapped[date | None] = mapped_column(Date)
    # Study
    study_result: Mapped[str] = mapped_column(Text, default="")
    learning: Mapped[str] = mapped_column(Text, default="")
    # Act
    act_decision: Mapped[str] = mapped_column(String(10), default="")
    next_step: Mapped[str] = mapped_column(Text, default="")
    # When the card last moved on the board (for "no movement for 14 days"), and when closed.
    phase_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When the test first reached Act (for "median days from plan to act").
    acted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)

    intervention: Mapped[Intervention] = relationship()
    development_point: Mapped[DevelopmentPoint] = relationship()
    owner: Mapped[User | None] = relationship()
    previous: Mapped["PdsaCycle | None"] = relationship(remote_side=[id])

    @property
    def phase_label(self) -> str:
        return str(PDSA_PHASES.get(self.phase, self.phase))

    @property
    def act_label(self) -> str:
        return str(ACT_DECISIONS.get(self.act_decision, "")) if self.act_decision else ""

    @property
    def is_abandoned(self) -> bool:
        return self.act_decision == "abandon" and self.phase in ("act", "done")


# The IHI Breakthrough Series progress scale (Institute for Healthcare Improvement), in
# tenths so the database holds integers: 5 = 0.5 … 50 = 5.0. Labels and definitions are
# paraphrased for a social intervention.
PROGRESS_SCALE = {
    5: (_l("Intent to participate"), _l("The team has signed up; no work has begun yet.")),
    10: (
        _l("Forming team"),
        _l(
            "The quality team is formed, the target group and the aim are set, and baseline "
            "measurement has begun."
        ),
    ),
    15: (
        _l("Planning has begun"),
        _l("The team meets, discusses and has made plans for its improvement work."),
    ),
    20: (
        _l("Activity, but no changes"),
        _l("The team is actively developing and discussing, but no change has been tested."),
    ),
    25: (
        _l("Changes tested, but no improvement"),
        _l(
            "Changes are being tested and data on key measures are reported, but the "
            "measures do not improve yet."
        ),
    ),
    30: (
        _l("Modest improvement"),
        _l(
            "First test cycles are completed and several changes are being implemented; "
            "process measures improve moderately."
        ),
    ),
    35: (
        _l("Improvement"),
        _l(
            "Some improvement in outcome measures; process measures keep improving; tests "
            "run on all the changes the team works on."
        ),
    ),
    40: (
        _l("Significant improvement"),
        _l(
            "Most changes are implemented, and outcome measures show sustained improvement, "
            "about half-way to the goals."
        ),
    ),
    45: (
        _l("Sustainable improvement"),
        _l(
            "Improvement is sustained over time and most goals are reached; the practice is "
            "being spread."
        ),
    ),
    50: (
        _l("Outstanding sustainable results"),
        _l("All changes are implemented, all goals are reached and the results hold."),
    ),
}


class ProgressScore(OrgScoped, Timestamped, db.Model):
    """The team's own assessment of its progress on the IHI scale; every rating is kept."""

    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(ForeignKey("intervention.id"), index=True)
    score_tenths: Mapped[int] = mapped_column()
    assessed_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    intervention: Mapped[Intervention] = relationship()
    set_by: Mapped[User | None] = relationship()

    @property
    def score(self) -> float:
        return self.score_tenths / 10

    @property
    def label(self) -> str:
        return str(PROGRESS_SCALE.get(self.score_tenths, ("",))[0])
