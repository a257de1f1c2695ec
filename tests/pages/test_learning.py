"""The Train and Gradient flow pages, driven like a student would drive them."""

import numpy as np

from lstm_core import GRU, LSTM, RNN
from lstm_core.flow import last_step_gradient_flow

from .conftest import array, figures, open_page, stepper_chart


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def test_training_lowers_the_loss_and_shares_the_lstm_with_the_stepper(app):
    at = open_page(app, "train")
    assert any("Press Train" in i.value for i in at.info)
    at.slider(key="train_epochs").set_value(20).run()
    at.button(key="train_button").click().run()
    assert not at.exception
    run = at.session_state["train_runs"]["lstm"]
    assert len(run.losses) == 20 and run.losses[-1] < 0.5 * run.losses[0]
    assert float(metric(at, "LSTM final loss")) == round(run.losses[-1], 4)
    curve = [f for f in figures(at) if f["layout"].get("title", {}).get("text") == "Loss per epoch (cross-entropy)"][0]
    np.testing.assert_allclose(array(curve["data"][0]["y"]), run.losses)
    assert sorted(run.snapshots)[0] == 0 and sorted(run.snapshots)[-1] == 20
    at.selectbox(key="preset").set_value("session").run()
    open_page(at, "stepper")
    heatmaps = stepper_chart(at)
    trace = run.model.recurrent.forward(at.session_state["_demo"].prepared.x)
    np.testing.assert_allclose(array(heatmaps["data"][0]["z"]), trace.f.T, atol=5e-7)  # to its 6 decimals


def test_compare_trains_all_three_on_the_same_task(app):
    at = open_page(app, "train")
    at.selectbox(key="train_task").set_value("brackets").run()
    at.slider(key="train_epochs").set_value(5).run()
    at.button(key="compare_button").click().run()
    assert not at.exception
    assert list(at.session_state["train_runs"]) == ["lstm", "gru", "rnn"]
    curve = [f for f in figures(at) if f["layout"].get("title", {}).get("text") == "Loss per epoch (cross-entropy)"][0]
    assert [trace["name"] for trace in curve["data"]] == ["LSTM", "GRU", "RNN"]


def test_a_new_run_shows_its_own_last_epoch(app):
    """The epoch slider of the snapshots does not keep the previous run's choice."""
    at = open_page(app, "train")
    at.selectbox(key="train_task").set_value("brackets").run()
    at.slider(key="train_epochs").set_value(6).run()
    at.button(key="train_button").click().run()
    kept = at.select_slider(key="snapshot_epoch").options
    at.select_slider(key="snapshot_epoch").set_value(kept[0]).run()
    at.slider(key="train_epochs").set_value(4).run()
    at.button(key="compare_button").click().run()
    assert not at.exception
    assert at.select_slider(key="snapshot_epoch").value == 4  # the last of 0 … 4, not the first


def test_a_huge_learning_rate_is_reported_and_weights_stay_finite(app):
    at = open_page(app, "train")
    at.selectbox(key="train_task").set_value("sine").run()
    at.button_group(key="train_optimizer").set_value("sgd").run()
    at.select_slider(key="train_lr").set_value(10.0).run()
    at.select_slider(key="train_clip").set_value(0.0).run()
    at.slider(key="train_epochs").set_value(30).run()
    at.button(key="train_button").click().run()
    assert not at.exception
    run = at.session_state["train_runs"]["lstm"]
    assert all(np.isfinite(a).all() for a in run.model.parameters().values())
    if run.status == "diverged":
        assert any("diverged" in e.value for e in at.error)


def test_bad_training_text_gets_a_message(app):
    at = open_page(app, "train")
    at.text_area(key="train_text").set_value("a").run()
    assert any("at least two characters" in e.value for e in at.error)
    assert at.button(key="train_button").disabled


def test_gradient_flow_default_shows_the_lstm_above_the_rnn_and_says_why(app):
    at = open_page(app, "gradients")
    x = np.random.default_rng(0).normal(size=(50, 4))
    lstm = LSTM.init(4, 16, seed=0)
    lstm_flow = last_step_gradient_flow(lstm, x)
    expected = {
        "LSTM": lstm_flow.dh_norms[0],
        "GRU": last_step_gradient_flow(GRU.init(4, 16, seed=0), x).dh_norms[0],
        "RNN": last_step_gradient_flow(RNN.init(4, 16, seed=0), x).dh_norms[0],
    }
    for name, value in expected.items():
        assert metric(at, f"{name} at t = 0") == f"{value:.2e}"
    orders = float(metric(at, "LSTM vs RNN"))
    assert orders == round(np.log10(expected["LSTM"] / expected["RNN"]), 1) and orders > 0
    chart = [f for f in figures(at) if "last step, t = 49" in f["layout"].get("title", {}).get("text", "")][0]
    direct = next(d for d in chart["data"] if d["name"] == "LSTM ‖dL/dC‖ via f only")
    np.testing.assert_allclose(array(direct["y"]), lstm_flow.dc_direct_norms)
    captions = " ".join(c.value for c in at.caption)
    assert "so it shrinks: it vanishes" in captions and f"{lstm_flow.dc_direct_norms[0]:.2e} at t = 0" in captions
    at.slider(key="flow_forget_bias").set_value(4.0).run()
    assert float(metric(at, "LSTM vs RNN")) > orders  # the highway opens


