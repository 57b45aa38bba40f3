"""All models, imported here so Alembic and the app see every table."""

from .audit import AuditEvent
from .interventions import PROFESSIONAL_ROLES, STATUSES, Intervention, TeamMember
from .organisations import (
    ORG_KINDS_KEYS,
    READ_ONLY_ROLES,
    ROLES,
    LoginThrottle,
    Membership,
    Organization,
    User,
)
from .reference import TRACKS, PracticeElement

__all__ = [
    "ORG_KINDS_KEYS",
    "PROFESSIONAL_ROLES",
    "READ_ONLY_ROLES",
    "ROLES",
    "STATUSES",
    "TRACKS",
    "AuditEvent",
    "Intervention",
    "LoginThrottle",
    "Membership",
    "Organization",
    "PracticeElement",
    "TeamMember",
    "User",
]
