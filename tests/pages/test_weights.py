import numpy as np

import lstm_core
from ui import inputs
from ui import model as demo

from .conftest import array, figures, open_gate, open_page, stepper_chart


def base_model():
    prepared = inputs.prepare_text("公主很漂亮", lstm_core.CLASSIC_VOCABULARY)
    return prepared, demo.build_model(demo.ModelSpec(), prepared)


def test_heatmaps_show_each_gate_block_named_in_the_chosen_layout(app):
    at = open_page(app, "weights")
    _, model = base_model()
    first = figures(at)[0]
    np.testing.assert_allclose(array(first["data"][0]["z"]), model.recurrent.gate("f").W)
    assert any("Wf[:, 8:]" in m.value for m in at.markdown)
    at.radio(key="layout").set_value("pytorch").run()
    assert any("weight_ih_l0[8:16, :]" in m.value for m in at.markdown)
    at.radio(key="layout").set_value("keras").run()
    assert any("kernel[:, 8:16]ᵀ" in m.value for m in at.markdown)


def test_a_gate_edit_shows_its_effect_and_reaches_the_other_pages(app):
    at = open_page(app, "weights")
    assert any("No edits yet" in i.value for i in at.info)
    at.slider(key="edit_f_b").set_value(-4.0).run()
    prepared, model = base_model()
    edited = demo.apply_edits(model, demo.Edits(gates={"f": demo.GateEdit(b_shift=-4.0)}))
    before, after = demo.run_model(model, prepared), demo.run_model(edited, prepared)
    difference = [f for f in figures(at) if len(f["data"]) == 6][0]
    np.testing.assert_allclose(array(difference["data"][0]["z"]), (after.trace.f - before.trace.f).T, atol=1e-12)
    largest = max(np.abs(after.quantity(q) - before.quantity(q)).max() for q in demo.QUANTITIES)
    assert float(at.metric[0].value) == round(largest, 4)
    open_page(at, "stepper")
    assert any("edited" in i.value for i in at.info)
    heatmaps = stepper_chart(at)
    np.testing.assert_allclose(array(heatmaps["data"][0]["z"]), after.trace.f.T, atol=5e-7)  # to its 6 decimals


def test_undo_all_edits(app):
    at = open_gate(open_page(app, "weights"), "o")
    at.slider(key="edit_o_w").set_value(2.0).run()
    assert not at.session_state["edits"].is_empty
    at.button(key="reset_edits").click().run()
    assert at.session_state["edits"].is_empty and at.slider(key="edit_o_w").value == 1.0


def test_the_open_gate_stays_open_when_the_student_comes_back(app):
    at = open_gate(open_page(app, "weights"), "o")
    assert [s.key for s in at.slider if s.key.startswith("edit_")] == ["edit_o_w", "edit_o_u", "edit_o_b"]
    open_page(open_page(at, "stepper"), "weights")
    assert [s.key for s in at.slider if s.key.startswith("edit_")] == ["edit_o_w", "edit_o_u", "edit_o_b"]
    assert len(figures(at)) == 3  # the open gate's W, U and b: the other gates' are not sent


def test_changing_the_model_clears_edits(app):
    at = open_gate(open_page(app, "weights"), "i")
    at.slider(key="edit_i_u").set_value(0.0).run()
    at.number_input(key="seed").set_value(5).run()
    assert at.session_state["edits"].is_empty and not at.exception
