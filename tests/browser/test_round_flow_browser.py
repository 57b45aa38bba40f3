"""The round flow where only a browser shows it: the justification's count and the question
before a refused text is left behind, the jump links' marks following the answers, the
close question naming who is unfinished, and the comparison it leads to at 1366 pixels."""

import pytest

from improvement.extensions import db
from tests.assessments.helpers import answer_all, gen_respondent, gen_round, shared_instrument
from tests.helpers import PASSWORD, gen_intervention, gen_member, gen_org, gen_user

pytestmark = pytest.mark.browser

ALL_ELEMENTS = dict.fromkeys(range(1, 12), "high")


def log_in(page, live_server, email):
    page.context.clear_cookies()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/indsatser")


def _team():
    org = gen_org("Demo Kommune Nord")
    users = {
        "leader": gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund"),
        "bo": gen_user(org, role="practitioner", email="bo@nord.example", name="Bo Behandler"),
        "sara": gen_user(org, role="practitioner", email="sara@nord.example", name="Sara Sund"),
    }
    intervention = gen_intervention(org, name="Familiehuset")
    gen_member(intervention, users["leader"], "leader")
    gen_member(intervention, users["bo"], "practitioner")
    gen_member(intervention, users["sara"], "practitioner")
    return intervention, users


def _record_questions(page, answer="dismiss"):
    asked = []

    def on_dialog(dialog):
        asked.append(dialog.type)
        getattr(dialog, answer)()

    page.on("dialog", on_dialog)
    return asked


def test_a_justification_is_counted_and_a_refused_one_is_not_left_unasked(
    browser_page, live_server
):
    intervention, users = _team()
    round_ = gen_round(intervention, shared_instrument(), name="Kvartal")
    gen_respondent(round_, users["bo"])
    db.session.commit()
    page = browser_page
    log_in(page, live_server, "bo@nord.example")
    round_url = f"{live_server}/indsatser/{intervention.id}/selvevaluering/{round_.id}"
    page.goto(round_url + "/besvar")
    asked = _record_questions(page)
    text = page.locator("#text-1")
    count = page.locator("#text-1-count")

    # Near the limit the app's count shows under the field, as for its other long texts.
    text.fill("x" * 3700)
    count.get_by_text("3.700 af højst 4.000 tegn").wait_for()
    page.locator("#text-state-1").get_by_text("Gemt").wait_for()

    # Too long: refused, counted in red, and leaving by the page's own link asks first.
    text.fill("x" * 4100)
    page.locator("#text-state-1").get_by_text("højst være 4.000 tegn").wait_for()
    assert "over" in count.get_attribute("class")
    page.get_by_role("link", name="Tilbage til runden").click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    assert page.url.endswith("/besvar")

    # A CPR number: refused, and leaving asks again.
    text.fill("Barnet 010203-1234 har det godt")
    page.locator("#text-state-1").get_by_text("CPR-nummer").wait_for()
    page.get_by_role("link", name="Tilbage til runden").click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload", "beforeunload"]

    # Corrected and saved, the text is safe: leaving asks nothing.
    text.fill("Barnet har det godt")
    page.locator("#text-state-1").get_by_text("Gemt").wait_for()
    page.get_by_role("link", name="Tilbage til runden").click()
    page.wait_for_url(round_url)
    assert asked == ["beforeunload", "beforeunload"]


def test_the_jump_links_mark_follows_the_answers_without_a_reload(browser_page, live_server):
    intervention, users = _team()
    round_ = gen_round(intervention, shared_instrument(), name="Kvartal")
    gen_respondent(round_, users["bo"])
    db.session.commit()
    page = browser_page
    log_in(page, live_server, "bo@nord.example")
    page.goto(f"{live_server}/indsatser/{intervention.id}/selvevaluering/{round_.id}/besvar")
    page.evaluate("window.__noReload = true")
    link = page.locator('#element-jump a[href="#element-1"]')
    assert "has-unanswered" in link.get_attribute("class")
    # Its name says it too, for a screen reader.
    page.get_by_role("link", name="1 – 4 ikke besvaret", exact=True).wait_for()
    statements = page.locator("#element-1 form.statement")
    for index in range(statements.count()):
        statements.nth(index).get_by_label("I høj grad").check()
        statements.nth(index).get_by_text("Gemt").wait_for()
    page.get_by_role("link", name="1", exact=True).wait_for()
    assert "has-unanswered" not in (link.get_attribute("class") or "")
    assert "has-unanswered" in page.locator('#element-jump a[href="#element-2"]').get_attribute(
        "class"
    )
    assert page.evaluate("window.__noReload") is True


def test_closing_names_the_unfinished_then_compares_with_the_round_before(
    browser_page, live_server
):
    intervention, users = _team()
    instrument = shared_instrument()
    baseline = gen_round(intervention, instrument, name="Baseline", status="closed")
    for key in ("leader", "bo"):
        answer_all(gen_respondent(baseline, users[key]), instrument, ALL_ELEMENTS)
    round_ = gen_round(intervention, instrument, name="Kvartal")
    answer_all(gen_respondent(round_, users["leader"], "leader"), instrument, ALL_ELEMENTS)
    answer_all(gen_respondent(round_, users["bo"]), instrument, {1: "some", 2: "some"})
    gen_respondent(round_, users["sara"])
    db.session.commit()
    page = browser_page
    log_in(page, live_server, "leder@nord.example")
    page.goto(f"{live_server}/indsatser/{intervention.id}/selvevaluering/{round_.id}")

    page.get_by_role("button", name="Luk runden").click()
    warning = page.locator(".close-warning")
    warning.get_by_text("Bo Behandler: 8 af 44").wait_for()
    warning.get_by_text("Sara Sund: ikke svaret").wait_for()
    warning.get_by_text("Kun 2 respondenter har svaret").wait_for()
    page.get_by_role("button", name="Luk alligevel").click()
    page.get_by_text("Runden Kvartal er lukket.").wait_for()

    page.get_by_role("button", name="Sammenlign med forrige runde").click()
    page.wait_for_url(f"**/sammenlign?a={baseline.id}&b={round_.id}")
    head = page.locator(".compare-table thead")
    head.get_by_text("(n=2)").first.wait_for()
    assert head.get_by_text("(n=2)").count() == 2
    # At 1366 pixels every element's name keeps to one line.
    lines = page.eval_on_selector_all(
        ".compare-table th[scope=row] a", "links => links.map(a => a.getClientRects().length)"
    )
    assert lines == [1] * 11
    box = page.locator(".compare-table").bounding_box()
    scroll = page.locator(".compare-panel .table-scroll").bounding_box()
    assert box["width"] <= scroll["width"] + 1  # nothing cut off at the right
