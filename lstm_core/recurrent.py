"""What LSTM, GRU and vanilla RNN layers share: their weights, layouts and gradient bookkeeping.

Weights are stored once, in the layout that PyTorch and Keras both read directly (each forward
pass copies them once into its own column order, small next to the loop):

    W     (I, n·H)   input kernel      (Keras `kernel`; PyTorch `weight_ih` transposed)
    U     (H, n·H)   recurrent kernel  (Keras `recurrent_kernel`; PyTorch `weight_hh` transposed)
    b     (n·H,)     input bias        (PyTorch `bias_ih`)
    b_hh  (n·H,)     recurrent bias    (PyTorch `bias_hh`; Keras has none, so it is zero there)

where n is the number of gate blocks (LSTM 4: i, f, c, o, `reference.STORAGE_ORDER`; GRU 3: r, z,
n; RNN 1), stacked in the order PyTorch and Keras use. Keeping both biases makes PyTorch → here → PyTorch lossless.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

import numpy as np

from .activations import Activation, get_activation
from .initializers import get_initializer
from .layouts import TorchLayer, torch_layers
from .validation import BadArray, as_float_array, check_allocation, check_positive_int, check_seed, check_shape

Layer = TypeVar("Layer", bound="RecurrentLayer")


@dataclass(frozen=True)
class GateWeights:
    """One gate's weights in the tutorials' convention: z = W·x + U·h + b."""

    W: np.ndarray  # (H, I)
    U: np.ndarray  # (H, H)
    b: np.ndarray  # (H,)


class RecurrentLayer:
    """Base of LSTM, GRU and RNN: weights, activations, layouts, parameter access."""

    GATES: ClassVar[tuple[str, ...]]
    KIND: ClassVar[str]
    PARAMETER_NAMES: ClassVar[tuple[str, ...]] = ("W", "U", "b", "b_hh")

    # Every layer runs and differentiates the same way, so a Stack, the trainer and the
    # gradient-flow page call any of them alike. c0 is the LSTM's cell state: a GRU or an RNN
    # has none and refuses one.
    def forward(self, x: Any, h0: Any = None, c0: Any = None) -> Any:
        """Run x, (T, I) or (T, B, I), time first; return every step's values (a trace)."""
        raise NotImplementedError

    def backward(self, trace: Any, dh: Any) -> Any:
        """Backpropagation through time from `dh`, the loss gradient on every h_t."""
        raise NotImplementedError

    def _no_cell_state(self, c0: Any) -> None:
        if c0 is not None:
            raise ValueError(f"c0 is only for LSTMs; a {self.KIND.upper()} has no cell state.")

    def __init__(
        self,
        W: Any,
        U: Any,
        b: Any = None,
        b_hh: Any = None,
        activation: str | Activation = "tanh",
        recurrent_activation: str | Activation = "sigmoid",
    ) -> None:
        W = as_float_array("W (input kernel)", W)
        U = as_float_array("U (recurrent kernel)", U)
        blocks = len(self.GATES)
        if U.ndim != 2 or U.shape[1] != blocks * U.shape[0] or U.shape[0] == 0:
            raise BadArray(
                "shape",
                "U (recurrent kernel)",
                f"U (recurrent kernel) must have shape (H, {blocks}·H) for a {self.KIND.upper()}, "
                f"but it has shape {U.shape}.",
                shape=U.shape,
                expected=f"(H, {blocks}·H)",
            )
        hidden = U.shape[0]
        if W.ndim != 2 or W.shape[1] != blocks * hidden or W.shape[0] == 0:
            raise BadArray(
                "shape",
                "W (input kernel)",
                f"W (input kernel) must have shape (I, {blocks * hidden}) to match hidden size "
                f"{hidden}, but it has shape {W.shape}.",
                shape=W.shape,
                expected=f"(I, {blocks * hidden})",
            )
        self.W = np.array(W, dtype=np.float64)
        self.U = np.array(U, dtype=np.float64)
        self.b = self._bias("b (input bias)", b)
        self.b_hh = self._bias("b_hh (recurrent bias)", b_hh)
        self.activation = get_activation(activation)
        self.recurrent_activation = get_activation(recurrent_activation)

    def _bias(self, name: str, value: Any) -> np.ndarray:
        size = self.U.shape[1]
        if value is None:
            return np.zeros(size)
        bias = as_float_array(name, value)
        check_shape(name, bias, (size,))
        return np.array(bias, dtype=np.float64)

    # ---- sizes and parameters -------------------------------------------------------------
    @property
    def input_size(self) -> int:
        return self.W.shape[0]

    @property
    def hidden_size(self) -> int:
        return self.U.shape[0]

    def parameters(self) -> dict[str, np.ndarray]:
        """The trainable arrays by name (the arrays themselves: updating them updates the layer)."""
        return {name: getattr(self, name) for name in self.PARAMETER_NAMES}

    def parameter_count(self) -> int:
        return sum(array.size for array in self.parameters().values())

    def config(self) -> dict[str, str]:
        return {
            "activation": self.activation.name,
            "recurrent_activation": self.recurrent_activation.name,
        }

    def with_parameters(self: Layer, **changes: Any) -> Layer:
        """A layer of the same kind holding `changes` instead: arrays (e.g. its gradients) or
        activations by name; everything else as in this one."""
        merged: dict[str, Any] = {**self.parameters(), **self.config(), **changes}
        return type(self)(**merged)

    def holding_gradients(self: Layer, **gradients: np.ndarray) -> Layer:
        """`with_parameters` for arrays a backward pass computed from this layer: their shapes
        are this layer's by construction and they hold no user input, so they skip the checks a
        user's arrays get, which at the classroom's five steps were a large part of a backward
        pass's fixed cost. Each becomes float64, as a layer's parameters are."""
        layer = object.__new__(type(self))
        layer.__dict__.update(self.__dict__)  # the activations, and anything a subclass keeps
        for name, gradient in gradients.items():
            if name not in self.PARAMETER_NAMES or gradient.shape != getattr(self, name).shape:
                raise ValueError(f"{name}: not a gradient of this layer's {self.PARAMETER_NAMES}")
            setattr(layer, name, np.asarray(gradient, dtype=np.float64))
        return layer

    def copy(self: Layer) -> Layer:
        return self.with_parameters()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(input_size={self.input_size}, hidden_size={self.hidden_size}, "
            f"activation={self.activation.name!r}, "
            f"recurrent_activation={self.recurrent_activation.name!r})"
        )

    def _cast(self, dtype: np.dtype) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        W, U, b, b_hh = (a.astype(dtype, copy=False) for a in (self.W, self.U, self.b, self.b_hh))
        return W, U, b, b_hh

    def _block(self, gate: str) -> slice:
        aliases = {"g": "c", "c_tilde": "c", "h": "n"}
        key = gate if gate in self.GATES else aliases.get(gate, gate)
        if key not in self.GATES:
            raise ValueError(f"Unknown gate {gate!r}; a {self.KIND.upper()} has {self.GATES}.")
        k, H = self.GATES.index(key), self.hidden_size
        return slice(k * H, (k + 1) * H)

    def gate(self, name: str) -> GateWeights:
        """The W (H, I), U (H, H) and b (H,) of one gate, as the tutorials write them.

        b is the sum of both biases, since only the sum enters the gate.
        """
        block = self._block(name)
        return GateWeights(
            W=self.W[:, block].T.copy(),
            U=self.U[:, block].T.copy(),
            b=self.b[block] + self.b_hh[block],
        )

    # ---- construction ---------------------------------------------------------------------
    @classmethod
    def init(
        cls: type[Layer],
        input_size: int,
        hidden_size: int,
        seed: int | None = 0,
        kernel_initializer: str = "glorot_uniform",
        recurrent_initializer: str = "orthogonal",
        bias_initializer: str = "zeros",
        activation: str = "tanh",
        recurrent_activation: str = "sigmoid",
        **options: Any,
    ) -> Layer:
        """A freshly initialized layer, reproducible from `seed`. The defaults are Keras's; PyTorch's
        are kernel_initializer = recurrent_initializer = bias_initializer = "pytorch_uniform"."""
        input_size = check_positive_int("input_size", input_size)
        hidden_size = check_positive_int("hidden_size", hidden_size)
        blocks = len(cls.GATES)
        check_allocation(f"{cls.__name__}.init's weights", blocks * hidden_size, input_size + hidden_size)
        rng = np.random.default_rng(check_seed(seed))
        kernel = get_initializer(kernel_initializer, hidden_size)
        recurrent = get_initializer(recurrent_initializer, hidden_size)
        bias = get_initializer(bias_initializer, hidden_size)
        W = kernel((input_size, blocks * hidden_size), rng)
        U = recurrent((hidden_size, blocks * hidden_size), rng)  # one (H, n·H) matrix, as Keras draws it
        b = bias((blocks * hidden_size,), rng)
        # PyTorch draws bias_hh as well; Keras has one bias, so its second one is zero.
        b_hh = bias((blocks * hidden_size,), rng) if bias_initializer == "pytorch_uniform" else None
        layer = cls(W, U, b, b_hh, activation=activation, recurrent_activation=recurrent_activation)
        layer._apply_init_options(**options)
        return layer

    def _apply_init_options(self, **options: Any) -> None:
        if options:
            raise ValueError(f"Unknown option(s) for {type(self).__name__}.init: {sorted(options)}.")

    @classmethod
    def from_torch(cls: type[Layer], state_dict: Mapping[str, Any], layer: int = 0, **config: Any) -> Layer:
        """Layer `layer` of a PyTorch `nn.LSTM`/`nn.GRU`/`nn.RNN` state dict (arrays or tensors)."""
        layers = torch_layers(state_dict)
        if not 0 <= layer < len(layers):
            raise ValueError(f"layer={layer} asked for, but the state dict has {len(layers)} layer(s).")
        found = layers[layer]
        if found.kind != cls.KIND:
            raise ValueError(
                f"This state dict holds a {found.kind.upper()}, not a {cls.KIND.upper()}; "
                f"use {found.kind.upper()}.from_torch or lstm_core.from_torch."
            )
        return cls.from_torch_layer(found, **config)

    @classmethod
    def from_torch_layer(cls: type[Layer], found: TorchLayer, **config: Any) -> Layer:
        """From one layer as `layouts.torch_layers` found it (PyTorch shapes, transposed here)."""
        return cls(found.weight_ih.T, found.weight_hh.T, found.bias_ih, found.bias_hh, **config)

    def to_torch(self, layer: int = 0) -> dict[str, np.ndarray]:
        """The weights as PyTorch names them, for `module.load_state_dict` (after torch.tensor)."""
        return {
            f"weight_ih_l{layer}": self.W.T.copy(),
            f"weight_hh_l{layer}": self.U.T.copy(),
            f"bias_ih_l{layer}": self.b.copy(),
            f"bias_hh_l{layer}": self.b_hh.copy(),
        }

    # ---- gradient bookkeeping -------------------------------------------------------------
    def _parameter_gradients(
        self: Layer,
        x: np.ndarray,
        h_prev: np.ndarray,
        d_input_side: np.ndarray,
        d_recurrent_side: np.ndarray,
        is_batched: bool,
    ) -> tuple[Layer, Callable[[], np.ndarray]]:
        """Parameter gradients, and dx as a function, from the per-step gradients of the two
        affine parts (see InputGradient for why dx waits).

        With a_in = x·W + b and a_rec = h_prev·U + b_hh, all of (T, B, n·H), one GEMM per
        parameter over every timestep at once does what a per-step loop would.
        """
        T, B, blocks_h = d_input_side.shape
        flat_in = d_input_side.reshape(T * B, blocks_h)
        flat_rec = d_recurrent_side.reshape(T * B, blocks_h)
        params = self.holding_gradients(
            W=x.reshape(T * B, -1).T @ flat_in,
            U=h_prev.reshape(T * B, -1).T @ flat_rec,
            b=flat_in.sum(axis=0),
            b_hh=flat_rec.sum(axis=0),
        )
        # a copy: an optimizer updates self.W in place, maybe before dx is read
        return params, input_gradient(d_input_side, self.W.copy(), is_batched)


