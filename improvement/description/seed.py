"""Demo data for the description pages: theory of change, workflows and organisational
prerequisites from seeds/demo.yaml, links of the logic models from seeds/theory_links.yaml.
Loading twice changes nothing. And the copy of the framework's organisational
prerequisites a team starts from ("Start fra skabelon")."""

from sqlalchemy import select

from ..extensions import db
from ..models import (
    Assumption,
    AssumptionReference,
    ChangeTheory,
    ChangeTheoryItem,
    ChangeTheoryLink,
    CoreElement,
    Intervention,
    OrganisationalPrerequisite,
    Phase,
    WorkflowStep,
)
from ..models.theory import THEORY_PREFIX
from ..names import name_key

KIND_KEYS = {"activity": "activities", "short_term": "short_term", "long_term": "long_term"}


def load_description_extras(intervention: Intervention, data: dict, extras: dict) -> None:
    org = {"organization_id": intervention.organization_id, "intervention_id": intervention.id}
    toc = data.get("theory_of_change") or {}
    if toc:
        _load_theory(intervention, toc, extras.get(intervention.name) or {}, org)
    _load_workflows(intervention, data.get("workflows") or {}, org)
    _add_prerequisites(intervention, data.get("prerequisites") or [])


def copy_framework_prerequisites(intervention: Intervention) -> int:
    """Copy the four organisational prerequisites of the progression framework (seed 004,
    seeds/progression_framework.yaml) into the intervention, after its own, skipping a
    name already in use (archived ones included, as the form refuses them). Each starts
    as not assessed: the team has not judged it yet. Returns how many were added."""
    from ..seeding import read  # improvement.seeding imports this module

    return _add_prerequisites(intervention, read("progression_framework.yaml")["prerequisites"])


def _add_prerequisites(intervention: Intervention, items: list) -> int:
    """Add `items` (name, description; the demo's also status and gap) after the
    intervention's prerequisites, skipping names in use."""
    if not items:
        return 0
    # The intervention's own rows (it was loaded through access control, or is the demo's).
    rows = db.session.execute(
        select(OrganisationalPrerequisite.name, OrganisationalPrerequisite.position).where(
            OrganisationalPrerequisite.intervention_id == intervention.id
        )
    ).all()
    taken = {name_key(name) for name, _position in rows}
    position = max((p for _name, p in rows), default=-1) + 1
    added = 0
    for item in items:
        if name_key(item["name"]) in taken:
            continue
        taken.add(name_key(item["name"]))
        db.session.add(
            OrganisationalPrerequisite(
                organization_id=intervention.organization_id,
                intervention_id=intervention.id,
                name=item["name"],
                description=item.get("description", ""),
                status=item.get("status", "not_assessed"),
                gap=item.get("gap", ""),
                position=position,
            )
        )
        position += 1
        added += 1
    return added


def _load_theory(intervention: Intervention, toc: dict, extras: dict, org: dict) -> None:
    exists = db.session.scalars(
        select(ChangeTheoryItem.id).where(ChangeTheoryItem.intervention_id == intervention.id)
    ).first()
    if exists is not None:
        return  # the team's own theory of change is never touched
    if toc.get("purpose"):
        db.session.add(ChangeTheory(purpose=toc["purpose"], **org))
    labels: dict[str, ChangeTheoryItem] = {}
    for kind, key in KIND_KEYS.items():
        for position, text in enumerate(toc.get(key, [])):
            item = ChangeTheoryItem(kind=kind, text=text, position=position, **org)
            db.session.add(item)
            labels[f"{THEORY_PREFIX[kind]}{position + 1}"] = item
    assumptions = []
    for position, a in enumerate(toc.get("assumptions", [])):
        assumption = Assumption(
            text=a["text"], knowledge=a.get("knowledge", ""), position=position, **org
        )
        for r in a.get("references") or []:
            assumption.references.append(
                AssumptionReference(
                    organization_id=intervention.organization_id,
                    author=r["author"],
                    year=r.get("year"),
                    title=r["title"],
                    url=r.get("url") or "",
                )
            )
        db.session.add(assumption)
        assumptions.append(assumption)
    db.session.flush()
    for source, target, number in extras.get("links") or []:
        if source not in labels or target not in labels:
            continue
        assumption = assumptions[number - 1] if number and number <= len(assumptions) else None
        db.session.add(
            ChangeTheoryLink(
                source_id=labels[source].id,
                target_id=labels[target].id,
                assumption_id=assumption.id if assumption else None,
                **org,
            )
        )
    carried = extras.get("core_elements") or {}
    for element in db.session.scalars(
        select(CoreElement).where(CoreElement.intervention_id == intervention.id)
    ):
        element.activities = [
            labels[label] for label in carried.get(element.name, []) if label in labels
        ]


def _load_workflows(intervention: Intervention, workflows: dict, org: dict) -> None:
    phases = {
        p.name: p
        for p in db.session.scalars(select(Phase).where(Phase.intervention_id == intervention.id))
    }
    existing = {
        (s.phase_id, s.step)
        for s in db.session.scalars(
            select(WorkflowStep).where(WorkflowStep.intervention_id == intervention.id)
        )
    }
    for phase_name, steps in workflows.items():
        phase = phases.get(phase_name)
        if phase is None:
            continue
        for position, s in enumerate(steps):
            if (phase.id, s["step"]) in existing:
                continue
            db.session.add(
                WorkflowStep(
                    phase_id=phase.id,
                    step=s["step"],
                    child=s.get("child", ""),
                    parents=s.get("parents", ""),
                    professionals=s.get("professionals", ""),
                    position=position,
                    **org,
                )
            )
