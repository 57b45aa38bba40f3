"""All models, imported here so Alembic and the app see every table."""

from .audit import AuditEvent
from .cases import (
    GOAL_ATTAINMENT,
    PROBLEM_GRADES,
    REFLECTED_ADJUSTMENT,
    Case,
    CaseFollowUp,
    CoreElementRating,
    ProblemCategory,
)
from .description import (
    CORE_ELEMENT_STATUSES,
    DEVELOPMENT_POINT_KINDS,
    DEVELOPMENT_POINT_STATUSES,
    CoreElement,
    DevelopmentPoint,
    Phase,
)
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
    "GOAL_ATTAINMENT",
    "PROBLEM_GRADES",
    "REFLECTED_ADJUSTMENT",
    "Case",
    "CaseFollowUp",
    "CoreElementRating",
    "ProblemCategory",
    "CORE_ELEMENT_STATUSES",
    "DEVELOPMENT_POINT_KINDS",
    "DEVELOPMENT_POINT_STATUSES",
    "CoreElement",
    "DevelopmentPoint",
    "Phase",
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