@dataclass(frozen=True)
class InputGradient:
    """`dx`, the loss gradient on every input x_t (shaped like the inputs), computed the first time
    it is read and kept.

    A layer below reads it as its dh, and the gradient checks do; the first layer in training
    never does, since nothing lies below the inputs. There dx = dz·Wᵀ is a GEMM over every step
    as large as the forward pass's input part, so not computing it is time the student waits
    less (bench/bench_training.py). PyTorch skips it alike for inputs that need no gradient.
    """

    compute_dx: Callable[[], np.ndarray] = field(repr=False, compare=False)

    @functools.cached_property
    def dx(self) -> np.ndarray:
        return self.compute_dx()


def input_gradient(dz: np.ndarray, W: np.ndarray, is_batched: bool, columns: bool = False) -> Callable[[], np.ndarray]:
    """dx = dz·Wᵀ, (T, B, I) or (T, I), when called (a partial, so gradients still pickle); W is
    (I, n·H) with its columns in dz's order, and even its transpose waits for the call. W must be
    the caller's own copy: a layer's W is updated in place by an optimizer, maybe before dx is read.

    dz is (T, B, n·H), or with `columns` (T, n·H, B), the LSTM loop's layout (lstm_core/lstm.py)."""
    return functools.partial(_input_gradient, dz, W, is_batched, columns)


