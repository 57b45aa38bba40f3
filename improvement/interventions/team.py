"""Queries for an intervention's quality team."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..ids import parse_id
from ..models import READ_ONLY_ROLES, Intervention, Membership, TeamMember, User
from ..names import sort_key


def team_of(intervention: Intervention) -> list[TeamMember]:
    """The team in Danish alphabetical order of name, one query. Every list of the team
    reads it in this order (the overview's table, the owner and "who" selects, the board's
    filter): a person is found where the alphabet puts them, whether or not they are in
    the quality team, and ticking that box does not move their row."""
    stmt = (
        select(TeamMember)
        .where(TeamMember.intervention_id == intervention.id)
        .options(joinedload(TeamMember.user))
    )
    return sorted(db.session.scalars(stmt), key=lambda member: sort_key(member.user.name))


# The professional role a member's role in the organisation suggests on the team (an
# admin's says nothing about their profession).
PROFESSIONAL_ROLE_OF = {
    "leader": "leader",
    "practitioner": "practitioner",
    "authority": "authority_caseworker",
    "partner": "partner",
}


def addable_users(intervention: Intervention) -> list[tuple[User, str]]:
    """Members of the intervention's organisation who are not yet on its team, each with
    their role in the organisation, in Danish alphabetical order as the team (team_of).

    Read-only roles (evaluators) are left out: a team member works in the intervention and
    can be made responsible for cases, which someone who may change nothing cannot be."""
    on_team = select(TeamMember.user_id).where(TeamMember.intervention_id == intervention.id)
    stmt = (
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organization_id == intervention.organization_id,
            Membership.role.not_in(READ_ONLY_ROLES),
            User.active.is_(True),
            User.id.not_in(on_team),
        )
    )
    rows = [(user, role) for user, role in db.session.execute(stmt)]
    return sorted(rows, key=lambda row: sort_key(row[0].name))


def is_read_only_member(intervention: Intervention, user_id: object) -> bool:
    """Whether the user id (as posted) is a member of the organisation in a read-only role."""
    user_id = parse_id(user_id)
    if user_id is None:
        return False
    stmt = select(Membership.id).where(
        Membership.organization_id == intervention.organization_id,
        Membership.user_id == user_id,
        Membership.role.in_(READ_ONLY_ROLES),
    )
    return db.session.scalar(stmt) is not None
