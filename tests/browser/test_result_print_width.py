"""The printed result of a round keeps its table inside its box. With ranges up to 100,0
that do not wrap at their dash, a disagreement badge, a role hidden to protect another and an
element some answered only "ved ikke", the table's nine columns with 0.35rem of padding on
each side could not be narrower than 684 pixels: 4 more than the 180 mm it prints in, and
past the printable width of A4 at 16 mm margins."""

import pytest

from improvement.assessments.seeding import CODES
from improvement.extensions import db
from improvement.models import AssessmentAnswer
from tests.assessments.helpers import gen_respondent, gen_round, setup_team
from tests.browser.steps import login, overflowing, print_at_a4_width
from tests.helpers import gen_member, gen_user

pytestmark = pytest.mark.browser

# The demo's baseline round (seeds/assessment_demo.yaml): per element one letter per statement,
# h/s/l/n = high, some, little, none, ? = "ved ikke". Its table is at its widest.
ANSWERS = {
    "leader": [
        "hshs",
        "lsl?",
        "shss",
        "hhsh",
        "ssls",
        "ll?n",
        "hhhs",
        "hshh",
        "shss",
        "llsl",
        "slss",
    ],
    "p1": ["ssss", "ll?l", "slss", "slls", "slls", "????", "hshh", "hhsh", "hshs", "lnll", "llsl"],
    "p2": ["shsl", "nl?l", "ssls", "llnl", "lsll", "n??n", "hhss", "hhhs", "shsh", "nlln", "lsll"],
    "p3": ["hsss", "lsll", "ssss", "slsl", "ssls", "?l??", "hhhh", "shhh", "hhss", "llll", "slsl"],
    "caseworker": [
        "lsll",
        "nnl?",
        "llsl",
        "ssls",
        "llnl",
        "l?nl",
        "slss",
        "ssls",
        "slsl",
        "lnnl",
        "llnl",
    ],
}
ROLES = {"leader": "leader", "caseworker": "authority"}


def baseline_round(answers=ANSWERS, roles=ROLES):
    """A closed round of the leader, three practitioners and a caseworker, answered as
    `answers` gives it per element (ANSWERS's letters); `roles` gives the respondents who
    answer in another role than practitioner."""
    org, intervention, instrument, users, _ = setup_team()
    users["leader"].email = "leder@nord.example"
    users["p3"] = gen_user(org, role="practitioner", name="Frida Familie")
    gen_member(intervention, users["p3"], "practitioner")
    statements: dict[int, list] = {}
    for statement in instrument.statements:
        statements.setdefault(statement.element, []).append(statement)
    round_ = gen_round(intervention, instrument, "Baseline 2025", status="closed")
    for key, codes in answers.items():
        respondent = gen_respondent(round_, users[key], roles.get(key, "practitioner"))
        for number, code in enumerate(codes, start=1):
            for statement, letter in zip(statements[number], code, strict=True):
                db.session.add(
                    AssessmentAnswer(
                        organization_id=org.id,
                        respondent_id=respondent.id,
                        statement_id=statement.id,
                        value=CODES[letter],
                    )
                )
    round_.close()
    db.session.commit()
    return intervention, round_


def test_the_printed_result_table_stays_inside_its_box(browser_page, live_server):
    # Frida answers as a caseworker: two of them make the caseworkers' mean one to show,
    # so the table has its role columns (with no mean to show in them, it leaves them out).
    intervention, round_ = baseline_round(roles={**ROLES, "p3": "authority"})
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/selvevaluering/{round_.id}/udskriv")
    page.wait_for_load_state("networkidle")
    print_at_a4_width(page)
    # The widest of the table's contents, to be sure the round shows them.
    table = page.locator(".result-table")
    assert table.locator("td.range", has_text="100,0").count()
    assert table.locator(".badge-disagree").count()
    assert table.locator(".role-cell", has_text="skjult").count()
    assert table.locator(".role-cell", has_text="(n=2)").count()
    assert table.locator("td.num", has_text="(+1)").count()  # "(+1 ved ikke)" on screen
    assert overflowing(page, ".result-table, .result-table th, .result-table td") == []
    box = page.locator(".results .table-scroll").bounding_box()
    edges = table.bounding_box()
    assert edges["x"] + edges["width"] <= box["x"] + box["width"] + 0.5
