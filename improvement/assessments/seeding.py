"""Seed data of the self-assessment: the shared instrument and demo rounds. Idempotent."""

from datetime import UTC, datetime, time

from sqlalchemy import select

from ..extensions import db
from ..models import (
    ROLE_OF_PROFESSIONAL_ROLE,
    AssessmentAnswer,
    AssessmentInstrument,
    AssessmentJustification,
    AssessmentRespondent,
    AssessmentRound,
    Intervention,
    Organization,
    TeamMember,
    User,
)
from . import service

CODES = {"h": "high", "s": "some", "l": "little", "n": "none", "?": "dont_know"}


def _read(name: str) -> dict:
    from ..seeding import read

    return read(name)


def load_instrument() -> AssessmentInstrument:
    """The project's own instrument as the first shared version (organisation NULL)."""
    data = _read("assessment_instrument.yaml")
    instrument = db.session.scalars(
        select(AssessmentInstrument).where(
            AssessmentInstrument.organization_id.is_(None),
            AssessmentInstrument.name == data["version"],
        )
    ).first()
    if instrument is None:
        instrument = service.build_instrument(data, None)
        db.session.add(instrument)
        db.session.flush()
    return instrument


def _at(day) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=UTC)


def load_demo_rounds() -> int:
    """Demo rounds on one demo intervention. Returns the number of rounds created."""
    data = _read("assessment_demo.yaml")
    instrument = load_instrument()
    intervention = db.session.scalars(
        select(Intervention)
        .join(Organization, Organization.id == Intervention.organization_id)
        .where(Organization.name == data["organization"], Intervention.name == data["intervention"])
    ).first()
    if intervention is None:
        return 0
    team = {
        m.user.email: m
        for m in db.session.scalars(
            select(TeamMember)
            .join(User, User.id == TeamMember.user_id)
            .where(TeamMember.intervention_id == intervention.id)
        )
    }
    statements: dict[int, list] = {}
    for statement in instrument.statements:
        statements.setdefault(statement.element, []).append(statement)
    created = 0
    for r in data["rounds"]:
        exists = db.session.scalars(
            select(AssessmentRound).where(
                AssessmentRound.intervention_id == intervention.id,
                AssessmentRound.name == r["name"],
            )
        ).first()
        if exists is not None:
            continue
        org_id = intervention.organization_id
        round_ = AssessmentRound(
            organization_id=org_id,
            intervention_id=intervention.id,
            instrument_id=instrument.id,
            name=r["name"],
            status="open",
            created_at=_at(r["opened"]),
        )
        db.session.add(round_)
        db.session.flush()
        emails = list(r.get("answers", {})) + list(r.get("invited", []))
        respondents = {}
        for email in emails:
            member = team[email]
            respondent = AssessmentRespondent(
                organization_id=org_id,
                round_id=round_.id,
                user_id=member.user_id,
                role=ROLE_OF_PROFESSIONAL_ROLE.get(member.professional_role, "other"),
            )
            db.session.add(respondent)
            respondents[email] = respondent
        db.session.flush()
        for email, codes in r.get("answers", {}).items():
            for number, code in enumerate(codes, start=1):
                for statement, letter in zip(statements[number], code, strict=False):
                    db.session.add(
                        AssessmentAnswer(
                            organization_id=org_id,
                            respondent_id=respondents[email].id,
                            statement_id=statement.id,
                            value=CODES[letter],
                        )
                    )
        for email, texts in (r.get("justifications") or {}).items():
            for number, text in texts.items():
                db.session.add(
                    AssessmentJustification(
                        organization_id=org_id,
                        respondent_id=respondents[email].id,
                        element=int(number),
                        text=text,
                    )
                )
        if r.get("status") == "closed":
            round_.status = "closed"
            round_.closed_at = _at(r["closed"])
        created += 1
    db.session.flush()
    return created
