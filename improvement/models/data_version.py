"""The organisation's data version: raised in the same transaction as every write.

Pages put the version in their ETag (improvement/revalidation.py), so it must change
whenever anything a page of the organisation shows may have changed. The rule is
conservative, because a missed write would show a team an old page:

- a written row with an organisation id raises that organisation; a row shared by all
  organisations (organisation id left empty, like the standard instrument) raises all;
- a written user raises every organisation the user belongs to (names show everywhere);
- an organisation raises itself;
- a row without an organisation column (a child, like an instrument's statement), and a
  bulk statement whose rows are not seen, raises the current organisation inside a
  request (access control confines writes to it) and every organisation outside one
  (command line, scripts).

Not seen: `text()` statements, the legacy `bulk_*` session methods, SQL sent on
`session.connection()` outside a flush, and SQL typed into psql. Pages then catch up
within the hour (see improvement/revalidation.py), or at once after `UPDATE organization
SET data_version = data_version + 1`.

The raise happens once, just before the commit: a reader never sees the new rows with
the old version, and the organisation rows are locked last, after any case locks the
rating hook takes, so two writers always lock in the same order.
"""

from flask import g, has_request_context
from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session

from .organisations import LoginThrottle, Membership, Organization, User

# Rows no page shows: writing them must not make every browser render again.
UNSHOWN = (LoginThrottle,)
EVERY = "every"


def _current_org_or_every():
    # Only the membership access control already looked up: no query inside a flush.
    membership = g.get("membership") if has_request_context() else None
    return membership.organization_id if membership is not None else EVERY


def _orgs_of(obj) -> set:
    if isinstance(obj, UNSHOWN):
        return set()
    if isinstance(obj, Organization):
        return {obj.id}
    if isinstance(obj, User):
        return {("user", obj.id)}
    if not hasattr(obj, "organization_id"):  # a child row, written where its parent is
        return {_current_org_or_every()}
    # No organisation on a row that can have one: shared by all (standard instrument).
    return {obj.organization_id if obj.organization_id is not None else EVERY}


def _written(session: Session) -> set:
    return session.info.setdefault("written_orgs", set())


@event.listens_for(Session, "after_flush")
def _collect_flushed(session: Session, _flush_context) -> None:
    written = _written(session)
    # An object touched with its own values is dirty but writes nothing.
    changed = [obj for obj in session.dirty if session.is_modified(obj)]
    for obj in (*session.new, *changed, *session.deleted):
        written |= _orgs_of(obj)


@event.listens_for(Session, "do_orm_execute")
def _collect_statement(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _written(state.session).add(_current_org_or_every())


@event.listens_for(Session, "before_commit")
def _raise_versions(session: Session) -> None:
    if session.in_nested_transaction():
        return  # releasing a savepoint: the outer commit raises, and locks last
    session.flush()  # the commit would flush after this hook; its rows must count too
    written = session.info.pop("written_orgs", set())
    if not written:
        return
    table = Organization.__table__
    rows = select(table.c.id).order_by(table.c.id)
    if EVERY not in written:
        org_ids = {o for o in written if isinstance(o, int)}
        user_ids = [o[1] for o in written if isinstance(o, tuple)]
        where = table.c.id.in_(sorted(org_ids))
        if user_ids:
            members = select(Membership.organization_id).where(Membership.user_id.in_(user_ids))
            where = or_(where, table.c.id.in_(members))
        rows = rows.where(where)
    # Several organisations are locked in id order, so two such commits cannot deadlock;
    # updated_at is kept for edits of the organisation itself, which this is not.
    locked = rows.with_for_update(key_share=True).scalar_subquery()
    session.connection().execute(
        update(table)
        .where(table.c.id.in_(locked))
        .values(data_version=table.c.data_version + 1, updated_at=table.c.updated_at)
    )


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction) -> None:
    # A rolled-back or closed transaction wrote nothing that anyone will see.
    if transaction.parent is None:
        session.info.pop("written_orgs", None)
