"""All models, imported here so Alembic and the app see every table."""

from .audit import AuditEvent
from .description import (
    CORE_ELEMENT_STATUSES,
    DEVELOPMENT_POINT_KINDS,
    DEVELOPMENT_POINT_STATUSES,
    CoreElement,
    DevelopmentPoint,
    Phase,
)
from .interventions import PROFESSIONAL_ROLES, STATUSES, Intervention, TeamMember
from .meetings import ACTION_STATUSES, MEETING_KINDS, ActionItem, Meeting
from .organisations import (
    ORG_KINDS_KEYS,
    READ_ONLY_ROLES,
    ROLES,
    LoginThrottle,
    Membership,
    Organization,
    User,
)
from .pdsa import (
    ACT_DECISIONS,
    PDSA_PHASES,
    PROGRESS_SCALE,
    ImprovementPlan,
    PdsaCycle,
    ProgressScore,
)
from .reference import TRACKS, PracticeElement
from .theory import (
    THEORY_KINDS,
    Assumption,
    AssumptionReference,
    ChangeTheory,
    ChangeTheoryItem,
    ChangeTheoryLink,
    DescriptionVersion,
    WorkflowStep,
)

__all__ = [
    "THEORY_KINDS",
    "Assumption",
    "AssumptionReference",
    "ChangeTheory",
    "ChangeTheoryItem",
    "ChangeTheoryLink",
    "DescriptionVersion",
    "WorkflowStep",
    "ACT_DECISIONS",
    "ACTION_STATUSES",
    "MEETING_KINDS",
    "PDSA_PHASES",
    "PROGRESS_SCALE",
    "ProgressScore",
    "ActionItem",
    "ImprovementPlan",
    "Meeting",
    "PdsaCycle",
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
