"""Self-assessment scores against the 11 elements, with hand-computed expectations."""

from __future__ import annotations

import pytest

from improvement.analysis.assessment import (
    ROLES,
    SFI_FOUR_POINT_WEIGHTS,
    Answer,
    ElementResult,
    RespondentElementScore,
    RoleResult,
    compare_rounds,
    element_results,
    element_results_frame,
    respondent_element_scores,
    track_of,
    weakest_elements,
)

W = SFI_FOUR_POINT_WEIGHTS  # high 100, some 67, low 33, not_at_all 0, dont_know None


def row(respondent: str, role: str, element: int, score: float | None) -> dict[str, object]:
    return {"respondent_id": respondent, "role": role, "element": element, "score": score}


def by_element(results: list[ElementResult]) -> dict[int, ElementResult]:
    return {r.element: r for r in results}


def pair(element: int, score: float | None) -> list[dict[str, object]]:
    """Two respondents with the same score: enough to be shown, mean = ``score``."""
    return [row("a", "other", element, score), row("b", "other", element, score)]


# --- respondent_element_scores ---------------------------------------------------


def test_respondent_score_is_mean_of_answered_statements() -> None:
    answers = [
        Answer("r1", 1, "s1", "high", "leader"),
        Answer("r1", 1, "s2", "some", "leader"),
        Answer("r1", 1, "s3", "dont_know", "leader"),
        Answer("r1", 1, "s4", None, "leader"),
        Answer("r1", 2, "s5", "low", "leader"),
        Answer("r1", 2, "s6", "not_at_all", "leader"),
    ]
    scores = respondent_element_scores(answers, W)
    # Element 1: (100 + 67) / 2 = 83.5; the two "ved ikke" answers are left out, not 0
    # (as zeros it would be 167 / 4 = 41.75).
    # Element 2: (33 + 0) / 2 = 16.5.
    assert scores == [
        RespondentElementScore("r1", "leader", 1, 83.5, answered=2, dont_know=2),
        RespondentElementScore("r1", "leader", 2, 16.5, answered=2, dont_know=0),
    ]


def test_only_dont_know_gives_no_score_not_zero() -> None:
    answers = [
        {"respondent_id": "r1", "element": 5, "statement_id": "a", "value": "dont_know"},
        {"respondent_id": "r1", "element": 5, "statement_id": "b", "value": None},
    ]
    [score] = respondent_element_scores(answers, W)
    assert score.score is None
    assert (score.answered, score.dont_know) == (0, 2)
    assert score.role == "other"  # no role given


def test_weights_are_taken_from_the_caller() -> None:
    # A 0-10 scale: (10 + 4) / 2 = 7.0.
    weights = {"a": 10, "b": 4, "?": None}
    answers = [Answer(1, 3, "x", "a"), Answer(1, 3, "y", "b"), Answer(1, 3, "z", "?")]
    assert respondent_element_scores(answers, weights)[0].score == 7.0


def test_unknown_answer_value_is_an_error() -> None:
    with pytest.raises(ValueError, match="not on the scale"):
        respondent_element_scores([Answer("r", 1, "s", "very_high")], W)


def test_respondent_with_two_roles_is_an_error() -> None:
    answers = [Answer("r", 1, "s", "high", "leader"), Answer("r", 2, "s", "high", "other")]
    with pytest.raises(ValueError, match="more than one role"):
        respondent_element_scores(answers, W)


def test_element_out_of_range_is_an_error() -> None:
    with pytest.raises(ValueError, match="1-11"):
        respondent_element_scores([Answer("r", 12, "s", "high")], W)
    with pytest.raises(TypeError, match="1-11"):
        respondent_element_scores([Answer("r", "1", "s", "high")], W)  # type: ignore[arg-type]


def test_respondent_scores_empty_input() -> None:
    assert respondent_element_scores([], W) == []


# --- element_results -----------------------------------------------------------------


