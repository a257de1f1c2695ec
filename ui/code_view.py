"""The current model as code a student can run at home: PyTorch, Keras and plain NumPy (the
tutorial's loop), generated from the model's real sizes and activations and the demo's input.

One weights file per framework (`WEIGHTS_FILES`, written by `weights_file`), the file that
framework's users load: a `.safetensors` state dict for PyTorch, a `.weights.h5` for Keras, the
tutorial's `.npz` (Wf, bf, …, Wy, by) for NumPy. The Code page and the Export page offer the
same file with the same snippet beside it. Each snippet loads that file, rebuilds the input,
runs the model and ends with two arrays named the same in all three: `hidden_states` (T, H) and
`predictions` (T, V) — softmax probabilities for text, the linear head's values for a series.
The tests execute every snippet on the file `weights_file` writes and compare those arrays with
the app's own numbers.
"""

from __future__ import annotations

import textwrap
from collections.abc import Hashable
from dataclasses import dataclass

from lstm_core import LinearHead, Model
from lstm_core.saving import lstm_layer, runs_in_nn_lstm, to_keras_h5, to_npz, to_safetensors
from ui.inputs import PreparedInput
from ui.shared_cache import FILES

FRAMEWORKS = ("pytorch", "keras", "numpy")
WEIGHTS_FILES = {
    "pytorch": "lstm_gate_lab.safetensors",
    "keras": "lstm_gate_lab.weights.h5",
    "numpy": "lstm_gate_lab_tutorial.npz",
}


def weights_file(model: Model, framework: str) -> bytes:
    """The bytes of `WEIGHTS_FILES[framework]`: the file that framework's snippet loads."""
    if framework == "pytorch":
        return to_safetensors(model)  # lstm.weight_ih_l0, …, fc.weight, fc.bias; no pickle
    if framework == "keras":
        return to_keras_h5(model)
    if framework == "numpy":
        return to_npz(model, "tutorial")
    raise ValueError(f"Unknown framework {framework!r}; choose one of {', '.join(FRAMEWORKS)}.")


TORCH_ACTIVATIONS = {
    "sigmoid": "torch.sigmoid",
    "tanh": "torch.tanh",
    "hard_sigmoid": "torch.nn.functional.hardsigmoid  # clip(z / 6 + 0.5, 0, 1), as Keras 3",
    "hard_sigmoid_keras2": "lambda z: torch.clamp(0.2 * z + 0.5, 0.0, 1.0)  # Keras 2's hard_sigmoid",
    "linear": "lambda z: z",
    "relu": "torch.relu",
}
KERAS_ACTIVATIONS = {
    "sigmoid": '"sigmoid"',
    "tanh": '"tanh"',
    "hard_sigmoid": '"hard_sigmoid"',
    "hard_sigmoid_keras2": "lambda z: keras.ops.clip(0.2 * z + 0.5, 0.0, 1.0)",
    "linear": '"linear"',
    "relu": '"relu"',
}
NUMPY_ACTIVATIONS = {
    "sigmoid": "def {name}(z):\n    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + e^-z), without overflow",
    "tanh": "def {name}(z):\n    return np.tanh(z)",
    "hard_sigmoid": "def {name}(z):\n    return np.clip(z / 6.0 + 0.5, 0.0, 1.0)  # Keras 3's hard_sigmoid",
    "hard_sigmoid_keras2": "def {name}(z):\n    return np.clip(0.2 * z + 0.5, 0.0, 1.0)  # Keras 2's hard_sigmoid",
    "linear": "def {name}(z):\n    return z",
    "relu": "def {name}(z):\n    return np.maximum(z, 0.0)",
}


@dataclass(frozen=True)
class Sizes:
    T: int
    I: int
    H: int
    V: int
    gate: str  # recurrent_activation
    cell: str  # activation
    is_text: bool
    standard: bool  # nn.LSTM can run it (saving.runs_in_nn_lstm)


def sizes(model: Model, prepared: PreparedInput) -> Sizes:
    layer = lstm_layer(model)
    return Sizes(
        prepared.length,
        layer.input_size,
        layer.hidden_size,
        model.head.output_size,
        layer.recurrent_activation.name,
        layer.activation.name,
        prepared.kind == "text" and not isinstance(model.head, LinearHead),
        runs_in_nn_lstm(layer),
    )


def _wrapped(name: str, literal: str) -> str:
    """`name = literal`, broken over lines of at most 100 characters where the literal allows."""
    line = f"{name} = {literal}"
    if len(line) <= 100 or not literal.startswith("["):
        return line
    return f"{name} = [\n" + textwrap.fill(literal[1:-1], 96, initial_indent="    ", subsequent_indent="    ") + "\n]"


def _tokens_literal(tokens: tuple[str, ...] | list[str]) -> str:
    """A string when every token is one character (readable: "公主很漂亮"), else a list."""
    return repr("".join(tokens)) if all(len(token) == 1 for token in tokens) else repr(list(tokens))


