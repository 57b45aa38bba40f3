"""The printed board says whose it is: organisation · intervention, the day it was printed
and the active filter, above the five columns, on one A4 landscape page (Chromium's PDF,
print media emulated)."""

import re
from datetime import timedelta

import pytest

from improvement import clock
from improvement.extensions import db
from tests.browser.steps import htmx_idle, login
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_action_item, gen_cycle, gen_meeting, gen_point
from tests.pdsa.test_board_print import danish_day

pytestmark = pytest.mark.browser


def _world():
    org = gen_org("Demo Kommune Nord")
    lise = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    bo = gen_user(org, role="practitioner", name="Bo Bach")
    intervention = gen_intervention(org, name="Intensiv spædbarnsindsats")
    gen_member(intervention, lise, "leader")
    gen_member(intervention, bo)
    point = gen_point(intervention, title="Fælles forståelse med forældrene")
    gen_cycle(point, title="Fælles gennemgang", owner=lise)
    gen_cycle(
        point,
        title="Forældre udfylder målingen",
        owner=bo,
        phase="do",
        objective="o",
        prediction="p",
    )
    meeting = gen_meeting(intervention, held_on=clock.today() - timedelta(days=7))
    gen_action_item(
        meeting, what="Ring til jordemoderen", owner=bo, due_date=clock.today() + timedelta(days=3)
    )
    db.session.commit()
    return intervention, bo


def test_printed_board_has_a_header_with_intervention_date_and_filter(
    browser_page, live_server, tmp_path
):
    intervention, bo = _world()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/tavle")
    header = page.locator(".board-print-context")
    assert header.is_hidden()  # on screen the page has its breadcrumbs and filters
    # Filter by owner the way people do: the select swaps the board by HTMX.
    page.get_by_label("Ansvarlig").select_option(label="Bo Bach")
    page.wait_for_url(f"**owner={bo.id}**")
    htmx_idle(page)

    page.emulate_media(media="print")
    assert header.is_visible()
    assert header.inner_text() == (
        "Demo Kommune Nord · Intensiv spædbarnsindsats · "
        f"Udskrevet {danish_day(clock.today())} · Filtreret: Bo Bach"
    )
    # The header comes first, above the board's title and its columns.
    top = header.bounding_box()["y"]
    assert top < page.locator(".board-head h1").bounding_box()["y"]
    assert top < page.locator(".column-plan").bounding_box()["y"]
    page.screenshot(path=str(tmp_path / "board-print.png"), full_page=True)
    pdf = page.pdf(path=str(tmp_path / "board.pdf"), prefer_css_page_size=True)
    # One A4 landscape page (842 × 595 pt).
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert [(round(float(w)), round(float(h))) for w, h in boxes] == [(842, 595)]


def test_printed_presentation_view_has_the_header_instead_of_its_update_time(
    browser_page, live_server
):
    intervention, bo = _world()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/tavle?visning=praesentation")
    page.locator(".board-refreshed").wait_for()
    page.emulate_media(media="print")
    assert page.locator(".board-print-context").inner_text() == (
        f"Demo Kommune Nord · Intensiv spædbarnsindsats · Udskrevet {danish_day(clock.today())}"
    )
    assert page.locator(".board-refreshed").is_hidden()


def test_a_board_left_open_overnight_prints_todays_date(browser_page, live_server):
    intervention, _bo = _world()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/tavle")
    header = page.locator(".board-print-context")
    # As if the page had been loaded on New Year's Day 2000 and left open since.
    page.evaluate(
        """() => {
            const el = document.querySelector('.board-print-context');
            el.textContent = el.textContent.replace(el.dataset.printed, '1. januar 2000');
            el.dataset.printed = '1. januar 2000';
            el.dataset.printedDay = '2000-01-01';
            window.dispatchEvent(new Event('beforeprint'));
        }"""
    )
    assert f"Udskrevet {danish_day(clock.today())}" in header.text_content()
    assert "2000" not in header.text_content()
