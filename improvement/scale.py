"""Synthetic data at municipal or national scale, deterministic from a seed, bulk-inserted.

`flask seed-scale --size national` builds 98 organisations and 1,000 interventions with
teams, phases, core elements and development points; features add their own rows through
EXTENSIONS (functions taking the generator's context). Rows go in with executemany inserts
in batches, never one ORM object at a time, so national size takes minutes, not hours.

The data must be data the app itself accepts: a user of a scaled data set edits it through
the same forms as any other. So rows carry the timestamps of when they would have been
made (not the moment of generation), and who does what is drawn from the intervention's
team, as the forms offer it.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from .extensions import db
from .models import (
    CoreElement,
    DevelopmentPoint,
    Intervention,
    Membership,
    Organization,
    Phase,
    TeamMember,
    User,
)

SIZES = {
    "small": {"orgs": 3, "interventions": 12, "users_per_org": 8},
    "medium": {"orgs": 10, "interventions": 100, "users_per_org": 12},
    "national": {"orgs": 98, "interventions": 1000, "users_per_org": 20},
}
BATCH = 5000
PHASES = ["Opstart", "Forløb", "Afslutning"]
ROLES = ["leader", "practitioner", "practitioner", "practitioner", "authority", "partner"]
KINDS = ["organisational", "practice"]
STATUSES = ["proposed", "prioritised", "in_progress", "in_progress", "done", "dropped"]
# An intervention's team: its professional role for each access role in the organisation,
# and how many of each it has (practitioners deliver the cases, so a team always has some).
PROFESSIONAL_ROLE = {
    "admin": "leader",
    "leader": "leader",
    "practitioner": "practitioner",
    "authority": "authority_caseworker",
    "partner": "partner",
}
TEAM = {"leader": 1, "practitioner": 3, "authority_caseworker": 1, "partner": 1}
# The interventions start before every case, test and round the features date (the
# earliest case starts 1,500 days before their TODAY, 2026-06-01, in April 2022); the
# accounts exist before the first intervention is described (up to 120 days before it).
FIRST_START = date(2021, 1, 1)
START_SPREAD_DAYS = 450
ACCOUNTS_CREATED = datetime(2020, 8, 3, 9, tzinfo=UTC)


def stamp(day: date, hour: int = 10) -> datetime:
    """A moment on `day` (UTC; well inside the Danish day too)."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


@dataclass
class ScaleContext:
    """What the generator made, for extensions to build on."""

    rng: random.Random
    size: str
    org_ids: list[int] = field(default_factory=list)
    users_by_org: dict[int, list[int]] = field(default_factory=dict)
    interventions: list[tuple[int, int, float]] = field(default_factory=list)  # id, org, weight
    phases: dict[int, list[int]] = field(default_factory=dict)
    core_elements: dict[int, list[int]] = field(default_factory=dict)
    development_points: dict[int, list[int]] = field(default_factory=dict)
    point_status: dict[int, str] = field(default_factory=dict)  # development point → status
    # intervention → its team as (user id, professional role), and its start date
    team: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    starts: dict[int, date] = field(default_factory=dict)

    def team_ids(self, intervention_id: int) -> list[int]:
        return [user_id for user_id, _role in self.team[intervention_id]]

    def team_with(self, intervention_id: int, role: str) -> list[int]:
        """The team members with that professional role (the whole team if none has it)."""
        ids = [user_id for user_id, r in self.team[intervention_id] if r == role]
        return ids or self.team_ids(intervention_id)


# Features register functions here that add their rows: fn(context) -> dict of counts.
EXTENSIONS: list[Callable[[ScaleContext], dict]] = []


def bulk_insert(model, rows: list[dict]) -> list[int]:
    """Insert rows in batches and return their ids in order."""
    ids: list[int] = []
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        ids.extend(
            db.session.scalars(
                insert(model).returning(model.id, sort_by_parameter_order=True), chunk
            )
        )
    return ids


def _weights(rng: random.Random, count: int) -> list[float]:
    # Most interventions are small; a few are very large (Pareto-shaped case loads).
    return [min(rng.paretovariate(1.3), 40.0) for _ in range(count)]


