"""A case's own history on its page ("Historik"): who changed its practitioner, authority
caseworker, phase, dates and outcome coding, and registered or removed a follow-up, and
when, in words (improvement/history.py, as a PDSA cycle's and a meeting's)."""

from datetime import date

import pytest

from improvement.cases.forms import CADENCES
from improvement.extensions import db
from improvement.history import CODED, EMPTY_MEANS
from improvement.models import Case
from tests.cases.helpers import gen_case
from tests.helpers import gen_member, gen_org, gen_user
from tests.querycount import count_queries
from tests.test_history import history_entries

HX = {"HX-Request": "true"}


@pytest.fixture
def crew(team):
    """The team fixture with two authority caseworkers, and a case with one of them."""
    team.mette = gen_user(team.org, role="authority", name="Mette Mørch")
    team.morten = gen_user(team.org, role="authority", name="Morten Munk")
    for user in (team.mette, team.morten):
        gen_member(team.intervention, user, professional_role="authority_caseworker")
    team.case = gen_case(
        team.intervention,
        "SP-2026-009",
        start=date(2026, 1, 5),
        practitioner_id=team.practitioner.id,
        caseworker_id=team.mette.id,
    )
    db.session.commit()
    return team


def _url(team, suffix=""):
    return f"/indsatser/{team.intervention.id}/forloeb/{team.case.id}{suffix}"


def _lines(page: str) -> list[str]:
    """The case history's entries as "who · what | change | change" (the time left out)."""
    return [
        " | ".join([e["head"].split(" · ", 1)[1], *e["changes"]])
        for e in history_entries(page, '<div id="case-history"')
    ]


