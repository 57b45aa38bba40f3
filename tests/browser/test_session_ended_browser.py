"""Text typed into a form while the login ended in another tab: pressing Save says so on
the page, the text stays in the form, and after logging in from the message's link (a new
tab) the same Save saves it. CSRF protection on, as in production: logging in again makes
a new token, which the page fetches before its next write."""

import pytest

from improvement.extensions import db
from improvement.models import Intervention, PdsaCycle
from tests.browser.steps import LEADER, htmx_idle, login
from tests.helpers import PASSWORD, gen_intervention, gen_member, gen_org, gen_user
from tests.pdsa.factories import gen_cycle, gen_point

pytestmark = [pytest.mark.browser, pytest.mark.csrf]

TYPED = "Familierne ringes op dagen efter besøget"


def _world():
    org = gen_org("Demo Kommune Nord")
    leader = gen_user(org, role="leader", email=LEADER, name="Lise Lund")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    gen_member(intervention, leader)
    cycle = gen_cycle(gen_point(intervention), title="Opkald", owner=leader)
    db.session.commit()
    return intervention, cycle


def _saved(model, object_id, name):
    """As the database holds it now: a new transaction, not the test's earlier snapshot."""
    db.session.rollback()
    return getattr(db.session.get(model, object_id), name)


def _log_out_in_another_tab(page, live_server):
    other = page.context.new_page()
    other.goto(f"{live_server}/indsatser")
    other.locator(".user-menu summary").click()
    other.get_by_role("button", name="Log ud").click()
    other.wait_for_url("**/login")
    other.close()


def _log_out_and_in_again_in_another_tab(page, live_server):
    _log_out_in_another_tab(page, live_server)
    other = page.context.new_page()
    login(other, live_server)
    other.close()


def _log_in_from_the_message(page, landing):
    """The message's link opens the login page in a new tab; this one stays as it is."""
    with page.expect_popup() as popup:
        page.locator("#messages").get_by_role("link", name="Log ind i en ny fane").click()
    tab = popup.value
    tab.get_by_label("E-mail").fill(LEADER)
    tab.get_by_label("Adgangskode").fill(PASSWORD)
    tab.get_by_role("button", name="Log ind").click()
    tab.wait_for_url(f"**{landing}")  # back on the page, in the new tab
    tab.close()
    page.bring_to_front()


def test_an_inline_edit_saved_after_logging_out_elsewhere(browser_page, live_server):
    intervention, _cycle = _world()
    page = browser_page
    login(page, live_server)
    address = f"/indsatser/{intervention.id}"
    page.goto(f"{live_server}{address}")
    page.get_by_role("button", name="Redigér").first.click()
    page.locator("#purpose").wait_for()
    htmx_idle(page)
    page.locator("#purpose").fill(TYPED)
    _log_out_in_another_tab(page, live_server)

    page.get_by_role("button", name="Gem", exact=True).click()
    message = page.locator("#messages .flash-error")
    message.wait_for()
    htmx_idle(page)
    assert "Du er logget ud" in message.inner_text()
    assert "står stadig i formularen" in message.inner_text()
    assert page.locator("#purpose").input_value() == TYPED
    assert page.url == f"{live_server}{address}"
    link = page.locator("#messages").get_by_role("link", name="Log ind i en ny fane")
    assert link.get_attribute("target") == "_blank"
    assert _saved(Intervention, intervention.id, "purpose") != TYPED

    _log_in_from_the_message(page, address)
    page.get_by_role("button", name="Gem", exact=True).click()
    page.locator("#summary:not(.editing)").wait_for()
    htmx_idle(page)
    assert _saved(Intervention, intervention.id, "purpose") == TYPED
    assert TYPED in page.locator("#summary").inner_text()
    # The message asked for a step that has now succeeded: it is gone.
    assert page.locator("#messages").inner_text().strip() == ""


