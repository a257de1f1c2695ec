import numpy as np
import pytest

from lstm_core import LSTM

from .conftest import diagram_texts, diagrams, open_page, part, shown_values


def metric(at, name):
    """The number under the diagram for the value `name`."""
    return float(shown_values(at)[name])


def expected_step(values, clamp=None):
    order = "ifco"
    cell = LSTM(
        np.array([[values[f"W{g}"] for g in order]]),
        np.array([[values[f"U{g}"] for g in order]]),
        np.array([values[f"b{g}"] for g in order]),
    )
    return cell.step([values["x"]], [values["h"]], [values["c"]], clamp=clamp)


def current_values(at):
    keys = ["x", "h", "c"] + [f"{p}{g}" for p in "WUb" for g in "fico"]
    return {key: at.session_state[f"cell_{key}"] for key in keys}


def move(at, key, value):
    """Move one slider as a student would: its callback reruns only the picture fragment."""
    at.slider(key=key).set_value(value).run()
    assert not at.exception, at.exception
    # AppTest's tree holds what that run sent: the picture, none of the controls
    assert len(diagrams(at)) == 1 and not at.slider, "a slider move re-sent the controls"
    return at


def test_moving_a_weight_moves_the_gate_by_the_core_s_numbers(app):
    at = open_page(app, "cell")
    move(at, "cell_bf", -2.0).run()  # the full run brings the controls back into AppTest's tree
    move(at, "cell_x", -1.5)
    step = expected_step(current_values(at))
    assert metric(at, "f") == pytest.approx(step.f[0], abs=5e-4)
    assert metric(at, "h") == pytest.approx(step.h[0], abs=5e-4)
    diagram = diagrams(at)[0]
    assert f"f = {step.f[0]:.3f}" in diagram_texts(diagram)
    latex = " ".join(block.value for block in at.latex)
    assert f"= {step.z_f[0]:.3f}" in latex and "(-2.000)" in latex


def test_presets_set_the_sliders_and_remember_keeps_the_cell(app):
    at = open_page(app, "cell")
    at.selectbox(key="cell_preset").set_value("remember").run()
    assert at.session_state["cell_bf"] == 6.0 and at.session_state["cell_bi"] == -6.0
    assert metric(at, "f") > 0.99 and metric(at, "i") < 0.01
    assert metric(at, "c") == pytest.approx(at.session_state["cell_c"], abs=0.01)
    at.selectbox(key="cell_preset").set_value("silent").run()
    assert abs(metric(at, "h")) < 0.01
    at.button(key="cell_reset").click().run()
    assert at.session_state["cell_bf"] == 1.0


def test_clamping_a_gate_overrides_its_value_and_is_said_in_the_equations(app):
    at = open_page(app, "cell")
    at.checkbox(key="clamp_o").check().run()
    at.slider(key="clamp_o_value").set_value(0.25).run()
    step = expected_step(current_values(at), clamp={"o": 0.25})
    assert metric(at, "o") == 0.25
    assert metric(at, "h") == pytest.approx(step.h[0], abs=5e-4)
    assert any("clamped" in block.value for block in at.latex)


def test_sliders_survive_a_page_switch(app):
    at = open_page(app, "cell")
    at.slider(key="cell_Wo").set_value(3.0).run()
    open_page(at, "stepper")
    open_page(at, "cell")
    assert at.slider(key="cell_Wo").value == 3.0


def test_the_current_model_view_shows_a_unit_of_the_shared_model(app):
    import lstm_core
    from ui import inputs
    from ui import model as demo

    at = open_page(app, "cell")
    at.button_group(key="cell_source").set_value("model").run()
    at.selectbox(key="cell_unit").set_value(3).run()
    at.slider(key="cell_step").set_value(2).run()
    assert not at.exception
    prepared = inputs.prepare_text("公主很漂亮", lstm_core.CLASSIC_VOCABULARY)
    trace = demo.build_model(demo.ModelSpec(), prepared).recurrent.forward(prepared.x)
    text = diagram_texts(diagrams(at)[0])
    assert f"f = {trace.f[2, 3]:.3f}" in text and "xt = 很" in text
    latex = " ".join(block.value for block in at.latex)
    assert f"= {trace.z_f[2, 3]:.3f}" in latex and "h_t &= " in latex


def variant_step(at, peephole, coupled):
    from lstm_core import variants
    from lstm_core.recurrent import GateWeights

    s = at.session_state
    weights = {
        g: GateWeights(np.array([[s[f"cell_W{g}"]]]), np.array([[s[f"cell_U{g}"]]]), np.array([s[f"cell_b{g}"]]))
        for g in "fico"
    }
    peep = {g: np.array([s[f"cell_p{g}"]]) for g in "fio"} if peephole else None
    x, h, c = (np.array([s[f"cell_{k}"]]) for k in "xhc")
    return variants.step_forward(x, h, c, weights, variants.Variant(peep, coupled))


