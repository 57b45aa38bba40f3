"""Instrument versions: parsing, an admin adding an own version, old rounds unchanged."""

import re

from sqlalchemy import func, select

from improvement import seeding
from improvement.assessments.service import parse_instrument
from improvement.extensions import db
from improvement.models import AssessmentInstrument
from tests.assessments.helpers import HX, answer_all, gen_respondent, gen_round, setup_team
from tests.helpers import gen_org, gen_user

OWN = """
version: "Licenseret skema 2026"
scale:
  - {key: ja, label: "Ja", value: 100}
  - {key: delvist, label: "Delvist", value: 50}
  - {key: nej, label: "Nej", value: 0}
  - {key: vedikke, label: "Ved ikke", value: null}
statements:
""" + "".join(
    f'  - element: {n}\n    items: ["Udsagn {n}a", "Udsagn {n}b"]\n' for n in range(1, 12)
)


def test_parse_the_seed_instrument(app):
    text = (seeding.SEEDS / "assessment_instrument.yaml").read_text(encoding="utf-8")
    data, errors = parse_instrument(text)
    assert errors == []
    assert data["version"] == "Lovende praksis – fælles spørgeskema, version 1"


def test_parse_refuses_broken_instruments(app):
    assert "ikke gyldig YAML" in parse_instrument("version: [unclosed")[1][0]
    _, errors = parse_instrument(OWN.replace("  - element: 11\n", "  - element: 10\n"))
    assert "Element 10 står der to gange." in errors
    assert "Der mangler udsagn for element 11." in errors
    _, errors = parse_instrument(OWN.replace("value: 50", "value: 150"))
    assert errors == ["Et trins værdi skal være et tal 0-100 eller tom."]
    _, errors = parse_instrument(OWN.replace('"Udsagn 3a"', '"Barn 010203-1234"'))
    assert any("CPR-nummer" in e for e in errors)
    _, errors = parse_instrument("- a\n- b\n")
    assert errors == ["Teksten skal have felterne version, scale og statements."]


def test_admin_adds_own_version_and_old_rounds_keep_theirs(client, login):
    org, intervention, instrument, users, _ = setup_team()
    admin = gen_user(org, role="admin")
    round_ = gen_round(intervention, instrument, status="closed")
    for key in ("p1", "p2"):
        answer_all(gen_respondent(round_, users[key]), instrument, {1: "high"})
    db.session.commit()
    login(admin, org)
    before = client.get(f"/indsatser/{intervention.id}/selvevaluering/{round_.id}").get_data(
        as_text=True
    )
    listing = client.get("/selvevaluering/instrumenter").get_data(as_text=True)
    # The starting point is named as an own version, not as a second shared one.
    assert "Egen version af Lovende praksis – fælles spørgeskema, version 1" in listing
    response = client.post("/selvevaluering/instrumenter", data={"source": OWN}, headers=HX)
    assert response.status_code == 200
    own = db.session.scalars(
        select(AssessmentInstrument).where(AssessmentInstrument.organization_id == org.id)
    ).one()
    assert response.headers["HX-Redirect"].endswith(f"/selvevaluering/instrumenter/{own.id}")
    assert own.name == "Licenseret skema 2026" and len(own.statements) == 22
    assert own.weights["delvist"] == 50
    detail = client.get(f"/selvevaluering/instrumenter/{own.id}").get_data(as_text=True)
    assert "Udsagn 7b" in detail
    # A new round can use it; the closed round still shows the same result.
    form = client.get(f"/indsatser/{intervention.id}/selvevaluering").get_data(as_text=True)
    assert "Licenseret skema 2026 (egen)" in form
    after = client.get(f"/indsatser/{intervention.id}/selvevaluering/{round_.id}").get_data(
        as_text=True
    )
    # The whole result section is unchanged (the page around it carries a fresh CSRF token).
    section = re.compile(r'<section class="panel results".*?</section>', re.S)
    assert section.search(after).group(0) == section.search(before).group(0)


def test_invalid_upload_is_422_and_writes_nothing(client, login):
    org, _intervention, _instrument, _users, _ = setup_team()
    admin = gen_user(org, role="admin")
    db.session.commit()
    login(admin, org)
    response = client.post(
        "/selvevaluering/instrumenter", data={"source": "version: x\nscale: []"}, headers=HX
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Spørgeskemaversionen kunne ikke tilføjes" in body
    assert "Skalaen skal have mindst to trin" in body
    assert db.session.scalar(select(func.count()).select_from(AssessmentInstrument)) == 1


def test_only_admins_add_instruments(client, login):
    org, _intervention, _instrument, users, _ = setup_team()
    login(users["leader"], org)
    response = client.post("/selvevaluering/instrumenter", data={"source": OWN}, headers=HX)
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(AssessmentInstrument)) == 1


def test_other_organisations_versions_are_404(client, login):
    org, _intervention, _instrument, _users, _ = setup_team()
    admin = gen_user(org, role="admin")
    db.session.commit()
    login(admin, org)
    client.post("/selvevaluering/instrumenter", data={"source": OWN}, headers=HX)
    own = db.session.scalars(
        select(AssessmentInstrument).where(AssessmentInstrument.organization_id == org.id)
    ).one()
    other_org = gen_org("Syd")
    other_admin = gen_user(other_org, role="admin")
    db.session.commit()
    login(other_admin, other_org)
    assert client.get(f"/selvevaluering/instrumenter/{own.id}").status_code == 404
    assert "Licenseret skema 2026" not in client.get("/selvevaluering/instrumenter").get_data(
        as_text=True
    )