def _input_lines(prepared: PreparedInput, batch_major: bool, tensor: str) -> str:
    """Python lines that rebuild the demo's input as `x`: (T, 1, I) time-major or (1, T, I)."""
    shape = "(1, len(sequence), len(vocabulary))" if batch_major else "(len(sequence), 1, len(vocabulary))"
    index = "x[0, t, vocabulary.index(token)]" if batch_major else "x[t, 0, vocabulary.index(token)]"
    if prepared.kind == "text":
        return "\n".join(
            [
                _wrapped("sequence", _tokens_literal(prepared.tokens)),
                _wrapped("vocabulary", _tokens_literal(prepared.vocabulary.tokens)),
                f"x = {tensor}{shape})  # one-hot: one lit entry per timestep",
                "for t, token in enumerate(sequence):",
                f"    {index} = 1.0",
            ]
        )
    values = "[" + ", ".join(f"{float(v)!r}" for v in prepared.x[:, 0]) + "]"
    reshape = "(1, -1, 1)" if batch_major else "(-1, 1, 1)"
    return "\n".join(
        [
            _wrapped("values", values),
            f"x = {tensor}values).reshape{reshape}  # one number per timestep",
        ]
    )


def pytorch_snippet(model: Model, prepared: PreparedInput) -> str:
    s = sizes(model, prepared)
    source = WEIGHTS_FILES["pytorch"]
    header = [
        f"# LSTM Gate Lab: this model in PyTorch. I = {s.I} inputs, H = {s.H} units, "
        f"gates {s.gate}, candidate {s.cell}.",
        f"# The weights are in {source} (download it next to this code).",
        "import numpy as np",
        "import torch",
        "from safetensors.torch import load_file",
        "",
        "torch.set_default_dtype(torch.float64)  # the app computes in float64",
        _input_lines(
            prepared, batch_major=False, tensor="torch.zeros(" if prepared.kind == "text" else "torch.tensor("
        ),
        "",
    ]
    if s.standard:
        body = [
            "",
            "class Model(torch.nn.Module):  # the names in the file: lstm.*, fc.*",
            "    def __init__(self):",
            "        super().__init__()",
            f"        self.lstm = torch.nn.LSTM(input_size={s.I}, hidden_size={s.H})  # time-major: x is (T, batch, I)",
            f"        self.fc = torch.nn.Linear({s.H}, {s.V})  # the output layer on every h_t",
            "",
            "",
            "model = Model()",
            f'model.load_state_dict(load_file("{source}"))',
            "with torch.no_grad():",
            "    h, (h_last, c_last) = model.lstm(x)  # h: (T, 1, H), the hidden state at every step",
            "    outputs = model.fc(h)",
            "# nn.LSTM does not hand out its gates; the NumPy tab computes f, i, C̃, o step by step.",
        ]
    else:
        body = [
            f"# nn.LSTM always uses sigmoid gates and a tanh candidate; this model uses {s.gate} and",
            f"# {s.cell}, so the loop is written out (PyTorch's gate order: i, f, g = C̃, o).",
            f"gate_activation = {TORCH_ACTIVATIONS[s.gate]}",
            f"cell_activation = {TORCH_ACTIVATIONS[s.cell]}",
            f'weights = load_file("{source}")  # the names of nn.LSTM and nn.Linear',
            'W_ih, W_hh = weights["lstm.weight_ih_l0"], weights["lstm.weight_hh_l0"]',
            'b = weights["lstm.bias_ih_l0"] + weights["lstm.bias_hh_l0"]',
            f"fc = torch.nn.Linear({s.H}, {s.V})  # the output layer on every h_t",
            'fc.load_state_dict({"weight": weights["fc.weight"], "bias": weights["fc.bias"]})',
            f"h_t, c_t = torch.zeros({s.H}), torch.zeros({s.H})",
            "steps = []",
            "with torch.no_grad():",
            "    for x_t in x[:, 0]:",
            "        i, f, g, o = (W_ih @ x_t + W_hh @ h_t + b).chunk(4)",
            "        i, f, o = gate_activation(i), gate_activation(f), gate_activation(o)",
            "        c_t = f * c_t + i * cell_activation(g)",
            "        h_t = o * cell_activation(c_t)",
            "        steps.append(h_t)",
            "    h = torch.stack(steps)[:, None]  # (T, 1, H)",
            "    outputs = fc(h)",
        ]
    head = (
        "predictions = torch.softmax(outputs, dim=-1)[:, 0].numpy()  # next-token probabilities"
        if s.is_text
        else "predictions = outputs[:, 0].numpy()  # the predicted next value"
    )
    footer = [
        "",
        "hidden_states = h[:, 0].numpy()  # (T, H)",
        head,
        "np.set_printoptions(precision=4, suppress=True)",
        'print("h_t per step:\\n", hidden_states)',
        'print("predictions per step:\\n", predictions)',
    ]
    return "\n".join(header + body + footer) + "\n"


