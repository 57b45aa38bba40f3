"""Synthetic rows of the features (cases, ratings, PDSA, meetings, self-assessment).

Registered in scale.EXTENSIONS; deterministic from the generator's random state and
bulk-inserted. Volumes per size are in VOLUMES: at national size 50,000 cases with about
1,000,000 core-element ratings, 20,000 PDSA cycles and 5,000 assessment rounds. Cases,
cycles, meetings and rounds are spread over interventions by their weight, so the few very
large interventions carry thousands of cases.

The rows keep the app's own rules, so a scaled data set can be edited like any other:
case codes pass the case form's code rule, the outcome (coded at closing) is only on
closed cases, practitioners, caseworkers, raters, owners and respondents come from the
intervention's team, a continued test follows an adopted or adapted one on its development
point, and every row's creation comes before what happened to it. Rows go in in the order they were
made, so ordering by id or by creation is time order.
"""

from datetime import date, timedelta
from types import SimpleNamespace

import yaml
from sqlalchemy import bindparam, insert, select, update
from wtforms import ValidationError

from .cases.forms import case_code
from .cases.service import CASEWORKER_ROLE as CASEWORKER
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
from .models.assessments import ROLE_OF_PROFESSIONAL_ROLE
from .models.cases import ALLIANCE_DIMENSIONS, case_problem_category
from .models.pdsa import PROGRESS_SCALE
from .pdsa.rules import PHASE_ORDER, next_title
from .seeding import SEEDS

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
# Seed 002, table 4: per goal group (cases in it), the cases whose journal describes each
# dimension of the professional alliance. Used as each dimension's chance in that group.
ALLIANCE_TABLE = {
    "achieved": (20, {"negative": 18, "positive": 13, "doubt": 15, "relationship": 14}),
    "progressing": (14, {"negative": 10, "positive": 11, "doubt": 7, "relationship": 9}),
    "not_achieved": (17, {"negative": 13, "positive": 9, "doubt": 8, "relationship": 13}),
}
ALLIANCE_SHARES = {
    goal: {key: n / total for key, n in counts.items()}
    for goal, (total, counts) in ALLIANCE_TABLE.items()
}
# A closed case whose goal attainment could not be judged still has a journal to read for
# the alliance (the edit form codes each outcome field on its own): most of them are
# coded, with the table's shares over all 51 cases.
ALLIANCE_SHARES[None] = {
    key: sum(counts[key] for _total, counts in ALLIANCE_TABLE.values())
    / sum(total for total, _counts in ALLIANCE_TABLE.values())
    for key in ALLIANCE_DIMENSIONS
}
ALLIANCE_UNCODED_SHARE = 0.6
# Case codes as the demo makes them (SP-2025-014): the intervention's letters, the year
# the case started and its number in that year. Abbreviations of kinds of intervention
# (sundhedspleje, familiebehandling, familiekonsulent, gruppeforløb, ungejob, …), one per
# intervention of an organisation, so its lists do not mix two interventions' codes.
CODE_PREFIXES = ["SP", "FB", "FK", "GF", "UJ", "FN", "TB", "MF", "BF", "UF", "FR", "KS"]
# How often the responsible practitioner rates the case's cells; another team member
# (at a case review) the rest.
OWN_RATINGS = 0.8
PDSA_MIX = ["done"] * 6 + ["plan", "plan", "do", "study", "act"]
ACT = ["adopt", "adopt", "adapt", "abandon"]
NEXT_STEP = {
    "adopt": "Udbred til hele teamet.",
    "adapt": "Justér skabelonen og afprøv den med flere familier.",
    "abandon": "Stop afprøvningen og tag læringen med på kvalitetsteammødet.",
}
# Teams test on the development points they work on: a point's status weighs how many
# tests it draws (a point only proposed draws none while the intervention has others).
POINT_TESTS = {"in_progress": 6, "done": 3, "prioritised": 1, "dropped": 1, "proposed": 0}
# The chance that a new test continues the latest adopted or adapted test on its point
# not yet continued, when there is one; about a quarter of all tests end up continuing
# one (the app's "next test" starts from such a test only, and once).
CONTINUE_CHANCE = 0.45
# A ramp grows its scale test by test (the fidelity figure "scaled up" compares them).
RAMP = ["1 behandler, 1 familie", "1 behandler, 3 familier", "2 behandlere, 6 familier"]
CHANGE_IDEAS = ["Fast opstartsmøde", "Skabelon til plan"]
DATA_COLLECTION = "Behandleren noterer efter hvert møde, om familien deltog."
ROUNDS_WITHIN_DAYS = 1000  # the rounds after the baseline fall in the last years


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


