"""Factories for the description area: one of everything under an intervention."""

from improvement.extensions import db
from improvement.models import (
    Assumption,
    AssumptionReference,
    ChangeTheoryItem,
    ChangeTheoryLink,
    CoreElement,
    DescriptionVersion,
    DevelopmentPoint,
    OrganisationalPrerequisite,
    Phase,
    WorkflowStep,
)

EMPTY_SNAPSHOT = {
    "name": "Indsats",
    "target_group": "",
    "purpose": "",
    "theory": {
        "purpose": "",
        "activities": [],
        "short_term": [],
        "long_term": [],
        "assumptions": [],
    },
    "core_elements": [],
    "workflows": [],
    "development_points": [],
}


def _scope(intervention):
    return {"organization_id": intervention.organization_id, "intervention_id": intervention.id}


def gen_core_element(intervention, name="Tæt kontakt", position=0, **fields):
    element = CoreElement(name=name, position=position, **_scope(intervention), **fields)
    db.session.add(element)
    db.session.flush()
    return element


def gen_prerequisite(intervention, name="Stærk faglig ledelse", position=0, **fields):
    item = OrganisationalPrerequisite(
        name=name, position=position, **_scope(intervention), **fields
    )
    db.session.add(item)
    db.session.flush()
    return item


def gen_point(intervention, title="Fast dagsorden", position=0, **fields):
    point = DevelopmentPoint(title=title, position=position, **_scope(intervention), **fields)
    db.session.add(point)
    db.session.flush()
    return point


def gen_phase(intervention, name="Opstart", position=0):
    phase = Phase(name=name, position=position, **_scope(intervention))
    db.session.add(phase)
    db.session.flush()
    return phase


def gen_step(phase, step="Opstartsmøde", position=0, **fields):
    item = WorkflowStep(
        phase_id=phase.id,
        step=step,
        position=position,
        organization_id=phase.organization_id,
        intervention_id=phase.intervention_id,
        **fields,
    )
    db.session.add(item)
    db.session.flush()
    return item


def gen_item(intervention, kind="activity", text="Hjemmebesøg", position=0):
    item = ChangeTheoryItem(kind=kind, text=text, position=position, **_scope(intervention))
    db.session.add(item)
    db.session.flush()
    return item


def gen_assumption(intervention, text="Tilknytning etableres tidligt", knowledge=""):
    assumption = Assumption(text=text, knowledge=knowledge, **_scope(intervention))
    db.session.add(assumption)
    db.session.flush()
    return assumption


def gen_description(intervention) -> dict:
    core = gen_core_element(intervention)
    point = gen_point(intervention)
    phase = gen_phase(intervention)
    step = gen_step(phase)
    activity = gen_item(intervention, "activity", "Hjemmebesøg")
    result = gen_item(intervention, "short_term", "Sensitiv omsorg")
    assumption = gen_assumption(intervention)
    reference = AssumptionReference(
        organization_id=intervention.organization_id,
        assumption_id=assumption.id,
        author="Bowlby, J.",
        year=1969,
        title="Attachment",
    )
    link = ChangeTheoryLink(
        source_id=activity.id,
        target_id=result.id,
        assumption_id=assumption.id,
        **_scope(intervention),
    )
    version = DescriptionVersion(
        number=1, note="Første", snapshot=EMPTY_SNAPSHOT, **_scope(intervention)
    )
    db.session.add_all([reference, link, version])
    db.session.flush()
    return {
        "core_element": core,
        "point": point,
        "phase": phase,
        "step": step,
        "item": activity,
        "result": result,
        "assumption": assumption,
        "reference": reference,
        "link": link,
        "version": version,
    }
