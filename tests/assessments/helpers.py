"""Factories for self-assessment tests."""

from sqlalchemy import select

from improvement import seeding
from improvement.extensions import db
from improvement.models import (
    AssessmentAnswer,
    AssessmentInstrument,
    AssessmentRespondent,
    AssessmentRound,
)
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

HX = {"HX-Request": "true"}


def shared_instrument() -> AssessmentInstrument:
    seeding.load_reference()
    return db.session.scalars(
        select(AssessmentInstrument).where(AssessmentInstrument.organization_id.is_(None))
    ).one()


def gen_round(intervention, instrument, name="Baseline", status="open") -> AssessmentRound:
    round_ = AssessmentRound(
        organization_id=intervention.organization_id,
        intervention_id=intervention.id,
        instrument_id=instrument.id,
        name=name,
        status=status,
    )
    db.session.add(round_)
    db.session.flush()
    return round_


def gen_respondent(round_, user, role="practitioner") -> AssessmentRespondent:
    respondent = AssessmentRespondent(
        organization_id=round_.organization_id, round_id=round_.id, user_id=user.id, role=role
    )
    db.session.add(respondent)
    db.session.flush()
    return respondent


def answer_all(respondent, instrument, values: dict[int, str]) -> None:
    """Answer every statement of the elements in `values` with that scale key."""
    for statement in instrument.statements:
        if statement.element in values:
            db.session.add(
                AssessmentAnswer(
                    organization_id=respondent.organization_id,
                    respondent_id=respondent.id,
                    statement_id=statement.id,
                    value=values[statement.element],
                )
            )
    db.session.flush()


def setup_team():
    """An organisation with a leader, two practitioners and a caseworker on one team."""
    org = gen_org("Nord")
    leader = gen_user(org, role="leader", name="Lise Leder")
    p1 = gen_user(org, role="practitioner", name="Bo Behandler")
    p2 = gen_user(org, role="practitioner", name="Sara Sundhed")
    caseworker = gen_user(org, role="authority", name="Mads Myndighed")
    intervention = gen_intervention(org, name="Familiehuset")
    members = {
        "leader": gen_member(intervention, leader, "leader"),
        "p1": gen_member(intervention, p1, "practitioner"),
        "p2": gen_member(intervention, p2, "practitioner"),
        "caseworker": gen_member(intervention, caseworker, "authority_caseworker"),
    }
    instrument = shared_instrument()
    db.session.commit()
    users = {"leader": leader, "p1": p1, "p2": p2, "caseworker": caseworker}
    return org, intervention, instrument, users, members