def keras_snippet(model: Model, prepared: PreparedInput) -> str:
    s = sizes(model, prepared)
    source = WEIGHTS_FILES["keras"]
    dense_activation = '"softmax"' if s.is_text else '"linear"'
    lines = [
        f"# LSTM Gate Lab: this model in Keras 3. I = {s.I} inputs, H = {s.H} units, "
        f"gates {s.gate}, candidate {s.cell}.",
        f"# The weights are in {source} (download it next to this code).",
        "import os",
        "",
        'os.environ.setdefault("KERAS_BACKEND", "torch")  # or "jax" / "tensorflow"',
        "import keras",
        "import numpy as np",
        "",
        'keras.config.set_floatx("float64")  # the app computes in float64',
        _input_lines(prepared, batch_major=True, tensor="np.zeros(" if prepared.kind == "text" else "np.array("),
        "",
        "model = keras.Sequential([",
        f"    keras.Input(shape=(None, {s.I})),  # Keras is batch-major: x is (batch, T, I)",
        f"    keras.layers.LSTM({s.H}, return_sequences=True,",
        f"                      activation={KERAS_ACTIVATIONS[s.cell]},",
        f"                      recurrent_activation={KERAS_ACTIVATIONS[s.gate]}),",
        f"    keras.layers.Dense({s.V}, activation={dense_activation}),",
        "])",
        f'model.load_weights("{source}")',
        "",
        "hidden = keras.Model(model.inputs, model.layers[0].output)  # to look at h_t too",
        "hidden_states = np.asarray(hidden.predict(x, verbose=0))[0]  # (T, H)",
        "predictions = np.asarray(model.predict(x, verbose=0))[0]",
        "np.set_printoptions(precision=4, suppress=True)",
        'print("h_t per step:\\n", hidden_states)',
        'print("predictions per step:\\n", predictions)',
    ]
    return "\n".join(lines) + "\n"


def numpy_snippet(model: Model, prepared: PreparedInput) -> str:
    s = sizes(model, prepared)
    source = WEIGHTS_FILES["numpy"]
    if s.is_text:
        output = ["    y = softmax(Wy @ h + by)  # next-token probabilities"]
        softmax = ["", "", "def softmax(z):", "    e = np.exp(z - z.max())", "    return e / e.sum()"]
    else:
        output = ["    y = Wy @ h + by  # the predicted next value"]
        softmax = []
    lines = [
        f"# LSTM Gate Lab: this model in plain NumPy, the tutorial's way. I = {s.I} inputs, H = {s.H} units.",
        f"# The weights are in {source} (download it next to this code).",
        "import numpy as np",
        "",
        f'weights = np.load("{source}")',
        'Wf, Wi, Wc, Wo = (weights[name] for name in ("Wf", "Wi", "Wc", "Wo"))  # (H, H + I), on [h_prev; x_t]',
        'bf, bi, bc, bo = (weights[name] for name in ("bf", "bi", "bc", "bo"))  # (H, 1)',
        'Wy, by = weights["Wy"], weights["by"].reshape(-1, 1)  # the output layer',
        "",
        "",
        NUMPY_ACTIVATIONS[s.gate].format(name="gate_activation"),
        "",
        "",
        NUMPY_ACTIVATIONS[s.cell].format(name="cell_activation"),
        *softmax,
        "",
        "",
        _input_lines(prepared, batch_major=False, tensor="np.zeros(" if prepared.kind == "text" else "np.array("),
        "x = x[:, 0, :]  # (T, I): one row per timestep",
        "",
        f"h = np.zeros(({s.H}, 1))  # hidden state h_0",
        f"c = np.zeros(({s.H}, 1))  # cell state C_0",
        "hidden_states, predictions = [], []",
        "for t in range(len(x)):",
        "    concat = np.vstack([h, x[t].reshape(-1, 1)])  # [h_prev; x_t]",
        "    f = gate_activation(Wf @ concat + bf)  # forget gate: how much of C_prev to keep",
        "    i = gate_activation(Wi @ concat + bi)  # input gate: how much of C̃ to write",
        "    c_tilde = cell_activation(Wc @ concat + bc)  # candidate C̃",
        "    c = f * c + i * c_tilde  # cell state: the highway",
        "    o = gate_activation(Wo @ concat + bo)  # output gate",
        "    h = o * cell_activation(c)  # hidden state",
        *output,
        "    hidden_states.append(h[:, 0])",
        "    predictions.append(y[:, 0])",
        "",
        "hidden_states, predictions = np.array(hidden_states), np.array(predictions)",
        "np.set_printoptions(precision=4, suppress=True)",
        'print("h_t per step:\\n", hidden_states)',
        'print("predictions per step:\\n", predictions)',
    ]
    return "\n".join(lines) + "\n"


SNIPPETS = {"pytorch": pytorch_snippet, "keras": keras_snippet, "numpy": numpy_snippet}


def shared_weights_file(model_key: Hashable, model: Model, framework: str) -> bytes:
    """`weights_file`, built once per (weights, input) for every session and both pages that offer
    it (Code and Export), in the byte-bounded shared cache."""
    return FILES.get(("weights", model_key, framework), lambda: weights_file(model, framework))


def shared_snippet(model_key: Hashable, model: Model, prepared: PreparedInput, framework: str) -> str:
    """The framework's snippet for this model and input (English comments), built once and shared."""
    return FILES.get(("snippet", model_key, framework), lambda: SNIPPETS[framework](model, prepared))
