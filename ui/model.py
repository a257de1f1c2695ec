"""The demo's model, built from plain settings: no Streamlit here, so tests call it.

A demo is (input, model spec, edits). The input (ui.inputs) is a one-hot matrix (text) or a
column of numbers (series); the spec builds a seeded LSTM with a head (softmax over the vocabulary for
text, linear for series); edits (per-gate scales and single edited weights, from the weights
lab) are applied on top, so "before" (the base model) and "after" (base + edits) can be
compared on the same sequence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

import lstm_core
from lstm_core import LSTM, LinearHead, Model, SoftmaxHead
from lstm_core.reference import TUTORIAL_ORDER
from ui.input_refusal import InputRefused
from ui.inputs import PreparedInput

MAX_HIDDEN_SIZE = 256
TRAINED_PRESET_EPOCHS = 150
# The work a link may start: epochs × timesteps × 4H(I + H) multiply-adds of the forward pass.
# The default sine (T = 40, H = 8) needs 0.2 % of it; a link to T = 2000, H = 256 trains on its
# first 50 steps for 75 epochs instead (bench/server_load.py measures what a link costs).
TRAINED_PRESET_BUDGET = 1e9
MIN_PRESET_STEPS = 50

GATES = TUTORIAL_ORDER  # the order the tutorials introduce them in
# the weights lab's sliders per gate: W and U scaled, b shifted (low, high, no change)
EDIT_RANGES = {"w": (-3.0, 3.0, 1.0), "u": (-3.0, 3.0, 1.0), "b": (-5.0, 5.0, 0.0)}
QUANTITIES = ("f", "i", "c_tilde", "o", "c", "h")  # the six heatmaps of the stepper


@dataclass(frozen=True)
class ModelSpec:
    """The sidebar's model settings: with the input's width they determine the base model."""

    hidden_size: int = 8
    seed: int = 0
    initializer: str = "glorot_uniform"
    recurrent_activation: str = "sigmoid"
    activation: str = "tanh"
    unit_forget_bias: bool = True
    preset: str = "random"  # "random" or "trained": trained on the current input


def build_model(spec: ModelSpec, prepared: PreparedInput, progress: Callable[[float], None] | None = None) -> Model:
    """The seeded base model for this input; the "trained" preset trains it on the input,
    calling `progress(fraction of the epochs done)` after every epoch."""
    if not 1 <= spec.hidden_size <= MAX_HIDDEN_SIZE:
        raise InputRefused("hidden_size_out_of_range", MAX_HIDDEN_SIZE)
    input_size = prepared.x.shape[1]
    layer = LSTM.init(
        input_size,
        spec.hidden_size,
        seed=spec.seed,
        **initializer_scheme(spec.initializer),
        recurrent_activation=spec.recurrent_activation,
        activation=spec.activation,
        unit_forget_bias=spec.unit_forget_bias,
    )
    if prepared.kind == "text":
        head = SoftmaxHead.init(spec.hidden_size, prepared.vocabulary.size, seed=spec.seed + 1)
    else:
        head = LinearHead.init(spec.hidden_size, 1, seed=spec.seed + 1)
    model = Model(layer, head)
    if spec.preset == "trained" and prepared.length >= 2:
        steps, epochs = preset_training_plan(spec.hidden_size, prepared)
        x, y = prepared.x[:steps], prepared.targets[:steps]
        report = (
            (lambda event: progress(event.epoch / event.epochs) if event.phase == "epoch" else None)
            if progress
            else None
        )
        lstm_core.train(
            model, x, y, optimizer="adam", lr=0.05, epochs=epochs, clip_norm=5.0, seed=spec.seed, callback=report
        )
    return model


def initializer_scheme(name: str) -> dict[str, str]:
    """The sidebar's one initializer choice as LSTM.init's three: glorot_uniform is Keras's
    default (U orthogonal as one (H, 4H) matrix, zero bias), pytorch_uniform is PyTorch's (every
    weight and both biases), any other name starts W and U alike with a zero bias."""
    if name == "glorot_uniform":
        return dict(kernel_initializer=name, recurrent_initializer="orthogonal", bias_initializer="zeros")
    if name == "pytorch_uniform":
        return dict(kernel_initializer=name, recurrent_initializer=name, bias_initializer=name)
    return dict(kernel_initializer=name, recurrent_initializer=name, bias_initializer="zeros")


def preset_training_plan(hidden_size: int, prepared: PreparedInput) -> tuple[int, int]:
    """(steps, epochs) the trained preset uses: every step for TRAINED_PRESET_EPOCHS epochs when
    that fits TRAINED_PRESET_BUDGET, else the first steps that fit (at least MIN_PRESET_STEPS),
    else fewer epochs. So no link can start more than a few seconds of training."""
    steps = prepared.length - 1  # the last step has no next value to learn
    per_step = 4 * hidden_size * (prepared.x.shape[1] + hidden_size)
    affordable = int(TRAINED_PRESET_BUDGET // (TRAINED_PRESET_EPOCHS * per_step))
    if affordable >= steps:
        return steps, TRAINED_PRESET_EPOCHS
    steps = max(min(steps, MIN_PRESET_STEPS), affordable)
    return steps, max(1, min(TRAINED_PRESET_EPOCHS, int(TRAINED_PRESET_BUDGET // (steps * per_step))))


@dataclass(frozen=True)
class GateEdit:
    """How the weights lab changed one gate: W and U scaled, a shift added to b."""

    w_scale: float = 1.0
    u_scale: float = 1.0
    b_shift: float = 0.0

    @property
    def is_identity(self) -> bool:
        return self.w_scale == 1.0 and self.u_scale == 1.0 and self.b_shift == 0.0


@dataclass(frozen=True)
class Edits:
    """Everything the weights lab changed: per-gate edits, then single entries set by hand.

    `cells` maps (gate, block, row, col) to a value, block being "W", "U" or "b" in the
    tutorials' per-gate shapes (W (H, I), U (H, H), b (H, 1)).
    """

    gates: dict[str, GateEdit] = field(default_factory=dict)
    cells: dict[tuple[str, str, int, int], float] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.cells and all(edit.is_identity for edit in self.gates.values())


def edits_from_link(state) -> Edits:
    """The edits a link carried (ui/url_state.py put them in session state): the twelve gate
    sliders `edit_<gate>_<w|u|b>` and the typed weights `cells`."""
    gates = {}
    for gate in GATES:
        edit = GateEdit(*(float(state.get(f"edit_{gate}_{part}", EDIT_RANGES[part][2])) for part in "wub"))
        if not edit.is_identity:
            gates[gate] = edit
    return Edits(gates, dict(state.get("cells", {})))


def forget_edits(state) -> None:
    """No edits in `state` (session state): `edits` emptied and the gate sliders back at no change."""
    state["edits"] = Edits()
    for gate in GATES:
        for part, (_, _, unchanged) in EDIT_RANGES.items():
            state[f"edit_{gate}_{part}"] = unchanged


def apply_edits(model: Model, edits: Edits) -> Model:
    """A copy of `model` with `edits` applied (the base model is left untouched)."""
    edited = model.copy()
    layer = edited.recurrent
    H = layer.hidden_size
    for gate, edit in edits.gates.items():
        block = layer._block(gate)
        layer.W[:, block] *= edit.w_scale
        layer.U[:, block] *= edit.u_scale
        layer.b[block] += edit.b_shift
    for (gate, part, row, col), value in edits.cells.items():
        block = layer._block(gate)
        if not (np.isfinite(value) and abs(value) <= 1e3):
            raise InputRefused("weight_out_of_range")
        if not 0 <= row < H:
            continue
        if part == "W" and 0 <= col < layer.input_size:
            layer.W[col, block.start + row] = value
        elif part == "U" and 0 <= col < H:
            layer.U[col, block.start + row] = value
        elif part == "b":
            # b is shown as the sum b + b_hh; set the input bias so that the sum is the value
            layer.b[block.start + row] = value - layer.b_hh[block.start + row]
    return edited


def fingerprint(model: Model) -> str:
    """A short hash of every weight and the activations: a cache key for traces of this model."""
    digest = hashlib.sha1()
    for name, array in sorted(model.parameters().items()):
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(array).tobytes())
    digest.update(repr(model.recurrent.config()).encode())
    digest.update(type(model.head).__name__.encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Run:
    """A forward pass of the demo model on the demo input, with the head's predictions."""

    trace: lstm_core.LSTMTrace
    predictions: np.ndarray  # (T, V) probabilities or (T, 1) values

    def quantity(self, name: str) -> np.ndarray:
        """One of QUANTITIES as (T, H)."""
        return getattr(self.trace, name)


def run_model(model: Model, prepared: PreparedInput) -> Run:
    trace = model.recurrent.forward(prepared.x)
    return Run(trace, model.head.predict(trace.h))


def saturation(values: np.ndarray, low: float = 0.1, high: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    """Per unit, the share of timesteps a gate spends below `low` and above `high` (Karpathy,
    Johnson & Fei-Fei, "Visualizing and Understanding Recurrent Networks", 2015)."""
    return (values < low).mean(axis=0), (values > high).mean(axis=0)
