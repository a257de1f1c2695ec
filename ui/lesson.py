"""The guided lesson: the classic tutorials' story in steps, each with its equation, the live view
that shows it (a page of the app, opened in the state the step needs) and a predict-then-check
question whose answer is computed here, by lstm_core, from that same state.

Each step's words are in ui/i18n_lesson.py (`lesson_<name>_title`, `_text`, `_question`,
`_reveal` and, for a choice, `_option_<k>`); pages/lesson.py draws a step. Nothing here imports
Streamlit, so the answers are tested as plain functions (tests/ui/test_lesson.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lstm_core import GRU, LSTM, get_activation
from lstm_core.clipping import clip_by_global_norm
from lstm_core.optimizers import Adam
from lstm_core.text import CLASSIC_SENTENCE, CLASSIC_VOCABULARY, Vocabulary
from ui.cell_presets import DEFAULTS as CELL_DEFAULTS
from ui.cell_values import slider_cell_step
from ui.gradient_flow import shared_flows

# The sidebar settings a live view starts from: the classic example and its random model.
CLASSIC_STATE: dict[str, Any] = {
    "input": "text",
    "text": CLASSIC_SENTENCE,
    "vocab": CLASSIC_VOCABULARY,
    "hidden": 8,
    "seed": 0,
    "init": "glorot_uniform",
    "ract": "sigmoid",
    "act": "tanh",
    "ufb": True,
    "preset": "random",
}


@dataclass(frozen=True)
class Answer:
    """What the question's check compares with: a number (with the tolerance a student's rounding
    needs) or the index of the right option; `facts` fill the reveal's sentence."""

    value: float | int
    tolerance: float = 0.0
    facts: Mapping[str, Any] = field(default_factory=dict)

    def accepts(self, guess: float | int | None) -> bool:
        if guess is None:
            return False
        return abs(float(guess) - float(self.value)) <= self.tolerance


@dataclass(frozen=True)
class Step:
    name: str  # the i18n keys' stem: lesson_<name>_…
    equation: str  # LaTeX, as the tutorials write it
    page: str  # the live view: a page's url_path ("cell", "stepper", …)
    state: Mapping[str, Any]  # the link parameters (ui/url_state.py) that page opens with
    options: int = 0  # 0: the answer is a number; else how many choices (lesson_<name>_option_<k>)
    answer: Callable[[], Answer] = field(default=lambda: Answer(0))
    question_facts: Callable[[], Mapping[str, Any]] = field(default=lambda: {})


def cell_settings(state: Mapping[str, Any]) -> tuple[dict[str, float], dict[str, float]]:
    """The cell page's slider values and clamps for a step's state (defaults elsewhere)."""
    settings = {key: float(state.get(f"cell_{key}", value)) for key, value in CELL_DEFAULTS.items()}
    clamps = {g: float(state[f"clamp_{g}_value"]) for g in "fio" if state.get(f"clamp_{g}")}
    return settings, clamps


def cell_answer(state: Mapping[str, Any]) -> dict[str, float]:
    """The values the cell page draws in this state (lstm_core's step of its 1-unit cell)."""
    settings, clamps = cell_settings(state)
    return slider_cell_step(settings, clamps)[1]


def clamped(f: float | None = None, i: float | None = None, o: float | None = None, **cell: float) -> dict:
    """A cell-page state: the gates given are clamped at those values, `cell` sets sliders (c=…)."""
    # the answers are computed with σ and tanh: the cell page takes its activations from the
    # sidebar's model, so the step sets them (and the random preset: a session's model has its own)
    state: dict[str, Any] = {"cell_source": "sliders", "cell_preset": "default", "preset": "random", "ract": "sigmoid"}
    state["act"] = "tanh"
    for gate, value in (("f", f), ("i", i), ("o", o)):
        state[f"clamp_{gate}"] = value is not None
        state[f"clamp_{gate}_value"] = 1.0 if value is None else value
    state.update({f"cell_{key}": value for key, value in cell.items()})
    return state


# ---- the answers, each computed from the state its live view opens -------------------------------


def _one_hot_answer() -> Answer:
    x = Vocabulary.from_text(CLASSIC_VOCABULARY).one_hot(CLASSIC_SENTENCE)
    zeros = int((x[2] == 0).sum())
    return Answer(zeros, facts={"V": x.shape[1], "index": int(x[2].argmax()), "zeros": zeros})


def _flow_at_start(bias_f: float = 1.0, scale: float = 1.0) -> dict[str, float]:
    """‖∂L/∂h_0‖ of the three models on the Gradient flow page's defaults (T = 50, seed 0)."""
    norms = shared_flows(50, scale, bias_f, 0.0, 0)["norms"]
    return {"lstm": norms["LSTM ‖dL/dh‖"][0], "gru": norms["GRU ‖dL/dh‖"][0], "rnn": norms["RNN ‖dL/dh‖"][0]}


