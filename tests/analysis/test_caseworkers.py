"""Changes of authority caseworker counted from a case's saves (analysis.caseworkers)."""

from improvement.analysis.caseworkers import CaseworkerChanges, caseworker_changes

# Caseworkers by number; None is "not chosen".
A, B, C = 1, 2, 3


def test_nothing_saved_is_nothing_changed():
    assert caseworker_changes([]) == CaseworkerChanges(0, 0)


def test_the_first_choice_and_a_removal_are_not_changes():
    saves = [
        (10, None, A),  # chosen: replaces no one
        (11, None, B),
        (11, B, None),  # removed: no one new yet
    ]
    assert caseworker_changes(saves) == CaseworkerChanges(0, 0)


def test_one_person_replaced_by_another_is_a_change_each_time():
    saves = [
        (10, None, A),
        (10, A, B),  # 1
        (10, B, C),  # 2
        (10, C, A),  # 3: back to the first is still someone new to the citizen
        (11, A, B),  # 1 on another case, its first choice made at creation
    ]
    assert caseworker_changes(saves) == CaseworkerChanges(cases=2, changes=4)


def test_a_removal_then_another_person_is_one_change_the_same_again_none():
    saves = [
        (10, A, None),
        (10, None, B),  # A -> (none) -> B: one change
        (11, A, None),
        (11, None, A),  # A -> (none) -> A: the same caseworker again
        (12, None, A),
        (12, A, None),
        (12, None, None),  # not a save of the caseworker, but harmless
    ]
    assert caseworker_changes(saves) == CaseworkerChanges(cases=1, changes=1)


def test_saves_are_read_in_order_per_case_even_interleaved():
    saves = [(10, None, A), (11, None, B), (10, A, B), (11, B, A), (10, B, A), (12, None, C)]
    assert caseworker_changes(saves) == CaseworkerChanges(cases=2, changes=3)


def test_only_the_given_cases_count():
    saves = [(10, A, B), (11, A, B), (11, B, C), (12, C, A)]
    assert caseworker_changes(saves, {11, 12}) == CaseworkerChanges(cases=2, changes=3)
    assert caseworker_changes(saves, {10}) == CaseworkerChanges(cases=1, changes=1)
    assert caseworker_changes(saves, set()) == CaseworkerChanges(0, 0)


def test_a_save_without_its_old_value_is_read_against_the_one_before():
    # The trail records "old" as None when a value is set without being read first.
    saves = [(10, None, A), (10, None, B), (11, None, A), (11, None, A)]
    assert caseworker_changes(saves) == CaseworkerChanges(cases=1, changes=1)
