"""Helpers shared by the description views: loading children, ordering, history."""

from flask import abort, request
from sqlalchemy import select, update

from ..access import get_or_404_for_user, scoped
from ..extensions import db
from ..history import history as audit_history
from ..ids import parse_id
from ..models import Intervention


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


def reorder(
    model, intervention: Intervention, siblings: list, ids: list[int] | None = None
) -> bool:
    """Apply a new order given as ids (drag and drop).

    False, and nothing saved, when the ids are the intervention's but no longer exactly the
    siblings: someone added, archived or moved one since the list was shown (the view
    answers 409 with the saved order). An id that is not the intervention's at all (another
    organisation's, another intervention's, none) is as missing as a wrong path: 404."""
    ids = ids if ids is not None else _ids_from_request()
    sibling_ids = {s.id for s in siblings}
    unknown = set(ids) - sibling_ids
    if unknown:
        ours = set(
            db.session.scalars(
                scoped(model, select(model.id)).where(
                    model.id.in_(unknown), model.intervention_id == intervention.id
                )
            )
        )
        if unknown - ours:
            abort(404)
    if sorted(ids) != sorted(sibling_ids):
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
    """Ids the database can hold; anything else names no item of ours: 404, as in a path."""
    ids = [parse_id(v) for v in request.form.getlist("ids")]
    if None in ids:
        abort(404)
    return ids


def history(model, obj) -> list[dict]:
    """The item's audit trail, newest first, with who made each change."""
    return audit_history(model.__name__, obj.id)
