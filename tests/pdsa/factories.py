"""Factories for improvement work (kept here, beside the tests that use them)."""

import itertools
from datetime import date

from improvement.extensions import db
from improvement.models import ActionItem, DevelopmentPoint, Meeting, PdsaCycle

_seq = itertools.count(1)


def gen_point(intervention, title=None, **fields) -> DevelopmentPoint:
    point = DevelopmentPoint(
        organization_id=intervention.organization_id,
        intervention_id=intervention.id,
        title=title or f"Udviklingspunkt {next(_seq)}",
        **fields,
    )
    db.session.add(point)
    db.session.flush()
    return point


def gen_cycle(point, title=None, owner=None, phase="plan", **fields) -> PdsaCycle:
    cycle = PdsaCycle(
        organization_id=point.organization_id,
        intervention_id=point.intervention_id,
        development_point_id=point.id,
        title=title or f"Prøvehandling {next(_seq)}",
        owner_id=owner.id if owner else None,
        phase=phase,
        **fields,
    )
    db.session.add(cycle)
    db.session.flush()
    return cycle


def gen_meeting(intervention, held_on=None, kind="quality_team", **fields) -> Meeting:
    meeting = Meeting(
        organization_id=intervention.organization_id,
        intervention_id=intervention.id,
        held_on=held_on or date(2026, 1, 15),
        kind=kind,
        **fields,
    )
    db.session.add(meeting)
    db.session.flush()
    return meeting


def gen_action_item(meeting, what=None, owner=None, **fields) -> ActionItem:
    item = ActionItem(
        organization_id=meeting.organization_id,
        intervention_id=meeting.intervention_id,
        meeting_id=meeting.id,
        what=what or f"Handling {next(_seq)}",
        owner_id=owner.id if owner else None,
        **fields,
    )
    db.session.add(item)
    db.session.flush()
    return item