def test_peepholes_add_their_sliders_wires_and_terms_with_lstm_core_s_numbers(app):
    at = open_page(app, "cell")
    dashed_before = [line for line in diagrams(at)[0].iter() if line.get("stroke-dasharray")]
    at.checkbox(key="cell_peephole").check().run()
    move(at, "cell_po", -3.0).run()
    step = variant_step(at, True, False)
    assert metric(at, "o") == pytest.approx(step.o[0], abs=5e-4)
    assert metric(at, "h") == pytest.approx(step.h[0], abs=5e-4)
    plain = expected_step(current_values(at))
    assert abs(plain.o[0] - step.o[0]) > 0.1  # p_o = −3 at C_t ≈ 1.1: the peephole changes what is drawn
    diagram = diagrams(at)[0]
    dashed = [line for line in diagram.iter() if line.get("stroke-dasharray")]
    assert not dashed_before and len(dashed) == 5
    assert f"o = {step.o[0]:.3f}" in diagram_texts(diagram)
    latex = " ".join(block.value for block in at.latex)
    assert "+ p_o C_t" in latex and "+ p_f C_{t-1}" in latex and f"(-3.000)\\cdot{step.c[0]:.3f}" in latex
    assert any("Dashed lines" in caption.value for caption in at.caption)


def test_coupled_gates_make_i_one_minus_f_and_hide_the_input_gate_s_controls(app):
    at = open_page(app, "cell")
    at.checkbox(key="cell_coupled").check().run()
    step = variant_step(at, False, True)
    assert metric(at, "i") == pytest.approx(1 - metric(at, "f"), abs=1.5e-3)
    assert metric(at, "c") == pytest.approx(step.c[0], abs=5e-4)
    keys = {widget.key for widget in at.slider} | {widget.key for widget in at.checkbox}
    assert "cell_Wi" not in keys and "clamp_i" not in keys and "cell_Wf" in keys
    assert "".join(part(diagrams(at)[0], "symbol-i").itertext()) == "1 − f"
    assert any("i_t &= 1 - f_t" in block.value for block in at.latex)


def test_the_variants_speak_chinese(app):
    app.session_state["lang"] = "zh"
    app.session_state["cell_peephole"] = True
    app.session_state["cell_coupled"] = True
    at = open_page(app, "cell")
    assert not at.exception
    assert at.checkbox(key="cell_peephole").label == "窥视孔连接" and at.checkbox(key="cell_coupled").value
    assert any("虚线" in caption.value for caption in at.caption)


def test_the_gru_cell_draws_what_torch_s_gru_cell_computes(app):
    torch = pytest.importorskip("torch")
    at = open_page(app, "cell")
    at.button_group(key="cell_kind").set_value("gru").run()
    at.slider(key="gru_bz").set_value(2.0).run()
    s = {
        key: at.session_state[f"gru_{key}"] for key in ("x", "h", "Wr", "Ur", "br", "Wz", "Uz", "bz", "Wn", "Un", "bn")
    }
    cell = torch.nn.GRUCell(1, 1).double()
    with torch.no_grad():
        cell.weight_ih.copy_(torch.tensor([[s["Wr"]], [s["Wz"]], [s["Wn"]]]))
        cell.weight_hh.copy_(torch.tensor([[s["Ur"]], [s["Uz"]], [s["Un"]]]))
        cell.bias_ih.copy_(torch.tensor([s["br"], s["bz"], s["bn"]]))
        cell.bias_hh.zero_()
        h = float(
            cell(torch.tensor([[s["x"]]], dtype=torch.float64), torch.tensor([[s["h"]]], dtype=torch.float64))[0, 0]
        )
    assert metric(at, "h") == pytest.approx(h, abs=5e-4)
    z = 1 / (1 + np.exp(-(s["Wz"] * s["x"] + s["Uz"] * s["h"] + s["bz"])))
    assert metric(at, "z") == pytest.approx(z, abs=5e-4)
    texts = diagram_texts(diagrams(at)[0])
    assert f"z = {z:.3f}" in texts and f"ht = {h:.3f}" in texts and "1−" in texts
    latex = " ".join(block.value for block in at.latex)
    assert r"(1 - z_t)\cdot n_t + z_t\cdot h_{t-1}" in latex and f"{h:.3f}" in latex
    assert not any(w.key == "cell_Wf" for w in at.slider)  # the LSTM's sliders are gone
    assert at.query_params.get("cell_kind") == "gru" or at.session_state["cell_kind"] == "gru"


def test_the_gru_cell_speaks_chinese_and_the_model_view_stays_an_lstm(app):
    app.session_state["lang"] = "zh"
    app.session_state["cell_kind"] = "gru"
    at = open_page(app, "cell")
    assert not at.exception and any(e.label == "更新门 z" for e in at.expander)
    at.button_group(key="cell_source").set_value("model").run()
    assert not at.exception and any("f = " in text for text in diagram_texts(diagrams(at)[0]).split("|"))