def generate(
    size: str = "small", seed: int = 2026, orgs: int | None = None, interventions: int | None = None
) -> dict[str, int]:
    """Generate a data set; `orgs` overrides the size's organisation count (interventions
    scale with it, about ten per organisation as at national size) and `interventions`
    the number of interventions (cases, cycles and rounds scale with that)."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}")
    spec = dict(SIZES[size])
    if orgs:
        spec["interventions"] = max(1, round(spec["interventions"] * orgs / spec["orgs"]))
        spec["orgs"] = orgs
    if interventions:
        spec["interventions"] = interventions
    rng = random.Random(seed)
    ctx = ScaleContext(rng=rng, size=size)
    password = generate_password_hash("skala-demo-1234", method="pbkdf2:sha256:1000")
    taken = set(db.session.scalars(select(Organization.name)))
    names = [f"Skalakommune {n:03d}" for n in range(1, spec["orgs"] + 1)]
    names = [n for n in names if n not in taken]
    created = {"created_at": ACCOUNTS_CREATED, "updated_at": ACCOUNTS_CREATED}
    ctx.org_ids = bulk_insert(
        Organization, [{"name": n, "kind": "kommune", **created} for n in names]
    )
    if not ctx.org_ids:
        return {"organisations": 0}

    users, memberships = [], []
    for org_index in range(len(ctx.org_ids)):
        for u in range(spec["users_per_org"]):
            users.append(
                {
                    "email": f"u{u:02d}@skala{ctx.org_ids[0]}-{org_index:03d}.test",
                    "name": f"Medarbejder {u + 1}",
                    "password_hash": password,
                    "locale": "da",
                    **created,
                }
            )
    user_ids = bulk_insert(User, users)
    per = spec["users_per_org"]
    # org → professional role → its users, for composing the interventions' teams.
    by_role: dict[int, dict[str, list[int]]] = {}
    for org_index, org_id in enumerate(ctx.org_ids):
        ids = user_ids[org_index * per : (org_index + 1) * per]
        ctx.users_by_org[org_id] = ids
        roles = ["admin" if i == 0 else ROLES[i % len(ROLES)] for i in range(len(ids))]
        memberships += [
            {"user_id": uid, "organization_id": org_id, "role": role, **created}
            for uid, role in zip(ids, roles, strict=True)
        ]
        by_role[org_id] = {}
        for uid, role in zip(ids, roles, strict=True):
            by_role[org_id].setdefault(PROFESSIONAL_ROLE[role], []).append(uid)
    bulk_insert(Membership, memberships)

    rows, owners = [], []
    for n in range(spec["interventions"]):
        org_id = ctx.org_ids[n % len(ctx.org_ids)]
        owners.append(org_id)
        start = FIRST_START + timedelta(days=rng.randrange(START_SPREAD_DAYS))
        # Described a while before it started.
        made = stamp(start - timedelta(days=rng.randrange(30, 120)))
        rows.append(
            {
                "organization_id": org_id,
                "name": f"Indsats {n + 1:04d}",
                "target_group": "Familier med børn i alderen 0-17 år",
                "purpose": "Styrke barnets trivsel og forældrenes omsorgskompetencer.",
                "status": rng.choice(["description", "testing", "testing", "operation"]),
                "start_date": start,
                "created_at": made,
                "updated_at": made,
            }
        )
    intervention_ids = bulk_insert(Intervention, rows)
    weights = _weights(rng, len(intervention_ids))
    ctx.interventions = list(zip(intervention_ids, owners, weights, strict=True))

    team, phases, elements, points = [], [], [], []
    for (intervention_id, org_id, _weight), row in zip(ctx.interventions, rows, strict=True):
        ctx.starts[intervention_id] = row["start_date"]
        made = {"created_at": row["created_at"], "updated_at": row["created_at"]}
        # A quality team as DOMAIN.md describes one (a leader, practitioners, the
        # authority's caseworker; here also a partner), each in the professional role
        # matching their role in the organisation. The features draw every practitioner,
        # rater, owner and respondent from it, as the app's forms offer only the team.
        members = []
        for role, wanted in TEAM.items():
            pool = by_role[org_id].get(role, [])
            members += [(uid, role) for uid in rng.sample(pool, k=min(wanted, len(pool)))]
        ctx.team[intervention_id] = members
        for uid, role in members:
            team.append(
                {
                    "organization_id": org_id,
                    "intervention_id": intervention_id,
                    "user_id": uid,
                    "professional_role": role,
                    "in_quality_team": role == "leader" or rng.random() < 0.8,
                    **made,
                }
            )
        phases += [
            {
                "organization_id": org_id,
                "intervention_id": intervention_id,
                "name": name,
                "position": i,
                **made,
            }
            for i, name in enumerate(PHASES)
        ]
        elements += [
            {
                "organization_id": org_id,
                "intervention_id": intervention_id,
                "name": f"Kerneelement {i + 1}",
                "position": i,
                **made,
            }
            for i in range(4)
        ]
        points += [
            {
                "organization_id": org_id,
                "intervention_id": intervention_id,
                "title": f"Udviklingspunkt {i + 1}",
                "kind": rng.choice(KINDS),
                "status": rng.choice(STATUSES),
                "position": i,
                **made,
            }
            for i in range(5)
        ]
    bulk_insert(TeamMember, team)
    for model, rows, target, per_item in (
        (Phase, phases, ctx.phases, len(PHASES)),
        (CoreElement, elements, ctx.core_elements, 4),
        (DevelopmentPoint, points, ctx.development_points, 5),
    ):
        ids = bulk_insert(model, rows)
        for index, (intervention_id, _org, _w) in enumerate(ctx.interventions):
            target[intervention_id] = ids[index * per_item : (index + 1) * per_item]
        if model is DevelopmentPoint:
            ctx.point_status = {i: row["status"] for i, row in zip(ids, rows, strict=True)}

    counts = {
        "organisations": len(ctx.org_ids),
        "users": len(user_ids),
        "interventions": len(intervention_ids),
        "team members": len(team),
    }
    for extend in EXTENSIONS:
        counts.update(extend(ctx))
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # Fresh planner statistics: right after a bulk load PostgreSQL would otherwise
        # guess row counts and scan where an index serves. VACUUM sets the visibility map,
        # without which index-only scans (the heat map's) still visit every row.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    return counts


from . import scale_features  # noqa: E402  (registers the features' generators)

scale_features.register(EXTENSIONS)
