"""Mixins shared by the aggregates: organisation scoping, timestamps, optimistic locking."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey, Integer, event, inspect
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


# Table options of an audited model whose rows people delete (a follow-up registered on the
# wrong day, an action item added by mistake). The audit trail names a row by its table's
# model and id, and SQLite without AUTOINCREMENT gives the next row the id of the highest
# row just deleted: the new row's history would take in the removed one's, and the removed
# one's lines would name it by the new row's values. PostgreSQL's sequences never hand an
# id out twice, and the option means nothing there. Migration 0016 rebuilt the tables.
NO_ID_REUSE = {"sqlite_autoincrement": True}


class OrgScoped:
    """Every row that belongs to an organisation carries its organisation id directly.

    Children of an intervention copy it from their parent, so access control is one
    WHERE clause on one column for every model (see improvement/access.py), never a join
    that a later feature could forget.
    """

    @declared_attr
    def organization_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("organization.id"), index=True)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Versioned:
    """Optimistic locking: SQLAlchemy bumps `version` on every UPDATE and refuses stale ones.

    Edit forms carry the version they were rendered with; a save against a newer version
    is a concurrent edit and is reported instead of overwriting the other person's change.
    """

    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}


@event.listens_for(Session, "before_flush")
def _links_change_the_row(session: Session, _flush_context, _instances) -> None:
    """A change only to a versioned row's many-to-many links (a core element's activities,
    a development point's elements) writes no UPDATE of the row, so its version would
    stay, and a colleague's save from the older version would quietly undo it. Such a
    change touches the row's updated_at, so the row is updated and its version moves."""
    for obj in session.dirty:
        if not isinstance(obj, Versioned) or not isinstance(obj, Timestamped):
            continue
        state = inspect(obj)
        if any(
            rel.secondary is not None and state.attrs[rel.key].history.has_changes()
            for rel in state.mapper.relationships
        ):
            obj.updated_at = utcnow()