def test_element_results_mean_min_max_and_spread() -> None:
    rows = [
        row("L1", "leader", 1, 100),
        row("L2", "leader", 1, 67),
        row("P1", "practitioner", 1, 33),
        row("P2", "practitioner", 1, 50),
        row("P3", "practitioner", 1, None),  # only "ved ikke" in element 1
    ]
    results = by_element(element_results(rows, disagreement_threshold=50))
    one = results[1]
    # Mean of the 4 scores: (100 + 67 + 33 + 50) / 4 = 250 / 4 = 62.5.
    assert one.mean == 62.5
    assert (one.minimum, one.maximum) == (33.0, 100.0)
    # Spread 100 - 33 = 67 > 50: the team disagrees.
    assert one.spread == 67.0
    assert one.disagreement is True
    assert (one.n, one.n_without_score) == (4, 1)
    assert one.track == "intervention"
    # Leaders: (100 + 67) / 2 = 83.5; practitioners: (33 + 50) / 2 = 41.5 (P3 has no
    # score, so 2 practitioners count and the cell is shown).
    assert one.by_role["leader"] == RoleResult("leader", 2, 83.5)
    assert one.by_role["practitioner"] == RoleResult("practitioner", 2, 41.5)
    assert one.by_role["authority"] == RoleResult("authority", 0, None)


def test_every_element_is_listed_even_without_scores() -> None:
    results = element_results(pair(7, 50))
    assert [r.element for r in results] == list(range(1, 12))
    empty = by_element(results)[3]
    assert (empty.n, empty.mean, empty.minimum, empty.spread) == (0, None, None, None)
    assert empty.disagreement is False
    assert empty.suppressed is False  # nothing to hide: nobody scored it
    assert by_element(results)[7].mean == 50.0
    assert by_element(results)[7].track == "organisation"


def test_element_with_only_dont_know_has_no_score() -> None:
    results = by_element(element_results([row("a", "leader", 2, None)]))
    assert results[2].mean is None
    assert (results[2].n, results[2].n_without_score) == (0, 1)


def test_spread_at_threshold_is_not_disagreement() -> None:
    # 100 - 67 = 33, threshold 33: "more than" is required.
    rows = [row("a", "other", 4, 100), row("b", "other", 4, 67)]
    assert by_element(element_results(rows, disagreement_threshold=33))[4].disagreement is False
    assert by_element(element_results(rows, disagreement_threshold=32.9))[4].disagreement


def test_single_respondent_role_is_suppressed_with_its_complement() -> None:
    rows = [
        row("L1", "leader", 9, 0),
        row("P1", "practitioner", 9, 100),
        row("P2", "practitioner", 9, 67),
        row("A1", "authority", 9, 67),
        row("A2", "authority", 9, 33),
        row("A3", "authority", 9, 33),
    ]
    nine = by_element(element_results(rows))[9]
    # Overall: (0 + 100 + 67 + 67 + 33 + 33) / 6 = 300 / 6 = 50.0.
    assert nine.mean == 50.0
    # The lone leader is hidden ...
    assert nine.by_role["leader"] == RoleResult("leader", 1, None, True, "single_respondent")
    # ... and so is the smallest other role (practitioners, n=2): otherwise
    # 6 * 50 - 2 * 83.5 - 3 * 44.3 would give the leader's 0 back.
    assert nine.by_role["practitioner"] == RoleResult(
        "practitioner", 2, None, True, "complementary"
    )
    # Authority: (67 + 33 + 33) / 3 = 133 / 3 = 44.33 -> 44.3.
    assert nine.by_role["authority"] == RoleResult("authority", 3, 44.3)
    assert nine.by_role["other"].suppressed is False


def test_two_single_respondent_roles_are_hidden_with_a_third() -> None:
    # Leader and authority each alone: both hidden. Subtracting the shown practitioners
    # from the total would give the sum of the two, 4 * 50 - 2 * 50 = 100, and the leader,
    # who knows her own 100, would read the authority's 0. So the practitioners are hidden
    # as well: the hidden cells then hold four people.
    rows = [
        row("L1", "leader", 1, 100),
        row("A1", "authority", 1, 0),
        row("P1", "practitioner", 1, 67),
        row("P2", "practitioner", 1, 33),
    ]
    element = by_element(element_results(rows))[1]
    assert element.mean == 50.0  # (100 + 0 + 67 + 33) / 4
    roles = element.by_role
    assert roles["leader"].suppressed_reason == roles["authority"].suppressed_reason
    assert roles["leader"].suppressed_reason == "single_respondent"
    assert roles["practitioner"] == RoleResult("practitioner", 2, None, True, "complementary")


