import pytest
from sqlalchemy import select

from improvement.extensions import db
from improvement.models import ChangeTheoryItem, CoreElement, DevelopmentPoint
from tests.browser.steps import htmx_idle, login
from tests.description.factories import gen_core_element, gen_item, gen_point
from tests.helpers import gen_intervention, gen_org, gen_user

pytestmark = pytest.mark.browser


def _order():
    db.session.expire_all()
    return list(
        db.session.scalars(select(CoreElement.name).order_by(CoreElement.position, CoreElement.id))
    )


def test_edit_theory_item_in_place_and_reorder_core_elements(browser_page, live_server, tmp_path):
    org = gen_org("Demo Kommune Nord")
    gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    activity = gen_item(intervention, "activity", "Hjemmebesøg")
    gen_item(intervention, "short_term", "Sensitiv omsorg")
    for n, name in enumerate(["Første", "Anden", "Tredje"]):
        gen_core_element(intervention, name=name, position=n)
    db.session.commit()
    page = browser_page
    login(page, live_server, "leder@nord.example")

    # Theory of change: one item edited in place, without a page load.
    page.goto(f"{live_server}/indsatser/{intervention.id}/forandringsteori")
    page.evaluate("window.__noReload = true")
    page.get_by_role("button", name="Hjemmebesøg").click()
    editor = page.locator(f"#toc-item-{activity.id} textarea")
    editor.fill("Intensive hjemmebesøg")
    page.locator(f"#toc-item-{activity.id}").get_by_role("button", name="Gem").click()
    page.get_by_role("button", name="Intensive hjemmebesøg").wait_for()
    # A link drawn as an arrow between the columns.
    page.locator("#source_id").select_option(label="A1: Intensive hjemmebesøg")
    page.locator("#target_id").select_option(label="K1: Sensitiv omsorg")
    page.get_by_role("button", name="Tilføj forbindelse").click()
    page.locator("svg.toc-arrows path.toc-arrow").first.wait_for(state="attached")
    assert page.evaluate("window.__noReload") is True
    db.session.expire_all()
    assert db.session.get(ChangeTheoryItem, activity.id).text == "Intensive hjemmebesøg"
    page.screenshot(path=str(tmp_path / "theory.png"), full_page=True)

    # Core elements: keyboard alternative, then drag and drop.
    page.goto(f"{live_server}/indsatser/{intervention.id}/kerneelementer")
    page.get_by_role("button", name="Flyt Tredje op").click()
    page.wait_for_function(
        "document.querySelectorAll('#core-elements .item-title')[1].textContent === 'Tredje'"
    )
    assert _order() == ["Første", "Tredje", "Anden"]
    handles = page.locator("#core-elements .drag-handle")
    source = handles.nth(2).bounding_box()
    target = page.locator("#core-elements .item-card").nth(0).bounding_box()
    page.mouse.move(source["x"] + 5, source["y"] + 5)
    page.mouse.down()
    page.mouse.move(target["x"] + 20, target["y"] + 10, steps=20)
    page.mouse.up()
    page.wait_for_function(
        "document.querySelectorAll('#core-elements .item-title')[0].textContent === 'Anden'"
    )
    page.wait_for_timeout(300)
    assert _order() == ["Anden", "Første", "Tredje"]
    page.screenshot(path=str(tmp_path / "core_elements.png"), full_page=True)


def test_refused_point_edit_stays_in_place_and_saves_when_corrected(browser_page, live_server):
    org = gen_org("Demo Kommune Nord")
    gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    point = gen_point(intervention, title="Fast dagsorden")
    gen_point(intervention, title="Fælles sprog", position=1)
    db.session.commit()
    page = browser_page
    login(page, live_server, "leder@nord.example")
    page.goto(f"{live_server}/indsatser/{intervention.id}/udviklingspunkter")
    item = page.locator(f"#point-{point.id}")
    item.get_by_role("button", name="Redigér").click()
    # The editor focuses its title when it lands; typing before that would go there.
    htmx_idle(page)
    assert page.evaluate("document.activeElement.id") == f"dp{point.id}-title"
    item.get_by_label("Beskrivelse").fill("Barnets cpr 010203-1234")
    item.get_by_role("button", name="Gem").click()
    item.locator(".field-error").wait_for()
    # Focus goes to the field at fault, not back to the title, so the correction lands there.
    htmx_idle(page)
    assert page.evaluate("document.activeElement.id") == f"dp{point.id}-description"
    # The error replaced only the form: the other point is still listed.
    assert page.locator("#development-points").get_by_text("Fælles sprog").is_visible()
    item.get_by_label("Beskrivelse").fill("Dagsorden sendes dagen før")
    item.get_by_label("Status").select_option(label="Færdig")
    item.get_by_role("button", name="Gem").click()
    # Saved: the section comes back with the point shown, not edited (the typed text is in
    # the form too, so wait for the form to go).
    page.locator(f"#point-{point.id}:not(.editing)").wait_for()
    assert "Dagsorden sendes dagen før" in page.locator(f"#point-{point.id}").inner_text()
    db.session.expire_all()
    saved = db.session.get(DevelopmentPoint, point.id)
    assert (saved.description, saved.status) == ("Dagsorden sendes dagen før", "done")
