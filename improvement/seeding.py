"""Load reference and demo data from seeds/*.yaml. Loading twice changes nothing.

Rows are matched on natural keys (element number, organisation name, e-mail, intervention
name within its organisation), created when missing and otherwise left as they are, so
a team's own edits to demo data survive a re-run of `make run`.
"""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import yaml
from sqlalchemy import select

from . import clock
from .description.seed import load_description_extras
from .extensions import db
from .models import (
    ActionItem,
    CoreElement,
    DevelopmentPoint,
    ImprovementPlan,
    Intervention,
    Meeting,
    Membership,
    Organization,
    PdsaCycle,
    Phase,
    PracticeElement,
    ProgressScore,
    TeamMember,
    User,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def read(name: str) -> dict:
    with (SEEDS / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_reference() -> int:
    """The 11 elements. Returns the number of rows created.

    The elements are the seed's, not the organisations' (no page edits them): an existing
    database takes a corrected name or description from seeds/elements.yaml the next time
    this runs (`seed-reference`, `seed-demo`, `make run`)."""
    existing = {e.number: e for e in db.session.scalars(select(PracticeElement))}
    created = 0
    for item in read("elements.yaml")["elements"]:
        if item["number"] in existing:
            element = existing[item["number"]]
            element.name, element.track = item["name"], item["track"]
            element.description = item.get("description", "")
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
    from .assessments.seeding import load_instrument

    load_instrument()
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
    theory_links = read("theory_links.yaml")
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
            db.session.flush()
            load_description_extras(intervention, i_data, theory_links)
            for t in i_data.get("team", []):
                _get_or_create(
                    TeamMember,
                    {"intervention_id": intervention.id, "user_id": users[t["email"]].id},
                    organization_id=org.id,
                    professional_role=t["professional_role"],
                    in_quality_team=t.get("in_quality_team", True),
                )
    from .assessments.seeding import load_demo_rounds

    load_demo_rounds()
    db.session.commit()
    load_improvement_demo()
    from .cases.demo import load_demo_cases

    counts["cases"] = load_demo_cases([org.id for org, _ in orgs])
    db.session.commit()
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


# ---------------------------------------------------------------- improvement work (PDSA)


def _days(value) -> date | None:
    return clock.today() + timedelta(days=value) if value is not None else None


def _moment(value) -> datetime:
    return datetime.now(UTC) + timedelta(days=value or 0)


def _closing(m: dict, a: dict, meetings: list) -> tuple[int, Meeting | None]:
    """(days from today, meeting) a seeded done or dropped action item was closed: at
    the intervention's next seeded meeting held by today, as the app closes an item when
    it is followed up; without one, on its due day (not after today, not before its
    meeting). Never the day the demo is loaded, which would show it closed today in
    every new meeting's follow-up and in the export."""
    held = m["held_days"]
    later = [(other["held_days"], meeting) for other, meeting in meetings]
    later = [(days, meeting) for days, meeting in later if held < days <= 0]
    if later:
        return min(later, key=lambda pair: (pair[0], pair[1].id))
    return max(held, min(a.get("due_days", held), 0)), None


_CYCLE_TEXT = [
    "objective",
    "questions",
    "prediction",
    "plan_details",
    "scale",
    "data_collection",
    "do_description",
    "observations",
    "problems",
    "study_result",
    "learning",
    "act_decision",
    "next_step",
]


def load_improvement_demo() -> int:
    """Model for Improvement, PDSA cycles and meetings from seeds/improvement.yaml.

    Matched on (development point, title) for cycles and (intervention, date, kind) for
    meetings, so running it again adds nothing. Returns the number of cycles created.
    """
    data = read("improvement.yaml")
    users = {u.email: u for u in db.session.scalars(select(User))}
    created = 0
    for i_data in data["interventions"]:
        intervention = db.session.scalars(
            select(Intervention)
            .join(Organization, Organization.id == Intervention.organization_id)
            .where(Organization.name == i_data["organization"])
            .where(Intervention.name == i_data["name"])
        ).first()
        if intervention is None:
            continue
        org = {"organization_id": intervention.organization_id}
        for p_data in i_data.get("development_points", []):
            point = db.session.scalars(
                select(DevelopmentPoint).where(
                    DevelopmentPoint.intervention_id == intervention.id,
                    DevelopmentPoint.title == p_data["title"],
                )
            ).first()
            if point is None:
                continue
            _get_or_create(
                ImprovementPlan,
                {"development_point_id": point.id},
                aim=p_data.get("aim", ""),
                measure=p_data.get("measure", ""),
                change_ideas=p_data.get("change_ideas", "").strip(),
                **org,
            )
            by_title: dict[str, PdsaCycle] = {}
            for c in p_data.get("cycles", []):
                previous = by_title.get(c.get("after", ""))
                lookup = {
                    "development_point_id": point.id,
                    "title": c["title"],
                    "previous_id": previous.id if previous else None,
                }
                owner = users.get(c.get("owner", ""))
                phase = c.get("phase", "plan")
                # Created a few days before anything else happened to it.
                offsets = [c[k] for k in ("started_days", "moved_days", "acted_days") if k in c]
                created_days = min(offsets, default=0) - 3
                cycle, new = _get_or_create(
                    PdsaCycle,
                    lookup,
                    intervention_id=intervention.id,
                    owner_id=owner.id if owner else None,
                    phase=phase,
                    planned_start=_days(c.get("started_days")),
                    due_date=_days(c.get("due_days")),
                    done_date=_days(c.get("done_days")),
                    phase_changed_at=_moment(c.get("moved_days")),
                    created_at=_moment(created_days),
                    closed_at=_moment(c.get("moved_days")) if phase == "done" else None,
                    acted_at=_moment(c.get("acted_days", c.get("moved_days")))
                    if phase in ("act", "done")
                    else None,
                    **{name: str(c.get(name, "")).strip() for name in _CYCLE_TEXT},
                    **org,
                )
                created += new
                by_title[c["title"]] = cycle
        for score in i_data.get("progress", []):
            _get_or_create(
                ProgressScore,
                {
                    "intervention_id": intervention.id,
                    "assessed_on": _days(score["days"]),
                    "score_tenths": round(score["score"] * 10),
                },
                note=score.get("note", ""),
                set_by_id=users[score["by"]].id if score.get("by") in users else None,
                **org,
            )
        meetings = []
        for m in i_data.get("meetings", []):
            meeting, _new = _get_or_create(
                Meeting,
                {
                    "intervention_id": intervention.id,
                    "held_on": _days(m["held_days"]),
                    "kind": m.get("kind", "quality_team"),
                },
                participants=m.get("participants", ""),
                agenda=m.get("agenda", ""),
                notes=m.get("notes", ""),
                decisions=m.get("decisions", "").strip(),
                **org,
            )
            meetings.append((m, meeting))
        for m, meeting in meetings:
            for a in m.get("action_items", []):
                owner = users.get(a.get("owner", ""))
                status = a.get("status", "open")
                closed_days, closer = _closing(m, a, meetings) if status != "open" else (None, None)
                _get_or_create(
                    ActionItem,
                    {"meeting_id": meeting.id, "what": a["what"]},
                    intervention_id=intervention.id,
                    owner_id=owner.id if owner else None,
                    due_date=_days(a.get("due_days")),
                    status=status,
                    closed_at=_moment(closed_days) if status != "open" else None,
                    closed_in_meeting_id=closer.id if closer else None,
                    **org,
                )
    db.session.commit()
    return created