def test_three_single_respondent_roles_need_no_complement() -> None:
    # Three lone respondents: their cells hide a sum over three people, and anyone of
    # them learns only the sum of the other two.
    rows = [
        row("L1", "leader", 1, 100),
        row("A1", "authority", 1, 0),
        row("O1", "other", 1, 50),
        row("P1", "practitioner", 1, 67),
        row("P2", "practitioner", 1, 33),
    ]
    roles = by_element(element_results(rows))[1].by_role
    assert roles["practitioner"] == RoleResult("practitioner", 2, 50.0)  # (67 + 33) / 2
    assert all(roles[r].suppressed for r in ("leader", "authority", "other"))


def test_single_respondent_alone_in_the_team() -> None:
    # One respondent: the role cell is hidden; no other role to hide as complement. The
    # element's overall figures are that person's score as well, so they are hidden by
    # the same minimum: a "Ledere: 1" head count would otherwise name whose score it is.
    one = by_element(element_results([row("L1", "leader", 5, 67)]))[5]
    assert one.suppressed is True
    assert (one.mean, one.minimum, one.maximum, one.spread) == (None, None, None, None)
    assert one.disagreement is False
    assert one.n == 1  # a head count reveals no answer
    assert one.by_role["leader"].suppressed
    assert not any(one.by_role[r].suppressed for r in ROLES if r != "leader")


def test_one_score_among_dont_knows_is_suppressed_but_two_are_shown() -> None:
    # Element 3: three answered, but only L1 gave a score; the others said "ved ikke" only.
    # Element 4: two scores (49.8 and 50.2 unrounded): shown, mean 50.0.
    rows = [
        row("L1", "leader", 3, 49.8),
        row("P1", "practitioner", 3, None),
        row("A1", "authority", 3, None),
        row("L1", "leader", 4, 49.8),
        row("P1", "practitioner", 4, 50.2),
    ]
    results = by_element(element_results(rows))
    three, four = results[3], results[4]
    assert (three.n, three.n_without_score, three.suppressed) == (1, 2, True)
    assert three.mean is None and three.minimum is None and three.maximum is None
    assert four.suppressed is False
    assert (four.mean, four.minimum, four.maximum, four.spread) == (50.0, 49.8, 50.2, 0.4)
    # A withheld score is not "weak": it is left out like an unknown one.
    assert weakest_elements(results.values()) == [four]


def test_min_max_and_mean_are_rounded_alike() -> None:
    # Scores 49.75 and 49.85: min and max carry the same decimal as the mean, so a page
    # printing all three with one decimal never shows a mean outside its own range.
    rows = [row("a", "other", 1, 49.75), row("b", "other", 1, 49.85)]
    [one] = element_results(rows, elements=[1])
    assert (one.minimum, one.mean, one.maximum) == (49.8, 49.8, 49.9)
    assert one.minimum <= one.mean <= one.maximum


def test_pipeline_from_answers_to_results() -> None:
    answers = [
        Answer("L1", 1, "s1", "high", "leader"),
        Answer("L1", 1, "s2", "low", "leader"),  # L1: (100 + 33) / 2 = 66.5
        Answer("L2", 1, "s1", "some", "leader"),
        Answer("L2", 1, "s2", "dont_know", "leader"),  # L2: 67 / 1 = 67
    ]
    [one] = element_results(respondent_element_scores(answers, W), elements=[1])
    # (66.5 + 67) / 2 = 66.75 -> 66.8 (half up).
    assert one.mean == 66.8
    assert one.by_role["leader"].mean == 66.8


def test_duplicate_respondent_element_is_an_error() -> None:
    with pytest.raises(ValueError, match="twice"):
        element_results([row("a", "leader", 1, 50), row("a", "leader", 1, 60)])


