"""Synthetic rows of the features (cases, ratings, PDSA, meetings, self-assessment).

Registered in scale.EXTENSIONS; deterministic from the generator's random state and
bulk-inserted. Volumes per size are in VOLUMES: at national size 50,000 cases with about
1,000,000 core-element ratings, 20,000 PDSA cycles and 5,000 assessment rounds. Cases,
cycles, meetings and rounds are spread over interventions by their weight, so the few very
large interventions carry thousands of cases.
"""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import yaml
from sqlalchemy import insert, select

from .extensions import db
from .models import (
    ActionItem,
    AssessmentAnswer,
    AssessmentInstrument,
    AssessmentRespondent,
    AssessmentRound,
    AssessmentStatement,
    Case,
    CaseFollowUp,
    CoreElementRating,
    ImprovementPlan,
    Meeting,
    PdsaCycle,
    ProblemCategory,
    ProgressScore,
)
from .models.cases import case_problem_category
from .models.pdsa import PROGRESS_SCALE
from .pdsa.rules import PHASE_ORDER

VOLUMES = {
    "small": {"cases": 300, "cycles": 120, "meetings": 60, "rounds": 24},
    "medium": {"cases": 5000, "cycles": 2000, "meetings": 1000, "rounds": 500},
    "national": {"cases": 50000, "cycles": 20000, "meetings": 10000, "rounds": 5000},
}
TODAY = date(2026, 6, 1)
# Seed 002, tables 2-5: (goal, grade, reflected "yes", "no", "not_described") for 51 coded
# cases; used as weights. 146 closed cases had 51 coded outcomes.
OUTCOME_CELLS = [
    ("achieved", "severe", 3, 3, 0),
    ("achieved", "moderate", 3, 1, 0),
    ("achieved", "mild", 2, 3, 5),
    ("progressing", "severe", 2, 3, 0),
    ("progressing", "moderate", 2, 3, 3),
    ("progressing", "mild", 0, 0, 1),
    ("not_achieved", "severe", 2, 5, 0),
    ("not_achieved", "moderate", 2, 3, 2),
    ("not_achieved", "mild", 1, 0, 2),
]
OUTCOMES = [
    (goal, grade, adjustment)
    for goal, grade, *splits in OUTCOME_CELLS
    for adjustment, n in zip(("yes", "no", "not_described"), splits, strict=True)
    for _ in range(n)
]
CODED_SHARE = 51 / 146
CLOSED_SHARE = 0.85
PDSA_MIX = ["done"] * 6 + ["plan", "plan", "do", "study", "act"]
ACT = ["adopt", "adopt", "adapt", "abandon"]
ROLES = ["leader", "practitioner", "practitioner", "practitioner", "authority", "other"]
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _stamp(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def _plain(model, rows):
    """Bulk insert without returning ids (for the big leaf tables)."""
    from .scale import BATCH

    table = model if hasattr(model, "c") else model.__table__
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(table), rows[start : start + BATCH])


def _factor(ctx) -> float:
    """Volumes scale with the number of interventions when --orgs overrides the size."""
    from .scale import SIZES

    return len(ctx.interventions) / SIZES[ctx.size]["interventions"]


def _spread(ctx, total: int) -> list[tuple[int, int]]:
    """(intervention id, org id) for `total` items, drawn in proportion to the weights."""
    ids = [(i, org) for i, org, _w in ctx.interventions]
    weights = [w for _i, _o, w in ctx.interventions]
    return ctx.rng.choices(ids, weights=weights, k=total)


