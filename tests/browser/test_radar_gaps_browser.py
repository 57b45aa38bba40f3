"""An element without a score is never drawn as a score on the radar: whether it is the
first, in the middle or the last, alone or several in a row, in one round or two compared,
on the round's page and its print page. Chart.js 4.5.1 joins a radar's points across a
missing one (spanGaps, the closing segment too), which crosses the element's axis at a
score nobody gave, and fills a broken radar down to the centre, which reads as 0. The
name or the legend says that the element has no score."""

from datetime import UTC, datetime, timedelta

import pytest

from improvement.extensions import db
from tests.assessments.helpers import answer_all, gen_respondent, gen_round, setup_team
from tests.browser.steps import login

pytestmark = pytest.mark.browser

# The lines and areas Chart.js draws for each dataset: the pairs of elements (0-based) a
# line joins, read from the segments it strokes and fills, whether it fills, which points
# it skips, and the legend's text.
DRAWN = """canvas => {
  const chart = Chart.getChart(canvas);
  return chart.data.datasets.map((d, k) => {
    const meta = chart.getDatasetMeta(k);
    const n = meta.data.length;
    const pairs = [];
    for (const seg of meta.dataset.segments) {
      const shown = [];
      for (let i = seg.start; ; i = (i + 1) % n) {
        if (!meta.data[i].skip) shown.push(i);
        if (i === seg.end) break;
      }
      for (let j = 1; j < shown.length; j++) pairs.push([shown[j - 1], shown[j]]);
      if (seg.loop && shown.length > 1) pairs.push([shown[shown.length - 1], shown[0]]);
    }
    return {pairs, fill: meta.dataset.options.fill, skip: meta.data.map(p => p.skip),
            label: d.label};
  });
}"""

# The coloured pixels on an element's axis from the centre to 100: the grid and the tick
# numbers are grey, every dataset's line, point and fill is a colour.
ON_AXIS = """([canvas, index]) => {
  const chart = Chart.getChart(canvas);
  const scale = chart.scales.r;
  const ratio = chart.currentDevicePixelRatio;
  const ctx = canvas.getContext("2d");
  const coloured = [];
  for (let d = 0; d <= scale.drawingArea; d++) {
    const p = scale.getPointPosition(index, d);
    const x = Math.round(p.x * ratio), y = Math.round(p.y * ratio);
    const [r, g, b, a] = ctx.getImageData(x, y, 1, 1).data;
    if (a > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 6) coloured.push(d);
  }
  return coloured;
}"""

POINT_LABELS = """canvas => Chart.getChart(canvas).data.labels.map(l => [].concat(l).join(" "))"""


def _round(intervention, instrument, users, name, unscored, day=0):
    """Two practitioners score every element but `unscored` ("ved ikke"): 83.5 each.
    Rounds are in the order they were opened: `day` days after the first."""
    round_ = gen_round(intervention, instrument, name, status="closed")
    round_.created_at = datetime(2026, 1, 5, 9, tzinfo=UTC) + timedelta(days=day)
    for key, value in (("p1", "high"), ("p2", "some")):
        values = {n: "dont_know" if n in unscored else value for n in range(1, 12)}
        answer_all(gen_respondent(round_, users[key], "practitioner"), instrument, values)
    round_.close()
    return round_


def _team():
    org, intervention, instrument, users, _ = setup_team()
    users["leader"].email = "leder@nord.example"
    return intervention, instrument, users


def _chart(page):
    canvas = page.locator("canvas[data-chart]")
    page.wait_for_function("c => window.Chart && Chart.getChart(c)", arg=canvas.element_handle())
    return canvas.element_handle()


def _assert_gaps_not_drawn(datasets, unscored_by_round):
    for drawn, unscored in zip(datasets, unscored_by_round, strict=True):
        gaps = {n - 1 for n in unscored}
        assert [i for i, skip in enumerate(drawn["skip"]) if skip] == sorted(gaps)
        # Every line joins two neighbouring elements; none reaches past a missing one.
        assert drawn["pairs"], drawn
        assert all((b - a) % 11 == 1 for a, b in drawn["pairs"]), drawn["pairs"]
        assert not gaps & {i for pair in drawn["pairs"] for i in pair}
        # A round with a gap is not filled: the area would bridge it or go to the centre.
        assert drawn["fill"] is False if gaps else drawn["fill"] is not False


