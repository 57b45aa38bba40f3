"""What an intervention is made of: its phases, core elements and development points.

These are shared by several features: phases carry the workflows and the per-case quality
ratings; core elements are rated per case and strengthened by development points; development
points carry the PDSA tests and are linked to the 11 elements of promising practice.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import NO_ID_REUSE, OrgScoped, Timestamped, Versioned
from .interventions import Intervention
from .organisations import User
from .reference import PracticeElement

CORE_ELEMENT_STATUSES = {"potential": _l("Potential"), "confirmed": _l("Confirmed")}

DEVELOPMENT_POINT_KINDS = {
    "organisational": _l("Organisational"),
    "practice": _l("Intervention-near"),
}
DEVELOPMENT_POINT_STATUSES = {
    "proposed": _l("Proposed"),
    "prioritised": _l("Prioritised"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "dropped": _l("Dropped"),
}


class Phase(OrgScoped, Timestamped, Versioned, db.Model):
    """A phase of a course in the intervention (e.g. opstart, forløb, afslutning)."""

    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(ForeignKey("intervention.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    archived: Mapped[bool] = mapped_column(default=False)

    intervention: Mapped[Intervention] = relationship()


class CoreElement(OrgScoped, Timestamped, Versioned, db.Model):
    """A function or principle indispensable for the intended effects (kerneelement)."""

    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(ForeignKey("intervention.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    why: Mapped[str] = mapped_column(Text, default="")
    focus: Mapped[str] = mapped_column(Text, default="")
    practice: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="potential")
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Core elements that ratings refer to are archived, never deleted.
    archived: Mapped[bool] = mapped_column(default=False)

    intervention: Mapped[Intervention] = relationship()

    @property
    def status_label(self) -> str:
        return str(CORE_ELEMENT_STATUSES.get(self.status, self.status))


development_point_core_element = Table(
    "development_point_core_element",
    db.metadata,
    Column(
        "development_point_id",
        ForeignKey("development_point.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("core_element_id", ForeignKey("core_element.id", ondelete="CASCADE"), primary_key=True),
)

development_point_practice_element = Table(
    "development_point_practice_element",
    db.metadata,
    Column(
        "development_point_id",
        ForeignKey("development_point.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("practice_element_id", ForeignKey("practice_element.id"), primary_key=True),
)


class DevelopmentPoint(OrgScoped, Timestamped, Versioned, db.Model):
    """Something the team chooses to improve (udviklingspunkt); PDSA tests hang under it."""

    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(ForeignKey("intervention.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default="practice")
    status: Mapped[str] = mapped_column(String(20), default="proposed", index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    intervention: Mapped[Intervention] = relationship()
    owner: Mapped[User | None] = relationship()
    core_elements: Mapped[list[CoreElement]] = relationship(
        secondary=development_point_core_element, order_by=CoreElement.position
    )
    practice_elements: Mapped[list[PracticeElement]] = relationship(
        secondary=development_point_practice_element, order_by=PracticeElement.number
    )

    @property
    def kind_label(self) -> str:
        return str(DEVELOPMENT_POINT_KINDS.get(self.kind, self.kind))

    @property
    def status_label(self) -> str:
        return str(DEVELOPMENT_POINT_STATUSES.get(self.status, self.status))


# How the team judges an organisational prerequisite to be in place now. "not_assessed"
# first: a prerequisite copied from the template, or just written down, has not been
# judged yet, and the description should not claim that it has.
PREREQUISITE_STATUSES = {
    "not_assessed": _l("Not assessed"),
    "in_place": _l("In place"),
    "partly": _l("Partly in place"),
    "missing": _l("Missing"),
}


class OrganisationalPrerequisite(OrgScoped, Timestamped, Versioned, db.Model):
    """What the organisation must have in place for the core elements to be delivered
    (organisatorisk forudsætning, seed 004 chapter 4), and how the team judges it now.

    Nothing refers to a prerequisite, so one can be deleted; archived keeps it (and its
    name) out of the description without losing it."""

    __audited__ = True
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(ForeignKey("intervention.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # What the prerequisite covers (seed 004: "Hvad omhandler forudsætningen?").
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="not_assessed")
    # What is missing before it is in place.
    gap: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    archived: Mapped[bool] = mapped_column(default=False)

    intervention: Mapped[Intervention] = relationship()

    @property
    def status_label(self) -> str:
        return str(PREREQUISITE_STATUSES.get(self.status, self.status))
