"""The quality page's quarters are written in the reader's language: "2026 K1" (kvartal)
in Danish, "2026 Q1" in English, in the trend table and on the chart's axis. English
read "2026 K1" too."""

import json
import re
from datetime import date
from html import unescape

import pytest

from improvement.extensions import db
from improvement.formatting import quarter_labels
from tests.cases.helpers import gen_rating


@pytest.mark.parametrize(
    ("locale", "quarters"), [("da", ["2026 K1", "2026 K2"]), ("en", ["2026 Q1", "2026 Q2"])]
)
def test_the_trend_names_its_quarters_in_the_users_language(client, login, team, locale, quarters):
    opstart, _, _ = team.phases
    contact, _ = team.elements
    gen_rating(team.case, opstart, contact, 2, date(2026, 1, 10), team.practitioner)
    gen_rating(team.case, opstart, team.elements[1], 4, date(2026, 5, 2), team.practitioner)
    team.leader.locale = locale
    db.session.commit()
    login(team.leader, team.org)
    html = client.get(f"/indsatser/{team.intervention.id}/kvalitet").get_data(as_text=True)
    table = html[html.index('class="trend"') :].split("</thead>")[0]
    assert re.findall(r'<th scope="col" class="num">([^<]+)</th>', table) == quarters
    chart = json.loads(unescape(re.search(r'data-trend-chart="([^"]+)"', html).group(1)))
    assert chart["labels"] == quarters


def test_quarter_labels(app):
    from flask_babel import force_locale

    with app.test_request_context():
        with force_locale("da"):
            assert quarter_labels(["2025-Q4", "2026-Q1"]) == {
                "2025-Q4": "2025 K4",
                "2026-Q1": "2026 K1",
            }
        with force_locale("en"):
            assert quarter_labels(["2025-Q4"]) == {"2025-Q4": "2025 Q4"}
