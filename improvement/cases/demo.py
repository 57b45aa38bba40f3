"""Demo cases with ratings, outcomes and follow-ups, so the reflection pages have data.

Deterministic (random.Random(42) per intervention), and loaded only into interventions
that have no cases yet, so running `seed-demo` again changes nothing. Codes are
pseudonymous; there are no names or CPR numbers anywhere.
"""

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from .. import clock
from ..analysis.followup import add_months
from ..extensions import db
from ..models import (
    Case,
    CaseFollowUp,
    CoreElement,
    CoreElementRating,
    Intervention,
    Phase,
    ProblemCategory,
    TeamMember,
)
from .service import CASEWORKER_ROLE, ensure_categories

CASES_PER_INTERVENTION = 20
# The demo's "now": fixed so the data is the same on every run (never after today).
ANCHOR = date(2026, 11, 1)

LOW_COMMENTS = [
    "Familien aflyste flere besøg i fasen, så der var kun få hjemmebesøg.",
    "Fokus var på en akut krise; kerneelementet blev nedprioriteret bevidst.",
    "Vi manglede en fast aftale om koordinering i perioden med ferie.",
    "Forældrene ønskede ikke at se målingerne sammen med os i denne fase.",
    "Sygdom i teamet betød skift af kontaktperson.",
    "Vi var usikre på, hvordan kerneelementet skulle omsættes her – tages op på refleksionsmødet.",
]
HIGH_COMMENTS = [
    "Gik godt: fast ugentlig opfølgning med familien.",
    "Forældrene tog selv initiativ til at drøfte målene.",
]


def _prefix(name: str) -> str:
    letters = [w[0] for w in name.split() if w[:1].isascii() and w[:1].isalpha()]
    return "".join(letters[:2]).upper() or "DM"


def _rated_at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=UTC)


def load_demo_cases(organization_ids: list[int]) -> int:
    """Cases for the demo organisations' interventions without cases; returns how many."""
    today = min(clock.today(), ANCHOR)
    created = 0
    interventions = db.session.scalars(
        select(Intervention)
        .where(Intervention.organization_id.in_(organization_ids))
        .order_by(Intervention.id)
    )
    for intervention in list(interventions):
        has_cases = db.session.scalar(
            select(Case.id).where(Case.intervention_id == intervention.id).limit(1)
        )
        if has_cases:
            continue
        phases = list(
            db.session.scalars(
                select(Phase)
                .where(Phase.intervention_id == intervention.id, Phase.archived.is_(False))
                .order_by(Phase.position)
            )
        )
        elements = list(
            db.session.scalars(
                select(CoreElement)
                .where(
                    CoreElement.intervention_id == intervention.id,
                    CoreElement.archived.is_(False),
                )
                .order_by(CoreElement.position)
            )
        )
        members = list(
            db.session.scalars(
                select(TeamMember).where(TeamMember.intervention_id == intervention.id)
            )
        )
        practitioners = [m.user_id for m in members if m.professional_role == "practitioner"]
        caseworkers = sorted(m.user_id for m in members if m.professional_role == CASEWORKER_ROLE)
        if not phases or not elements or not practitioners:
            continue
        created += _load(intervention, phases, elements, practitioners, caseworkers, today)
    db.session.commit()
    return created


