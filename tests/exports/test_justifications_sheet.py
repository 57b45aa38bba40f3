"""Selvevaluering – begrundelser: the justifications ("Hvad får os til at sige det?") of
closed rounds as the result page shows them: beside an element whose result rests on at
least two people (the page's own rule, `reasons_shown`), without name or role, in the order
of the texts. What the rule leaves out is counted in Oversigt."""

from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import select

from improvement.extensions import db
from improvement.models import AssessmentJustification, User
from tests.assessments.helpers import answer_all, gen_respondent, gen_round, setup_team
from tests.querycount import count_queries

SHEET = "Selvevaluering – begrundelser"
HEADER = ["Indsats", "Runde", "Element nr.", "Element", "Begrundelse"]


def _say(respondent, element, text):
    db.session.add(
        AssessmentJustification(
            organization_id=respondent.organization_id,
            respondent_id=respondent.id,
            element=element,
            text=text,
        )
    )


def _workbook(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return load_workbook(BytesIO(response.data))


def _rows(wb):
    return list(wb[SHEET].iter_rows(min_row=2, values_only=True))


def _overview(wb):
    rows = wb["Oversigt"].iter_rows(min_row=2, values_only=True)
    return {field: (value, remark) for field, value, remark in rows}


def _autumn(intervention, instrument, users):
    """A closed round: Bo and Sara score element 1, only Bo element 2, both answer element
    3 "ved ikke" and only Sara element 4 "ved ikke"; the leader answers element 1 too."""
    round_ = gen_round(intervention, instrument, "Efterår", status="closed")
    leader = gen_respondent(round_, users["leader"], "leader")
    bo = gen_respondent(round_, users["p1"], "practitioner")
    sara = gen_respondent(round_, users["p2"], "practitioner")
    answer_all(leader, instrument, {1: "some"})
    answer_all(bo, instrument, {1: "high", 2: "high", 3: "dont_know"})
    answer_all(sara, instrument, {1: "little", 3: "dont_know", 4: "dont_know"})
    # Saved by Bo first, then Sara, then the leader: the rows do not follow who saved.
    _say(bo, 1, "Vi har en forandringsteori")
    _say(sara, 1, "Teorien er skrevet ned")
    _say(leader, 1, "Aftalt på teammødet")
    _say(bo, 2, "Kun Bo scorede virkning")  # one score: left out
    _say(bo, 3, "Ingen af os ved det")  # two "ved ikke", no score: shown
    _say(sara, 4, "Kun Sara ved det ikke")  # one "ved ikke": left out
    _say(leader, 5, "")  # nothing written
    return round_


def test_the_justifications_the_result_page_shows_and_no_more(client, login):
    org, intervention, instrument, users, _ = setup_team()
    round_ = _autumn(intervention, instrument, users)
    # Open: its words are still private.
    spring = gen_round(intervention, instrument, "Forår", status="open")
    answer_all(gen_respondent(spring, users["p1"]), instrument, {1: "high"})
    answer_all(gen_respondent(spring, users["p2"]), instrument, {1: "high"})
    _say(spring.respondents[0], 1, "Endnu ikke lukket")
    db.session.commit()
    login(users["leader"], org)

    wb = _workbook(client, f"/indsatser/{intervention.id}/eksport.xlsx")
    assert [c.value for c in wb[SHEET][1]] == HEADER
    assert _rows(wb) == [
        ("Familiehuset", "Efterår", 1, "Teori og viden", "Aftalt på teammødet"),
        ("Familiehuset", "Efterår", 1, "Teori og viden", "Teorien er skrevet ned"),
        ("Familiehuset", "Efterår", 1, "Teori og viden", "Vi har en forandringsteori"),
        ("Familiehuset", "Efterår", 3, "Beskrivelse", "Ingen af os ved det"),
    ]
    assert wb[SHEET]["E2"].alignment.wrap_text
    assert _overview(wb)[f"Rækker i arket {SHEET}"] == (
        4,
        "Udeladt: 2 begrundelser i 1 lukket runde til elementer, som færre end 2 "
        "respondenter gav en score (eller, hvor ingen gav en score, færre end 2 svarede "
        "»Ved ikke«): som på resultatsiden vises én persons ord ikke.",
    )
    # The very words the result page shows, and none it hides.
    page = client.get(f"/indsatser/{intervention.id}/selvevaluering/{round_.id}")
    body = page.get_data(as_text=True)
    for *_, text in _rows(wb):
        assert text in body
    for hidden in ("Kun Bo scorede virkning", "Kun Sara ved det ikke"):
        assert hidden not in body
    # Nobody is named, on this sheet or beside it.
    people = set(db.session.scalars(select(User.name))) | set(
        db.session.scalars(select(User.email))
    )
    assert not {v for row in wb[SHEET].iter_rows(values_only=True) for v in row} & people


def test_a_round_whose_words_would_all_be_one_persons_has_no_rows(client, login):
    org, intervention, instrument, users, _ = setup_team()
    alone = gen_round(intervention, instrument, "Forår", status="closed")
    caseworker = gen_respondent(alone, users["caseworker"], "authority")
    answer_all(caseworker, instrument, dict.fromkeys(range(1, 12), "high"))
    _say(caseworker, 1, "Kun mine egne ord om teorien")
    db.session.commit()
    login(users["leader"], org)
    wb = _workbook(client, f"/indsatser/{intervention.id}/eksport.xlsx")
    assert _rows(wb) == []
    assert _overview(wb)[f"Rækker i arket {SHEET}"] == (
        0,
        "Ingen begrundelser at vise. Udeladt: 1 begrundelse i 1 lukket runde til elementer, "
        "som færre end 2 respondenter gav en score (eller, hvor ingen gav en score, færre end "
        "2 svarede »Ved ikke«): som på resultatsiden vises én persons ord ikke.",
    )


def test_the_sheet_says_why_it_is_empty(client, login):
    org, intervention, instrument, users, _ = setup_team()
    gen_round(intervention, instrument, "Åben", status="open")
    db.session.commit()
    login(users["leader"], org)
    url = f"/indsatser/{intervention.id}/eksport.xlsx"
    assert _overview(_workbook(client, url))[f"Rækker i arket {SHEET}"] == (
        0,
        "Ingen lukkede runder (åbne runders begrundelser kommer først med, når runden lukkes).",
    )
    closed = gen_round(intervention, instrument, "Efterår", status="closed")
    answer_all(gen_respondent(closed, users["p1"]), instrument, {1: "high"})
    answer_all(gen_respondent(closed, users["p2"]), instrument, {1: "high"})
    db.session.commit()
    assert _overview(_workbook(client, url))[f"Rækker i arket {SHEET}"] == (
        0,
        "Ingen begrundelser skrevet i 1 lukket runde.",
    )


def test_every_column_is_defined(client, login):
    org, intervention, instrument, users, _ = setup_team()
    db.session.commit()
    login(users["leader"], org)
    wb = _workbook(client, f"/indsatser/{intervention.id}/eksport.xlsx")
    definitions = {
        row[1]: row[2:]
        for row in wb["Datadefinitioner"].iter_rows(min_row=2, values_only=True)
        if row[0] == SHEET
    }
    assert list(definitions) == HEADER
    assert definitions["Begrundelse"][1] == "Tekst (lang)"
    assert "uden navn og rolle" in definitions["Begrundelse"][0]
    assert wb.sheetnames.index(SHEET) == wb.sheetnames.index("Selvevaluering pr. element") + 1


def test_justifications_cost_the_same_queries_however_many_rounds(client, login):
    org, intervention, instrument, users, _ = setup_team()
    _autumn(intervention, instrument, users)
    db.session.commit()
    login(users["leader"], org)

    def export_queries():
        with count_queries() as statements:
            assert client.get("/eksport.xlsx").status_code == 200
        return len(statements)

    few = export_queries()
    for n in range(3):
        round_ = gen_round(intervention, instrument, f"Runde {n}", status="closed")
        for key in ("p1", "p2", "caseworker"):
            respondent = gen_respondent(round_, users[key])
            answer_all(respondent, instrument, dict.fromkeys(range(1, 12), "some"))
            for element in range(1, 12):
                _say(respondent, element, f"{key} om {element} i runde {n}")
    db.session.commit()
    assert export_queries() == few
