"""The lesson's keys are read once each: two presses in one run are two moves, a rerun without
a press is none, a reload's new tab counts from 0, and anything malformed is no move."""

import pytest

from ui.lesson_keys import RECENT, unseen_moves


def test_each_press_is_read_once_also_two_in_one_run():
    state: dict = {}
    assert unseen_moves({"tab": "a", "count": 1, "recent": [1]}, state) == [1]
    assert unseen_moves({"tab": "a", "count": 1, "recent": [1]}, state) == []  # the state kept it: a rerun
    assert unseen_moves({"tab": "a", "count": 3, "recent": [1, 1, -1]}, state) == [1, -1]
    assert unseen_moves({"tab": "b", "count": 1, "recent": [-1]}, state) == [-1]  # a reload: a new tab


def test_more_presses_than_the_browser_keeps_read_what_it_kept():
    recent = [1] * RECENT
    assert unseen_moves({"tab": "a", "count": RECENT + 7, "recent": recent}, {}) == recent


@pytest.mark.parametrize(
    "value",
    [
        None,
        [1],
        {"tab": "a", "count": 1},
        {"tab": "", "count": 1, "recent": [1]},
        {"tab": "a" * 65, "count": 1, "recent": [1]},
        {"tab": "a", "count": -1, "recent": [1]},
        {"tab": "a", "count": True, "recent": [1]},
        {"tab": "a", "count": 1.0, "recent": [1]},
        {"tab": "a", "count": 1, "recent": [2]},
        {"tab": "a", "count": 1, "recent": [True]},
        {"tab": "a", "count": 1, "recent": [1] * (RECENT + 1)},
    ],
)
def test_anything_malformed_is_no_move_and_changes_nothing(value):
    state: dict = {}
    assert unseen_moves(value, state) == []
    assert state == {}