def _follows_code_rule(code: str) -> bool:
    """Whether the case forms' code rule accepts `code`."""
    try:
        case_code(None, SimpleNamespace(data=code))
    except ValidationError:
        return False
    return True


def _next_code(prefix: str, year: int, serials: dict, key) -> str:
    """The next code of `key`'s series (an intervention's cases started in `year`). The
    form's rule decides: from number 1000 a code can read as a date (SP-2025-1012)."""
    number = serials.get(key, 0)
    while number < 9999:
        number += 1
        code = f"{prefix}-{year}-{number:03d}"
        if _follows_code_rule(code):
            serials[key] = number
            return code
    raise ValueError(f"more than 9,999 cases started in {year} in one intervention")


def cases(ctx) -> dict:
    from .scale import bulk_insert, stamp

    rng = ctx.rng
    volume = round(VOLUMES[ctx.size]["cases"] * _factor(ctx))
    with (SEEDS / "problem_categories.yaml").open(encoding="utf-8") as handle:
        categories = yaml.safe_load(handle)["categories"]
    # The list is given to an organisation with its first case (cases.service.
    # ensure_categories), before the earliest case here.
    listed = stamp(TODAY - timedelta(days=1500), 9)
    category_rows = [
        {
            "organization_id": org_id,
            "key": item["key"],
            "name": item["name"],
            "description": item.get("description", ""),
            "position": position,
            "created_at": listed,
            "updated_at": listed,
        }
        for org_id in ctx.org_ids
        for position, item in enumerate(categories)
    ]
    category_ids = bulk_insert(ProblemCategory, category_rows)
    per_org = {
        org_id: category_ids[n * len(categories) : (n + 1) * len(categories)]
        for n, org_id in enumerate(ctx.org_ids)
    }
    # Interventions are dealt to the organisations in turn: n // orgs is the place of the
    # nth among its organisation's.
    prefixes = {
        intervention_id: CODE_PREFIXES[n // len(ctx.org_ids) % len(CODE_PREFIXES)]
        for n, (intervention_id, _org, _w) in enumerate(ctx.interventions)
    }
    drafts = []
    for intervention_id, org_id in _spread(ctx, volume):
        start = TODAY - timedelta(days=rng.randrange(60, 1500))  # after the list above
        closed = rng.random() < CLOSED_SHARE
        end = min(start + timedelta(days=rng.randrange(90, 540)), TODAY) if closed else None
        drafts.append((start, intervention_id, org_id, end))
    # In the order the cases started: ids, creation times and each year's case numbers
    # then follow one another.
    drafts.sort(key=lambda draft: draft[0])
    rows, meta, serials = [], [], {}
    for start, intervention_id, org_id, end in drafts:
        phases = ctx.phases[intervention_id]
        reached = len(phases) if end else rng.randint(1, len(phases))
        practitioner = rng.choice(ctx.team_with(intervention_id, "practitioner"))
        # The team's authority caseworkers take the cases in turn (none where the team has
        # none); not drawn from `rng`, so every other row stays as it was.
        caseworkers = [uid for uid, role in ctx.team[intervention_id] if role == CASEWORKER]
        caseworker = caseworkers[len(rows) % len(caseworkers)] if caseworkers else None
        # The outcome fields are coded at closing (the edit form refuses them on an open
        # case): the goal, grade and adjustment in seed 002's mix, the alliance by table 4.
        coded = end is not None and rng.random() < CODED_SHARE
        outcome = rng.choice(OUTCOMES) if coded else (None,) * 3
        alliance = ""
        if end is not None and (coded or rng.random() < ALLIANCE_UNCODED_SHARE):
            shares = ALLIANCE_SHARES[outcome[0]]
            alliance = " ".join(key for key in ALLIANCE_DIMENSIONS if rng.random() < shares[key])
        # Last changed when it closed, or when it entered the phase it is in.
        changed = end or start + (TODAY - start) * (reached - 1) // len(phases)
        rows.append(
            {
                "organization_id": org_id,
                "intervention_id": intervention_id,
                "code": _next_code(
                    prefixes[intervention_id], start.year, serials, (intervention_id, start.year)
                ),
                "practitioner_id": practitioner,
                "caseworker_id": caseworker,
                "start_date": start,
                "end_date": end,
                "phase_id": phases[reached - 1],
                "followup_cadence_months": rng.choice([None, None, 2, 3]),
                "goal_attainment": outcome[0],
                "problem_grade": outcome[1],
                "reflected_adjustment": outcome[2],
                "alliance": alliance,
                "created_at": stamp(start),
                "updated_at": stamp(changed),
            }
        )
        meta.append((intervention_id, org_id, start, end, reached, practitioner))
    case_ids = bulk_insert(Case, rows)
    links, followups, ratings = [], [], []
    for case_id, (intervention_id, org_id, start, end, reached, practitioner) in zip(
        case_ids, meta, strict=True
    ):
        if end is not None:
            # Problem categories are outcome fields too: closed cases only.
            for category_id in rng.sample(per_org[org_id], rng.randint(1, 2)):
                links.append({"case_id": case_id, "problem_category_id": category_id})
        end = end or TODAY
        day = start + timedelta(days=90)
        while day < end:
            if rng.random() < 0.85:
                followups.append(
                    {
                        "organization_id": org_id,
                        "case_id": case_id,
                        "held_on": day,
                        "created_at": stamp(day, 15),
                        "updated_at": stamp(day, 15),
                    }
                )
            day += timedelta(days=rng.choice([60, 90, 90, 120]))
        team = ctx.team_ids(intervention_id)
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
                            # Only the team rates (the grid refuses anyone else).
                            "rater_id": practitioner
                            if rng.random() < OWN_RATINGS
                            else rng.choice(team),
                            "rated_at": stamp(day),
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


def _cycle_slots(ctx, total: int) -> list[tuple[date, int, int, int, str]]:
    """(planned start, intervention, org, development point, phase) of `total` tests, in
    the order of their start."""
    rng = ctx.rng
    slots = []
    for intervention_id, org_id in _spread(ctx, total):
        points = ctx.development_points[intervention_id]
        weights = [POINT_TESTS[ctx.point_status[point]] for point in points]
        point = rng.choices(points, weights=weights)[0] if any(weights) else rng.choice(points)
        phase = rng.choice(PDSA_MIX)
        # Finished tests are spread over the last years; a test still under way began
        # lately (a plan from two years ago would not still be a plan).
        back = rng.randrange(30, 900) if phase == "done" else rng.randrange(0, 150)
        slots.append((TODAY - timedelta(days=back), intervention_id, org_id, point, phase))
    slots.sort(key=lambda slot: slot[0])
    return slots


def _cycles(ctx, total: int) -> tuple[list[dict], list[tuple[int, int]]]:
    """The tests' rows in the order they were created, and (test, test it continues) as
    indexes into them."""
    from .scale import stamp

    rng = ctx.rng
    rows: list[dict] = []
    created_on: list[date] = []
    links: list[tuple[int, int]] = []
    # Per development point: the titles of its tests, and its adopted or adapted tests
    # not yet continued (index, day closed, place in its series).
    titles: dict[int, list[str]] = {}
    open_ends: dict[int, list[tuple[int, date, int]]] = {}
    firsts = 0
    for start, intervention_id, org_id, point, phase in _cycle_slots(ctx, total):
        reached = PHASE_ORDER.index(phase)  # fields filled as far as the phase needs
        created = start - timedelta(days=rng.randrange(0, 8))
        # The app's "next test" continues a test decided as adopt or adapt, and once: the
        # latest such test on the point, if it was closed before this one starts.
        ends = [end for end in open_ends.get(point, ()) if end[1] < start]
        previous = ends[-1] if ends and rng.random() < CONTINUE_CHANCE else None
        if previous is not None:
            open_ends[point].remove(previous)
            parent = rows[previous[0]]
            number = previous[2] + 1
            created = max(created, previous[1] + timedelta(days=1))
            title = next_title(parent["title"], number, titles[point])
            # As the app starts it: the owner, change idea and data collection carried
            # over, the objective the next step decided.
            owner, idea = parent["owner_id"], parent["change_idea"]
            collection = parent["data_collection"]
            objective = parent["next_step"]
            links.append((len(rows), previous[0]))
        else:
            firsts += 1
            number = 1
            title = f"Prøvehandling {firsts}"
            owner = rng.choice(ctx.team_ids(intervention_id))
            idea = rng.choice(CHANGE_IDEAS)
            # Not every team plans its data (PDSA fidelity, Taylor et al. 2014).
            collection = DATA_COLLECTION if rng.random() < 0.6 else ""
            objective = "Afprøve en ny måde at holde opstartsmøde på."
        # What happened when: Do finished, Act entered, closed (never after TODAY).
        done_day = min(start + timedelta(days=rng.randrange(7, 35)), TODAY)
        acted_day = min(done_day + timedelta(days=rng.randrange(1, 21)), TODAY)
        closed_day = min(acted_day + timedelta(days=rng.randrange(0, 14)), TODAY)
        moved = [created, start, done_day, acted_day, closed_day][reached]
        decision = rng.choice(ACT) if reached >= 4 else ""
        rows.append(
            {
                "organization_id": org_id,
                "intervention_id": intervention_id,
                "development_point_id": point,
                "title": title,
                "phase": phase,
                "owner_id": owner,
                "planned_start": start,
                "due_date": start + timedelta(days=rng.choice([14, 21, 28])),
                "change_idea": idea,
                "objective": objective,
                # Needed to enter Do; a plan may not have it yet.
                "prediction": "Flere familier deltager aktivt."
                if reached or rng.random() < 0.5
                else "",
                "scale": RAMP[min(number, len(RAMP)) - 1],
                "data_collection": collection,
                "do_description": "Afprøvet på to opstartsmøder." if reached >= 2 else "",
                "observations": "To af tre familier deltog aktivt."
                if reached >= 2 and collection
                else "",
                "done_date": done_day if reached >= 2 else None,
                "study_result": "Tre af fire familier deltog aktivt." if reached >= 3 else "",
                "learning": "Skabelonen hjælper samtalen." if reached >= 3 else "",
                "act_decision": decision,
                "next_step": NEXT_STEP[decision] if decision else "",
                "phase_changed_at": stamp(moved),
                "acted_at": stamp(acted_day) if reached >= 3 else None,
                "closed_at": stamp(closed_day) if reached >= 4 else None,
                "created_at": stamp(created, 9),
                "updated_at": stamp(moved),
            }
        )
        created_on.append(created)
        titles.setdefault(point, []).append(title)
        if decision in ("adopt", "adapt"):
            open_ends.setdefault(point, []).append((len(rows) - 1, closed_day, number))
    # Inserted in the order of creation (a test is created after the one it continues,
    # which was closed first), so ids are time order too.
    order = sorted(range(len(rows)), key=created_on.__getitem__)
    place = {old: new for new, old in enumerate(order)}
    return [rows[i] for i in order], [(place[a], place[b]) for a, b in links]


def improvement_work(ctx) -> dict:
    from .scale import bulk_insert, stamp

    rng = ctx.rng
    volume = VOLUMES[ctx.size]
    factor = _factor(ctx)
    cycles, links = _cycles(ctx, round(volume["cycles"] * factor))
    cycle_ids = bulk_insert(PdsaCycle, cycles)
    # The continued test's id is known only now; one executemany UPDATE links them. It
    # sets updated_at too, which would otherwise take the column's onupdate: now.
    table = PdsaCycle.__table__
    continued = [
        {
            "cycle": cycle_ids[child],
            "continues": cycle_ids[parent],
            "changed": cycles[child]["updated_at"],
        }
        for child, parent in links
    ]
    if continued:
        db.session.execute(
            update(table)
            .where(table.c.id == bindparam("cycle"))
            .values(previous_id=bindparam("continues"), updated_at=bindparam("changed")),
            continued,
        )
    # The Model for Improvement's three questions come before a point's first test:
    # every point with tests has a plan, and some points without any.
    first_test: dict[int, date] = {}
    for row in cycles:
        first_test.setdefault(row["development_point_id"], row["created_at"].date())
    plans = []
    for intervention_id, org_id, _w in ctx.interventions:
        for point_id in ctx.development_points[intervention_id]:
            if point_id in first_test:
                made = first_test[point_id] - timedelta(days=rng.randrange(7, 60))
            elif rng.random() < 0.3:
                made = TODAY - timedelta(days=rng.randrange(0, 900))
            else:
                continue
            plans.append(
                {
                    "organization_id": org_id,
                    "development_point_id": point_id,
                    "aim": "Alle familier har en aftalt plan inden for 4 uger.",
                    "measure": "Andel forløb med plan efter 4 uger.",
                    "change_ideas": "\n".join(CHANGE_IDEAS),
                    "created_at": stamp(made),
                    "updated_at": stamp(made),
                }
            )
    _plain(ImprovementPlan, plans)
    drafts = [
        (TODAY - timedelta(days=rng.randrange(0, 900)), intervention_id, org_id)
        for intervention_id, org_id in _spread(ctx, round(volume["meetings"] * factor))
    ]
    drafts.sort(key=lambda draft: draft[0])  # ids in the order the meetings were held
    meetings = [
        {
            "organization_id": org_id,
            "intervention_id": intervention_id,
            "kind": rng.choice(["quality_team", "standup", "standup", "reflection"]),
            "held_on": held,
            "participants": "Kvalitetsteamet",
            "notes": "Gennemgang af tavlen.",
            "created_at": stamp(held),
            "updated_at": stamp(held),
        }
        for held, intervention_id, org_id in drafts
    ]
    meeting_ids = bulk_insert(Meeting, meetings)
    items = []
    for meeting_id, (held, intervention_id, org_id) in zip(meeting_ids, drafts, strict=True):
        for n in range(rng.randint(0, 4)):
            status = rng.choice(["open", "done", "done", "dropped"]) if held < TODAY else "open"
            closed = min(held + timedelta(days=rng.randrange(1, 28)), TODAY)
            items.append(
                {
                    "organization_id": org_id,
                    "intervention_id": intervention_id,
                    "meeting_id": meeting_id,
                    "what": f"Handling {n + 1}",
                    # Who does it is one of the team, as the meeting's form offers.
                    "owner_id": rng.choice(ctx.team_ids(intervention_id)),
                    "due_date": held + timedelta(days=14),
                    "status": status,
                    "closed_at": stamp(closed, 14) if status != "open" else None,
                    "created_at": stamp(held),
                    "updated_at": stamp(closed, 14) if status != "open" else stamp(held),
                }
            )
    _plain(ActionItem, items)
    scores = []
    for intervention_id, org_id, _w in ctx.interventions:
        level = rng.randrange(len(PROGRESS_SCALE) // 2)
        leader = ctx.team_with(intervention_id, "leader")[0]
        for month in range(rng.randint(0, 6)):
            level = min(len(PROGRESS_SCALE) - 1, level + rng.choice([0, 0, 1]))
            assessed = TODAY - timedelta(days=30 * (6 - month))
            scores.append(
                {
                    "organization_id": org_id,
                    "intervention_id": intervention_id,
                    "score_tenths": list(PROGRESS_SCALE)[level],
                    "assessed_on": assessed,
                    "set_by_id": leader,
                    "created_at": stamp(assessed),
                    "updated_at": stamp(assessed),
                }
            )
    _plain(ProgressScore, scores)
    return {
        "improvement plans": len(plans),
        "PDSA cycles": len(cycle_ids),
        "meetings": len(meeting_ids),
        "action items": len(items),
        "progress scores": len(scores),
    }


def _round_dates(rng, start: date, count: int) -> list[tuple[date, date | None]]:
    """(opened, closed) of an intervention's `count` rounds, oldest first. The first is
    the baseline soon after the intervention started (DOMAIN.md: the team self-assesses
    at the start); the others came lately, one after the other at a steady pace
    (half-yearly, closer when there are many), each open a few weeks. Only the latest may
    still be open."""
    opened = start + timedelta(days=rng.randrange(14, 90))
    dates = [(opened, opened + timedelta(days=rng.randrange(7, 43)))]
    later = count - 1
    if not later:
        return dates
    room = (TODAY - dates[0][1]).days
    pace = max(10, min(rng.randrange(120, 240), ROUNDS_WITHIN_DAYS // later, room // later))
    back = rng.randrange(3, pace + 3)
    recent = []
    for n in range(later):
        opened = TODAY - timedelta(days=back)
        length = rng.randrange(7, max(8, min(43, pace // 2)))
        closed = opened + timedelta(days=length)
        # Still open: not yet at its end, or (now and then) a recent one left open longer.
        if closed > TODAY or (n == 0 and back < 60 and rng.random() < 0.5):
            closed = None
        recent.append((opened, closed))
        # The round before ends before this one opens.
        back += pace - rng.randrange(pace // 4 + 1)
    return dates + recent[::-1]


def assessments(ctx) -> dict:
    from .scale import bulk_insert, stamp

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
    # Every intervention has its baseline round; the rest are spread by weight.
    per_intervention = {(i, org): 1 for i, org, _w in ctx.interventions}
    total = round(VOLUMES[ctx.size]["rounds"] * factor)
    for pair in _spread(ctx, max(0, total - len(per_intervention))):
        per_intervention[pair] += 1
    drafts = []
    for (intervention_id, org_id), count in per_intervention.items():
        start = ctx.starts[intervention_id]
        for n, (opened, closed) in enumerate(_round_dates(rng, start, count)):
            drafts.append((opened, closed, n + 1, intervention_id, org_id))
    # Inserted in the order they were opened: the rounds list orders by creation.
    drafts.sort(key=lambda draft: draft[0])
    rounds = [
        {
            "organization_id": org_id,
            "intervention_id": intervention_id,
            "instrument_id": instrument_id,
            "name": f"Runde {number}",
            "status": "closed" if closed else "open",
            "closed_at": stamp(closed, 14) if closed else None,
            "created_at": stamp(opened),
            "updated_at": stamp(closed or opened, 14),
        }
        for opened, closed, number, intervention_id, org_id in drafts
    ]
    round_ids = bulk_insert(AssessmentRound, rounds)
    respondents, answered = [], []
    for round_id, (opened, closed, _n, intervention_id, org_id) in zip(
        round_ids, drafts, strict=True
    ):
        # Invited from the team, answering under the role the team gives them (as the
        # round's invitation does).
        team = ctx.team[intervention_id]
        for user_id, role in rng.sample(team, rng.randint(min(2, len(team)), min(4, len(team)))):
            respondents.append(
                {
                    "organization_id": org_id,
                    "round_id": round_id,
                    "user_id": user_id,
                    "role": ROLE_OF_PROFESSIONAL_ROLE.get(role, "other"),
                    "created_at": stamp(opened),
                    "updated_at": stamp(opened),
                }
            )
            days = ((closed or TODAY) - opened).days
            answered.append((org_id, stamp(opened + timedelta(days=rng.randrange(days + 1)), 12)))
    respondent_ids = bulk_insert(AssessmentRespondent, respondents)
    # Teams lean positive; "don't know" is rare.
    weights = [30, 35, 20, 8, 7][: len(keys)] + [5] * max(0, len(keys) - 5)
    answers = []
    for respondent_id, (org_id, moment) in zip(respondent_ids, answered, strict=True):
        values = rng.choices(keys, weights=weights, k=len(statements))
        answers += [
            {
                "organization_id": org_id,
                "respondent_id": respondent_id,
                "statement_id": statement_id,
                "value": value,
                "created_at": moment,
                "updated_at": moment,
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
