"""The Train page's "about N s left": the rate so far, and silence until there is a rate to go on."""

import math

import pytest

from ui.training import seconds_left


def test_the_time_left_is_the_rate_so_far():
    assert seconds_left(elapsed=10.0, done=0.25) == 30
    assert seconds_left(elapsed=3.0, done=0.5) == 3
    assert seconds_left(elapsed=2.0, done=0.999) == 1  # never "0 s left" while it still runs


@pytest.mark.parametrize(
    "elapsed, done",
    [(0.5, 0.5), (5.0, 0.01), (5.0, 0.0), (5.0, 1.0), (math.nan, 0.5), (5.0, math.inf), (-1.0, 0.5)],
)
def test_no_estimate_before_there_is_one_or_after_the_end(elapsed, done):
    assert seconds_left(elapsed, done) is None
