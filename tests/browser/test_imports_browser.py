"""Import in a real browser: the HTMX file upload swaps in the error table, then the counts."""

from datetime import datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from improvement.extensions import db
from improvement.models import CoreElementRating
from tests.cases.helpers import gen_case, gen_core_element, gen_phase
from tests.helpers import PASSWORD, gen_intervention, gen_member, gen_org, gen_user

pytestmark = pytest.mark.browser

HEADER = ["Forløbskode", "Fase", "Kerneelement", "Score", "Dato", "Kommentar"]


def _workbook(path, rows):
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Kvalitet i kerneelementer"
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    workbook.save(path)
    return path


def test_upload_shows_errors_then_counts(browser_page, live_server, tmp_path):
    org = gen_org("Demo Kommune Nord")
    user = gen_user(org, role="leader", email="leder@nord.example", name="Lis Leder")
    intervention = gen_intervention(org, name="Intensiv spædbarnsindsats")
    gen_member(intervention, user, "leader")
    gen_phase(intervention, "Opstart")
    gen_core_element(intervention, "Tidlig tilstedeværelse")
    gen_case(intervention, "SP-1")
    db.session.commit()
    page = browser_page
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill("leder@nord.example")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/indsatser")
    page.goto(f"{live_server}/indsatser/{intervention.id}")
    page.get_by_role("button", name="Importér fra Excel").click()
    page.wait_for_url("**/import")

    good = ["SP-1", "Opstart", "Tidlig tilstedeværelse", 4, datetime(2026, 2, 1), None]
    bad = _workbook(tmp_path / "fejl.xlsx", [good, ["SP-9", "Opstart", "Ukendt", 9, "i går"]])
    page.get_by_label("Excel-projektmappe (.xlsx)").set_input_files(str(bad))
    page.get_by_role("button", name="Kontrollér og importér").click()
    page.get_by_role("heading", name="Intet blev importeret: 4 fejl at rette").wait_for()
    assert page.locator("#import-result tbody tr").count() == 4
    page.screenshot(path=str(tmp_path / "import-errors.png"), full_page=True)
    assert db.session.scalar(select(func.count()).select_from(CoreElementRating)) == 0

    ok = _workbook(tmp_path / "rigtig.xlsx", [good])
    page.get_by_label("Excel-projektmappe (.xlsx)").set_input_files(str(ok))
    page.get_by_role("button", name="Kontrollér og importér").click()
    page.get_by_role("heading", name="Importeret").wait_for()
    page.screenshot(path=str(tmp_path / "import-done.png"), full_page=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(CoreElementRating)) == 1