def cases(ctx) -> dict:
    from .scale import bulk_insert

    rng = ctx.rng
    volume = round(VOLUMES[ctx.size]["cases"] * _factor(ctx))
    with (SEEDS / "problem_categories.yaml").open(encoding="utf-8") as handle:
        categories = yaml.safe_load(handle)["categories"]
    category_rows = [
        {
            "organization_id": org_id,
            "key": item["key"],
            "name": item["name"],
            "description": item.get("description", ""),
            "position": position,
        }
        for org_id in ctx.org_ids
        for position, item in enumerate(categories)
    ]
    category_ids = bulk_insert(ProblemCategory, category_rows)
    per_org = {
        org_id: category_ids[n * len(categories) : (n + 1) * len(categories)]
        for n, org_id in enumerate(ctx.org_ids)
    }
    rows, meta, numbers = [], [], {}
    for intervention_id, org_id in _spread(ctx, volume):
        numbers[intervention_id] = numbers.get(intervention_id, 0) + 1
        start = TODAY - timedelta(days=rng.randrange(60, 1500))
        closed = rng.random() < CLOSED_SHARE
        end = min(start + timedelta(days=rng.randrange(90, 540)), TODAY) if closed else None
        phases = ctx.phases[intervention_id]
        reached = len(phases) if closed else rng.randint(1, len(phases))
        outcome = rng.choice(OUTCOMES) if closed and rng.random() < CODED_SHARE else (None,) * 3
        rows.append(
            {
                "organization_id": org_id,
                "intervention_id": intervention_id,
                "code": f"B-{numbers[intervention_id]:05d}",
                "practitioner_id": rng.choice(ctx.users_by_org[org_id]),
                "start_date": start,
                "end_date": end,
                "phase_id": phases[reached - 1],
                "followup_cadence_months": rng.choice([None, None, 2, 3]),
                "goal_attainment": outcome[0],
                "problem_grade": outcome[1],
                "reflected_adjustment": outcome[2],
            }
        )
        meta.append((intervention_id, org_id, start, end or TODAY, reached))
    case_ids = bulk_insert(Case, rows)
    links, followups, ratings = [], [], []
    for case_id, (intervention_id, org_id, start, end, reached) in zip(case_ids, meta, strict=True):
        for category_id in rng.sample(per_org[org_id], rng.randint(1, 2)):
            links.append({"case_id": case_id, "problem_category_id": category_id})
        day = start + timedelta(days=90)
        while day < end:
            if rng.random() < 0.85:
                followups.append({"organization_id": org_id, "case_id": case_id, "held_on": day})
            day += timedelta(days=rng.choice([60, 90, 90, 120]))
        raters = ctx.users_by_org[org_id]
        span = max((end - start).days, 1)
        for p, phase_id in enumerate(ctx.phases[intervention_id][:reached]):
            for element_id in ctx.core_elements[intervention_id]:
                revisions = 1 + (rng.random() < 0.5) + (rng.random() < 0.2)
                for r in range(revisions):
                    day = start + timedelta(days=span * (p + (r + 1) / (revisions + 1)) // 3)
                    ratings.append(
                        {
                            "organization_id": org_id,
                            "case_id": case_id,
                            "phase_id": phase_id,
                            "core_element_id": element_id,
                            "score": min(5, max(1, round(rng.gauss(3.4 + 0.3 * r, 1.0)))),
                            "comment": "",
                            "rater_id": rng.choice(raters),
                            "rated_at": _stamp(day),
                            # Days grow with r and ids with the insert order, so the last
                            # revision is the cell's latest (models.cases.mark_latest's
                            # rule; a test checks the two agree).
                            "is_latest": r == revisions - 1,
                        }
                    )
    _plain(case_problem_category, links)
    _plain(CaseFollowUp, followups)
    _plain(CoreElementRating, ratings)
    return {
        "cases": len(case_ids),
        "follow-ups": len(followups),
        "core-element ratings": len(ratings),
    }


def improvement_work(ctx) -> dict:
    from .scale import bulk_insert

    rng = ctx.rng
    volume = VOLUMES[ctx.size]
    factor = _factor(ctx)
    plans = [
        {
            "organization_id": org_id,
            "development_point_id": point_id,
            "aim": "Alle familier har en aftalt plan inden for 4 uger.",
            "measure": "Andel forløb med plan efter 4 uger.",
            "change_ideas": "Fast opstartsmøde\nSkabelon til plan",
        }
        for intervention_id, org_id, _w in ctx.interventions
        for point_id in ctx.development_points[intervention_id]
        if rng.random() < 0.6
    ]
    _plain(ImprovementPlan, plans)
    cycles = []
    for intervention_id, org_id in _spread(ctx, round(volume["cycles"] * factor)):
        phase = rng.choice(PDSA_MIX)
        reached = PHASE_ORDER.index(phase)  # fields filled as far as the phase needs
        start = TODAY - timedelta(days=rng.randrange(0, 900))
        changed = _stamp(min(start + timedelta(days=rng.randrange(0, 60)), TODAY))
        cycles.append(
            {
                "organization_id": org_id,
                "intervention_id": intervention_id,
                "development_point_id": rng.choice(ctx.development_points[intervention_id]),
                "title": f"Prøvehandling {len(cycles) + 1}",
                "phase": phase,
                "owner_id": rng.choice(ctx.users_by_org[org_id]),
                "planned_start": start,
                "due_date": start + timedelta(days=rng.choice([14, 21, 28])),
                "objective": "Afprøve en ny måde at holde opstartsmøde på.",
                "prediction": "Flere familier deltager aktivt.",
                "do_description": "Afprøvet på to opstartsmøder." if reached >= 2 else "",
                "study_result": "Tre af fire familier deltog aktivt." if reached >= 3 else "",
                "learning": "Skabelonen hjælper samtalen." if reached >= 3 else "",
                "act_decision": rng.choice(ACT) if reached >= 4 else "",
                "next_step": "Udbred til hele teamet." if phase == "done" else "",
                "phase_changed_at": changed,
                "acted_at": changed if phase in ("act", "done") else None,
                "closed_at": changed if phase == "done" else None,
            }
        )
    _plain(PdsaCycle, cycles)
    meetings, meeting_meta = [], []
    for intervention_id, org_id in _spread(ctx, round(volume["meetings"] * factor)):
        held = TODAY - timedelta(days=rng.randrange(0, 900))
        meetings.append(
            {
                "organization_id": org_id,
                "intervention_id": intervention_id,
                "kind": rng.choice(["quality_team", "standup", "standup", "reflection"]),
                "held_on": held,
                "participants": "Kvalitetsteamet",
                "notes": "Gennemgang af tavlen.",
            }
        )
        meeting_meta.append((intervention_id, org_id, held))
    meeting_ids = bulk_insert(Meeting, meetings)
    items = []
    for meeting_id, (intervention_id, org_id, held) in zip(meeting_ids, meeting_meta, strict=True):
        for n in range(rng.randint(0, 4)):
            status = rng.choice(["open", "done", "done", "dropped"]) if held < TODAY else "open"
            items.append(
                {
                    "organization_id": org_id,
                    "intervention_id": intervention_id,
                    "meeting_id": meeting_id,
                    "what": f"Handling {n + 1}",
                    "owner_id": rng.choice(ctx.users_by_org[org_id]),
                    "due_date": held + timedelta(days=14),
                    "status": status,
                    "closed_at": _stamp(held + timedelta(days=10)) if status != "open" else None,
                }
            )
    _plain(ActionItem, items)
    scores = []
    for intervention_id, org_id, _w in ctx.interventions:
        level = rng.randrange(len(PROGRESS_SCALE) // 2)
        for month in range(rng.randint(0, 6)):
            level = min(len(PROGRESS_SCALE) - 1, level + rng.choice([0, 0, 1]))
            scores.append(
                {
                    "organization_id": org_id,
                    "intervention_id": intervention_id,
                    "score_tenths": list(PROGRESS_SCALE)[level],
                    "assessed_on": TODAY - timedelta(days=30 * (6 - month)),
                    "set_by_id": ctx.users_by_org[org_id][0],
                }
            )
    _plain(ProgressScore, scores)
    return {
        "improvement plans": len(plans),
        "PDSA cycles": len(cycles),
        "meetings": len(meeting_ids),
        "action items": len(items),
        "progress scores": len(scores),
    }


def assessments(ctx) -> dict:
    from .scale import bulk_insert

    rng = ctx.rng
    instrument_id = db.session.scalar(
        select(AssessmentInstrument.id)
        .where(AssessmentInstrument.organization_id.is_(None))
        .order_by(AssessmentInstrument.id)
    )
    if instrument_id is None:
        return {"assessment rounds": 0}
    instrument = db.session.get(AssessmentInstrument, instrument_id)
    keys = [step["key"] for step in instrument.scale]
    statements = list(
        db.session.scalars(
            select(AssessmentStatement.id).where(AssessmentStatement.instrument_id == instrument_id)
        )
    )
    factor = _factor(ctx)
    rounds, meta, numbers = [], [], {}
    for intervention_id, org_id in _spread(ctx, round(VOLUMES[ctx.size]["rounds"] * factor)):
        numbers[intervention_id] = numbers.get(intervention_id, 0) + 1
        closed = rng.random() < 0.8
        rounds.append(
            {
                "organization_id": org_id,
                "intervention_id": intervention_id,
                "instrument_id": instrument_id,
                "name": f"Runde {numbers[intervention_id]}",
                "status": "closed" if closed else "open",
                "closed_at": _stamp(TODAY - timedelta(days=rng.randrange(1, 700)))
                if closed
                else None,
            }
        )
        meta.append(org_id)
    round_ids = bulk_insert(AssessmentRound, rounds)
    respondents, respondent_orgs = [], []
    for round_id, org_id in zip(round_ids, meta, strict=True):
        for user_id in rng.sample(ctx.users_by_org[org_id], rng.randint(2, 4)):
            respondents.append(
                {
                    "organization_id": org_id,
                    "round_id": round_id,
                    "user_id": user_id,
                    "role": rng.choice(ROLES),
                }
            )
            respondent_orgs.append(org_id)
    respondent_ids = bulk_insert(AssessmentRespondent, respondents)
    # Teams lean positive; "don't know" is rare.
    weights = [30, 35, 20, 8, 7][: len(keys)] + [5] * max(0, len(keys) - 5)
    answers = []
    for respondent_id, org_id in zip(respondent_ids, respondent_orgs, strict=True):
        values = rng.choices(keys, weights=weights, k=len(statements))
        answers += [
            {
                "organization_id": org_id,
                "respondent_id": respondent_id,
                "statement_id": statement_id,
                "value": value,
            }
            for statement_id, value in zip(statements, values, strict=True)
        ]
    _plain(AssessmentAnswer, answers)
    return {
        "assessment rounds": len(round_ids),
        "respondents": len(respondent_ids),
        "assessment answers": len(answers),
    }


def register(extensions: list) -> None:
    for extension in (cases, improvement_work, assessments):
        if extension not in extensions:
            extensions.append(extension)
