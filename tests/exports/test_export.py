from datetime import date
from io import BytesIO

from openpyxl import load_workbook

from improvement.extensions import db
from improvement.models import CoreElement, DevelopmentPoint, ImprovementPlan, PracticeElement
from tests.helpers import gen_intervention, gen_org, gen_user


def _world():
    org, other = gen_org("Nord"), gen_org("Syd")
    leader = gen_user(org, role="leader", name="Lise Lund")
    evaluator = gen_user(org, role="evaluator")
    a = gen_intervention(org, name="Spædbarn", start_date=date(2025, 3, 1))
    b = gen_intervention(org, name="Familiekonsulent")
    gen_intervention(other, name="Fremmed indsats")
    element = PracticeElement(number=7, name="Faglig refleksion", track="organisation")
    tailored = PracticeElement(number=9, name="Individuel tilrettelæggelse", track="intervention")
    db.session.add_all([element, tailored])
    core = CoreElement(organization_id=org.id, intervention_id=a.id, name="Tidlig indsats")
    db.session.add(core)
    db.session.flush()
    point = DevelopmentPoint(
        organization_id=org.id,
        intervention_id=a.id,
        title="Faste konferencer",
        kind="organisational",
        status="in_progress",
        owner_id=leader.id,
    )
    point.core_elements = [core]
    point.practice_elements = [tailored, element]
    db.session.add(point)
    db.session.flush()
    db.session.add(
        ImprovementPlan(
            organization_id=org.id,
            development_point_id=point.id,
            aim="Alle konferencer med fast dagsorden inden 1. juni",
            measure="Andel konferencer med dagsorden",
            change_ideas="Skabelon til dagsorden\r\n\r\nFast mødeleder",
        )
    )
    db.session.commit()
    return org, leader, evaluator, a, b


def _workbook(response):
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return load_workbook(BytesIO(response.data))


def test_intervention_workbook_is_well_formed(client, login):
    org, leader, _, a, _ = _world()
    login(leader, org)
    wb = _workbook(client.get(f"/indsatser/{a.id}/eksport.xlsx?token=abcdef123"))
    assert wb.sheetnames[:2] == ["Oversigt", "Indsatser"]
    assert wb.sheetnames[-1] == "Datadefinitioner"
    sheet = wb["Indsatser"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E2"
    assert sheet["A1"].font.bold
    assert sheet["E2"].is_date and sheet["E2"].value.date() == date(2025, 3, 1)
    points = wb["Udviklingspunkter"]
    assert [c.value for c in points[2]] == [
        "Spædbarn",
        1,
        "Faste konferencer",
        None,
        "Organisatorisk",
        "I gang",
        "Lise Lund",
        "Tidlig indsats",
        # Number and name, in number order, as the development points page shows them.
        "7. Faglig refleksion, 9. Individuel tilrettelæggelse",
        # The Model for Improvement: aim, measure, one change idea after another.
        "Alle konferencer med fast dagsorden inden 1. juni",
        "Andel konferencer med dagsorden",
        "Skabelon til dagsorden; Fast mødeleder",
    ]
    overview = {row[0]: row[1] for row in wb["Oversigt"].iter_rows(min_row=2, values_only=True)}
    assert overview["Eksport"] == "Indsats: Spædbarn"
    assert overview["Indsatsbeskrivelse: Spædbarn"] == "ingen udgivet version (kun kladde)"
    assert overview["Rækker i arket Udviklingspunkter"] == 1
    assert overview["Eksporteret af"] == "Lise Lund (Leder)"
    definitions = list(wb["Datadefinitioner"].iter_rows(min_row=2, values_only=True))
    assert ("Udviklingspunkter", "Status") in {(r[0], r[1]) for r in definitions}


def test_organisation_workbook_stacks_own_interventions_only(client, login):
    org, leader, _, _, _ = _world()
    login(leader, org)
    response = client.get("/eksport.xlsx?token=abcdef123")
    assert "export_abcdef123=done" in response.headers["Set-Cookie"]
    wb = _workbook(response)
    names = [row[0] for row in wb["Indsatser"].iter_rows(min_row=2, values_only=True)]
    assert names == ["Familiekonsulent", "Spædbarn"]


def test_evaluator_may_export(client, login):
    org, _, evaluator, a, _ = _world()
    login(evaluator, org)
    assert client.get(f"/indsatser/{a.id}/eksport.xlsx").status_code == 200


def test_export_is_danish_for_english_users(client, login):
    org, leader, _, a, _ = _world()
    leader.locale = "en"
    db.session.commit()
    login(leader, org)
    wb = _workbook(client.get(f"/indsatser/{a.id}/eksport.xlsx"))
    assert wb["Udviklingspunkter"]["F2"].value == "I gang"


def test_cli_export(runner, tmp_path):
    _world()
    out = tmp_path / "nord.xlsx"
    result = runner.invoke(args=["export", "--org", "Nord", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames[0] == "Oversigt"
    result = runner.invoke(args=["export", "--org", "Findes ikke", "--out", str(out)])
    assert result.exit_code != 0


def test_practice_elements_read_as_on_the_development_points_page(client, login):
    org, leader, _, a, _ = _world()
    login(leader, org)
    page = client.get(f"/indsatser/{a.id}/udviklingspunkter").get_data(as_text=True)
    assert "7. Faglig refleksion" in page and "9. Individuel tilrettelæggelse" in page
    wb = _workbook(client.get(f"/indsatser/{a.id}/eksport.xlsx"))
    header = [c.value for c in wb["Udviklingspunkter"][1]]
    cell = wb["Udviklingspunkter"].cell(2, header.index("Elementer (lovende praksis)") + 1)
    assert cell.value.split(", ") == ["7. Faglig refleksion", "9. Individuel tilrettelæggelse"]
    definitions = {
        (r[0], r[1]): r for r in wb["Datadefinitioner"].iter_rows(min_row=2, values_only=True)
    }
    allowed = definitions[("Udviklingspunkter", "Elementer (lovende praksis)")][4]
    assert allowed == "7. Faglig refleksion, 9. Individuel tilrettelæggelse"
