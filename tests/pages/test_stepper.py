import numpy as np
import pytest

import lstm_core
from ui import model as demo

from .conftest import array, figures, open_page


def chart_by_trace_type(at, kind, nth=0):
    return [f for f in figures(at) if f["data"] and f["data"][0]["type"] == kind][nth]


def expected_run(text="公主很漂亮", vocabulary=lstm_core.CLASSIC_VOCABULARY, **spec):
    prepared = demo.prepare_text(text, vocabulary)
    return prepared, demo.run_model(demo.build_model(demo.ModelSpec(**spec), prepared), prepared)


def test_six_heatmaps_show_the_core_s_trace_and_the_marker_follows_the_slider(app):
    at = open_page(app, "stepper")
    prepared, run = expected_run()
    heatmaps = chart_by_trace_type(at, "heatmap", 1)
    assert [trace["name"] for trace in heatmaps["data"]] == ["f", "i", "c_tilde", "o", "c", "h"]
    np.testing.assert_allclose(array(heatmaps["data"][0]["z"]), run.trace.f.T)
    np.testing.assert_allclose(array(heatmaps["data"][5]["z"]), run.trace.h.T)
    at.slider(key="t").set_value(3).run()
    assert any("t = 3" in m.value and "漂" in m.value for m in at.markdown)
    marker = chart_by_trace_type(at, "heatmap", 1)["layout"]["shapes"][0]
    assert (marker["x0"], marker["x1"]) == (2.5, 3.5)


def test_prediction_panel_is_the_softmax_head_with_the_true_next_character(app):
    at = open_page(app, "stepper")
    at.slider(key="t").set_value(1).run()
    prepared, run = expected_run()
    prediction = chart_by_trace_type(at, "bar", 1)
    np.testing.assert_allclose(array(prediction["data"][0]["y"]), run.predictions[1])
    assert prediction["data"][0]["marker"]["color"][2] != prediction["data"][0]["marker"]["color"][0]  # 很 marked


def test_prev_next_buttons_step_and_wrap(app):
    at = open_page(app, "stepper")
    at.button(key="next").click().run()
    assert at.session_state["t"] == 1
    at.button(key="prev").click().run()
    at.button(key="prev").click().run()
    assert at.session_state["t"] == 4  # wraps to the last step


def test_playing_advances_the_timestep(app):
    at = open_page(app, "stepper")
    at.toggle(key="playing").set_value(True).run()
    assert at.session_state["t"] == 1  # the fragment's run moves one step
    assert not at.exception


def test_trained_preset_predicts_the_sentence(app):
    at = open_page(app, "stepper")
    at.selectbox(key="preset").set_value("trained").run()
    at.slider(key="t").set_value(2).run()
    assert any("“漂”" in c.value for c in at.caption)


def test_new_text_and_numeric_series(app):
    at = open_page(app, "stepper")
    at.text_input(key="text").set_value("hello, world 🙂").run()
    assert any("T = 14" in c.value for c in at.caption)
    at.radio(key="input").set_value("series").run()
    at.slider(key="length").set_value(30).run()
    assert any("T = 30" in c.value and "I = 1" in c.value for c in at.caption)
    series = chart_by_trace_type(at, "scatter", 0)
    np.testing.assert_allclose(array(series["data"][0]["y"]), lstm_core.series.sine(30, period=20.0))
    assert not at.exception


@pytest.mark.parametrize("typed,message", [("1, 2, x", "is not a number"), ("", "no numbers"), ("1, nan", "NaN")])
def test_bad_typed_numbers_get_a_message(app, typed, message):
    at = open_page(app, "stepper")
    at.radio(key="input").set_value("series").run()
    at.selectbox(key="series").set_value("typed").run()
    at.text_area(key="typed").set_value(typed).run()
    assert not at.exception
    assert any(message in e.value for e in at.error)


def test_timestep_is_kept_in_range_when_the_text_gets_shorter(app):
    at = open_page(app, "stepper")
    at.slider(key="t").set_value(4).run()
    at.text_input(key="text").set_value("公主").run()
    assert at.session_state["t"] == 1 and not at.exception


def test_saturation_table_matches_the_trace(app):
    at = open_page(app, "stepper")
    _, run = expected_run()
    below, above = demo.saturation(run.trace.f)
    table = at.dataframe[0].value
    np.testing.assert_allclose(table.iloc[:, 0].to_numpy(), below)
    np.testing.assert_allclose(table.iloc[:, 1].to_numpy(), above)
