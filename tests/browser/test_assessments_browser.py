import pytest
from sqlalchemy import select

from improvement.extensions import db
from improvement.models import AssessmentJustification
from tests.assessments.helpers import gen_respondent, gen_round, shared_instrument
from tests.helpers import PASSWORD, gen_intervention, gen_member, gen_org, gen_user

pytestmark = pytest.mark.browser


def log_in(page, live_server, email):
    page.context.clear_cookies()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/indsatser")


def answer_first_statements(page, value: str, count: int):
    for index in range(count):
        page.locator("form.statement").nth(index).get_by_label(value).check()
        page.locator("form.statement").nth(index).get_by_text("Gemt").wait_for()


def test_two_respondents_answer_then_the_radar_shows(browser_page, live_server, tmp_path):
    org = gen_org("Demo Kommune Nord")
    leader = gen_user(org, role="leader", email="leder@nord.example", name="Lise Lund")
    practitioner = gen_user(org, role="practitioner", email="bo@nord.example", name="Bo Behandler")
    intervention = gen_intervention(org, name="Familiehuset")
    gen_member(intervention, leader, "leader")
    gen_member(intervention, practitioner, "practitioner")
    instrument = shared_instrument()
    round_ = gen_round(intervention, instrument, name="Baseline 2026")
    gen_respondent(round_, leader, "leader")
    gen_respondent(round_, practitioner, "practitioner")
    db.session.commit()
    page = browser_page
    round_url = f"{live_server}/indsatser/{intervention.id}/selvevaluering/{round_.id}"

    # The practitioner answers; each answer is saved without a page load.
    log_in(page, live_server, "bo@nord.example")
    page.goto(round_url)
    page.get_by_role("button", name="Besvar selvevalueringen").click()
    page.evaluate("window.__noReload = true")
    answer_first_statements(page, "I høj grad", 4)
    page.get_by_text("Du har besvaret 4 af 44 udsagn.").wait_for()
    page.get_by_label("Hvad får os til at sige det?").first.fill("Forandringsteorien er skrevet.")
    page.locator("#text-state-1").get_by_text("Gemt").wait_for()
    assert page.evaluate("window.__noReload") is True
    page.screenshot(path=str(tmp_path / "answer.png"))

    # A reload keeps the answers (a closed laptop loses nothing).
    page.reload()
    assert page.locator("form.statement").first.get_by_label("I høj grad").is_checked()

    # The leader answers too, then closes the round (two respondents: warned first).
    log_in(page, live_server, "leder@nord.example")
    page.goto(round_url + "/besvar")
    answer_first_statements(page, "I mindre grad", 4)
    page.goto(round_url)
    page.get_by_role("button", name="Luk runden").click()
    page.get_by_text("Kun 2 respondenter har svaret").wait_for()
    page.get_by_role("button", name="Luk alligevel").click()
    page.get_by_text("Runden Baseline 2026 er lukket.").wait_for()

    # Element 1: (100 + 33) / 2 = 66.5, drawn on the radar and written in the table.
    page.locator(".result-table").get_by_text("66,5").wait_for()
    page.wait_for_function("() => window.Chart && Object.keys(window.Chart.instances).length === 1")
    data = page.evaluate("() => Object.values(window.Chart.instances)[0].data.datasets[0].data")
    assert data[0] == 66.5 and data[1] is None
    # One respondent per role: no role's mean can be shown, so the role columns are left
    # out and a note under the table says why.
    assert page.locator(".result-table th", has_text="Ledere").count() == 0
    assert page.get_by_text("Gennemsnittet pr. rolle vises ikke").count() == 1
    page.screenshot(path=str(tmp_path / "result.png"), full_page=True)


def test_a_justification_from_another_tab_is_not_overwritten_unseen(browser_page, live_server):
    org = gen_org("Demo Kommune Nord")
    bo = gen_user(org, role="practitioner", email="bo@nord.example", name="Bo Behandler")
    intervention = gen_intervention(org, name="Familiehuset")
    gen_member(intervention, bo, "practitioner")
    round_ = gen_round(intervention, shared_instrument(), name="Baseline 2026")
    gen_respondent(round_, bo, "practitioner")
    db.session.commit()
    first = browser_page
    log_in(first, live_server, "bo@nord.example")
    url = f"{live_server}/indsatser/{intervention.id}/selvevaluering/{round_.id}/besvar"
    first.goto(url)
    second = first.context.new_page()
    second.goto(url)

    first.locator("#text-1").fill("Skrevet i første fane")
    first.locator("#text-state-1 .saved").wait_for()
    second.locator("#text-1").fill("Skrevet i anden fane")
    second.locator("#text-state-1").get_by_text(
        "Gemt i mellemtiden i et andet vindue: “Skrevet i første fane”."
    ).wait_for()
    # Typed on: now it knows, and its text replaces the other.
    second.locator("#text-1").press("End")
    second.locator("#text-1").press_sequentially(" og mere")
    second.locator("#text-state-1 .saved").wait_for()
    db.session.expire_all()
    texts = db.session.scalars(select(AssessmentJustification.text)).all()
    assert texts == ["Skrevet i anden fane og mere"]
