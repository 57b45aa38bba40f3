"""What only a browser shows from the sweep of the pages at 1366 pixels: short cells beside
long text keep to one line instead of breaking into a word per line ("Version / 2",
"Anne / Admin"; "for få til at / vise", "(+1 ved / ikke)"), and the table still fits."""

import pytest

from improvement.extensions import db
from improvement.models import DescriptionVersion
from tests.assessments.helpers import answer_all, gen_respondent, gen_round, setup_team
from tests.browser.steps import login
from tests.description.factories import EMPTY_SNAPSHOT
from tests.helpers import gen_intervention, gen_member, gen_org, gen_user

pytestmark = pytest.mark.browser

# The lines of text each matched element is set in (its text's line boxes, by their tops);
# an empty cell has none.
LINES = """(selector) => [...document.querySelectorAll(selector)].map((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0)
                          .map((r) => Math.round(r.top)));
    return [el.textContent.trim().replace(/\\s+/g, " "), tops.size];
})"""


def _one_line_each(page, selector):
    found = page.evaluate(LINES, selector)
    assert found, selector
    return [text for text, lines in found if text and lines != 1]


def test_the_versions_table_keeps_its_short_cells_on_one_line(browser_page, live_server):
    org = gen_org("Demo Kommune Nord")
    leader = gen_user(org, role="leader", email="leder@nord.example", name="Anne Admin")
    intervention = gen_intervention(org, name="Spædbarnsindsats")
    for number, note in (
        (
            1,
            "Første version med tværfaglighedskoordineringsmøderne og "
            "netværksmødeforberedelsesskemaet beskrevet",
        ),
        (2, "Anden version: hjemmebesøgsdokumentationen og kerneelementsvurderingerne tilføjet"),
    ):
        db.session.add(
            DescriptionVersion(
                organization_id=org.id,
                intervention_id=intervention.id,
                number=number,
                note=note,
                snapshot=EMPTY_SNAPSHOT,
                published_by_id=leader.id,
            )
        )
    db.session.commit()
    page = browser_page  # 1366 × 768
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/indsatsbeskrivelse")
    page.locator(".versions-table").wait_for()
    assert _one_line_each(page, ".versions-table td:not(.version-note)") == []
    # The note takes the rest of the width (and wraps in it), the table its panel's.
    widths = page.evaluate(
        "[...document.querySelectorAll('.versions-table tbody tr:first-child td')]"
        ".map((td) => td.getBoundingClientRect().width)"
    )
    assert widths[3] == max(widths)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_withheld_figures_and_dont_knows_read_whole_in_the_result_table(browser_page, live_server):
    org, intervention, instrument, users, _ = setup_team()
    users["c2"] = gen_user(org, role="authority", name="Carl Casper")
    gen_member(intervention, users["c2"], "authority_caseworker")
    round_ = gen_round(intervention, instrument, "Baseline", status="closed")
    # One leader: the role's figures are withheld ("for få til at vise"), and the two
    # practitioners' with them ("skjult"); the two caseworkers' mean is shown, so the table
    # has its role columns. A practitioner who did not know element 6 is counted beside its
    # n ("(+1 ved ikke)").
    for key, role, values in (
        ("leader", "leader", dict.fromkeys(range(1, 12), "some")),
        ("caseworker", "authority", dict.fromkeys(range(1, 12), "high")),
        ("c2", "authority", dict.fromkeys(range(1, 12), "some")),
        ("p1", "practitioner", {**dict.fromkeys(range(1, 12), "little"), 6: "dont_know"}),
        ("p2", "practitioner", dict.fromkeys(range(1, 12), "high")),
    ):
        answer_all(gen_respondent(round_, users[key], role), instrument, values)
    db.session.commit()
    page = browser_page  # 1366 × 768
    login(page, live_server, users["leader"].email)
    page.goto(f"{live_server}/indsatser/{intervention.id}/selvevaluering/{round_.id}")
    page.locator(".result-table").wait_for()
    assert _one_line_each(page, ".result-table .suppressed") == []
    assert _one_line_each(page, ".result-table td.num small") == []
    # The table has the room: its box does not scroll.
    assert page.evaluate(
        "(() => { const box = document.querySelector('#results .table-scroll');"
        " return box.scrollWidth <= box.clientWidth; })()"
    )
