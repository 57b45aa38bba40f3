"""Command-line tasks: `flask --app improvement seed-demo`, `create-user`, ..."""

from pathlib import Path

import click
from flask import Flask
from sqlalchemy import select

from . import seeding
from .extensions import db
from .models import ORG_KINDS_KEYS, ROLES, Membership, Organization, User
from .validators import contains_cpr


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_reference)
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_user)
    app.cli.add_command(export)
    app.cli.add_command(seed_scale)


@click.command("seed-reference")
def seed_reference():
    """Load the reference data (the 11 elements) from seeds/."""
    created = seeding.load_reference()
    click.echo(f"Reference data: {created} new rows.")


@click.command("seed-demo")
def seed_demo():
    """Load reference data and the demo organisations; running it again changes nothing."""
    seeding.load_reference()
    counts = seeding.load_demo()
    click.echo(
        "Demo data: {organisations} new organisations, {users} new users, "
        "{interventions} new interventions.".format(**counts)
    )


@click.command("create-user")
@click.option("--email", required=True, help="Login e-mail address.")
@click.option("--name", required=True, help="Full name shown in the app.")
@click.option("--org", "org_name", required=True, help="Organisation name (created if new).")
@click.option("--org-kind", type=click.Choice(ORG_KINDS_KEYS), default="kommune")
@click.option("--role", type=click.Choice(list(ROLES)), required=True)
@click.password_option(help="Asked for without echo if not given.")
def create_user(email, name, org_name, org_kind, role, password):
    """Create a real user (or add an existing one) with a membership in an organisation."""
    email = email.strip().lower()
    if any(contains_cpr(v) for v in (email, name, org_name)):
        raise click.BadParameter("CPR-shaped text is not allowed.")
    if len(password) < 10:
        raise click.BadParameter("Use a password of at least 10 characters.")
    org = db.session.scalars(select(Organization).where(Organization.name == org_name)).first()
    if org is None:
        org = Organization(name=org_name, kind=org_kind)
        db.session.add(org)
        db.session.flush()
    user = db.session.scalars(select(User).where(User.email == email)).first()
    if user is None:
        user = User(email=email, name=name)
        db.session.add(user)
    user.set_password(password)
    db.session.flush()
    membership = db.session.scalars(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organization_id == org.id
        )
    ).first()
    if membership is None:
        db.session.add(Membership(user_id=user.id, organization_id=org.id, role=role))
    else:
        membership.role = role
    db.session.commit()
    click.echo(f"{email} is {role} in {org.name}.")


@click.command("export")
@click.option("--org", "org_name", required=True, help="Organisation name.")
@click.option("--intervention", "intervention_id", type=int, help="Only this intervention (id).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, writable=True), required=True)
def export(org_name, intervention_id, out_path):
    """Write the Excel workbook for an organisation (or one of its interventions)."""
    from .exports.service import build_export, scope_for
    from .models import Intervention

    org = db.session.scalars(select(Organization).where(Organization.name == org_name)).first()
    if org is None:
        raise click.BadParameter(f"No organisation named {org_name!r}.")
    intervention = None
    if intervention_id is not None:
        intervention = db.session.scalars(
            select(Intervention).where(
                Intervention.id == intervention_id, Intervention.organization_id == org.id
            )
        ).first()
        if intervention is None:
            raise click.BadParameter(f"{org_name} has no intervention {intervention_id}.")
    scope = scope_for(org, "kommandolinjen (flask export)", intervention)
    # Straight into the file: the workbook of a large organisation need not fit in memory.
    try:
        with open(out_path, "wb") as handle:
            build_export(scope, handle)
    except BaseException:
        Path(out_path).unlink(missing_ok=True)  # no half-written workbook left behind
        raise
    click.echo(f"Wrote {out_path}.")


@click.command("seed-scale")
@click.option("--size", type=click.Choice(["small", "medium", "national"]), default="national")
@click.option("--orgs", type=int, help="Number of organisations (overrides the size's).")
@click.option(
    "--interventions",
    type=int,
    help="Number of interventions (overrides the size's; with --orgs 1 all of a national "
    "data set lands in one organisation, for the organisation export at full size).",
)
@click.option("--seed", type=int, default=2026, help="Random seed: same seed, same data.")
def seed_scale(size, orgs, interventions, seed):
    """Generate synthetic organisations and interventions for benchmarks (bulk inserts)."""
    from . import scale

    seeding.load_reference()
    counts = scale.generate(size=size, seed=seed, orgs=orgs, interventions=interventions)
    click.echo(", ".join(f"{value} {name}" for name, value in counts.items()))