@pytest.mark.parametrize("view", ["", "/udskriv"])
def test_the_last_element_unscored_is_not_drawn_on_the_radar(browser_page, live_server, view):
    intervention, instrument, users = _team()
    round_ = _round(intervention, instrument, users, "Forår 2026", {11})
    db.session.commit()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/selvevaluering/{round_.id}{view}")
    canvas = _chart(page)
    _assert_gaps_not_drawn(page.evaluate(DRAWN, canvas), [{11}])
    # Nothing coloured on element 11's axis, from the centre out: no line across it and
    # no area down to the centre.
    assert page.evaluate(ON_AXIS, [canvas, 10]) == []
    # ... while a scored element's axis has its line and area on it.
    assert page.evaluate(ON_AXIS, [canvas, 9])
    labels = page.evaluate(POINT_LABELS, canvas)
    assert labels[10] == "11. Opfølgning (ingen score)"
    assert "ingen score" not in " ".join(labels[:10])


def test_gaps_first_middle_and_several_at_the_end_of_two_rounds(browser_page, live_server):
    """The earlier round misses elements 1, 5 and 11, the later one 10 and 11."""
    intervention, instrument, users = _team()
    before = _round(intervention, instrument, users, "Forår", {1, 5, 11})
    after = _round(intervention, instrument, users, "Efterår", {10, 11}, day=1)
    db.session.commit()
    page = browser_page
    login(page, live_server)
    page.goto(
        f"{live_server}/indsatser/{intervention.id}/selvevaluering/sammenlign"
        f"?before={before.id}&after={after.id}"
    )
    canvas = _chart(page)
    drawn = page.evaluate(DRAWN, canvas)
    _assert_gaps_not_drawn(drawn, [{1, 5, 11}, {10, 11}])
    # Element 11, which neither round has a score for, has nothing on its axis; its name
    # says so. The elements only one round misses are named in that round's legend entry.
    assert page.evaluate(ON_AXIS, [canvas, 10]) == []
    assert page.evaluate(POINT_LABELS, canvas)[10] == "11. Opfølgning (ingen score)"
    assert [d["label"] for d in drawn] == [
        "Forår – ingen score vist for element 1, 5",
        "Efterår – ingen score vist for element 10",
    ]
    legend = page.evaluate("c => Chart.getChart(c).legend.legendItems.map(i => i.text)", canvas)
    assert legend == [d["label"] for d in drawn]


def test_the_line_over_time_breaks_at_a_missing_last_round(browser_page, live_server):
    intervention, instrument, users = _team()
    _round(intervention, instrument, users, "Forår", {11})
    _round(intervention, instrument, users, "Sommer", {11}, day=1)
    _round(intervention, instrument, users, "Efterår", {10, 11}, day=2)
    db.session.commit()
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server}/indsatser/{intervention.id}/selvevaluering")
    canvas = _chart(page)
    lines = page.evaluate(
        """c => { const chart = Chart.getChart(c);
          return chart.data.datasets.map((d, k) => {
            const meta = chart.getDatasetMeta(k);
            return {label: d.label, skip: meta.data.map(p => p.skip),
                    segments: meta.dataset.segments.map(s => [s.start, s.end])};
          }); }""",
        canvas,
    )
    # Element 10: Efterår has no score, so the line ends at Sommer, not at 0.
    assert lines[9]["skip"] == [False, False, True]
    assert lines[9]["segments"] == [[0, 1]]
    # Element 11 has no score in any round: no line, and the legend says why.
    assert lines[10]["skip"] == [True, True, True]
    assert lines[10]["label"] == "11. Opfølgning (ingen score)"
    assert lines[0]["label"] == "1. Teori og viden"
