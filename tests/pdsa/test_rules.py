"""The PDSA discipline as pure functions, with hand-made cases."""

from datetime import UTC, date, datetime, timedelta

from improvement.pdsa.rules import is_overdue, is_stuck, missing_fields, neighbours


def test_do_needs_objective_and_prediction():
    assert missing_fields({}, "do") == ["objective", "prediction"]
    assert missing_fields({"objective": "x", "prediction": "  "}, "do") == ["prediction"]
    assert missing_fields({"objective": "x", "prediction": "y"}, "do") == []


def test_closing_needs_study_and_act():
    values = {"objective": "o", "prediction": "p", "do_description": "d"}
    assert missing_fields(values, "done") == [
        "study_result",
        "learning",
        "act_decision",
        "next_step",
    ]
    values.update(study_result="s", learning="l", act_decision="abandon", next_step="n")
    assert missing_fields(values, "done") == []


def test_plan_needs_nothing():
    assert missing_fields({}, "plan") == []


def test_neighbours():
    assert neighbours("plan") == (None, "do")
    assert neighbours("study") == ("do", "act")
    assert neighbours("done") == ("act", None)


def test_overdue_only_for_open_tests_past_their_due_date():
    today = date(2026, 3, 10)
    assert is_overdue(date(2026, 3, 9), "do", today)
    assert not is_overdue(date(2026, 3, 10), "do", today)
    assert not is_overdue(date(2026, 3, 1), "done", today)
    assert not is_overdue(None, "plan", today)


def test_stuck_after_14_days_without_movement():
    now = datetime(2026, 3, 20, 12, tzinfo=UTC)
    assert is_stuck(now - timedelta(days=14), "plan", now)
    assert not is_stuck(now - timedelta(days=13, hours=23), "plan", now)
    assert not is_stuck(now - timedelta(days=30), "done", now)
    # SQLite hands back naive UTC datetimes.
    assert is_stuck(datetime(2026, 3, 1, 12), "act", now)
