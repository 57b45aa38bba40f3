"""Progress score on the IHI scale: set with definitions, kept as history, listed for leaders."""

from datetime import timedelta

from sqlalchemy import func, select

from improvement import clock
from improvement.extensions import db
from improvement.models import ProgressScore
from tests.helpers import gen_intervention, gen_org, gen_user


def test_set_score_keeps_history_and_leaders_see_latest(client, login):
    org = gen_org("Nord")
    user = gen_user(org, name="Lise Lund")
    first = gen_intervention(org, name="Spædbarnsindsats")
    gen_intervention(org, name="Familiekonsulent")
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{first.id}/fremdrift"
    page = client.get(url).get_data(as_text=True)
    assert "Ingen score endnu – sæt den første" in page
    assert "Ændringer afprøvet, men ingen forbedring" in page  # definitions beside the choice
    for day, score in (("2026-01-10", "15"), ("2026-02-10", "25")):
        response = client.post(url, data={"score_tenths": score, "assessed_on": day, "note": "x"})
        assert response.status_code == 302
    scores = db.session.scalars(select(ProgressScore).order_by(ProgressScore.id)).all()
    assert [s.score_tenths for s in scores] == [15, 25]
    assert scores[0].set_by_id == user.id
    page = client.get(url).get_data(as_text=True)
    assert "2,5" in page and "1,5" in page
    overview = client.get("/fremdrift").get_data(as_text=True)
    assert "Spædbarnsindsats" in overview and "Familiekonsulent" in overview
    assert "2,5" in overview and "1,5" not in overview
    assert "Ingen score endnu" in overview


def test_invalid_score_and_future_date_are_refused(client, login):
    org = gen_org("Nord")
    user = gen_user(org)
    intervention = gen_intervention(org)
    db.session.commit()
    login(user, org)
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    response = client.post(
        f"/indsatser/{intervention.id}/fremdrift",
        data={"score_tenths": "7", "assessed_on": tomorrow},
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Datoen kan ikke ligge i fremtiden." in body
    assert db.session.scalars(select(ProgressScore)).first() is None


def test_the_same_score_sent_twice_is_saved_once(client, login):
    org = gen_org("Nord")
    user = gen_user(org)
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{intervention.id}/fremdrift"
    form = {"score_tenths": "15", "assessed_on": "2026-01-10", "note": "dobbelt"}
    for _ in range(2):  # a double click on the plain form, or a resent request
        assert client.post(url, data=form).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ProgressScore)) == 1
    # Another note, another score or another day is a score of its own.
    assert client.post(url, data={**form, "note": "næste"}).status_code == 302
    assert client.post(url, data={**form, "score_tenths": "20"}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ProgressScore)) == 3


def test_the_history_breaks_long_words_at_their_syllables(client, login):
    # The history shares the page with the scale: its note column is narrow, and a Danish
    # compound broke anywhere ("udviklingspunktern|e"). Soft hyphens break it at a syllable.
    org = gen_org("Nord")
    user = gen_user(org)
    intervention = gen_intervention(org)
    db.session.commit()
    login(user, org)
    url = f"/indsatser/{intervention.id}/fremdrift"
    note = "Udviklingspunkterne er prioriteret."
    response = client.post(
        url, data={"score_tenths": "15", "assessed_on": "2026-01-10", "note": note}
    )
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Ud\u00advik\u00adlings\u00adpunk\u00adter\u00adne er prioriteret." in page
    assert "Plan\u00adlæg\u00adnin\u00adgen er begyndt" in page  # the level's name too
    # What is saved is the text as typed.
    assert db.session.scalars(select(ProgressScore.note)).one() == note
