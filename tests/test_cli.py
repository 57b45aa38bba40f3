from sqlalchemy import func, select

from improvement.extensions import db
from improvement.models import Intervention, Membership, Organization, PracticeElement, User


def _counts():
    return [
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Organization, User, Membership, Intervention, PracticeElement)
    ]


def test_seed_demo_twice_changes_nothing(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    first = _counts()
    assert first[0] == 2 and first[4] == 11
    result = runner.invoke(args=["seed-demo"])
    assert "0 new organisations, 0 new users, 0 new interventions" in result.output
    assert _counts() == first


def test_demo_has_every_role_in_both_organisations(runner):
    runner.invoke(args=["seed-demo"])
    for org in db.session.scalars(select(Organization)):
        roles = {m.role for m in org.memberships}
        assert roles >= {"admin", "leader", "practitioner", "authority", "partner", "evaluator"}


def test_create_user_asks_for_password_and_hashes_it(runner):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "Ny@Kommune.dk",
            "--name",
            "Ny Leder",
            "--org",
            "Testkommune",
            "--role",
            "leader",
        ],
        input="en lang adgangskode\nen lang adgangskode\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalars(select(User).where(User.email == "ny@kommune.dk")).one()
    assert user.check_password("en lang adgangskode")
    assert "en lang adgangskode" not in user.password_hash
    assert user.memberships[0].role == "leader"


def test_create_user_refuses_short_password(runner):
    result = runner.invoke(
        args=["create-user", "--email", "a@b.dk", "--name", "A", "--org", "X", "--role", "leader"],
        input="kort\nkort\n",
    )
    assert result.exit_code != 0
    assert db.session.scalars(select(User)).first() is None
