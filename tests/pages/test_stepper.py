import json

import numpy as np
import pytest

import lstm_core
from ui import inputs
from ui import model as demo

from .conftest import array, component_data, figures, open_page, stepper_chart, stepper_controls, stepper_panels


def chart_by_trace_type(at, kind, nth=0):
    return [f for f in figures(at) if f["data"] and f["data"][0]["type"] == kind][nth]


stepper = stepper_chart


def traces_named(figure, name):
    return [k for k, trace in enumerate(figure["data"]) if trace.get("name") == name]


def frame(figure, column, heatmaps=None):
    """Trace index → the data the panels show at `column`: the server's frame (the prediction) and,
    given the heatmaps, the bars ui/static/stepper.js adds from their column (the first
    `meta.bars` traces, in the heatmaps' order)."""
    chosen = next(f for f in figure["frames"] if f["name"] == str(column))
    shown = dict(zip(chosen["traces"], chosen["data"]))
    assert not set(shown) & set(range(figure["layout"]["meta"]["bars"]))  # the bars are not sent twice
    if heatmaps is not None:
        for k in range(figure["layout"]["meta"]["bars"]):
            shown[k] = {"y": array(heatmaps["data"][k]["z"])[:, column]}
    return shown


def expected_run(text="公主很漂亮", vocabulary=lstm_core.CLASSIC_VOCABULARY, **spec):
    prepared = inputs.prepare_text(text, vocabulary)
    return prepared, demo.run_model(demo.build_model(demo.ModelSpec(**spec), prepared), prepared)


def test_six_heatmaps_show_the_core_s_trace_and_every_step_is_a_frame(app):
    at = open_page(app, "stepper")
    prepared, run = expected_run()
    figure = stepper(at)
    heatmaps = [trace for trace in figure["data"] if trace["type"] == "heatmap"]
    assert [trace["name"] for trace in heatmaps] == ["f", "i", "c_tilde", "o", "c", "h"]
    assert len(figure["data"]) == 6 and "frames" not in figure  # never animated: plotly.js#4491
    np.testing.assert_allclose(array(heatmaps[0]["z"]), run.trace.f.T, atol=5e-7)
    np.testing.assert_allclose(array(heatmaps[5]["z"]), run.trace.h.T, atol=5e-7)
    assert figure["layout"]["meta"]["columns"] == 5
    panels = stepper_panels(at)
    assert [f["name"] for f in panels["frames"]] == ["0", "1", "2", "3", "4"]
    third = frame(panels, 3, figure)
    bars = {
        trace["name"]: k for k, trace in enumerate(panels["data"]) if trace["type"] == "bar" and trace["yaxis"] == "y"
    }
    assert list(bars.values()) == list(range(panels["layout"]["meta"]["bars"])) == list(range(6))
    np.testing.assert_allclose(third[bars["forget gate f"]]["y"], run.trace.f[3], atol=5e-7)
    np.testing.assert_allclose(third[bars["hidden state h"]]["y"], run.trace.h[3], atol=5e-7)
    controls = stepper_controls(at)
    assert controls["labels"] == ["0: 公", "1: 主", "2: 很", "3: 漂", "4: 亮"] and controls["column"] == 0


def test_the_figure_opens_at_the_url_s_timestep_and_the_caption_names_it(app):
    app.session_state["t"] = 3
    at = open_page(app, "stepper")
    assert stepper_controls(at)["column"] == 3 and stepper_panels(at)["layout"]["meta"]["active"] == 3
    assert any("t = 3" in c.value and "漂" in c.value for c in at.caption)
    assert at.query_params["t"] == ["3"] if isinstance(at.query_params["t"], list) else at.query_params["t"] == "3"


