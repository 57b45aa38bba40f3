from sqlalchemy import func, select

from improvement import scale
from improvement.extensions import db
from improvement.models import CoreElement, Intervention, Organization, TeamMember, User


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_small_size_is_deterministic_and_complete(app):
    counts = scale.generate("small", seed=7)
    assert counts["organisations"] == 3 and counts["interventions"] == 12
    assert _count(Organization) == 3
    assert _count(User) == 3 * 8
    assert _count(CoreElement) == 12 * 4
    # Every team member belongs to the intervention's own organisation.
    mismatched = db.session.scalar(
        select(func.count())
        .select_from(TeamMember)
        .join(Intervention, TeamMember.intervention_id == Intervention.id)
        .where(TeamMember.organization_id != Intervention.organization_id)
    )
    assert mismatched == 0
    first = list(db.session.scalars(select(Intervention.status).order_by(Intervention.id)))
    # Running again with the same names adds nothing.
    assert scale.generate("small", seed=7) == {"organisations": 0}
    assert list(db.session.scalars(select(Intervention.status).order_by(Intervention.id))) == first


def test_orgs_override_scales_interventions(app):
    counts = scale.generate("national", seed=1, orgs=2)
    assert counts["organisations"] == 2
    assert counts["interventions"] == round(1000 * 2 / 98)


def test_health_is_public_and_trivial(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"