def test_gradient_flow_captions_follow_the_sliders_where_the_old_ones_were_false(app):
    at = open_page(app, "gradients")
    at.slider(key="flow_scale").set_value(2.0).run()  # the RNN's gradient grows: it does not shrink
    rnn = float(metric(at, "RNN at t = 0"))
    assert rnn > 1 and any("so it grows: it explodes" in c.value for c in at.caption)
    at.slider(key="flow_scale").set_value(1.0).run()
    gru_low = float(metric(at, "GRU at t = 0"))
    z_caption = next(c.value for c in at.caption if c.value.startswith("**GRU:**"))
    assert "z = 0.5" in z_caption and "ends below the RNN's" in z_caption  # bias 0: about half of h kept per step
    at.slider(key="flow_update_bias").set_value(4.0).run()
    assert float(metric(at, "GRU at t = 0")) > 1e3 * gru_low
    z_caption = next(c.value for c in at.caption if c.value.startswith("**GRU:**"))
    assert "z = 0.9" in z_caption and "below the RNN" not in z_caption


def test_clipping_comparison_and_activation_charts(app):
    at = open_page(app, "gradients")
    at.slider(key="flow_scale").set_value(2.5).run()
    at.button(key="clipping_run").click().run()
    assert not at.exception
    scale, results = at.session_state["clipping_results"]
    assert scale == 2.5 and len(results) == 2
    activation = [f for f in figures(at) if len(f["data"]) == 8][0]
    sigmoid_slope = array(activation["data"][1]["y"])
    assert abs(sigmoid_slope.max() - 0.25) < 1e-3
    assert any("0.25^20" in c.value for c in at.caption)


def test_a_trained_lstm_is_one_click_from_the_stepper_with_the_text_it_learned(app):
    at = open_page(app, "train")
    at.text_area(key="train_text").set_value("abcabcabd").run()
    assert any("1 window(s) of 8 characters" in c.value for c in at.caption)  # not "windows of 32"
    at.slider(key="train_epochs").set_value(10).run()
    at.button(key="train_button").click().run()
    assert any("after 10 epochs" in s.value for s in at.success)
    at.button(key="open_in_stepper_button").click().run()
    assert not at.exception
    assert at.session_state["preset"] == "session" and at.session_state["text"] == "abcabcabd"
    run = at.session_state["train_runs"]["lstm"]
    heatmaps = stepper_chart(at)  # the switch landed on the stepper, drawing the trained model
    trace = run.model.recurrent.forward(at.session_state["_demo"].prepared.x)
    np.testing.assert_allclose(array(heatmaps["data"][0]["z"]), trace.f.T, atol=5e-7)
    assert at.slider(key="hidden").disabled  # the random model's settings are not the model in use
    assert any(f"H = {run.model.recurrent.hidden_size} hidden units" in c.value for c in at.sidebar.caption)


def test_a_stopped_run_is_offered_and_a_refusal_names_its_real_reason(app):
    at = open_page(app, "train")
    at.slider(key="train_epochs").set_value(5).run()
    at.button(key="train_button").click().run()
    at.session_state["train_runs"]["lstm"].status = "running"  # as a Stop leaves it: interrupted mid-run
    del at.session_state["trained_model"]
    at.run()
    assert any("was stopped after epoch 5" in w.value for w in at.warning)
    assert at.session_state["trained_model"].epochs == 5
    at.selectbox(key="train_task").set_value("brackets").run()
    at.button(key="compare_button").click().run()
    assert any("this task's inputs (cue symbols, brackets) are neither" in c.value for c in at.caption)
    at.selectbox(key="train_task").set_value("sine").run()
    at.button_group(key="train_kind").set_value("gru").run()
    at.button(key="train_button").click().run()
    assert any("draw an LSTM's gates" in c.value for c in at.caption)


def test_after_training_the_model_writes_and_a_unit_colours_the_text(app):
    """What it writes at the chosen epoch is lstm_core's sample; the coloured text carries the
    chosen unit's values, in the stepper's colours."""
    import re

    from lstm_core import Vocabulary
    from lstm_core.sampling import sample_text, unit_scores
    from ui.colors import value_color, value_range

    at = open_page(app, "train")
    at.slider(key="train_epochs").set_value(20).run()
    at.button(key="train_button").click().run()
    run = at.session_state["train_runs"]["lstm"]
    text = run.config.text
    vocabulary = Vocabulary.from_text(text)
    htmls = [h.proto.body for h in at.get("html")]
    written = next(h for h in htmls if "lstm-sample" in h)
    expected = sample_text(run.snapshots[20], vocabulary, text[0], 120, 1.0, 0)
    assert f"<b>{expected}</b>" in written
    at.select_slider(key="sample_temperature").set_value(0.1).run()
    written = next(h.proto.body for h in at.get("html") if "lstm-sample" in h.proto.body)
    assert f"<b>{sample_text(run.snapshots[20], vocabulary, text[0], 120, 0.1, 0)}</b>" in written
    at.text_input(key="sample_start").set_value("X").run()
    assert any("vocabulary" in w.value for w in at.warning)

    trace = run.snapshots[20].recurrent.forward(vocabulary.one_hot(text))
    scores = unit_scores(trace.c, text, vocabulary)["character"]
    best = int(np.argmax(scores))
    unit_box = at.selectbox(key="units_unit_c_character")
    assert unit_box.value == best  # the most character-like unit first
    coloured = next(h.proto.body for h in at.get("html") if "lstm-unit-text" in h.proto.body)
    colours = re.findall(r"background:(rgb\([^)]*\))", coloured)
    low, high = value_range("c", trace.c[:, best])
    assert colours == [value_color(v, low, high, "RdBu_r") for v in trace.c[:, best]]
