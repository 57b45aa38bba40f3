"""Queries for an intervention's quality team."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Intervention, Membership, TeamMember, User


def team_of(intervention: Intervention) -> list[TeamMember]:
    stmt = (
        select(TeamMember)
        .join(TeamMember.user)
        .where(TeamMember.intervention_id == intervention.id)
        .options(joinedload(TeamMember.user))
        .order_by(TeamMember.in_quality_team.desc(), User.name)
    )
    return list(db.session.scalars(stmt))


def addable_users(intervention: Intervention) -> list[User]:
    """Members of the intervention's organisation who are not yet on its team."""
    on_team = select(TeamMember.user_id).where(TeamMember.intervention_id == intervention.id)
    stmt = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organization_id == intervention.organization_id,
            User.active.is_(True),
            User.id.not_in(on_team),
        )
        .order_by(User.name)
    )
    return list(db.session.scalars(stmt))
