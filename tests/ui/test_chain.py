"""The unrolled chain's data (ui/chain.py): lstm_core's numbers for one unit, refusals that name
the problem, and a click that is a step of this sequence or nothing."""

import numpy as np
import pytest

from lstm_core.text import CLASSIC_SENTENCE, CLASSIC_VOCABULARY
from ui import colors, inputs
from ui import model as demo
from ui.chain import chain_data, clicked_step


@pytest.fixture(scope="module")
def run():
    prepared = inputs.prepare_text(CLASSIC_SENTENCE, CLASSIC_VOCABULARY)
    return demo.run_model(demo.build_model(demo.ModelSpec(hidden_size=4, seed=3), prepared), prepared)


def data(run, unit=2, cells=5):
    return chain_data("key", run, unit, cells, 1, 0, list(CLASSIC_SENTENCE), {"title": "", "open": ""})


def test_values_are_the_trace_of_the_unit_and_colours_use_the_heatmaps_scales(run):
    sent = data(run)
    for name in ("f", "i", "c_tilde", "o", "c", "h"):
        np.testing.assert_array_equal(sent["values"][name], run.quantity(name)[:, 2])
    for name in ("c_tilde", "c", "h"):
        assert sent["bounds"][name] == colors.value_range(name, run.quantity(name))[1]
    assert sent["stops"]["gate"][0] == [0.0, list(colors.COLOR_STOPS[colors.GATE_SCALE][0][1])]


@pytest.mark.parametrize(
    ("unit", "cells", "message"), [(4, 5, "unit"), (-1, 5, "unit"), (0, 2, "cells"), (0, 8, "cells")]
)
def test_a_unit_outside_the_layer_or_a_window_outside_3_to_7_is_refused(run, unit, cells, message):
    with pytest.raises(ValueError, match=message):
        data(run, unit, cells)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"step": 3, "unit": 2}, (3, 2)),
        ({"step": 5, "unit": 2}, None),  # past the sequence
        ({"step": -1, "unit": 2}, None),
        ({"step": 3, "unit": 1}, None),  # another unit: a stale click from before the unit changed
        ({"step": True, "unit": 2}, None),
        ({"step": 3.0, "unit": 2}, None),
        ("3", None),
        (None, None),
    ],
)
def test_a_click_is_a_step_of_this_sequence_and_unit_or_nothing(value, expected):
    assert clicked_step(value, 5, 2) == expected


def test_values_that_are_not_finite_travel_as_null_and_leave_the_colour_range_alone(run):
    import json
    from dataclasses import replace

    record = run.trace.record.copy()  # the trace's C_t are views into the loop's record
    broken = replace(run, trace=replace(run.trace, record=record))
    c = broken.trace.c
    c[1, 2], c[3, 2] = np.nan, np.inf
    sent = data(broken)
    json.dumps(sent, allow_nan=False)  # what the browser can parse
    assert sent["values"]["c"][1] is None and sent["values"]["c"][3] is None
    assert sent["values"]["c"][0] == c[0, 2]
    assert np.isfinite(sent["bounds"]["c"])