def _caseworker(caseworkers: list[int], number: int) -> int | None:
    """The authority caseworker of the demo's case `number`: the team's caseworkers take
    two cases in turn, and every tenth case has none chosen yet. Not drawn from the random
    state, so the rest of the demo stays as it was."""
    if not caseworkers or number % 10 == 0:
        return None
    return caseworkers[(number - 1) // 2 % len(caseworkers)]


# The demo's cases whose caseworker was handed over to another once, so the case list's
# figure of changes and the cases' history show one.
HANDED_OVER = (3, 14)


def _first_caseworker(caseworkers: list[int], number: int) -> int | None:
    """The caseworker a case was created with: on a handed-over case another of the team's
    caseworkers than the one it has now (`_caseworker`)."""
    now = _caseworker(caseworkers, number)
    if number not in HANDED_OVER or len(caseworkers) < 2 or now is None:
        return now
    return caseworkers[(caseworkers.index(now) + 1) % len(caseworkers)]


def _load(intervention, phases, elements, practitioners, caseworkers, today: date) -> int:
    rng = random.Random(42)
    ensure_categories(intervention.organization_id)
    categories = list(
        db.session.scalars(
            select(ProblemCategory).where(
                ProblemCategory.organization_id == intervention.organization_id
            )
        )
    )
    org = intervention.organization_id
    prefix = _prefix(intervention.name)
    # Each core element has its own level; one is clearly harder to deliver.
    element_level = {e.id: 3.6 for e in elements}
    element_level[elements[-1].id if len(elements) > 2 else elements[0].id] = 2.5
    rater_bias = {p: rng.choice([-0.4, 0.0, 0.3]) for p in practitioners}
    ratings: list[CoreElementRating] = []
    for number in range(1, CASES_PER_INTERVENTION + 1):
        start = date(2025, 1, 6) + timedelta(days=rng.randint(0, 600))
        if start > today - timedelta(days=20):
            start = today - timedelta(days=rng.randint(20, 120))
        months = rng.randint(6, 13)
        end = add_months(start, months)
        closed = end <= today
        practitioner = practitioners[(number - 1) % len(practitioners)]
        case = Case(
            organization_id=org,
            intervention_id=intervention.id,
            code=f"{prefix}-{start.year}-{number:03}",
            practitioner_id=practitioner,
            caseworker_id=_first_caseworker(caseworkers, number),
            start_date=start,
            end_date=end if closed else None,
            followup_cadence_months=4 if number % 5 == 0 else None,
        )
        # Where in the course the case is: each phase takes a third of the course.
        span = (end - start).days
        elapsed = min((today - start).days, span)
        reached = [p for i, p in enumerate(phases) if elapsed >= span * i / len(phases)]
        case.phase_id = (phases[-1] if closed else reached[-1]).id
        db.session.add(case)
        db.session.flush()
        # A handover is a save after the creation, as in the app: the history records it.
        case.caseworker_id = _caseworker(caseworkers, number)
        scores = []
        for index, phase in enumerate(reached):
            phase_end = start + timedelta(days=int(span * (index + 1) / len(phases)))
            rated_on = min(phase_end, today) - timedelta(days=rng.randint(0, 10))
            # Practice matures: ratings rise a little with each quarter since early 2025.
            maturing = ((rated_on - date(2025, 1, 1)).days / 91) * 0.12
            for element in elements:
                mean = element_level[element.id] + rater_bias[practitioner] + maturing
                score = max(1, min(5, round(rng.gauss(mean, 0.9))))
                scores.append(score)
                comment = ""
                if score <= 2 and rng.random() < 0.6:
                    comment = rng.choice(LOW_COMMENTS)
                elif score == 5 and rng.random() < 0.15:
                    comment = rng.choice(HIGH_COMMENTS)
                if rng.random() < 0.1:
                    # First judgement revised after a case review a few days later.
                    first = max(1, score - rng.choice([1, 2]))
                    ratings.append(
                        _rating(org, case, phase, element, first, "", practitioner, rated_on)
                    )
                    rated_on_rev = min(rated_on + timedelta(days=rng.randint(2, 14)), today)
                    ratings.append(
                        _rating(
                            org, case, phase, element, score, comment, practitioner, rated_on_rev
                        )
                    )
                else:
                    ratings.append(
                        _rating(org, case, phase, element, score, comment, practitioner, rated_on)
                    )
        _followups(case, rng, today)
        if closed and rng.random() < 0.85:
            _outcome(case, rng, categories, sum(scores) / len(scores) if scores else 3)
    ratings.sort(key=lambda r: r.rated_at)
    db.session.add_all(ratings)
    db.session.flush()
    return CASES_PER_INTERVENTION


def _rating(org, case, phase, element, score, comment, rater, day) -> CoreElementRating:
    return CoreElementRating(
        organization_id=org,
        case_id=case.id,
        phase_id=phase.id,
        core_element_id=element.id,
        score=score,
        comment=comment,
        rater_id=rater,
        rated_at=_rated_at(day),
    )


def _followups(case: Case, rng: random.Random, today: date) -> None:
    end = case.end_date or today
    first = 3 if case.followup_cadence_months is None else min(3, case.followup_cadence_months)
    interval = case.followup_cadence_months or 6
    due = add_months(case.start_date, first)
    # Most follow-ups are on time; some are late, and a few open cases have fallen behind.
    behind = case.end_date is None and rng.random() < 0.25
    while True:
        held = due + timedelta(days=rng.choice([-20, -10, -5, 0, 0, 3, 12, 30]))
        if held > end or held > today or (behind and held > today - timedelta(days=150)):
            break
        held = max(held, case.start_date)
        case.followups.append(CaseFollowUp(organization_id=case.organization_id, held_on=held))
        due = add_months(held, interval)


ALLIANCE_SHARES = {"negative": 0.8, "positive": 0.65, "doubt": 0.6, "relationship": 0.7}


def _outcome(case: Case, rng: random.Random, categories, mean_score: float) -> None:
    # Better delivered core elements go with better outcomes, as the team hopes.
    chance = 0.2 + 0.15 * (mean_score - 2.5)
    roll = rng.random()
    if roll < chance:
        case.goal_attainment = "achieved"
    elif roll < chance + 0.4:
        case.goal_attainment = "progressing"
    else:
        case.goal_attainment = "not_achieved"
    case.problem_grade = rng.choice(["mild", "moderate", "moderate", "severe"])
    case.reflected_adjustment = rng.choice(["yes", "yes", "no", "not_described"])
    case.problem_categories = rng.sample(categories, rng.randint(1, 2))
    # The alliance in about seed 002's shares (table 4), drawn apart from `rng` so the rest
    # of the demo stays as it was.
    draw = random.Random(f"alliance {case.code}")
    case.alliance_keys = [key for key, share in ALLIANCE_SHARES.items() if draw.random() < share]
