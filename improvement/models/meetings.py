"""Quality-team meetings with their decisions and action items (opfølgning).

Action items stay open across meetings until someone closes them, so the next meeting
shows what was decided last time and has not been done yet.
"""

from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .base import NO_ID_REUSE, OrgScoped, Timestamped, Versioned
from .interventions import Intervention
from .organisations import User

MEETING_KINDS = {
    "quality_team": _l("Quality-team meeting"),
    "standup": _l("Board standup"),
    "reflection": _l("Reflection meeting"),
}
ACTION_STATUSES = {"open": _l("Open"), "done": _l("Done"), "dropped": _l("Dropped")}


class Meeting(OrgScoped, Timestamped, Versioned, db.Model):
    __audited__ = True
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(ForeignKey("intervention.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="quality_team")
    held_on: Mapped[date] = mapped_column(Date, index=True)
    participants: Mapped[str] = mapped_column(Text, default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # One decision per line.
    decisions: Mapped[str] = mapped_column(Text, default="")

    intervention: Mapped[Intervention] = relationship()
    action_items: Mapped[list["ActionItem"]] = relationship(
        back_populates="meeting",
        foreign_keys="ActionItem.meeting_id",
        order_by="ActionItem.id",
    )

    @property
    def kind_label(self) -> str:
        return str(MEETING_KINDS.get(self.kind, self.kind))

    @property
    def decision_list(self) -> list[str]:
        return [line.strip() for line in self.decisions.splitlines() if line.strip()]


class ActionItem(OrgScoped, Timestamped, Versioned, db.Model):
    """What, who, by when – followed up at every meeting until closed."""

    __audited__ = True
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(ForeignKey("intervention.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    what: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The meeting at which it was followed up and closed.
    closed_in_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"), index=True)

    meeting: Mapped[Meeting] = relationship(
        back_populates="action_items", foreign_keys=[meeting_id]
    )
    closed_in_meeting: Mapped[Meeting | None] = relationship(foreign_keys=[closed_in_meeting_id])
    owner: Mapped[User | None] = relationship()

    @property
    def closed_on(self) -> date | None:
        """The day it was closed: that of the meeting it was followed up at (the minutes'
        day, also when they are typed in later), else the day it was set closed."""
        if self.status == "open":
            return None
        if self.closed_in_meeting_id is not None and self.closed_in_meeting is not None:
            return self.closed_in_meeting.held_on
        if self.closed_at is None:
            return None
        # SQLite gives the stored UTC moment back without its zone.
        moment = self.closed_at
        return clock.today(moment if moment.tzinfo else moment.replace(tzinfo=UTC))

    @property
    def status_label(self) -> str:
        return str(ACTION_STATUSES.get(self.status, self.status))
