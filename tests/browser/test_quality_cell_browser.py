"""What only a browser shows about a heat map cell's page: the cell is clicked open from
the heat map, and on paper its list of cases starts on the first page, under the cell,
instead of moving whole to the next page and leaving the first half empty."""

import shutil
import subprocess
from datetime import date

import pytest
from sqlalchemy import select

from improvement.extensions import db
from improvement.models import CoreElement, Phase
from tests.browser.steps import login
from tests.cases.helpers import gen_case, gen_core_element, gen_phase, gen_rating
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

pytestmark = pytest.mark.browser

PDFTOTEXT = shutil.which("pdftotext")


def _world():
    """Inddragelse × Afslutning rated in 30 cases (a list longer than what is left of the
    first page under the cell), and one other cell rated once."""
    org = gen_org("Demo Kommune Nord")
    lise = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, lise, "leader")
    start, end = gen_phase(intervention, "Opstart", 0), gen_phase(intervention, "Afslutning", 1)
    early = gen_core_element(intervention, "Tidlig og intensiv tilstedeværelse", 0)
    involve = gen_core_element(intervention, "Inddragelse og gennemsigtighed", 1)
    for n in range(30):
        case = gen_case(intervention, f"IS-2026-{n:03d}", practitioner_id=lise.id)
        gen_rating(case, end, involve, 1 + n % 5, day=date(2026, 5, 1), comment="Drøftet.")
    gen_rating(case, start, early, 4, day=date(2026, 2, 1))
    db.session.commit()
    return intervention


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext is not installed (poppler-utils)")
def test_a_cell_opens_from_the_heat_map_and_prints_its_list_from_the_first_page(
    browser_page, live_server, tmp_path
):
    intervention = _world()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/kvalitet")
    page.get_by_role("link", name="Inddragelse og gennemsigtighed, Afslutning").click()
    page.wait_for_url("**/kerneelementer/*/faser/*")
    assert page.locator("h1").inner_text() == "Inddragelse og gennemsigtighed"
    assert page.locator(".cell-summary .heat-mean").inner_text() == "3,0"  # (6 × 15) / 30

    pdf = tmp_path / "cell.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    first = text.split("\f")[0]
    assert "Forløb, laveste vurdering først" in first
    assert "IS-2026-000" in first  # the first row (rated 1) under its heading


def test_the_quality_filter_applies_on_a_choice_and_leaves_empty_fields_out_of_the_address(
    browser_page, live_server
):
    intervention = _world()
    phase = db.session.scalars(select(Phase).filter_by(intervention_id=intervention.id)).first()
    element = db.session.scalars(
        select(CoreElement).filter_by(intervention_id=intervention.id)
    ).first()
    gen_rating(gen_case(intervention, "IS-2025-001"), phase, element, 2, day=date(2025, 6, 1))
    db.session.commit()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/kvalitet")
    assert page.get_by_label("Seneste vurdering i").is_visible()
    # A choice with the mouse shows it at once, without "Vis"; the year left at "every
    # year" is not in the address.
    page.get_by_label("Forløb", exact=True).select_option(label="Kun åbne forløb")
    page.wait_for_url("**/kvalitet?aabne=1")
    assert page.locator(".print-context-year").inner_text().startswith("Kun åbne forløb")
