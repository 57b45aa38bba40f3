"""Round names: unique within the intervention with case and spaces aside (names.name_key,
as for interventions, core elements and phases), and a rename reaches the breadcrumb and
the tab's title."""

import re

from sqlalchemy import func, select

from improvement.extensions import db
from improvement.models import AssessmentRound
from tests.assessments.helpers import HX, gen_round, setup_team


def base(intervention):
    return f"/indsatser/{intervention.id}/selvevaluering"


def _count(intervention) -> int:
    return db.session.scalar(
        select(func.count()).where(AssessmentRound.intervention_id == intervention.id)
    )


def test_a_new_round_named_as_another_case_and_spaces_aside_is_refused(client, login):
    org, intervention, instrument, users, _ = setup_team()
    gen_round(intervention, instrument, name="Baseline 2026")
    db.session.commit()
    login(users["leader"], org)
    for name in ("baseline 2026", "  BASELINE   2026 "):
        response = client.post(
            base(intervention), data={"name": name, "instrument_id": instrument.id}, headers=HX
        )
        assert response.status_code == 422, name
        assert "En runde med dette navn findes allerede." in response.get_data(as_text=True)
    assert _count(intervention) == 1
    response = client.post(
        base(intervention),
        data={"name": "Baseline 2027", "instrument_id": instrument.id},
        headers=HX,
    )
    assert response.status_code == 200 and _count(intervention) == 2


def test_a_rename_to_another_rounds_name_case_aside_is_refused(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument, name="Midtvejs")
    gen_round(intervention, instrument, name="Baseline")
    db.session.commit()
    login(users["leader"], org)
    url = f"{base(intervention)}/{round_.id}/navn"
    response = client.post(url, data={"name": "BASELINE", "version": round_.version}, headers=HX)
    assert response.status_code == 422
    assert "En runde med dette navn findes allerede." in response.get_data(as_text=True)
    # Its own name in other case is a rename of itself.
    response = client.post(url, data={"name": "midtvejs", "version": round_.version}, headers=HX)
    assert response.status_code == 200
    db.session.refresh(round_)
    assert round_.name == "midtvejs"


def test_a_rename_updates_the_breadcrumb_and_the_title(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = gen_round(intervention, instrument, name="Basline")
    db.session.commit()
    login(users["leader"], org)
    page = client.get(f"{base(intervention)}/{round_.id}").get_data(as_text=True)
    assert re.search(r'<nav id="breadcrumb"[^>]*>', page)
    url = f"{base(intervention)}/{round_.id}/navn"
    response = client.post(url, data={"name": "Baseline", "version": round_.version}, headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    crumb = re.search(r'<nav id="breadcrumb"[^>]*hx-swap-oob="true"[^>]*>(.*?)</nav>', body, re.S)
    assert crumb and "<li>Baseline</li>" in crumb.group(1) and "Basline" not in crumb.group(1)
    assert "<title>Baseline · Familiehuset · Praksisløft</title>" in body
    # The heading is the swap's own content; the sub-navigation is not sent along.
    assert 'id="round-title"' in body and "subnav" not in body
