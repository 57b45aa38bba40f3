"""An empty sheet stays a table (header only, no prose rows); Oversigt says why it is empty,
and no chart or all-blank column is drawn for self-assessment rounds without a score."""

from datetime import UTC, datetime, timedelta
from io import BytesIO

from openpyxl import load_workbook

from improvement.extensions import db
from tests.assessments.helpers import answer_all, gen_respondent, gen_round, setup_team

NO_CLOSED = "Ingen lukkede runder (åbne runders svar kommer først med, når runden lukkes)."
ELEMENTS = "Selvevaluering pr. element"


def _closed(intervention, instrument, name, day):
    round_ = gen_round(intervention, instrument, name=name, status="closed")
    round_.closed_at = datetime(2026, 3, day, 12, tzinfo=UTC)
    return round_


def _answered(round_, instrument, users, who=("p1", "p2")):
    """Element 1 answered 'high' (100) and 'little' (33) by the practitioners: mean 66.5."""
    values = {"p1": {1: "high"}, "p2": {1: "little"}, "leader": {1: "some"}}
    for key in who:
        answer_all(gen_respondent(round_, users[key]), instrument, values[key])


def _export(client, intervention):
    response = client.get(f"/indsatser/{intervention.id}/eksport.xlsx")
    assert response.status_code == 200
    return load_workbook(BytesIO(response.data))


def _overview(wb) -> dict[str, tuple]:
    """Oversigt's 'Rækker i arket X' rows: sheet → (rows, remark)."""
    rows = wb["Oversigt"].iter_rows(min_row=2, values_only=True)
    prefix = "Rækker i arket "
    return {f[len(prefix) :]: (n, why) for f, n, why in rows if f.startswith(prefix)}


def _data_rows(wb, title):
    return list(wb[title].iter_rows(min_row=2, values_only=True))


def test_an_intervention_with_nothing_yet_says_why_each_sheet_is_empty(client, login):
    org, intervention, instrument, users, _ = setup_team()
    gen_round(intervention, instrument, name="Åben", status="open")  # not exported
    db.session.commit()
    login(users["leader"], org)
    wb = _export(client, intervention)
    assert [c.value for c in wb["Oversigt"][1]] == ["Felt", "Værdi", "Bemærkning"]
    overview = _overview(wb)
    assert overview["Møder og beslutninger"] == (0, "Ingen møder registreret.")
    assert overview["Selvevaluering"] == (0, NO_CLOSED)
    assert overview[ELEMENTS] == (0, "Ingen lukkede runder.")
    assert overview["Prøvehandlinger"] == (0, "Ingen prøvehandlinger registreret.")
    assert overview["Kvalitet i kerneelementer"] == (
        0,
        "Ingen vurderinger af kerneelementer registreret.",
    )
    assert overview["Forløb"] == (0, "Ingen forløb registreret.")
    # A sheet with rows has no remark.
    assert overview["Indsatser"] == (1, None)
    # Every sheet with no rows is explained; the tables themselves are header only.
    for title, (count, why) in overview.items():
        assert (count == 0) == bool(why), title
        if count == 0:
            assert _data_rows(wb, title) == [], title
    assert [c.value for c in wb[ELEMENTS][1]] == ["Element nr.", "Element"]
    assert wb[ELEMENTS]._charts == []


def test_a_closed_round_nobody_answered_has_no_column_and_no_chart(client, login):
    org, intervention, instrument, users, _ = setup_team()
    _closed(intervention, instrument, "Forår", 2)
    db.session.commit()
    login(users["leader"], org)
    wb = _export(client, intervention)
    overview = _overview(wb)
    assert overview["Selvevaluering"] == (0, "Ingen svar: 1 lukket runde, ingen af dem besvaret.")
    assert overview[ELEMENTS] == (
        0,
        "Ingen lukkede runder med en score; 1 lukket runde uden score: 1 uden svar.",
    )
    assert _data_rows(wb, ELEMENTS) == []
    assert [c.value for c in wb[ELEMENTS][1]] == ["Element nr.", "Element"]
    assert wb[ELEMENTS]._charts == []


def test_rounds_without_a_score_are_left_out_and_counted(client, login):
    org, intervention, instrument, users, _ = setup_team()
    scored = _closed(intervention, instrument, "Forår", 2)
    _answered(scored, instrument, users)
    _closed(intervention, instrument, "Sommer", 3)  # nobody answered
    alone = _closed(intervention, instrument, "Efterår", 4)
    _answered(alone, instrument, users, who=("leader",))  # one respondent: no mean shown
    db.session.commit()
    login(users["leader"], org)
    wb = _export(client, intervention)
    sheet = wb[ELEMENTS]
    assert [c.value for c in sheet[1]] == ["Element nr.", "Element", "Familiehuset: Forår"]
    rows = _data_rows(wb, ELEMENTS)
    assert len(rows) == 11
    assert rows[0][2] == 66.5  # (100 + 33) / 2
    assert [row[2] for row in rows[1:]] == [None] * 10
    assert len(sheet._charts) == 1
    overview = _overview(wb)
    assert overview[ELEMENTS] == (
        11,
        "Udeladt: 2 lukkede runder uden score: 1 uden svar og 1 hvor færre end 2 respondenter "
        "gav en score (et gennemsnit af én persons svar vises ikke).",
    )
    # The long form leaves out the lone respondent's answers (the four statements of
    # element 1): its rows would be one person's.
    answers = _data_rows(wb, "Selvevaluering")
    assert {row[1] for row in answers} == {"Forår"}
    assert overview["Selvevaluering"][1] == (
        "Udeladt: 4 svar på udsagn, som færre end 2 respondenter gav en score (én persons svar "
        "vises ikke)."
    )


def test_the_chart_goes_right_of_the_scored_rounds_past_column_z(client, login):
    """30 scored rounds (columns C to AF) and, closed later, 3 nobody answered: the chart
    sits one column right of the last scored round and draws the six latest scored ones."""
    org, intervention, instrument, users, _ = setup_team()
    for n in range(33):
        round_ = gen_round(intervention, instrument, name=f"Runde {n}", status="closed")
        round_.closed_at = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=n)
        if n < 30:
            _answered(round_, instrument, users)
    db.session.commit()
    login(users["leader"], org)
    wb = _export(client, intervention)
    sheet = wb[ELEMENTS]
    assert sheet.max_column == 32  # 2 + 30 rounds
    (chart,) = sheet._charts
    assert chart.anchor._from.col == 33  # 0-based: column AH, one empty column between
    charted = [
        sheet[series.tx.strRef.f.split("!")[1].replace("$", "")].value for series in chart.series
    ]
    assert charted == [f"Familiehuset: Runde {n}" for n in range(24, 30)]
    assert _overview(wb)[ELEMENTS] == (11, "Udeladt: 3 lukkede runder uden score: 3 uden svar.")
