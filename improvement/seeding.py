"""Load reference and demo data from seeds/*.yaml. Loading twice changes nothing.

Rows are matched on natural keys (element number, organisation name, e-mail, intervention
name within its organisation), created when missing and otherwise left as they are, so
a team's own edits to demo data survive a re-run of `make run`.
"""

from pathlib import Path

import yaml
from sqlalchemy import select

from .extensions import db
from .models import (
    CoreElement,
    DevelopmentPoint,
    Intervention,
    Membership,
    Organization,
    Phase,
    PracticeElement,
    TeamMember,
    User,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def read(name: str) -> dict:
    with (SEEDS / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_reference() -> int:
    """The 11 elements. Returns the number of rows created."""
    existing = {e.number: e for e in db.session.scalars(select(PracticeElement))}
    created = 0
    for item in read("elements.yaml")["elements"]:
        if item["number"] in existing:
            continue
        db.session.add(
            PracticeElement(
                number=item["number"],
                name=item["name"],
                track=item["track"],
                description=item.get("description", ""),
            )
        )
        created += 1
    db.session.commit()
    return created


def _get_or_create(model, lookup: dict, **defaults):
    obj = db.session.scalars(select(model).filter_by(**lookup)).first()
    if obj is None:
        obj = model(**lookup, **defaults)
        db.session.add(obj)
        db.session.flush()
        return obj, True
    return obj, False


def _membership(user: User, org: Organization, role: str) -> None:
    _get_or_create(Membership, {"user_id": user.id, "organization_id": org.id}, role=role)


def load_demo() -> dict[str, int]:
    """Two demo organisations with users for every role, interventions and teams."""
    data = read("demo.yaml")
    counts = {"organisations": 0, "users": 0, "interventions": 0}
    users: dict[str, User] = {}
    orgs: list[tuple[Organization, dict]] = []
    for org_data in data["organizations"]:
        org, new = _get_or_create(
            Organization, {"name": org_data["name"]}, kind=org_data.get("kind", "kommune")
        )
        counts["organisations"] += new
        orgs.append((org, org_data))
        for u in org_data.get("users", []):
            user = db.session.scalars(select(User).where(User.email == u["email"])).first()
            if user is None:
                user = User(email=u["email"], name=u["name"], locale="da")
                user.set_password(data["password"])
                db.session.add(user)
                db.session.flush()
                counts["users"] += 1
            users[u["email"]] = user
            _membership(user, org, u["role"])
    # Members borrowed from another organisation need every user created first.
    for org, org_data in orgs:
        for extra in org_data.get("extra_members", []):
            _membership(users[extra["email"]], org, extra["role"])
        for i_data in org_data.get("interventions", []):
            intervention, new = _get_or_create(
                Intervention,
                {"organization_id": org.id, "name": i_data["name"]},
                target_group=i_data.get("target_group", ""),
                purpose=i_data.get("purpose", ""),
                status=i_data.get("status", "description"),
                start_date=i_data.get("start_date"),
            )
            counts["interventions"] += new
            _load_description(intervention, i_data)
            for t in i_data.get("team", []):
                _get_or_create(
                    TeamMember,
                    {"intervention_id": intervention.id, "user_id": users[t["email"]].id},
                    organization_id=org.id,
                    professional_role=t["professional_role"],
                    in_quality_team=t.get("in_quality_team", True),
                )
    db.session.commit()
    from .cases.demo import load_demo_cases

    counts["cases"] = load_demo_cases([org.id for org, _ in orgs])
    return counts


def _load_description(intervention: Intervention, data: dict) -> None:
    """Phases, core elements and development points of a demo intervention."""
    scope = {"intervention_id": intervention.id}
    org = {"organization_id": intervention.organization_id}
    for position, name in enumerate(data.get("phases", [])):
        _get_or_create(Phase, {**scope, "name": name}, position=position, **org)
    elements = {}
    for position, ce in enumerate(data.get("core_elements", [])):
        element, _ = _get_or_create(
            CoreElement,
            {**scope, "name": ce["name"]},
            position=position,
            description=ce.get("description", ""),
            why=ce.get("why", ""),
            focus=ce.get("focus", ""),
            practice=ce.get("practice", ""),
            status=ce.get("status", "potential"),
            **org,
        )
        elements[element.name] = element
    practice_elements = {e.number: e for e in db.session.scalars(select(PracticeElement))}
    for position, dp in enumerate(data.get("development_points", [])):
        point, new = _get_or_create(
            DevelopmentPoint,
            {**scope, "title": dp["title"]},
            position=position,
            description=dp.get("description", ""),
            kind=dp.get("kind", "practice"),
            status=dp.get("status", "proposed"),
            **org,
        )
        if new:
            point.practice_elements = [practice_elements[n] for n in dp.get("elements", [])]
            point.core_elements = [
                elements[n] for n in dp.get("core_elements", []) if n in elements
            ]
