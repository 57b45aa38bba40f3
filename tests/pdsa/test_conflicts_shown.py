"""After an edit conflict, a form that has no side-by-side view lists what the other
person saved, so saving again never overwrites text the user has not seen."""

from improvement.extensions import db
from improvement.models import PdsaCycle
from tests.pdsa.factories import gen_cycle
from tests.pdsa.test_cycles import worksheet, world

HX = {"HX-Request": "true"}


def test_a_worksheet_conflict_lists_what_the_other_person_saved(client, login):
    org, user, intervention, point = world()
    cycle = gen_cycle(
        point, title="Fast opstartstid", owner=user, objective="Mål", prediction="Gæt"
    )
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}/rediger"
    mine = worksheet(cycle, learning="Frederiks observationer")
    # Meanwhile Lise fills in what was done and changes the decision.
    cycle.do_description = "Vi holdt tiden fire uger i træk"
    cycle.act_decision = "abandon"
    db.session.commit()

    response = client.post(url, data=mine, headers=HX)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "det, de gemte, som afviger fra den, står her" in body
    theirs = body[body.index('class="their-version"') :]
    theirs = theirs[: theirs.index("</aside>")]
    assert "Vi holdt tiden fire uger i træk" in theirs
    assert "<dd>Opgiv</dd>" in theirs  # the label, not the code
    assert "Frederiks observationer" not in theirs  # the user's own text is in the form
    assert "Fast opstartstid" not in theirs  # unchanged fields are not listed
    assert 'value="Frederiks observationer"' in body or "Frederiks observationer</textarea>" in body
    db.session.expire_all()
    assert db.session.get(PdsaCycle, cycle.id).learning in (None, "")
