"""Factories for the cases area: phases, core elements, cases and ratings."""

from datetime import UTC, date, datetime

from improvement.cases.service import ensure_categories
from improvement.extensions import db
from improvement.models import Case, CaseFollowUp, CoreElement, CoreElementRating, Phase


def gen_phase(intervention, name, position=0, archived=False) -> Phase:
    phase = Phase(
        organization_id=intervention.organization_id,
        intervention_id=intervention.id,
        name=name,
        position=position,
        archived=archived,
    )
    db.session.add(phase)
    db.session.flush()
    return phase


def gen_core_element(intervention, name, position=0, archived=False) -> CoreElement:
    element = CoreElement(
        organization_id=intervention.organization_id,
        intervention_id=intervention.id,
        name=name,
        position=position,
        archived=archived,
    )
    db.session.add(element)
    db.session.flush()
    return element


def gen_case(intervention, code, start=date(2026, 1, 5), **fields) -> Case:
    ensure_categories(intervention.organization_id)
    followups = fields.pop("followups", [])
    case = Case(
        organization_id=intervention.organization_id,
        intervention_id=intervention.id,
        code=code,
        start_date=start,
        **fields,
    )
    for day in followups:
        case.followups.append(CaseFollowUp(organization_id=case.organization_id, held_on=day))
    db.session.add(case)
    db.session.flush()
    return case


def gen_rating(case, phase, element, score, day=date(2026, 2, 1), rater=None, comment=""):
    rating = CoreElementRating(
        organization_id=case.organization_id,
        case_id=case.id,
        phase_id=phase.id,
        core_element_id=element.id,
        score=score,
        comment=comment,
        rater_id=rater.id if rater else None,
        rated_at=datetime(day.year, day.month, day.day, 10, tzinfo=UTC),
    )
    db.session.add(rating)
    db.session.flush()
    return rating
