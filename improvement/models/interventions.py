"""Interventions (indsatser) and their quality teams (kvalitetsteam)."""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import NO_ID_REUSE, OrgScoped, Timestamped, Versioned
from .organisations import User

STATUSES = {
    "description": _l("Being described"),
    "testing": _l("Being tested"),
    "operation": _l("In operation"),
    "archived": _l("Archived"),
}

# The professional role someone has in an intervention, which is not the same as their
# access role in the organisation: an admin can also be the intervention's leader.
PROFESSIONAL_ROLES = {
    "leader": _l("Leader"),
    "practitioner": _l("Practitioner"),
    "authority_caseworker": _l("Authority caseworker"),
    "partner": _l("Partner"),
}


class Intervention(OrgScoped, Timestamped, Versioned, db.Model):
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    target_group: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="description", index=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    # What to return to when an archived intervention is reopened.
    previous_status: Mapped[str | None] = mapped_column(String(20))
    # How many development points may be in progress at once before the team is warned
    # (None: the app's default, DEVELOPMENT_POINTS_IN_PROGRESS_LIMIT). Added in migration 0003.
    development_points_limit: Mapped[int | None] = mapped_column()

    team: Mapped[list["TeamMember"]] = relationship(
        back_populates="intervention", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return str(STATUSES.get(self.status, self.status))

    @property
    def is_archived(self) -> bool:
        return self.status == "archived"


class TeamMember(OrgScoped, Timestamped, Versioned, db.Model):
    __audited__ = True
    __table_args__ = (UniqueConstraint("intervention_id", "user_id"), NO_ID_REUSE)

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(ForeignKey("intervention.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    professional_role: Mapped[str] = mapped_column(String(30))
    in_quality_team: Mapped[bool] = mapped_column(default=True)

    intervention: Mapped[Intervention] = relationship(back_populates="team")
    user: Mapped[User] = relationship()

    @property
    def role_label(self) -> str:
        return str(PROFESSIONAL_ROLES.get(self.professional_role, self.professional_role))