def _save(client, team, **fields):
    case = db.session.get(Case, team.case.id)
    db.session.refresh(case)
    data = {
        "code": case.code,
        "practitioner_id": str(case.practitioner_id or ""),
        "caseworker_id": str(case.caseworker_id or ""),
        "start_date": case.start_date.isoformat(),
        "phase_id": str(case.phase_id or ""),
        "followup_cadence_months": str(case.followup_cadence_months or ""),
        "end_date": case.end_date.isoformat() if case.end_date else "",
        "goal_attainment": case.goal_attainment or "",
        "problem_grade": case.problem_grade or "",
        "reflected_adjustment": case.reflected_adjustment or "",
        "version": str(case.version),
    }
    data.update(fields)
    response = client.post(_url(team, "/rediger"), data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_case_page_shows_who_changed_caseworker_practitioner_phase_and_outcome(client, login, crew):
    login(crew.leader, crew.org)
    page = client.get(_url(crew)).get_data(as_text=True)
    assert '<details class="panel history">' in page
    assert _lines(page) == ["System · oprettet"]

    _save(
        client,
        crew,
        caseworker_id=str(crew.morten.id),
        practitioner_id=str(crew.colleague.id),
        phase_id=str(crew.phases[1].id),
    )
    _save(client, crew, followup_cadence_months="4")
    _save(
        client,
        crew,
        end_date="2026-03-31",
        goal_attainment="achieved",
        problem_grade="moderate",
        reflected_adjustment="not_described",
    )
    page = client.get(_url(crew)).get_data(as_text=True)
    assert _lines(page) == [
        "Lise Lund · ændret | Slutdato: – → 31.03.2026 | Målopnåelse: – → I mål"
        " | Problemgrad: – → Mellem | Reflekteret indsatsjustering: – → Ikke beskrevet",
        "Lise Lund · ændret | Opfølgningskadence: Lovens minimum → Hver 4. måned",
        "Lise Lund · ændret | Ansvarlig medarbejder: Birgitte Bach → Frederik Friis"
        " | Myndighedssagsbehandler: Mette Mørch → Morten Munk | Aktuel fase: – → Forløb",
        "System · oprettet",
    ]
    # Cases have no texts to put back.
    assert "history-restore" not in page

    # A reader (evaluator) sees the same history, read-only.
    login(crew.evaluator, crew.org)
    page = client.get(_url(crew)).get_data(as_text=True)
    assert "Myndighedssagsbehandler: Mette Mørch → Morten Munk" in " ".join(_lines(page))
    assert "history-restore" not in page


def test_follow_ups_registered_and_removed_reach_the_case_history(client, login, crew):
    other = gen_case(crew.intervention, "SP-2026-010", followups=[date(2026, 2, 11)])
    db.session.commit()
    login(crew.leader, crew.org)
    response = client.post(_url(crew, "/opfoelgning"), data={"held_on": "2026-02-10"}, headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    # The history follows without a reload.
    assert '<div id="case-history" hx-swap-oob="true">' in body
    assert _lines(body)[0] == "Lise Lund · Opfølgning holdt den 10.02.2026 · oprettet"
    followup = db.session.get(Case, crew.case.id).followups[0]
    response = client.post(
        _url(crew, "/opfoelgning/fjern"), data={"followup_id": str(followup.id)}, headers=HX
    )
    assert response.status_code == 200
    # A removed follow-up stays in the history, by its day.
    assert _lines(client.get(_url(crew)).get_data(as_text=True)) == [
        "Lise Lund · Opfølgning holdt den 10.02.2026 · slettet",
        "Lise Lund · Opfølgning holdt den 10.02.2026 · oprettet",
        "System · oprettet",
    ]
    # Another case's follow-ups are not in it.
    assert "11.02.2026" not in " ".join(_lines(client.get(_url(crew)).get_data(as_text=True)))
    assert "11.02.2026" in client.get(
        f"/indsatser/{crew.intervention.id}/forloeb/{other.id}"
    ).get_data(as_text=True)


def test_a_follow_up_removed_and_registered_again_keeps_its_own_day(client, login, crew):
    """Registered on the wrong day, removed, registered on the right one: the new follow-up
    is a new row with an id of its own (SQLite gave it the removed one's, and the removed
    one's lines then read the new day: migration 0016)."""
    login(crew.leader, crew.org)
    client.post(_url(crew, "/opfoelgning"), data={"held_on": "2026-02-10"}, headers=HX)
    wrong = db.session.get(Case, crew.case.id).followups[0]
    wrong_id = wrong.id
    response = client.post(
        _url(crew, "/opfoelgning/fjern"), data={"followup_id": str(wrong_id)}, headers=HX
    )
    assert response.status_code == 200
    response = client.post(_url(crew, "/opfoelgning"), data={"held_on": "2026-02-12"}, headers=HX)
    assert response.status_code == 200
    db.session.expire_all()
    right = db.session.get(Case, crew.case.id).followups[0]
    assert right.id != wrong_id
    assert _lines(client.get(_url(crew)).get_data(as_text=True)) == [
        "Lise Lund · Opfølgning holdt den 12.02.2026 · oprettet",
        "Lise Lund · Opfølgning holdt den 10.02.2026 · slettet",
        "Lise Lund · Opfølgning holdt den 10.02.2026 · oprettet",
        "System · oprettet",
    ]


def test_another_organisations_case_and_its_history_are_not_found(client, login, crew):
    other_org = gen_org("Syd")
    outsider = gen_user(other_org, role="leader", name="Ulla Udenfor")
    db.session.commit()
    login(outsider, other_org)
    assert client.get(_url(crew)).status_code == 404


def test_case_page_queries_do_not_grow_with_its_history(client, login, crew):
    login(crew.leader, crew.org)
    client.get(_url(crew))  # warm caches
    with count_queries() as small:
        assert client.get(_url(crew)).status_code == 200
    case = db.session.get(Case, crew.case.id)
    for n in range(12):
        case.caseworker_id = (crew.morten if n % 2 == 0 else crew.mette).id
        case.practitioner_id = (crew.colleague if n % 2 == 0 else crew.practitioner).id
        case.phase_id = crew.phases[n % 3].id
        case.followup_cadence_months = 3 + n % 3
        db.session.commit()
        gen_case(crew.intervention, f"X-{n:03d}")  # other cases' trails are not read
    db.session.commit()
    with count_queries() as large:
        page = client.get(_url(crew)).get_data(as_text=True)
    # The newest 30 changes are shown, as a PDSA cycle's.
    assert len(_lines(page)) == 30
    assert len(large) == len(small), large


def test_the_history_words_a_cadence_as_the_case_form_does(app):
    with app.test_request_context():
        words = {
            months: str(label) for months, label in CODED["Case"]["followup_cadence_months"].items()
        }
        assert words == {months: str(label) for months, label in CADENCES if months}
        # The legal minimum, stored as no cadence, reads as the form's empty choice.
        legal = str(EMPTY_MEANS["Case"]["followup_cadence_months"])
        assert legal == next(str(label) for months, label in CADENCES if not months)