RNN_BUCKETS = (0.0, -3.0, -7.0)  # the options: about 1, about 10⁻³, about 10⁻⁷


def _rnn_answer() -> Answer:
    start = _flow_at_start()
    exponent = np.log10(start["rnn"])
    return Answer(int(np.argmin([abs(exponent - b) for b in RNN_BUCKETS])), facts={"rnn": start["rnn"]})


FORGET_STATE = clamped(f=1.0, i=0.0, c=0.8)
INPUT_STATE = clamped(f=0.0, i=1.0)
UPDATE_STATE = clamped(f=0.5, i=0.5)
OUTPUT_STATE = clamped(o=0.0)
LONG_STATE = clamped(f=1.0, i=1.0, c=2.5)


def _forget_answer() -> Answer:
    values = cell_answer(FORGET_STATE)
    return Answer(values["c"], 0.005, {"c": values["c"], "c_tilde": values["c_tilde"]})


def _input_answer() -> Answer:
    """Options: C_{t−1}, C̃_t, 0, C_{t−1} + C̃_t; the right one is the one the cell computes."""
    v = cell_answer(INPUT_STATE)
    candidates = (v["c_prev"], v["c_tilde"], 0.0, v["c_prev"] + v["c_tilde"])
    return Answer(int(np.argmin([abs(v["c"] - c) for c in candidates])), facts=v)


def _update_answer() -> Answer:
    v = cell_answer(UPDATE_STATE)
    return Answer(v["c"], 0.01, v)


def _output_answer() -> Answer:
    v = cell_answer(OUTPUT_STATE)
    return Answer(v["h"], 0.005, v)


def _long_answer() -> Answer:
    """Options: only C_t leaves [−1, 1], only h_t, both, neither."""
    v = cell_answer(LONG_STATE)
    c_out, h_out = abs(v["c"]) > 1, abs(v["h"]) > 1
    return Answer({(True, False): 0, (False, True): 1, (True, True): 2, (False, False): 3}[(c_out, h_out)], facts=v)


def _highway_answer() -> Answer:
    """Options: shrinks, about the same (within 10×), grows by orders of magnitude."""
    before, after = _flow_at_start(1.0)["lstm"], _flow_at_start(3.0)["lstm"]
    ratio = after / before
    return Answer(0 if ratio < 0.1 else 2 if ratio > 10 else 1, facts={"before": before, "after": after})


def _clipping_answer() -> Answer:
    clipped, norm = clip_by_global_norm({"g": np.array([30.0, 40.0])}, 5.0)
    g0, g1 = clipped["g"]
    size = float(np.hypot(g0, g1))
    return Answer(
        size, 0.01, {"norm": norm, "g0": g0, "g1": g1, "clipped": size, "rnn": _flow_at_start(scale=2.0)["rnn"]}
    )


def _activation_answer() -> Answer:
    z = np.linspace(-6.0, 6.0, 12_001)
    slopes = {}
    for name in ("sigmoid", "tanh", "hard_sigmoid"):
        activation = get_activation(name)
        slopes[name] = float(activation.derivative(z, activation(z)).max())
    return Answer(slopes["sigmoid"], 0.005, slopes)


def _adam_answer() -> Answer:
    """Options: the weight with gradient 100 moves far more, both move about lr, the one with 0.001."""
    weights = {"w": np.zeros(2)}
    Adam(lr=0.01).step(weights, {"w": np.array([0.001, 100.0])})
    small, large = np.abs(weights["w"])
    index = 1 if abs(small - large) < 0.1 * max(small, large) else 0 if large > small else 2
    return Answer(index, facts={"small": small, "large": large})


def _gru_answer() -> Answer:
    """Options: 1/2, 3/4, the same as the LSTM's."""
    count = lambda layer: sum(p.size for p in layer.parameters().values())
    lstm, gru = count(LSTM.init(10, 8, seed=0)), count(GRU.init(10, 8, seed=0))
    share = gru / lstm
    return Answer(int(np.argmin([abs(share - s) for s in (0.5, 0.75, 1.0)])), facts={"lstm": lstm, "gru": gru})


def _update_question() -> dict[str, float]:
    v = cell_answer(UPDATE_STATE)
    return {"c_prev": v["c_prev"], "c_tilde": v["c_tilde"]}