def test_prediction_panel_is_the_softmax_head_with_the_true_next_character(app):
    at = open_page(app, "stepper")
    prepared, run = expected_run()
    figure = stepper_panels(at)
    probabilities = next(
        k for k, trace in enumerate(figure["data"]) if trace["type"] == "bar" and trace["yaxis"] == "y2"
    )
    truth = traces_named(figure, "true_next")[0]
    at_one = frame(figure, 1)
    np.testing.assert_allclose(at_one[probabilities]["y"], run.predictions[1], atol=5e-7)
    assert at_one[truth]["x"] == ["很"] and at_one[truth]["y"][0] > 0  # after 主 comes 很
    # the last character has no next one: the diamond is moved below the axis (0 … 1.15), out of sight
    assert frame(figure, 4)[truth]["y"] == [-1.0] and figure["layout"]["yaxis2"]["range"][0] == 0


def test_controls_speak_the_page_s_language(app):
    at = open_page(app, "stepper")
    assert stepper_controls(at)["texts"]["play"] == "Play"
    at.session_state["lang"] = "zh"
    at = open_page(at, "stepper")
    texts = stepper_controls(at)["texts"]
    assert texts["play"] == "播放" and texts["speeds"][2] == "每步 1.0 秒"
    assert not at.exception


def test_trained_preset_predicts_the_sentence(app):
    app.session_state["t"] = 2
    at = open_page(app, "stepper")
    at.selectbox(key="preset").set_value("trained").run()
    assert any("“漂”" in c.value for c in at.caption)


def test_a_long_series_is_drawn_as_block_means_and_says_so(app):
    at = open_page(app, "stepper")
    at.radio(key="input").set_value("series").run()
    at.slider(key="length").set_value(2000).run()
    at.slider(key="hidden").set_value(256).run()
    assert not at.exception
    figure = stepper(at)
    heatmap = figure["data"][0]
    assert array(heatmap["z"]).shape == (64, 400)  # 256 units in rows of 4, 2000 steps in columns of 5
    assert "5 timesteps per column" in " ".join(a["text"] for a in figure["layout"]["annotations"])
    panels = stepper_panels(at)
    assert len(panels["frames"]) == 400
    assert len(json.dumps(panels["frames"])) < 3_000_000


def test_new_text_and_numeric_series(app):
    at = open_page(app, "stepper")
    at.text_input(key="text").set_value("hello, world 🙂").run()
    assert any("T = 14" in c.value for c in at.caption)
    at.radio(key="input").set_value("series").run()
    at.slider(key="length").set_value(30).run()
    assert any("T = 30" in c.value and "I = 1" in c.value for c in at.caption)
    figure = stepper_panels(at)
    series = next(trace for trace in figure["data"] if trace.get("name") == "series")
    np.testing.assert_allclose(array(series["y"]), lstm_core.series.sine(30, period=20.0))
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
    app.session_state["t"] = 4
    at = open_page(app, "stepper")
    at.text_input(key="text").set_value("公主").run()
    assert at.session_state["t"] == 1 and not at.exception


def test_the_saturation_plot_puts_every_unit_where_its_gates_are(app):
    """One dot per distinct (share > 0.9, share < 0.1) per gate; its hover names exactly the units there."""
    app.session_state["open_saturation"] = True
    at = open_page(app, "stepper")
    _, run = expected_run()
    figure = next(f for f in figures(at) if "share of steps > 0.9" in json.dumps(f["layout"]))
    dots = [trace for trace in figure["data"] if trace["mode"] == "markers"]
    assert [a["text"] for a in figure["layout"]["annotations"]] == ["f", "i", "o"]
    for gate, trace in zip("fio", dots):
        below, above = demo.saturation(getattr(run.trace, gate))
        drawn = {}
        for x, y, units in zip(array(trace["x"]), array(trace["y"]), trace["customdata"]):
            for unit in units.split(", "):
                drawn[int(unit)] = (x, y)
        assert sorted(drawn) == list(range(len(below)))  # every unit once
        for unit, (x, y) in drawn.items():
            assert (x, y) == (above[unit], below[unit]), (gate, unit)
        assert len(trace["customdata"]) == len(set(zip(above.tolist(), below.tolist())))


