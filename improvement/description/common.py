"""Helpers shared by the description views: loading children, ordering, history."""

from flask import abort, request
from flask_babel import gettext as _
from sqlalchemy import select, update

from ..access import get_or_404_for_user, scoped
from ..extensions import db
from ..models import AuditEvent, Intervention, User


def load_intervention(intervention_id: int) -> Intervention:
    return get_or_404_for_user(Intervention, intervention_id)


def load_child(model, intervention_id: int, object_id: int, *options):
    """An object of the intervention; one under another intervention is as missing as none."""
    obj = get_or_404_for_user(model, object_id, *options)
    if obj.intervention_id != intervention_id:
        abort(404)
    return obj


def set_positions(model, ids: list[int]) -> None:
    """Positions are order, not content: set them without bumping versions or auditing."""
    for position, object_id in enumerate(ids):
        db.session.execute(
            update(model).where(model.id == object_id).values(position=position),
            execution_options={"synchronize_session": False},
        )


def reorder(model, siblings: list, ids: list[int] | None = None) -> bool:
    """Apply a new order given as ids (drag and drop). False if the ids are not the siblings."""
    ids = ids if ids is not None else _ids_from_request()
    if sorted(ids) != sorted(s.id for s in siblings):
        return False
    set_positions(model, ids)
    db.session.commit()
    return True


def move(model, siblings: list, obj) -> None:
    """Move one object a step up or down (the keyboard alternative to dragging)."""
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    ids = [s.id for s in siblings]
    index = ids.index(obj.id)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(ids):
        ids[index], ids[target] = ids[target], ids[index]
        set_positions(model, ids)
        db.session.commit()


def _ids_from_request() -> list[int]:
    try:
        return [int(v) for v in request.form.getlist("ids")]
    except ValueError:
        abort(400)


def stale_message() -> str:
    return _(
        "Someone else changed this while you were editing. Your text is kept in the form; "
        "their version is shown beside it. Save again to keep yours."
    )


def _field_labels() -> dict[str, str]:
    return {
        "name": _("Name"),
        "title": _("Title"),
        "text": _("Text"),
        "description": _("Description"),
        "why": _("Why it matters"),
        "focus": _("What it focuses on"),
        "practice": _("What it means in practice"),
        "status": _("Status"),
        "kind": _("Kind"),
        "owner_id": _("Owner"),
        "archived": _("archived"),
        "knowledge": _("Knowledge"),
        "step": _("Step"),
        "child": _("The child or young person"),
        "parents": _("The parents"),
        "professionals": _("The professionals"),
        "phase_id": _("Phase"),
    }


def history(model, obj) -> list[dict]:
    """The item's audit trail, newest first, with who made each change."""
    stmt = (
        scoped(AuditEvent)
        .where(AuditEvent.object_type == model.__name__, AuditEvent.object_id == obj.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    events = list(db.session.scalars(stmt))
    user_ids = {e.user_id for e in events if e.user_id}
    names = (
        dict(db.session.execute(select(User.id, User.name).where(User.id.in_(user_ids))).all())
        if user_ids
        else {}
    )
    labels = _field_labels()
    rows = []
    for event in events:
        changes = []
        for key, (old, new) in (event.changes or {}).items():
            if key in ("id", "organization_id", "intervention_id", "position"):
                continue
            changes.append({"field": labels.get(key, key), "old": old, "new": new})
        if event.action == "update" and not changes:
            continue
        rows.append(
            {
                "at": event.at,
                "action": event.action,
                "user": names.get(event.user_id, _("System")),
                "changes": changes,
            }
        )
    return rows
