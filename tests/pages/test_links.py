"""Every control a link carries comes back from the link, on its own page, in both languages.

One value that is not the default for every parameter of ui/url_state.py (a new parameter without
a sample here fails the first test): the link is opened on the parameter's page, the session holds
the value, the page shows it, and the URL the page writes back holds the same code.
"""

import pytest

from ui import url_state

from .conftest import APP, open_gate

SAMPLES = {
    "lang": "zh",
    "input": "text",  # the series input: SERIES_LINK below
    "text": "你好啊你好",
    "vocab": "你好啊",
    "series": "sine",
    "length": "40",
    "hidden": "6",
    "seed": "7",
    "init": "orthogonal",
    "ract": "hard_sigmoid",
    "act": "relu",
    "ufb": "0",
    "preset": "random",  # "trained" is read by test_sidebar's preset tests; "session" no link can carry
    "layout": "keras",
    "t": "3",
    "speed": "400",
    "cell_preset": "remember",
    **{f"cell_{key}": "0.35" for key in url_state.CELL_DEFAULTS},
    "clamp_f": "1",
    "cell_kind": "gru",
    **{f"gru_{key}": "0.35" for key in url_state.GRU_DEFAULTS},
    "cell_peephole": "1",
    "cell_coupled": "1",
    "clamp_i": "0",
    "clamp_o": "1",
    "clamp_f_value": "0.25",
    "clamp_i_value": "1.0",
    "clamp_o_value": "0.6",
    "cell_source": "model",
    "cell_unit": "4",
    "cell_step": "2",
    **{f"edit_{gate}_{part}": "1.5" for gate in "fico" for part in "wub"},
    "edit_o_b": "-2.0",
    "cells": "f_W_0_1_0.25~o_U_3_2_-1.5",
    "flow_length": "80",
    "flow_scale": "1.5",
    "flow_forget_bias": "3.0",
    "flow_update_bias": "-1.0",
    "lesson": "7",
    "flow_seed": "9",
    "flow_clipping": "0",
    "flow_clip": "5.0",
    "flow_product_steps": "40",
    "train_task": "long_memory",
    "train_text": "王子真帅气",
    "train_distance": "20",
    "train_kind": "gru",
    "train_hidden": "8",
    "train_layers": "2",
    "train_optimizer": "sgd",
    "train_lr": "0.1",
    "train_epochs": "30",
    "train_batch": "16",
    "train_clip": "1.0",
    "train_seed": "5",
}
DEFAULT_VALUES = {"input", "series", "length", "preset", "clamp_i", "clamp_i_value"}  # samples that are defaults
PAGE_OF = {None: "home"}


def test_every_parameter_has_a_sample_that_parses():
    assert set(SAMPLES) == set(url_state.BY_KEY)
    for key, raw in SAMPLES.items():
        param = url_state.BY_KEY[key]
        value = param.parse(raw)
        assert (value == param.default) == (key in DEFAULT_VALUES), key


def open_link(page: str, query: dict):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=90)
    if page != "home":
        at.switch_page(str(APP.parent / "pages" / f"{page}.py"))
    at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


def written(at, key):
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("page", ["home", "lesson", "stepper", "cell", "weights", "gradients", "train"])
def test_a_link_reopens_every_control_of_its_page(page, language):
    keys = [p.key for p in url_state.PARAMS if PAGE_OF.get(p.page, p.page) in (page, "home") or p.page is None]
    query = {key: SAMPLES[key] for key in keys if key not in DEFAULT_VALUES} | {"lang": language}
    if language == "en":
        del query["lang"]
    at = open_link(page, query)
    assert not at.warning or all("could not be recognised" not in w.value for w in at.warning)
    for key in keys:
        param = url_state.BY_KEY[key]
        expected = param.parse(query[key]) if key in query else param.default
        assert at.session_state[key] == expected, key
        if expected == param.default:
            assert written(at, key) is None, key  # defaults stay out of links
        else:
            assert param.parse(written(at, key)) == expected, key  # the same code, in any language


def test_the_weights_lab_shows_the_link_s_edits():
    from ui import inputs
    from ui import model as demo

    at = open_link("weights", {"cells": "f_W_0_1_0.25", "edit_o_b": "-2.0"})
    edits = at.session_state["edits"]
    assert edits.cells == {("f", "W", 0, 1): 0.25} and edits.gates["o"].b_shift == -2.0
    prepared = inputs.prepare_text("公主很漂亮", "公主很漂亮王子真帅气")
    base = demo.build_model(demo.ModelSpec(), prepared)
    edited = demo.apply_edits(base, edits).recurrent
    assert edited.gate("f").W[0, 1] == 0.25
    assert at.slider(key="edit_f_b").value == 0.0  # the first gate the link edits is open
    assert open_gate(at, "o").slider(key="edit_o_b").value == -2.0


def test_a_cell_page_link_keeps_its_unit_and_step_inside_a_smaller_model():
    at = open_link("cell", {"cell_source": "model", "cell_unit": "40", "cell_step": "90", "hidden": "3"})
    assert at.selectbox(key="cell_unit").value == 2 and at.slider(key="cell_step").value == 4