def test_random_weights_say_they_guess_at_chance_and_one_click_trains_the_tutorial_s_model(app):
    at = open_page(app, "stepper")
    caption = next(c.value for c in at.caption if "best guess" in c.value)
    assert "(p = 0.11). Random weights: chance is 0.10." in caption
    assert any("p ≈ 1/10 = 0.10" in i.value for i in at.info)
    at.button(key="train_on_input").click().run()
    assert not at.exception and at.session_state["preset"] == "trained"
    assert not any(b.key == "train_on_input" for b in at.button)  # the notice is gone with the random weights
    prepared, run = expected_run(preset="trained")
    guesses = [prepared.vocabulary.tokens[k] for k in run.predictions.argmax(-1)]
    assert guesses[:4] == ["主", "很", "漂", "亮"]  # 公→主→很→漂→亮, as in the tutorial
    assert not any("chance is" in c.value for c in at.caption)
    assert any("best guess is “主”" in c.value for c in at.caption)


def test_the_notice_is_in_chinese_on_a_chinese_page(app):
    app.session_state["lang"] = "zh"
    at = open_page(app, "stepper")
    assert any("随机权重" in i.value for i in at.info)
    assert any("随机权重：碰运气为 0.10。" in c.value for c in at.caption)


def test_the_unrolled_chain_carries_the_core_s_trace_of_the_chosen_unit(app):
    at = open_page(app, "stepper")
    prepared, run = expected_run()
    chain = component_data(at, "chain")
    assert chain["key"] == stepper_controls(at)["key"]  # it follows the stepper's own step
    assert (chain["unit"], chain["cells"], chain["steps"], chain["length"]) == (0, 5, 1, 5)
    assert chain["tokens"] == list("公主很漂亮")
    for name in ("f", "i", "c_tilde", "o", "c", "h"):
        assert chain["values"][name] == run.quantity(name)[:, 0].tolist()  # exact: lstm_core's numbers
    assert chain["c0"] == 0.0 and chain["h0"] == 0.0
    assert chain["bounds"]["c"] == max(1.0, float(np.abs(run.trace.c).max()))
    at.selectbox(key="chain_unit").set_value(3).run()
    at.button_group(key="chain_cells").set_value(7).run()
    chain = component_data(at, "chain")
    assert chain["unit"] == 3 and chain["cells"] == 7
    assert chain["values"]["c"] == run.trace.c[:, 3].tolist()
    at.slider(key="hidden").set_value(2).run()  # a smaller layer: the chain's unit comes back into it
    assert component_data(at, "chain")["unit"] == 0 and not at.exception


def test_the_sections_below_the_chain_are_closed_and_built_only_when_opened(app):
    """A first visit sends the two stepper figures alone; each section's chart comes when it is opened."""
    at = open_page(app, "stepper")
    assert [e.label for e in at.main.expander] == [
        "One-hot encoding: a 5 × 10 matrix",
        "Chosen units across time",
        "Gate saturation",
    ]
    assert [f["layout"]["meta"]["name"] for f in figures(at)] == ["lstm-stepper-heatmaps", "lstm-stepper-panels"]
    assert not at.multiselect  # the unit picker too is built only when its section is open
    prepared, run = expected_run()
    for key in ("open_one_hot", "open_unit_lines", "open_saturation"):
        at.session_state[key] = True
    at.run()
    assert not at.exception and len(figures(at)) == 5
    one_hot = figures(at)[2]
    np.testing.assert_array_equal(array(one_hot["data"][0]["z"]), prepared.x.T)
    lines = figures(at)[3]
    assert [trace["name"] for trace in lines["data"]] == ["unit 0", "unit 1", "unit 2"]
    np.testing.assert_allclose(array(lines["data"][1]["y"]), run.trace.f[:, 1], atol=5e-7)
    at.multiselect(key="units").set_value([]).run()  # no unit: a message instead of an empty chart
    assert any("Pick at least one unit" in i.value for i in at.info) and len(figures(at)) == 4