def test_unknown_role_is_an_error() -> None:
    with pytest.raises(ValueError, match="role"):
        element_results([row("a", "boss", 1, 50)])


def test_element_results_empty_input() -> None:
    results = element_results([])
    assert len(results) == 11
    assert all(r.mean is None and r.n == 0 for r in results)
    assert weakest_elements(results) == []


def test_results_frame_has_none_for_missing_values() -> None:
    results = element_results([row("L1", "leader", 1, 100), row("L2", "leader", 1, 0)])
    table = element_results_frame(results)
    assert len(table) == 11
    first = table.iloc[0]
    assert (first["element"], first["mean"], first["leader_mean"]) == (1, 50.0, 50.0)
    assert table.iloc[1]["mean"] is None
    assert table.iloc[1]["leader_mean"] is None
    assert bool(first["disagreement"]) is True  # 100 - 0 = 100 > 50
    assert bool(first["suppressed"]) is False


def test_results_frame_leaves_a_single_respondents_element_empty() -> None:
    table = element_results_frame(element_results([row("L1", "leader", 2, 67)]))
    second = table.iloc[1]
    assert (second["n"], bool(second["suppressed"])) == (1, True)
    assert second["mean"] is None and second["minimum"] is None and second["maximum"] is None
    assert second["leader_mean"] is None and bool(second["leader_suppressed"]) is True


# --- compare_rounds, weakest_elements, track --------------------------------------


def test_compare_rounds_is_none_safe() -> None:
    first = element_results(pair(1, 40) + pair(2, 50) + pair(3, None))
    second = element_results(pair(1, 67) + pair(2, None) + pair(3, 33))
    changes = {c.element: c for c in compare_rounds(first, second)}
    assert changes[1].difference == 27.0  # 67 - 40
    assert changes[2].difference is None  # scored before, not after
    assert changes[3].difference is None  # not scored before
    assert (changes[2].before, changes[2].after) == (50.0, None)
    assert not (changes[2].before_suppressed or changes[2].after_suppressed)
    assert changes[11].difference is None
    assert len(changes) == 11


def test_compare_rounds_gives_no_change_for_a_withheld_score() -> None:
    # Element 1 had two respondents before and one after: the later score is withheld,
    # and so is the change (the difference would give the one person's score away).
    first = element_results(pair(1, 40))
    second = element_results([row("a", "other", 1, 67)])
    [change] = compare_rounds(first, second)[:1]
    assert (change.before, change.after, change.difference) == (40.0, None, None)
    assert (change.before_suppressed, change.after_suppressed) == (False, True)


def test_compare_rounds_rounds_the_difference() -> None:
    # Means 33.3 (100/3) and 66.7 (200/3) after rounding; 66.7 - 33.3 = 33.4 exactly,
    # not 33.400000000000006.
    first = element_results(
        [row("a", "other", 1, 0), row("b", "other", 1, 100), row("c", "other", 1, 0)]
    )
    second = element_results(
        [row("a", "other", 1, 100), row("b", "other", 1, 100), row("c", "other", 1, 0)]
    )
    assert by_element(first)[1].mean == 33.3
    assert by_element(second)[1].mean == 66.7
    assert compare_rounds(first, second)[0].difference == 33.4


def test_weakest_elements_skip_unscored_and_break_ties_by_number() -> None:
    rows = [
        *pair(1, 80),
        *pair(2, 20),
        *pair(3, 50),
        *pair(4, 20),
        *pair(5, None),  # no score: not "weak", unknown
        *pair(6, 90),
    ]
    weakest = weakest_elements(element_results(rows), n=3)
    # 20 (element 2), 20 (element 4), 50 (element 3).
    assert [r.element for r in weakest] == [2, 4, 3]
    assert [r.element for r in weakest_elements(element_results(rows), n=10)] == [2, 4, 3, 1, 6]


def test_track_of() -> None:
    assert [track_of(e) for e in (1, 6, 7, 11)] == [
        "intervention",
        "intervention",
        "organisation",
        "organisation",
    ]
    with pytest.raises(ValueError):
        track_of(0)
