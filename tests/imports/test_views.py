"""The import through the app: real .xlsx files built with openpyxl in the test."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from improvement.extensions import db
from improvement.imports.parsing import RatingRow
from improvement.imports.service import Counts, add_ratings
from improvement.models import AssessmentAnswer, CoreElementRating, User
from tests.assessments.helpers import gen_respondent, gen_round, shared_instrument
from tests.cases.helpers import gen_case, gen_core_element, gen_phase, gen_rating
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

HX = {"HX-Request": "true"}
RATING_HEADER = ["Forløbskode", "Fase", "Kerneelement", "Score", "Dato", "Kommentar"]
ANSWER_HEADER = ["Runde", "Respondent (e-mail)", "Udsagn", "Svar"]


@pytest.fixture
def world(app):
    org = gen_org("Nord")
    leader = gen_user(org, role="leader", name="Lise Leder")
    paper = gen_user(org, role="practitioner", email="bo@example.test")
    evaluator = gen_user(org, role="evaluator")
    intervention = gen_intervention(org, name="Familiehuset")
    gen_member(intervention, leader, "leader")
    phase = gen_phase(intervention, "Opstart")
    gen_phase(intervention, "Gammel fase", position=1, archived=True)
    element = gen_core_element(intervention, "Tæt kontakt")
    case = gen_case(intervention, "FH-1")
    gen_case(intervention, "FH-2")
    instrument = shared_instrument()
    round_ = gen_round(intervention, instrument, "Baseline")
    gen_respondent(round_, paper)
    db.session.commit()
    statements = instrument.statements
    return {
        "org": org,
        "leader": leader,
        "evaluator": evaluator,
        "intervention": intervention,
        "case": case,
        "phase": phase,
        "element": element,
        "round": round_,
        "s1": statements[0].text,
        "s2": statements[1].text,
    }


def xlsx(ratings=None, answers=None, extra=None) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    if ratings is not None:
        ws = workbook.create_sheet("Kvalitet i kerneelementer")
        for row in ratings:
            ws.append(row)
    if answers is not None:
        ws = workbook.create_sheet("Selvevaluering")
        for row in answers:
            ws.append(row)
    for name, rows in (extra or {}).items():
        ws = workbook.create_sheet(name)
        for row in rows:
            ws.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def good_file(w) -> bytes:
    return xlsx(
        ratings=[
            RATING_HEADER,
            ["FH-1", "Opstart", "Tæt kontakt", 4, datetime(2026, 2, 1), None],
            ["FH-2", "Opstart", "Tæt kontakt", 2, datetime(2026, 2, 3), "Familien var syg"],
        ],
        answers=[
            ANSWER_HEADER,
            ["Baseline", "bo@example.test", w["s1"], "I høj grad"],
            ["Baseline", "bo@example.test", w["s2"], "Ved ikke"],
        ],
    )


def upload(client, w, data: bytes, name="import.xlsx", headers=HX):
    return client.post(
        f"/indsatser/{w['intervention'].id}/import",
        data={"file": (BytesIO(data), name)},
        content_type="multipart/form-data",
        headers=headers,
    )


def counts():
    return (
        db.session.scalar(select(func.count()).select_from(CoreElementRating)),
        db.session.scalar(select(func.count()).select_from(AssessmentAnswer)),
    )


def test_page_has_template_and_upload_and_intervention_links_to_it(world, login):
    client = login(world["leader"], world["org"])
    page = client.get(f"/indsatser/{world['intervention'].id}/import")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "skabelon.xlsx" in html and 'type="file"' in html
    detail = client.get(f"/indsatser/{world['intervention'].id}").get_data(as_text=True)
    assert f"/indsatser/{world['intervention'].id}/import" in detail


def test_template_has_the_sheets_dropdowns_and_hidden_lists(world, login):
    client = login(world["leader"], world["org"])
    response = client.get(f"/indsatser/{world['intervention'].id}/import/skabelon.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.data))
    assert workbook.sheetnames == [
        "Vejledning",
        "Kvalitet i kerneelementer",
        "Selvevaluering",
        "Lister",
    ]
    lists = workbook["Lister"]
    assert lists.sheet_state == "hidden"
    column = {lists.cell(1, c).value: c for c in range(1, 10)}

    def values(header):
        c = column[header]
        return [
            lists.cell(r, c).value for r in range(2, lists.max_row + 1) if lists.cell(r, c).value
        ]

    assert values("Forløbskoder") == ["FH-1", "FH-2"]
    assert values("Faser") == ["Opstart"]  # the archived phase is not offered
    assert values("Kerneelementer") == ["Tæt kontakt"]
    assert values("Score") == [1, 2, 3, 4, 5]
    assert values("Runder") == ["Baseline"]
    assert values("Respondenter") == ["bo@example.test"]
    assert world["s1"] in values("Udsagn")
    assert values("Svar") == [
        "I høj grad",
        "I nogen grad",
        "I mindre grad",
        "Slet ikke",
        "Ved ikke",
    ]
    ratings = workbook["Kvalitet i kerneelementer"]
    assert [c.value for c in ratings[1]] == RATING_HEADER
    formulas = {v.formula1 for v in ratings.data_validations.dataValidation}
    assert "'Lister'!$A$2:$A$3" in formulas
    answers = workbook["Selvevaluering"]
    assert [c.value for c in answers[1]] == ANSWER_HEADER
    assert len(answers.data_validations.dataValidation) == 4
    guide = [c.value for row in workbook["Vejledning"].iter_rows() for c in row if c.value]
    assert "Forløbskode" in guide and "Respondent (e-mail)" in guide


def test_happy_path_counts_and_reimport_changes_nothing(world, login):
    client = login(world["leader"], world["org"])
    response = upload(client, world, good_file(world))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Importeret" in html
    assert counts() == (2, 2)
    rating = db.session.scalars(
        select(CoreElementRating).where(CoreElementRating.comment == "Familien var syg")
    ).one()
    assert rating.rater_id == world["leader"].id
    assert rating.score == 2
    values = set(db.session.scalars(select(AssessmentAnswer.value)))
    assert values == {"high", "dont_know"}

    again = upload(client, world, good_file(world))
    assert again.status_code == 200
    assert "Intet nyt" in again.get_data(as_text=True)
    assert counts() == (2, 2)


def test_existing_rating_of_the_same_cell_is_not_duplicated_and_answers_are_updated(world, login):
    gen_rating(world["case"], world["phase"], world["element"], 4, day=date(2026, 2, 1))
    db.session.commit()
    client = login(world["leader"], world["org"])
    data = xlsx(
        ratings=[RATING_HEADER, ["FH-1", "Opstart", "Tæt kontakt", 4, datetime(2026, 2, 1), None]],
        answers=[ANSWER_HEADER, ["Baseline", "bo@example.test", world["s1"], "Slet ikke"]],
    )
    assert upload(client, world, data).status_code == 200
    changed = xlsx(answers=[ANSWER_HEADER, ["Baseline", "bo@example.test", world["s1"], "high"]])
    assert upload(client, world, changed).status_code == 200
    assert counts() == (1, 1)
    assert db.session.scalar(select(AssessmentAnswer.value)) == "high"


def test_one_bad_row_writes_nothing_and_shows_the_errors(world, login):
    client = login(world["leader"], world["org"])
    data = xlsx(
        ratings=[
            RATING_HEADER,
            ["FH-1", "Opstart", "Tæt kontakt", 4, datetime(2026, 2, 1), None],
            ["FH-9", "Opstart", "Tæt kontakt", 7, datetime(2026, 2, 1), None],
        ],
        answers=[ANSWER_HEADER, ["Baseline", "bo@example.test", world["s1"], "I høj grad"]],
    )
    response = upload(client, world, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "FH-9" in html and "Der er intet forløb med denne kode" in html
    assert "Brug et helt tal fra 1 til 5" in html
    assert "<html" not in html  # a fragment for HTMX
    assert counts() == (0, 0)


def test_uninvited_respondent_and_archived_phase_are_errors(world, login):
    outsider = gen_user(world["org"], email="eve@example.test")
    db.session.commit()
    client = login(world["leader"], world["org"])
    data = xlsx(
        ratings=[RATING_HEADER, ["FH-1", "Gammel fase", "Tæt kontakt", 3, datetime(2026, 2, 1)]],
        answers=[ANSWER_HEADER, ["Baseline", outsider.email, world["s1"], "I høj grad"]],
    )
    response = upload(client, world, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Gammel fase" in html and "eve@example.test" in html
    assert counts() == (0, 0)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("import.csv", b"a;b\n1;2", "Kun Excel-projektmapper (.xlsx)"),
        ("import.xlsx", b"PK not really a zip", "ikke en gyldig Excel-projektmappe"),
        ("import.xlsx", xlsx(ratings=[RATING_HEADER[:4]]), "Dato, Kommentar"),
        (
            "import.xlsx",
            xlsx(ratings=[RATING_HEADER, ["FH-1", "Opstart", "Tæt kontakt", "=2+2", None]]),
            "formel",
        ),
        (
            "import.xlsx",
            xlsx(
                ratings=[RATING_HEADER, ["FH-1", "Opstart", "Tæt kontakt", 3, None, "1203921234"]]
            ),
            "CPR",
        ),
        ("import.xlsx", xlsx(extra={"Ark1": [["a"]]}), "Start fra importskabelonen"),
    ],
)
def test_refusals(world, login, name, data, message):
    client = login(world["leader"], world["org"])
    response = upload(client, world, data, name=name)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert counts() == (0, 0)


def test_too_large_file_is_refused(world, login, app):
    app.config["IMPORT_MAX_BYTES"] = 1000
    client = login(world["leader"], world["org"])
    response = upload(client, world, good_file(world))
    assert response.status_code == 422
    assert "større end" in response.get_data(as_text=True)
    assert counts() == (0, 0)


def test_plain_form_post_gets_the_whole_page(world, login):
    client = login(world["leader"], world["org"])
    response = upload(client, world, good_file(world), headers={})
    assert response.status_code == 200
    assert "<html" in response.get_data(as_text=True)


def test_evaluator_cannot_import_but_may_read_the_page(world, login):
    client = login(world["evaluator"], world["org"])
    assert upload(client, world, good_file(world)).status_code == 403
    page = client.get(f"/indsatser/{world['intervention'].id}/import").get_data(as_text=True)
    assert 'type="file"' not in page
    assert counts() == (0, 0)


def test_other_organisation_gets_404(world, login):
    other = gen_org("Syd")
    admin = gen_user(other, role="admin")
    db.session.commit()
    client = login(admin, other)
    base = f"/indsatser/{world['intervention'].id}/import"
    assert client.get(base).status_code == 404
    assert client.get(base + "/skabelon.xlsx").status_code == 404
    assert upload(client, world, good_file(world)).status_code == 404
    assert counts() == (0, 0)


def test_the_downloaded_template_filled_in_imports(world, login):
    client = login(world["leader"], world["org"])
    base = f"/indsatser/{world['intervention'].id}/import"
    workbook = load_workbook(BytesIO(client.get(base + "/skabelon.xlsx").data))
    workbook["Kvalitet i kerneelementer"].append(
        ["FH-1", "Opstart", "Tæt kontakt", 5, datetime(2026, 2, 1)]
    )
    # Appended after the prepared (formatted) rows; an empty template row in between is skipped.
    workbook["Selvevaluering"]["A2"] = "Baseline"
    workbook["Selvevaluering"]["B2"] = "bo@example.test"
    workbook["Selvevaluering"]["C2"] = world["s1"]
    workbook["Selvevaluering"]["D2"] = "I nogen grad"
    buffer = BytesIO()
    workbook.save(buffer)
    empty = upload(client, world, client.get(base + "/skabelon.xlsx").data)
    assert empty.status_code == 422
    assert "ingen udfyldte rækker" in empty.get_data(as_text=True)
    assert counts() == (0, 0)
    response = upload(client, world, buffer.getvalue())
    assert response.status_code == 200
    assert counts() == (1, 1)


# --- Values as people type them ------------------------------------------------------------


def test_lower_case_codes_text_dates_and_names_in_any_case_are_imported(world, login):
    client = login(world["leader"], world["org"])
    data = xlsx(
        ratings=[
            RATING_HEADER,
            [" fh-1 ", " opstart", "TÆT KONTAKT ", 4, "01-02-2026", None],
            ["Fh-2", "Opstart", "Tæt kontakt", 3, "02.02.2026", None],
            ["FH-2", "Opstart", "Tæt kontakt", 2, "2026-02-03", None],
        ]
    )
    response = upload(client, world, data)
    assert response.status_code == 200, response.get_data(as_text=True)
    ratings = db.session.scalars(select(CoreElementRating).order_by(CoreElementRating.score)).all()
    assert [(r.score, r.phase_id, r.core_element_id) for r in ratings] == [
        (2, world["phase"].id, world["element"].id),
        (3, world["phase"].id, world["element"].id),
        (4, world["phase"].id, world["element"].id),
    ]
    assert ratings[2].case_id == world["case"].id
    # A day without a time is noon in Denmark, on SQLite as on PostgreSQL (stored as UTC).
    case_page = client.get(f"/indsatser/{world['intervention'].id}/forloeb/{world['case'].id}")
    assert "01.02.2026 12.00" in case_page.get_data(as_text=True)


def test_an_unreadable_text_date_says_which_text(world, login):
    client = login(world["leader"], world["org"])
    data = xlsx(ratings=[RATING_HEADER, ["FH-1", "Opstart", "Tæt kontakt", 4, "1. februar"]])
    response = upload(client, world, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Kunne ikke læse &#39;1. februar&#39; som en dato; skriv fx 05-03-2026." in html
    assert counts() == (0, 0)


# --- Names several phases or core elements share ------------------------------------------


def test_a_name_shared_by_two_core_elements_is_refused_not_filed_under_the_newest(world, login):
    # Duplicates made before names had to be unique; the newer one archived, in other case.
    gen_core_element(world["intervention"], "tæt kontakt ", position=1, archived=True)
    gen_phase(world["intervention"], "Forløb", position=2)
    gen_phase(world["intervention"], "FORLØB", position=3)
    db.session.commit()
    client = login(world["leader"], world["org"])
    data = xlsx(
        ratings=[
            RATING_HEADER,
            ["FH-1", "Opstart", "Tæt kontakt", 4, datetime(2026, 2, 1), None],
            ["FH-2", "Forløb", "Tæt kontakt", 3, datetime(2026, 2, 1), None],
        ]
    )
    response = upload(client, world, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.count("Flere kerneelementer hedder sådan; giv dem forskellige navne") == 2
    assert html.count("Flere faser hedder sådan; giv dem forskellige navne") == 1
    assert counts() == (0, 0)

    # The template offers neither name, so it cannot lead to a refused row.
    workbook = load_workbook(
        BytesIO(client.get(f"/indsatser/{world['intervention'].id}/import/skabelon.xlsx").data)
    )
    lists = workbook["Lister"]
    offered = {lists.cell(r, c).value for r in range(2, lists.max_row + 1) for c in (2, 3)}
    assert offered - {None} == {"Opstart"}
    guide = " ".join(str(c.value) for row in workbook["Vejledning"].iter_rows() for c in row)
    assert "Har flere kerneelementer samme navn" in guide and "2026-03-05" in guide


def test_the_template_lists_names_trimmed(world, login):
    world["element"].name = "  Tæt kontakt "
    db.session.commit()
    client = login(world["leader"], world["org"])
    workbook = load_workbook(
        BytesIO(client.get(f"/indsatser/{world['intervention'].id}/import/skabelon.xlsx").data)
    )
    assert workbook["Lister"].cell(2, 3).value == "Tæt kontakt"


# --- CPR-shaped text -----------------------------------------------------------------------


def test_every_cpr_shaped_cell_is_listed_with_the_other_errors_and_nothing_is_saved(world, login):
    client = login(world["leader"], world["org"])
    data = xlsx(
        ratings=[
            RATING_HEADER,
            ["FH-1", "Opstart", "Tæt kontakt", 4, datetime(2026, 2, 1), "Mor 010203-1234"],
            ["FH-9", "Opstart", "Tæt kontakt", 4, datetime(2026, 2, 1), None],
            ["FH-2", "Opstart", "Tæt kontakt", 4, datetime(2026, 2, 1), "Far 3112991234"],
        ],
        answers=[ANSWER_HEADER, ["Baseline", "bo@example.test", world["s1"], "I høj grad"]],
        extra={"Noter": [["Barn født 150405-4321"]]},
    )
    response = upload(client, world, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Intet blev importeret: 4 fejl at rette" in html
    assert html.count("Det ligner et CPR-nummer") == 3
    assert "Der er intet forløb med denne kode" in html  # the other rows are checked too
    for number in ("010203-1234", "3112991234", "150405-4321"):
        assert number not in html
    assert "Noter" in html and "Kommentar" in html
    assert counts() == (0, 0)


def test_a_cpr_number_in_a_number_cell_is_refused_in_place_not_a_server_error(world, login):
    client = login(world["leader"], world["org"])
    data = xlsx(
        ratings=[
            RATING_HEADER,
            ["FH-1", "Opstart", "Tæt kontakt", 4, datetime(2026, 2, 1), 1502031234],
            ["FH-1", "Opstart", "Tæt kontakt", 3, datetime(2026, 2, 2), 102031234],
        ]
    )
    response = upload(client, world, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.count("Det ligner et CPR-nummer") == 2
    assert "1502031234" not in html and "102031234" not in html
    assert counts() == (0, 0)


def test_cpr_text_that_gets_past_the_import_is_stopped_by_the_database_guard(
    world, login, monkeypatch
):
    # Should a future check miss one, the session's guard still refuses it, with the same
    # message in place of a server error, and nothing of the upload is saved.
    monkeypatch.setattr("improvement.imports.parsing._cpr_shaped", lambda _value: False)
    client = login(world["leader"], world["org"])
    data = xlsx(
        ratings=[
            RATING_HEADER,
            ["FH-1", "Opstart", "Tæt kontakt", 4, datetime(2026, 2, 1), "Fin dag"],
            ["FH-1", "Opstart", "Tæt kontakt", 3, datetime(2026, 2, 2), "Mor 010203-1234"],
        ]
    )
    response = upload(client, world, data)
    assert response.status_code == 422
    assert "Det ligner et CPR-nummer" in response.get_data(as_text=True)
    assert counts() == (0, 0)


def test_cpr_text_in_a_side_sheet_of_an_otherwise_empty_workbook_is_reported(world, login):
    client = login(world["leader"], world["org"])
    data = xlsx(ratings=[RATING_HEADER], extra={"Noter": [["010203-1234"]]})
    response = upload(client, world, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Det ligner et CPR-nummer" in html and "010203-1234" not in html
    assert counts() == (0, 0)


def test_ratings_are_imported_only_by_a_member_of_the_team(world, login):
    # Imported ratings count in the importer's name, as the grid's do: the same rule.
    outsider = gen_user(world["org"], role="leader", name="Ole Udenfor")
    db.session.commit()
    client = login(outsider, world["org"])
    response = upload(client, world, good_file(world))
    assert response.status_code == 403
    assert "kun medlemmer af indsatsens team vurderer dens forløb" in response.get_data(
        as_text=True
    )
    assert counts() == (0, 0)  # the answers in the same file wait too: nothing half-done
    # A workbook of self-assessment answers only names its respondents: no rule applies.
    answers_only = xlsx(
        answers=[ANSWER_HEADER, ["Baseline", "bo@example.test", world["s1"], "I høj grad"]]
    )
    assert upload(client, world, answers_only).status_code == 200
    assert counts() == (0, 1)


def test_only_a_leader_or_administrator_imports_answers_on_anothers_behalf(world, login):
    # bo@example.test answered on paper; a colleague who is no leader may not enter (or
    # overwrite) Bo's answers, but Bo may import Bo's own.
    bo = db.session.scalar(select(User).where(User.email == "bo@example.test"))
    colleague = gen_user(world["org"], role="practitioner", name="Kim Kollega")
    db.session.commit()
    answers = xlsx(
        answers=[ANSWER_HEADER, ["Baseline", "bo@example.test", world["s1"], "I høj grad"]]
    )

    response = upload(login(colleague, world["org"]), world, answers)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Du kan kun importere dine egne svar" in html
    assert "Respondent (e-mail)" in html
    assert counts() == (0, 0)

    assert upload(login(bo, world["org"]), world, answers).status_code == 200
    assert counts() == (0, 1)
    # The leader enters paper answers for others, as the template's guide says.
    changed = xlsx(
        answers=[ANSWER_HEADER, ["Baseline", "bo@example.test", world["s1"], "Ved ikke"]]
    )
    assert upload(login(world["leader"], world["org"]), world, changed).status_code == 200


def test_a_comment_longer_than_the_grid_allows_is_an_error_at_its_cell(world, login):
    client = login(world["leader"], world["org"])
    data = xlsx(
        ratings=[
            RATING_HEADER,
            ["FH-1", "Opstart", "Tæt kontakt", 4, datetime(2026, 2, 1), "Lang " * 1280],
        ]
    )
    response = upload(client, world, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Kommentaren er 6399 tegn lang; højst 2000 er tilladt." in html
    # The error table shows the start of the cell, not all of it.
    assert "Lang " * 50 not in html
    assert counts() == (0, 0)


def test_a_rating_dated_today_imported_before_noon_is_not_dated_ahead_of_a_later_correction(
    world,
):
    # Imported at 09:00 Danish time, dated today: stored at 09:00, not at noon, so a
    # correction in the grid at 10:00 is the later (current) rating of the cell.
    local = ZoneInfo("Europe/Copenhagen")
    nine = datetime(2026, 3, 2, 9, tzinfo=local)
    row = RatingRow(
        2, world["case"].id, world["phase"].id, world["element"].id, 4, date(2026, 3, 2), ""
    )
    earlier = RatingRow(
        3, world["case"].id, world["phase"].id, world["element"].id, 3, date(2026, 3, 1), ""
    )
    add_ratings(world["intervention"], [row, earlier], world["leader"].id, Counts(), now=nine)
    db.session.commit()
    stored = sorted(
        db.session.scalars(select(CoreElementRating.rated_at)),
        key=lambda moment: moment.replace(tzinfo=None),
    )
    as_local = [m.replace(tzinfo=m.tzinfo or ZoneInfo("UTC")).astimezone(local) for m in stored]
    assert [(m.day, m.hour) for m in as_local] == [(1, 12), (2, 9)]


def test_the_template_lists_only_oneself_for_someone_who_imports_only_their_own(world, login):
    colleague = gen_user(world["org"], role="practitioner", email="kim@example.test")
    gen_respondent(world["round"], colleague)
    db.session.commit()

    def respondents(user):
        client = login(user, world["org"])
        url = f"/indsatser/{world['intervention'].id}/import/skabelon.xlsx"
        lists = load_workbook(BytesIO(client.get(url).data))["Lister"]
        column = next(c for c in range(1, 10) if lists.cell(1, c).value == "Respondenter")
        return [
            lists.cell(r, column).value
            for r in range(2, lists.max_row + 1)
            if lists.cell(r, column).value
        ]

    assert respondents(world["leader"]) == ["bo@example.test", "kim@example.test"]
    assert respondents(colleague) == ["kim@example.test"]
