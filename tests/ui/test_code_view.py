"""The Code page's snippets run, in the real frameworks, and give the app's own numbers."""

import contextlib
import io
import os

import numpy as np
import pytest

from ui import inputs
from ui import model as demo
from ui.code_view import SNIPPETS, WEIGHTS_FILES, weights_file

pytest.importorskip("torch")
keras = pytest.importorskip("keras")

TEXT = inputs.prepare_text("公主很漂亮", "公主很漂亮王子真帅气")
SERIES = inputs.prepare_series(inputs.generate_series("sine", 12))
TOLERANCE = {"pytorch": 1e-12, "numpy": 1e-12, "keras": 1e-6}  # Keras's Dense: see test_saving


def execute(code: str, folder) -> dict:
    """Run a snippet as a user would: in a folder holding the downloaded weights file."""
    namespace: dict = {"__name__": "__main__"}
    old, floatx = os.getcwd(), keras.config.floatx()
    os.chdir(folder)
    try:
        with contextlib.redirect_stdout(io.StringIO()) as printed:
            exec(compile(code, "snippet.py", "exec"), namespace)  # noqa: S102 - our own generated code
    finally:
        os.chdir(old)
        keras.config.set_floatx(floatx)  # the Keras snippet sets float64 for the whole process
    assert "h_t per step" in printed.getvalue()
    return namespace


@pytest.mark.parametrize("framework", SNIPPETS)
@pytest.mark.parametrize(
    "prepared, spec",
    [
        (TEXT, demo.ModelSpec()),
        (TEXT, demo.ModelSpec(hidden_size=5, recurrent_activation="hard_sigmoid_keras2", seed=3)),
        (SERIES, demo.ModelSpec(hidden_size=4, recurrent_activation="hard_sigmoid", activation="relu")),
    ],
    ids=["classic", "keras2-hard-sigmoid", "series-relu"],
)
def test_snippet_reproduces_the_app_numbers(framework, prepared, spec, tmp_path):
    model = demo.build_model(spec, prepared)
    (tmp_path / WEIGHTS_FILES[framework]).write_bytes(weights_file(model, framework))  # what the pages offer
    code = SNIPPETS[framework](model, prepared)
    result = execute(code, tmp_path)
    run = demo.run_model(model, prepared)
    np.testing.assert_allclose(result["hidden_states"], run.trace.h, rtol=0, atol=TOLERANCE[framework])
    np.testing.assert_allclose(result["predictions"], run.predictions, rtol=0, atol=TOLERANCE[framework])


def test_pytorch_snippet_uses_nn_lstm_when_it_can_and_a_loop_when_it_cannot():
    standard = SNIPPETS["pytorch"](demo.build_model(demo.ModelSpec(), TEXT), TEXT)
    assert "torch.nn.LSTM(input_size=10, hidden_size=8)" in standard and "for x_t" not in standard
    assert 'model.load_state_dict(load_file("lstm_gate_lab.safetensors"))' in standard
    custom = SNIPPETS["pytorch"](demo.build_model(demo.ModelSpec(recurrent_activation="hard_sigmoid"), TEXT), TEXT)
    assert "torch.nn.LSTM(" not in custom and "hardsigmoid" in custom


def test_text_with_quotes_and_newlines_stays_valid_python():
    prepared = inputs.prepare_text("a\"b'c\\d\ne")
    model = demo.build_model(demo.ModelSpec(hidden_size=2), prepared)
    for snippet in SNIPPETS.values():
        compile(snippet(model, prepared), "snippet.py", "exec")


@pytest.mark.parametrize(
    "activations", [("sigmoid", "tanh"), ("hard_sigmoid_keras2", "relu"), ("hard_sigmoid", "linear")]
)
@pytest.mark.parametrize("framework", list(SNIPPETS))
@pytest.mark.parametrize("prepared", [TEXT, SERIES], ids=["text", "series"])
def test_every_comment_is_in_chinese_on_a_chinese_page_and_the_code_is_unchanged(prepared, framework, activations):
    import re

    from ui.code_comments import COMMENT, in_language, translate_comment

    spec = demo.ModelSpec(recurrent_activation=activations[0], activation=activations[1])
    english = SNIPPETS[framework](demo.build_model(spec, prepared), prepared)
    chinese = in_language(english, "zh")
    assert in_language(english, "en") == english
    for before, after in zip(english.split("\n"), chinese.split("\n"), strict=True):
        match = COMMENT.search(before)
        if match is None:
            assert after == before
            continue
        assert translate_comment(match.group(1), "zh") is not None, match.group(1)
        assert after[: match.start(1)] == before[: match.start(1)]  # the code before the comment is untouched
        if re.search(
            r"[A-Za-z]{3,}", match.group(1).replace("hard_sigmoid", "").replace("C_prev", "")
        ) and not re.fullmatch(r"[\[\]()\w;, +=.]*", match.group(1)):
            assert re.search(r"[\u4e00-\u9fff]", after), after
