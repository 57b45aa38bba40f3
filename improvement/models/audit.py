"""Audit trail: one table of who changed what when, written by one session hook.

Any model with `__audited__ = True` is recorded on insert, update and delete, so a feature
gets history by setting one attribute instead of remembering to call a logger.
"""

from datetime import date, datetime
from decimal import Decimal

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, event, insert, inspect, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..extensions import db
from .base import utcnow

# Bookkeeping columns that change on every write and say nothing to a reader.
_IGNORED = {"version", "updated_at", "created_at"}


class AuditEvent(db.Model):
    # A history reads one object's events in its organisation, and finds the deleted
    # children of a case or a meeting from the few deletions (migration 0017).
    __table_args__ = (
        Index("ix_audit_event_object", "organization_id", "object_type", "object_id"),
        Index(
            "ix_audit_event_deleted",
            "organization_id",
            "object_type",
            "object_id",
            postgresql_where=text("action = 'delete'"),
            sqlite_where=text("action = 'delete'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[int] = mapped_column()
    action: Mapped[str] = mapped_column(String(10))
    changes: Mapped[dict] = mapped_column(JSON, default=dict)


def _plain(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _changes(obj, action: str) -> dict:
    state = inspect(obj)
    changes = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _IGNORED:
            continue
        hist = state.attrs[attr.key].history
        if action == "insert":
            changes[attr.key] = [None, _plain(getattr(obj, attr.key))]
        elif action == "update" and hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            changes[attr.key] = [_plain(old), _plain(new)]
    return changes


def _link_label(obj) -> str:
    """A linked object as a history line names it: an element of promising practice by
    number and name, a core element by name, a theory-of-change item by its text."""
    number = getattr(obj, "number", None)
    name = getattr(obj, "name", None) or getattr(obj, "text", "")
    return f"{number}. {name}" if number is not None else name


def _links(objects) -> str | None:
    ordered = sorted(
        objects, key=lambda o: getattr(o, "number", None) or getattr(o, "position", 0) or 0
    )
    return ", ".join(_link_label(o) for o in ordered) or None


def _link_changes(obj, action: str) -> dict:
    """What a save changed in the object's many-to-many links (a development point's core
    elements and elements of promising practice, a core element's activities): they live
    in link tables, not columns, but are edited in the same form as the columns."""
    state = inspect(obj)
    changes = {}
    for rel in state.mapper.relationships:
        if rel.secondary is None:
            continue
        hist = state.attrs[rel.key].history
        if action == "insert" and hist.added:
            changes[rel.key] = [None, _links(hist.added)]
        elif action == "update" and hist.has_changes():
            old = _links([*hist.unchanged, *hist.deleted])
            new = _links([*hist.unchanged, *hist.added])
            if old != new:
                changes[rel.key] = [old, new]
    return changes


def _actor_id() -> int | None:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id
    return None


@event.listens_for(Session, "after_flush")
def _record(session: Session, _flush_context) -> None:
    rows = []
    for action, objects in (
        ("insert", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if not getattr(obj, "__audited__", False):
                continue
            changes = _changes(obj, action) | _link_changes(obj, action)
            if action == "update" and not changes:
                continue
            rows.append(
                {
                    "at": utcnow(),
                    "organization_id": getattr(obj, "organization_id", None),
                    "user_id": _actor_id(),
                    "object_type": type(obj).__name__,
                    "object_id": obj.id,
                    "action": action,
                    "changes": changes,
                }
            )
    if rows:
        # Written on the flush's own connection, so the trail commits or rolls back with the change.
        session.connection().execute(insert(AuditEvent.__table__), rows)