STEPS: tuple[Step, ...] = (
    Step(
        "one_hot",
        r"x_t \in \{0,1\}^{V},\quad x_2 = \mathrm{one\_hot}(\text{很})",
        "stepper",
        {**CLASSIC_STATE, "t": 2},
        answer=_one_hot_answer,
    ),
    Step(
        "rnn",
        r"h_t = \tanh(W x_t + U h_{t-1} + b)",
        "gradients",
        {},
        options=3,
        answer=_rnn_answer,
    ),
    Step(
        "forget",
        r"f_t = \sigma(W_f x_t + U_f h_{t-1} + b_f)",
        "cell",
        FORGET_STATE,
        answer=_forget_answer,
    ),
    Step(
        "input",
        r"\begin{gathered}i_t = \sigma(W_i x_t + U_i h_{t-1} + b_i) \\ \tilde C_t = \tanh(W_C x_t + U_C h_{t-1} + b_C)"
        r"\end{gathered}",
        "cell",
        INPUT_STATE,
        options=4,
        answer=_input_answer,
    ),
    Step(
        "update",
        r"C_t = f_t \odot C_{t-1} + i_t \odot \tilde C_t",
        "cell",
        UPDATE_STATE,
        answer=_update_answer,
        question_facts=_update_question,
    ),
    Step(
        "output",
        r"\begin{gathered}o_t = \sigma(W_o x_t + U_o h_{t-1} + b_o) \\ h_t = o_t \odot \tanh(C_t)\end{gathered}",
        "cell",
        OUTPUT_STATE,
        answer=_output_answer,
    ),
    Step(
        "long",
        r"|h_t| = o_t\,|\tanh C_t| < 1,\qquad |C_t| \le f_t\,|C_{t-1}| + i_t",
        "cell",
        LONG_STATE,
        options=4,
        answer=_long_answer,
    ),
    Step(
        "predict",
        r"\hat y_t = \mathrm{softmax}(V h_t + c)",
        "stepper",
        {**CLASSIC_STATE, "preset": "trained", "t": 2},
        options=len(CLASSIC_VOCABULARY),
    ),
    Step(
        "highway",
        r"\frac{\partial C_t}{\partial C_{t-1}} = f_t \quad(\text{along the cell state})",
        "gradients",
        {"flow_forget_bias": 3.0},
        options=3,
        answer=_highway_answer,
    ),
    Step(
        "clipping",
        r"g \leftarrow g \cdot \min\!\left(1, \frac{c}{\lVert g \rVert}\right)",
        "gradients",
        {"flow_scale": 2.0, "flow_clipping": True, "flow_clip": 5.0},
        answer=_clipping_answer,
    ),
    Step(
        "activations",
        r"\begin{gathered}\sigma'(z) = \sigma(z)\,(1-\sigma(z)),\qquad \tanh'(z) = 1-\tanh^2 z \\ "
        r"\mathrm{hard}\,\sigma(z) = \mathrm{clip}\!\left(\tfrac{z}{6}+\tfrac12,\ 0,\ 1\right)\end{gathered}",
        "gradients",
        {},
        answer=_activation_answer,
    ),
    Step(
        "adam",
        r"\begin{gathered}m \leftarrow \beta_1 m + (1-\beta_1)\, g,\qquad v \leftarrow \beta_2 v + (1-\beta_2)\, g^2 \\ "
        r"\theta \leftarrow \theta - \eta\, \frac{\hat m}{\sqrt{\hat v}+\epsilon}\end{gathered}",
        "train",
        {"train_task": "next_character", "train_optimizer": "adam", "train_kind": "lstm"},
        options=3,
        answer=_adam_answer,
    ),
    Step(
        "gru",
        r"\begin{gathered}z_t = \sigma(W_z x_t + U_z h_{t-1} + b_z),\quad r_t = \sigma(W_r x_t + U_r h_{t-1} + b_r) \\ "
        r"n_t = \tanh(W_n x_t + r_t \odot (U_n h_{t-1}) + b_n) \\ h_t = (1-z_t) \odot n_t + z_t \odot h_{t-1}"
        r"\end{gathered}",
        "train",
        {"train_task": "next_character", "train_kind": "gru"},
        options=3,
        answer=_gru_answer,
    ),
)
BY_NAME = {step.name: step for step in STEPS}


PREDICT_OPTIONS = CLASSIC_VOCABULARY  # the "predict" step's choices: every character the network knows


def predicted_character(probabilities: np.ndarray, vocabulary: Vocabulary, t: int = 2) -> Answer:
    """The "predict" step's answer from the trained preset's predictions (T, V) on the classic
    sentence: the character with the largest probability after step t, as an index of PREDICT_OPTIONS."""
    best = int(np.argmax(probabilities[t]))
    token = vocabulary.tokens[best]
    return Answer(
        PREDICT_OPTIONS.index(token),
        facts={"token": token, "p": float(probabilities[t, best]), "after": CLASSIC_SENTENCE[t]},
    )
