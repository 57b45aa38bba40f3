"""Follow-ups held in cases (Serviceloven § 70): every day on a row of its own in
"Opfølgninger (§ 70)", numbered in the case; on Forløb each case's cadence, count and
latest day. Dates are Excel dates; the sheets cost the same queries however many."""

from datetime import date, datetime
from io import BytesIO

from openpyxl import load_workbook

from improvement.extensions import db
from tests.cases.helpers import gen_case
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.querycount import count_queries

SHEET = "Opfølgninger (§ 70)"


def _day(value):
    """A date cell as openpyxl reads it back (a datetime at midnight)."""
    return datetime.combine(value, datetime.min.time())


def _workbook(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return load_workbook(BytesIO(response.data))


def _rows(wb, title):
    return list(wb[title].iter_rows(min_row=2, values_only=True))


def _world():
    org = gen_org("Nord")
    user = gen_user(org, role="leader")
    intervention = gen_intervention(org, name="Familiehuset")
    gen_member(intervention, user)
    # Registered in another order than held: the sheet numbers them by day.
    gen_case(
        intervention,
        "F-02",
        start=date(2026, 1, 5),
        followups=[date(2026, 11, 28), date(2026, 3, 30), date(2026, 8, 14)],
    )
    gen_case(
        intervention,
        "F-01",
        start=date(2026, 2, 2),
        end_date=date(2026, 6, 1),
        followup_cadence_months=2,
        followups=[date(2026, 4, 1)],
    )
    gen_case(intervention, "F-03", start=date(2026, 12, 1))  # none yet
    # Another intervention's and another organisation's follow-ups are not in it.
    gen_case(gen_intervention(org, name="Anden"), "A-01", followups=[date(2026, 2, 2)])
    gen_case(gen_intervention(gen_org("Syd"), name="Fremmed"), "F-02", followups=[date(2026, 3, 3)])
    db.session.commit()
    return org, user, intervention


def test_every_follow_up_is_a_dated_row_numbered_in_its_case(client, login):
    org, user, intervention = _world()
    login(user, org)
    wb = _workbook(client, f"/indsatser/{intervention.id}/eksport.xlsx")
    assert [c.value for c in wb[SHEET][1]] == ["Indsats", "Forløbskode", "Opfølgning nr.", "Dato"]
    assert _rows(wb, SHEET) == [
        ("Familiehuset", "F-01", 1, _day(date(2026, 4, 1))),
        ("Familiehuset", "F-02", 1, _day(date(2026, 3, 30))),
        ("Familiehuset", "F-02", 2, _day(date(2026, 8, 14))),
        ("Familiehuset", "F-02", 3, _day(date(2026, 11, 28))),
    ]
    assert wb[SHEET]["D2"].is_date and wb[SHEET]["D2"].number_format == "DD-MM-YYYY"
    assert wb.sheetnames.index(SHEET) == wb.sheetnames.index("Forløb") + 1


def test_each_case_has_its_cadence_count_and_latest_follow_up(client, login):
    org, user, intervention = _world()
    login(user, org)
    wb = _workbook(client, f"/indsatser/{intervention.id}/eksport.xlsx")
    header = [c.value for c in wb["Forløb"][1]]
    assert header[-3:] == ["Opfølgningskadence", "Opfølgninger", "Seneste opfølgning"]
    assert [(row[1], *row[-3:]) for row in _rows(wb, "Forløb")] == [
        ("F-01", 2, 1, _day(date(2026, 4, 1))),
        # No cadence of its own: the legal minimum, an empty cell.
        ("F-02", None, 3, _day(date(2026, 11, 28))),
        # None held: a count of nought, no day.
        ("F-03", None, 0, None),
    ]
    assert wb["Forløb"]["O2"].is_date
    definitions = {
        row[1]: row[2:]
        for row in wb["Datadefinitioner"].iter_rows(min_row=2, values_only=True)
        if row[0] == "Forløb"
    }
    assert definitions["Opfølgninger"][1] == "Heltal"
    assert definitions["Seneste opfølgning"][1] == "Dato"
    assert "tom: lovens minimum" in definitions["Opfølgningskadence"][0]
    assert definitions["Opfølgningskadence"][2] == "1–5"


def test_the_organisation_workbook_has_its_own_follow_ups_only(client, login):
    org, user, _intervention = _world()
    login(user, org)
    rows = _rows(_workbook(client, "/eksport.xlsx"), SHEET)
    assert [(name, code, number) for name, code, number, _ in rows] == [
        ("Anden", "A-01", 1),
        ("Familiehuset", "F-01", 1),
        ("Familiehuset", "F-02", 1),
        ("Familiehuset", "F-02", 2),
        ("Familiehuset", "F-02", 3),
    ]


def test_without_follow_ups_the_sheet_says_why_it_is_empty(client, login):
    org = gen_org("Nord")
    user = gen_user(org, role="leader")
    intervention = gen_intervention(org, name="Familiehuset")
    gen_case(intervention, "F-01")
    db.session.commit()
    login(user, org)
    wb = _workbook(client, f"/indsatser/{intervention.id}/eksport.xlsx")
    assert _rows(wb, SHEET) == []
    overview = {r[0]: r[1:] for r in wb["Oversigt"].iter_rows(min_row=2, values_only=True)}
    assert overview[f"Rækker i arket {SHEET}"] == (
        0,
        "Ingen opfølgninger registreret i forløbene.",
    )


def test_follow_ups_cost_the_same_queries_however_many(client, login):
    org = gen_org("Nord")
    user = gen_user(org, role="leader")
    interventions = [gen_intervention(org, name=name) for name in ("A", "B")]
    db.session.commit()
    login(user, org)

    def export_queries():
        with count_queries() as statements:
            assert client.get("/eksport.xlsx").status_code == 200
        return len(statements)

    few = export_queries()
    for target in interventions:
        for n in range(4):
            gen_case(target, f"K-{n}", followups=[date(2026, m, 10) for m in range(2, 2 + n)])
    db.session.commit()
    assert export_queries() == few
