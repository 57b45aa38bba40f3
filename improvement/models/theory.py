"""Theory of change (logic model), workflow steps per phase, and published description versions.

The theory of change is a small graph: items in three columns (activities, short-term
results, long-term results) and links between them; each link can rest on an assumption,
which has the knowledge behind it and references. Core elements carry activities.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import NO_ID_REUSE, OrgScoped, Timestamped, Versioned, utcnow
from .description import CoreElement, Phase
from .interventions import Intervention
from .organisations import User

THEORY_KINDS = {
    "activity": _l("Activities"),
    "short_term": _l("Short-term results"),
    "long_term": _l("Long-term results"),
}
# Short labels on the diagram's cards, so links can be read as text too (A1 → K2). They
# are kept as codes, with the Danish letters (in a version's snapshot, the seed files);
# `theory_label` shows them in the reader's language.
THEORY_PREFIX = {"activity": "A", "short_term": "K", "long_term": "L"}
ASSUMPTION_PREFIX = "F"
# A code's letter as the reader's language writes it: an activity, a short-term
# (kortsigtet) and a long-term (langsigtet) result, an assumption (forudsætning).
THEORY_LETTERS = {
    "A": _l("A%(number)s"),
    "K": _l("S%(number)s"),
    "L": _l("L%(number)s"),
    ASSUMPTION_PREFIX: _l("As%(number)s"),
}


def theory_label(code: str) -> str:
    """A label kept as a code ("K2") in the reader's language ("S2" in English); a link's
    ("A1 → K2") part by part. Anything else ("?") is shown as it is."""
    parts = []
    for part in code.split(" → "):
        letter, number = part[:1], part[1:]
        shown = THEORY_LETTERS.get(letter) if number.isdigit() else None
        parts.append(str(shown % {"number": number}) if shown is not None else part)
    return " → ".join(parts)


# A link goes one column to the right.
NEXT_KIND = {"activity": "short_term", "short_term": "long_term"}


class ChangeTheory(OrgScoped, Timestamped, Versioned, db.Model):
    """The theory of change's overall aim; one row per intervention, made on first save."""

    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(ForeignKey("intervention.id"), unique=True)
    purpose: Mapped[str] = mapped_column(Text, default="")

    intervention: Mapped[Intervention] = relationship()


class ChangeTheoryItem(OrgScoped, Timestamped, Versioned, db.Model):
    """One box in the logic model: an activity, a short-term or a long-term result."""

    __audited__ = True
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(ForeignKey("intervention.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Assumption(OrgScoped, Timestamped, Versioned, db.Model):
    """Why one step is believed to lead to the next, and the knowledge it rests on."""

    __audited__ = True
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(ForeignKey("intervention.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    knowledge: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    references: Mapped[list["AssumptionReference"]] = relationship(
        back_populates="assumption",
        cascade="all, delete-orphan",
        order_by="AssumptionReference.id",
    )


class AssumptionReference(OrgScoped, Timestamped, db.Model):
    __audited__ = True
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    assumption_id: Mapped[int] = mapped_column(
        ForeignKey("assumption.id", ondelete="CASCADE"), index=True
    )
    author: Mapped[str] = mapped_column(String(300))
    year: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str] = mapped_column(String(500), default="")

    assumption: Mapped[Assumption] = relationship(back_populates="references")


class ChangeTheoryLink(OrgScoped, Timestamped, db.Model):
    """An arrow in the logic model: source leads to target, resting on an assumption."""

    __audited__ = True
    __table_args__ = (UniqueConstraint("source_id", "target_id"), NO_ID_REUSE)

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(ForeignKey("intervention.id"), index=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("change_theory_item.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[int] = mapped_column(
        ForeignKey("change_theory_item.id", ondelete="CASCADE"), index=True
    )
    assumption_id: Mapped[int | None] = mapped_column(
        ForeignKey("assumption.id", ondelete="SET NULL"), index=True
    )


core_element_activity = Table(
    "core_element_activity",
    db.metadata,
    Column("core_element_id", ForeignKey("core_element.id", ondelete="CASCADE"), primary_key=True),
    Column("item_id", ForeignKey("change_theory_item.id", ondelete="CASCADE"), primary_key=True),
)

CoreElement.activities = relationship(
    ChangeTheoryItem, secondary=core_element_activity, order_by=ChangeTheoryItem.position
)


class WorkflowStep(OrgScoped, Timestamped, Versioned, db.Model):
    """A step of a course's phase, and who does what in it (arbejdsgang)."""

    __audited__ = True
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(ForeignKey("intervention.id"), index=True)
    phase_id: Mapped[int] = mapped_column(ForeignKey("phase.id"), index=True)
    step: Mapped[str] = mapped_column(String(200))
    child: Mapped[str] = mapped_column(Text, default="")
    parents: Mapped[str] = mapped_column(Text, default="")
    professionals: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    phase: Mapped[Phase] = relationship()


class DescriptionVersion(OrgScoped, db.Model):
    """A published, immutable version of the intervention description (a JSON snapshot)."""

    __audited__ = True
    __table_args__ = (UniqueConstraint("intervention_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(ForeignKey("intervention.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    snapshot: Mapped[dict] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    published_by: Mapped[User | None] = relationship()