def test_the_worksheet_saved_after_logging_out_elsewhere(browser_page, live_server):
    """The worksheet is a plain form: app.js's check before it leaves the page says so."""
    intervention, cycle = _world()
    page = browser_page
    login(page, live_server)
    address = f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}/rediger"
    page.goto(f"{live_server}{address}")
    page.locator("#objective").fill(TYPED)
    _log_out_in_another_tab(page, live_server)

    page.get_by_role("button", name="Gem skema").click()
    message = page.locator("#messages .flash-error")
    message.wait_for()
    assert "Du er logget ud" in message.inner_text()
    assert page.url == f"{live_server}{address}"
    assert page.locator("#objective").input_value() == TYPED

    _log_in_from_the_message(page, address)
    page.get_by_role("button", name="Gem skema").click()
    page.wait_for_url(f"**/proevehandlinger/{cycle.id}")
    assert "Skemaet er gemt." in page.locator("#messages").inner_text()
    assert _saved(PdsaCycle, cycle.id, "objective") == TYPED


def test_saves_after_logging_out_and_in_again_elsewhere(browser_page, live_server):
    """Logged in again in another tab, not from a message: the page's token is from the
    ended login. An inline edit says so and saves when pressed again; the worksheet, a
    plain form, goes with the current token at once (a refusal would leave its page)."""
    intervention, cycle = _world()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}")
    page.get_by_role("button", name="Redigér").first.click()
    page.locator("#purpose").wait_for()
    htmx_idle(page)
    page.locator("#purpose").fill(TYPED)
    _log_out_and_in_again_in_another_tab(page, live_server)
    page.get_by_role("button", name="Gem", exact=True).click()
    message = page.locator("#messages .flash-error")
    message.wait_for()
    htmx_idle(page)
    assert "Du er logget ind igen" in message.inner_text()
    assert page.locator("#purpose").input_value() == TYPED
    page.get_by_role("button", name="Gem", exact=True).click()
    page.locator("#summary:not(.editing)").wait_for()
    assert _saved(Intervention, intervention.id, "purpose") == TYPED

    address = f"/indsatser/{intervention.id}/proevehandlinger/{cycle.id}/rediger"
    page.goto(f"{live_server}{address}")
    page.locator("#objective").fill(TYPED)
    _log_out_and_in_again_in_another_tab(page, live_server)
    page.get_by_role("button", name="Gem skema").click()
    page.wait_for_url(f"**/proevehandlinger/{cycle.id}")
    assert "Skemaet er gemt." in page.locator("#messages").inner_text()
    assert _saved(PdsaCycle, cycle.id, "objective") == TYPED


def test_log_out_goes_from_a_page_whose_login_ended(browser_page, live_server):
    """Logging out is no save to keep: from a page whose login ended in another tab it goes
    to the login page, not to "you are logged out, save again"."""
    intervention, _cycle = _world()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}")
    _log_out_in_another_tab(page, live_server)
    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url("**/login*")


def test_a_failing_token_route_does_not_stop_the_save(browser_page, live_server):
    """A proxy's error page (502 during a deploy) from the token route is not a message:
    the save goes with the page's token, and its own answer is handled as any other."""
    intervention, _cycle = _world()
    page = browser_page
    login(page, live_server)
    address = f"/indsatser/{intervention.id}"
    page.goto(f"{live_server}{address}")
    page.route(
        "**/session/noegle*",
        lambda route: route.fulfill(
            status=502, body="<style>body{background:red}</style><h1>502 Bad Gateway</h1>"
        ),
    )
    # A page brought back by Back asks for the token before its next write.
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    page.get_by_role("button", name="Redigér").first.click()
    page.locator("#purpose").wait_for()
    htmx_idle(page)
    page.locator("#purpose").fill(TYPED)
    page.get_by_role("button", name="Gem", exact=True).click()
    page.locator("#summary:not(.editing)").wait_for()
    htmx_idle(page)
    assert "502" not in page.locator("#messages").inner_text()
    assert _saved(Intervention, intervention.id, "purpose") == TYPED
