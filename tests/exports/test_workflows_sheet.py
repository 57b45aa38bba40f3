"""Arbejdsgange: every phase in its order, with its description, steps or not.

A phase without steps has a row of its own with empty step columns (as Forandringsteori
gives an item without links a row), so a phase named in "Kvalitet i kerneelementer" is
always found here. Archived phases are exported too, marked, as the ratings that may
refer to them are.
"""

from io import BytesIO

from openpyxl import load_workbook

from improvement.extensions import db
from tests.cases.helpers import gen_case, gen_rating
from tests.description.factories import gen_core_element, gen_phase, gen_step
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.querycount import count_queries

SHEET = "Arbejdsgange"
HEADER = [
    "Indsats",
    "Fase nr.",
    "Fase",
    "Fasebeskrivelse",
    "Fase arkiveret",
    "Trin nr.",
    "Trin",
    "Barnet/den unge",
    "Forældre",
    "Fagpersoner",
]


def _setup():
    org = gen_org("Nord")
    user = gen_user(org, role="leader")
    intervention = gen_intervention(org, name="Familiehuset")
    gen_member(intervention, user)
    return org, user, intervention


def _export(client, intervention):
    response = client.get(f"/indsatser/{intervention.id}/eksport.xlsx")
    assert response.status_code == 200
    return load_workbook(BytesIO(response.data))


def _rows(wb, title):
    return list(wb[title].iter_rows(min_row=2, values_only=True))


def _overview(wb):
    rows = wb["Oversigt"].iter_rows(min_row=2, values_only=True)
    return {field: (value, remark) for field, value, remark in rows}


def test_every_phase_has_a_row_in_order_with_its_description(client, login):
    org, user, intervention = _setup()
    start = gen_phase(intervention, "Opstart", position=0)
    start.description = "De første fire uger"
    intensive = gen_phase(intervention, "Intensiv fase", position=1)
    intensive.description = "Ugentlige hjemmebesøg"
    gen_phase(intervention, "Afslutning", position=2)
    gen_step(start, "Opstartsmøde", child="Møder op", parents="Fortæller", professionals="Leder")
    element = gen_core_element(intervention, "Tæt kontakt")
    gen_rating(gen_case(intervention, "F-001"), intensive, element, 4)
    db.session.commit()
    login(user, org)

    wb = _export(client, intervention)

    assert [c.value for c in wb[SHEET][1]] == HEADER
    assert _rows(wb, SHEET) == [
        (
            "Familiehuset",
            1,
            "Opstart",
            "De første fire uger",
            "Nej",
            1,
            "Opstartsmøde",
            "Møder op",
            "Fortæller",
            "Leder",
        ),
        ("Familiehuset", 2, "Intensiv fase", "Ugentlige hjemmebesøg", "Nej") + (None,) * 5,
        ("Familiehuset", 3, "Afslutning", None, "Nej") + (None,) * 5,
    ]
    # Every phase a rating names is in Arbejdsgange.
    rated = {row[2] for row in _rows(wb, "Kvalitet i kerneelementer")}
    assert rated == {"Intensiv fase"}
    assert rated <= {row[2] for row in _rows(wb, SHEET)}
    # Nothing is left out, so Oversigt has nothing to remark.
    assert _overview(wb)["Rækker i arket Arbejdsgange"] == (3, None)
    definitions = {
        (sheet, column): meaning for sheet, column, meaning, *_ in _rows(wb, "Datadefinitioner")
    }
    assert "tom: fasen har ingen trin" in definitions[(SHEET, "Trin nr.")]
    assert (SHEET, "Fasebeskrivelse") in definitions


def test_phases_and_steps_numbered_by_place_and_archived_phases_last(client, login):
    org, user, intervention = _setup()
    # Positions with gaps, as archiving and deleting leave them.
    first = gen_phase(intervention, "Opstart", position=0)
    gone = gen_phase(intervention, "Visitation", position=1)
    gone.archived = True
    last = gen_phase(intervention, "Afslutning", position=4)
    gen_step(first, "Andet møde", position=5)
    gen_step(first, "Første møde", position=2)
    gen_step(gone, "Visitationsmøde", position=0)
    gen_step(last, "Evaluering", position=3)
    db.session.commit()
    login(user, org)

    rows = [row[1:7] for row in _rows(_export(client, intervention), SHEET)]

    assert rows == [
        (1, "Opstart", None, "Nej", 1, "Første møde"),
        (1, "Opstart", None, "Nej", 2, "Andet møde"),
        (2, "Afslutning", None, "Nej", 1, "Evaluering"),
        # An archived phase has no place in the course: no number, marked, its steps kept.
        (None, "Visitation", None, "Ja", 1, "Visitationsmøde"),
    ]


def test_no_phases_says_so(client, login):
    org, user, intervention = _setup()
    db.session.commit()
    login(user, org)
    wb = _export(client, intervention)
    assert _rows(wb, SHEET) == []
    assert _overview(wb)["Rækker i arket Arbejdsgange"] == (
        0,
        "Ingen faser i arbejdsgangene registreret.",
    )


def test_the_sheet_costs_the_same_queries_however_many_phases(client, login):
    org, user, intervention = _setup()
    other = gen_intervention(org, name="Anden indsats")
    db.session.commit()
    login(user, org)

    def export_queries():
        with count_queries() as statements:
            assert client.get("/eksport.xlsx").status_code == 200
        return len(statements)

    few = export_queries()
    for target in (intervention, other):
        for n in range(4):
            phase = gen_phase(target, f"Fase {n}", position=n)
            for m in range(n):
                gen_step(phase, f"Trin {m}", position=m)
    db.session.commit()
    assert export_queries() == few