def _input_gradient(dz: np.ndarray, W: np.ndarray, is_batched: bool, columns: bool = False) -> np.ndarray:
    if columns and dz.shape[-1] > 1:  # a batch's columns: T GEMMs in numpy's loop (in C), dx as a view
        return np.matmul(W.astype(dz.dtype, copy=False), dz).transpose(0, 2, 1)
    if columns:  # one sequence: its columns are rows, and one GEMM covers every step
        dz = dz.swapaxes(1, 2)
    T, B, _ = dz.shape
    W_T = np.ascontiguousarray(W.T, dtype=dz.dtype)
    return unbatched_like((dz.reshape(T * B, -1) @ W_T).reshape(T, B, -1), is_batched)


class TraceShape:
    """What every trace (LSTM, GRU, RNN) knows about its own shape; `h` is (T, H) or (T, B, H)."""

    h: np.ndarray  # fields of the RNN's trace; views of the loop's rows in the LSTM's and GRU's
    x: np.ndarray
    is_batched_input: bool  # the LSTM's and GRU's traces: whether the input came as a batch

    def _shaped(self, rows: np.ndarray) -> np.ndarray:
        """A loop's stored rows (T, n, B) → the public (T, B, n), or (T, n) for one sequence: a view."""
        return unbatched_like(rows.swapaxes(-1, -2), self.is_batched_input)

    @property
    def hidden_size(self) -> int:
        return self.h.shape[-1]

    @property
    def is_batched(self) -> bool:
        return self.h.ndim == 3

    @property
    def input_width(self) -> int:
        """I, the features per step of the input the trace was computed from."""
        return self.x.shape[-1]

    @property
    def h_shape(self) -> tuple[int, ...]:
        """The shape of `h`, which a loss gradient on it must have."""
        return self.h.shape

    def _block(self, array: np.ndarray, k: int) -> np.ndarray:
        """The k-th gate block (H columns) of a stacked array such as `pre` or `gates`."""
        H = self.hidden_size
        return array[..., k * H : (k + 1) * H]


def batched_state(state: np.ndarray) -> np.ndarray:
    """An initial state (H,) → (1, H); (B, H) unchanged."""
    return state if state.ndim == 2 else state[None]


def batched(array: np.ndarray) -> np.ndarray:
    """(T, H) → (T, 1, H) view; (T, B, H) unchanged."""
    return array if array.ndim == 3 else array[:, None, :]


def unbatched_like(array: np.ndarray, is_batched: bool) -> np.ndarray:
    """(T, B, H) → (T, H) when the input came as one sequence; (B, H) → (H,) likewise."""
    if is_batched:
        return array
    return array[:, 0] if array.ndim == 3 else array[0]


def sequence_gradient(name: str, value: Any, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """A loss gradient on every step's output, checked against the trace's shape, as (T, B, H)."""
    grad = as_float_array(name, value, dtype)
    check_shape(name, grad, shape)
    return batched(grad)


def previous_states(initial: np.ndarray, states: np.ndarray) -> np.ndarray:
    """[s_0, s_1, …, s_{T-1}] from the initial state (B, H) and the states (T, B, H)."""
    return np.concatenate([initial[None], states[:-1]], axis=0)
