"""HEAD is answered as the GET it stands for, without the body, also on pages that show a
form on GET and save it on POST."""

from improvement.extensions import db
from tests.helpers import gen_intervention, gen_org, gen_user


def test_head_is_the_get_without_its_body(client, login):
    org = gen_org("Nord")
    leader = gen_user(org, role="leader")
    intervention = gen_intervention(org, name="Familiehuset")
    db.session.commit()
    login(leader, org)
    for path in (f"/indsatser/{intervention.id}", f"/indsatser/{intervention.id}/rediger"):
        got = client.get(path)
        head = client.head(path)
        assert got.status_code == head.status_code == 200, path
        assert head.data == b""
        assert head.headers["Content-Type"] == got.headers["Content-Type"]
        assert head.headers["Content-Length"] == str(len(got.data))
    # Nothing was saved by it: the intervention is as it was.
    db.session.refresh(intervention)
    assert intervention.name == "Familiehuset"
    # A route that only takes POST still refuses HEAD.
    assert client.head(f"/indsatser/{intervention.id}/arkiver").status_code == 405
    assert client.head("/health").status_code == 200
