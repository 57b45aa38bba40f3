"""Self-assessment against the 11 elements of promising practice (selvevaluering).

An instrument version holds the scale and the statements per element. It is never edited:
a change is a new version, and a round keeps the version it was answered with, so the
results of earlier rounds never change. Instruments with no organisation are shared by
all (the project's own, loaded from seeds/); an organisation can add its own.

A round belongs to an intervention. Invited respondents answer alone; their role is copied
from the quality team when they are invited, so later team changes do not move results.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import NO_ID_REUSE, OrgScoped, Timestamped, Versioned, utcnow
from .interventions import Intervention
from .organisations import User

ROUND_STATUSES = {"open": _l("Open"), "closed": _l("Closed")}

# The roles of the analysis (improvement/analysis/assessment.py), labelled for the UI.
RESPONDENT_ROLES = {
    "leader": _l("Leaders"),
    "practitioner": _l("Practitioners"),
    "authority": _l("Authority"),
    "other": _l("Others"),
}

# A quality-team member's professional role → the role their answers are counted under.
ROLE_OF_PROFESSIONAL_ROLE = {
    "leader": "leader",
    "practitioner": "practitioner",
    "authority_caseworker": "authority",
    "partner": "other",
}


class AssessmentInstrument(Timestamped, db.Model):
    """One version of the questionnaire: a scale and statements per element. Never edited."""

    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL: shared by every organisation (the project's own instrument from seeds/).
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # [{"key": "high", "label": "I høj grad", "value": 100}, ...]; value null = "ved ikke".
    scale: Mapped[list] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    statements: Mapped[list["AssessmentStatement"]] = relationship(
        back_populates="instrument",
        cascade="all, delete-orphan",
        order_by="(AssessmentStatement.element, AssessmentStatement.position)",
    )

    @property
    def weights(self) -> dict[str, float | None]:
        return {step["key"]: step["value"] for step in self.scale}

    @property
    def labels(self) -> dict[str, str]:
        return {step["key"]: step["label"] for step in self.scale}

    @property
    def is_shared(self) -> bool:
        return self.organization_id is None


class AssessmentStatement(db.Model):
    """A statement about one element, rated on the instrument's scale."""

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_instrument.id", ondelete="CASCADE"), index=True
    )
    element: Mapped[int] = mapped_column(Integer)  # 1-11, PracticeElement.number
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)

    instrument: Mapped[AssessmentInstrument] = relationship(back_populates="statements")


class AssessmentRound(OrgScoped, Timestamped, Versioned, db.Model):
    """One assessment of an intervention (e.g. "Baseline 2026"), open until the team closes it."""

    __audited__ = True
    __table_args__ = (UniqueConstraint("intervention_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(ForeignKey("intervention.id"), index=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("assessment_instrument.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(10), default="open")
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    intervention: Mapped[Intervention] = relationship()
    instrument: Mapped[AssessmentInstrument] = relationship()
    respondents: Mapped[list["AssessmentRespondent"]] = relationship(
        back_populates="round", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def status_label(self) -> str:
        return str(ROUND_STATUSES.get(self.status, self.status))

    def close(self) -> None:
        self.status = "closed"
        self.closed_at = utcnow()


class AssessmentRespondent(OrgScoped, Timestamped, db.Model):
    """A person invited to answer a round, with the role their answers count under."""

    __audited__ = True
    __table_args__ = (UniqueConstraint("round_id", "user_id"), NO_ID_REUSE)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_round.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    round: Mapped[AssessmentRound] = relationship(back_populates="respondents")
    user: Mapped[User] = relationship()
    # Removing a respondent removes their answers (also on SQLite, where foreign keys are
    # not enforced, so the ORM deletes them rather than relying on ON DELETE CASCADE).
    answers: Mapped[list["AssessmentAnswer"]] = relationship(cascade="all, delete-orphan")
    justifications: Mapped[list["AssessmentJustification"]] = relationship(
        cascade="all, delete-orphan"
    )

    @property
    def role_label(self) -> str:
        return str(RESPONDENT_ROLES.get(self.role, self.role))


class AssessmentAnswer(OrgScoped, Timestamped, db.Model):
    """A respondent's answer to one statement: a key of the instrument's scale."""

    __table_args__ = (UniqueConstraint("respondent_id", "statement_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_respondent.id", ondelete="CASCADE"), index=True
    )
    statement_id: Mapped[int] = mapped_column(ForeignKey("assessment_statement.id"), index=True)
    value: Mapped[str] = mapped_column(String(30))


class AssessmentJustification(OrgScoped, Timestamped, db.Model):
    """A respondent's free-text reason for their answers on one element."""

    __table_args__ = (UniqueConstraint("respondent_id", "element"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    respondent_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_respondent.id", ondelete="CASCADE"), index=True
    )
    element: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
