"""PDSA throughput and fidelity, with figures worked out by hand."""

from datetime import date

from improvement.analysis.pdsa import CycleFacts, summarise


def test_empty_has_no_percentages():
    summary = summarise([])
    assert summary.total == 0 and summary.median_days_to_act is None
    assert [f.percent for f in summary.fidelity] == [None, None, None, None]


def test_series_prediction_scale_and_data():
    cycles = [
        # Series A: 1 → 2 → 3, scale grows from one family to three.
        CycleFacts(
            1,
            None,
            date(2026, 1, 5),
            acted=date(2026, 1, 15),  # 10 days
            closed=date(2026, 1, 20),
            act_decision="adapt",
            prediction="Forælderen er enig",
            scale="Én familie",
            data_collection="Skema",
            observations="To af tre",
        ),
        CycleFacts(
            2,
            1,
            date(2026, 1, 21),
            acted=date(2026, 2, 10),  # 20 days
            closed=date(2026, 2, 12),
            act_decision="adopt",
            prediction="Samme",
            scale="Tre familier",
        ),
        CycleFacts(3, 2, date(2026, 2, 13), scale="Tre familier"),
        # Series B: a single abandoned test, same scale throughout (it is alone).
        CycleFacts(
            4,
            None,
            date(2026, 1, 10),
            acted=date(2026, 1, 14),  # 4 days
            closed=date(2026, 2, 1),
            act_decision="abandon",
            prediction="Halvdelen kommer",
            scale="Alle forældre",
            data_collection="Deltagere",
            observations="Tre af otte",
        ),
        # Series C: 5 → 6 with the same scale: chained but not scaled up.
        CycleFacts(5, None, date(2026, 2, 2), scale="Én familie"),
        CycleFacts(6, 5, date(2026, 2, 20), scale=" én familie "),
    ]
    summary = summarise(cycles)
    assert summary.total == 6
    # Days to act: 10, 20, 4 → median 10.
    assert summary.median_days_to_act == 10.0
    fidelity = {f.feature: (f.count, f.total, f.percent) for f in summary.fidelity}
    # Chained: 1, 2, 3, 5, 6 = 5 of 6 → 83 %.
    assert fidelity["chained"] == (5, 6, 83)
    # Prediction: 1, 2, 4 = 3 of 6 → 50 %.
    assert fidelity["prediction"] == (3, 6, 50)
    # Scaled up: series A only (three cycles) → 3 of 6 = 50 %.
    assert fidelity["scaled_up"] == (3, 6, 50)
    # Data over time: 1 and 4 → 2 of 6 = 33 %.
    assert fidelity["data_over_time"] == (2, 6, 33)
    months = {m.month: m for m in summary.months}
    # January: started 1, 2, 4; closed 1 (adapt).
    assert (months["2026-01"].started, months["2026-01"].completed) == (3, 1)
    assert (months["2026-01"].adapted, months["2026-01"].adopted) == (1, 0)
    # February: started 3, 5, 6; closed 2 (adopt) and 4 (abandon).
    assert (months["2026-02"].started, months["2026-02"].completed) == (3, 2)
    assert (months["2026-02"].adopted, months["2026-02"].abandoned) == (1, 1)


def test_median_of_an_even_number_rounds_half_up():
    cycles = [
        CycleFacts(1, None, date(2026, 1, 1), acted=date(2026, 1, 4)),  # 3
        CycleFacts(2, None, date(2026, 1, 1), acted=date(2026, 1, 5)),  # 4
    ]
    assert summarise(cycles).median_days_to_act == 3.5
