"""Factories for test data (gen_*), in the CTFd style: small, explicit, flushed to get ids."""

import itertools
from datetime import date

from werkzeug.security import generate_password_hash

from improvement.extensions import db
from improvement.models import Intervention, Membership, Organization, TeamMember, User

PASSWORD = "correct horse battery"
# Hashed once with a cheap method: tests need a valid hash, not a slow one.
PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
_seq = itertools.count(1)


def gen_org(name=None, kind="kommune") -> Organization:
    org = Organization(name=name or f"Testkommune {next(_seq)}", kind=kind)
    db.session.add(org)
    db.session.flush()
    return org


def gen_user(org=None, role="leader", email=None, name=None, locale="da") -> User:
    n = next(_seq)
    user = User(
        email=email or f"user{n}@example.test",
        name=name or f"Bruger {n}",
        password_hash=PASSWORD_HASH,
        locale=locale,
    )
    db.session.add(user)
    db.session.flush()
    if org is not None:
        db.session.add(Membership(user_id=user.id, organization_id=org.id, role=role))
        db.session.flush()
    return user


def gen_intervention(org, name=None, status="testing", **fields) -> Intervention:
    intervention = Intervention(
        organization_id=org.id,
        name=name or f"Indsats {next(_seq)}",
        target_group=fields.pop("target_group", "Familier med børn 0-3 år"),
        purpose=fields.pop("purpose", "Styrke forældrekompetencer"),
        status=status,
        start_date=fields.pop("start_date", date(2025, 3, 1)),
        **fields,
    )
    db.session.add(intervention)
    db.session.flush()
    return intervention


def gen_member(intervention, user, professional_role="practitioner", in_quality_team=True):
    member = TeamMember(
        organization_id=intervention.organization_id,
        intervention_id=intervention.id,
        user_id=user.id,
        professional_role=professional_role,
        in_quality_team=in_quality_team,
    )
    db.session.add(member)
    db.session.flush()
    return member
