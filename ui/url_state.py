"""The state that makes a demo, round-tripping through the URL, so a link is a lesson.

Every parameter is registered once with its default and a parser that refuses junk. On a
session's first run the values come from `st.query_params` (anything malformed or hostile falls
back to its default and is reported); afterwards the widgets own them in `st.session_state`,
and each run writes the current values back to the URL as plain codes ("zh", not "简体中文"),
leaving defaults out so links stay short. Widgets take these keys and no default of their own.

Every link the app writes must reopen: web servers and proxies refuse long request lines (nginx
at 8 KB by default, Streamlit's own server at about 128 KB), and 20,000 Chinese characters
percent-encode to 180 KB. So the sentence goes into the link only as far as the pages use it
(MAX_TEXT_CHARACTERS), and a long text value travels compressed (`textz=`: zlib, then
URL-safe base64), which keeps the longest link the app can write under 4 KB.

Why not the widgets' own `bind="query-params"` (Streamlit 1.67): a bound widget writes its raw
value (a 500-character sentence percent-encoded, never `textz=`), drops a junk value silently
where a link's reader must be told what was ignored (`rejected`), cannot be set through
`st.query_params`, and covers widgets only, while the stepper's timestep comes from a component.
Binding some keys and not others would make two registries; this module stays the one.
"""

from __future__ import annotations

import base64
import urllib.parse
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from lstm_core.text import CLASSIC_SENTENCE, CLASSIC_VOCABULARY
from ui import inputs
from ui import model as demo
from ui.cell_presets import DEFAULTS as CELL_DEFAULTS
from ui.cell_presets import GRU_DEFAULTS, GRU_RANGES
from ui.cell_presets import PRESETS as CELL_PRESETS
from ui.cell_presets import SLIDER_RANGES as CELL_RANGES
from ui.lesson import STEPS as LESSON_STEPS
from ui.step_sync import SPEEDS_MS
from ui.training import BATCH_SIZES, CLIP_NORMS, KINDS, LEARNING_RATES, MAX_TRAIN_TEXT, TASKS

LANGUAGES = ("en", "zh")
INITIALIZERS = ("glorot_uniform", "orthogonal", "pytorch_uniform", "random_normal", "random_uniform", "zeros")
RECURRENT_ACTIVATIONS = ("sigmoid", "hard_sigmoid", "hard_sigmoid_keras2")
ACTIVATIONS = ("tanh", "relu", "linear")
LAYOUTS = ("tutorial", "pytorch", "keras")
SERIES_KINDS = ("sine", "step", "noise", "typed", "csv")


def choice(*options: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in options:
            raise ValueError(raw)
        return raw

    return parse


def integer(low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        value = int(raw)  # ValueError for "abc", "1.5", "1e9"
        if not low <= value <= high:
            raise ValueError(raw)
        return value

    return parse


def number(low: float, high: float) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        value = float(raw)
        if not low <= value <= high:  # also refuses nan
            raise ValueError(raw)
        return round(value, 4)

    return parse


def text(longest: int) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if len(raw) > longest or any(ord(ch) < 32 and ch not in "\n\t" for ch in raw):
            raise ValueError(raw[:20])
        return raw

    return parse


def member(*options: float) -> Callable[[str], float]:
    """One of a menu's numbers (a select_slider's stops, the stepper's speeds), as its own type."""

    def parse(raw: str) -> float:
        value = float(raw)
        for option in options:
            if value == option:
                return option
        raise ValueError(raw)

    return parse


MAX_CELL_EDITS = 200  # single weights typed into the weights lab that one link carries


def encode_cell_edits(cells: dict[tuple[str, str, int, int], float]) -> str:
    """`f_W_0_3_0.25~…`: gate, block, row, column and value of each weight typed in, in a few
    characters each and none that a URL must escape."""
    return "~".join(f"{gate}_{block}_{row}_{col}_{value!r}" for (gate, block, row, col), value in sorted(cells.items()))


def cell_edits(raw: str) -> dict[tuple[str, str, int, int], float]:
    """The weights typed in, as `ui.model.Edits.cells`; ValueError for anything else. Rows and
    columns are checked against the model when the edits are applied (`apply_edits`)."""
    cells: dict[tuple[str, str, int, int], float] = {}
    for item in raw.split("~") if raw else ():
        gate, block, row, col, value = item.split("_")
        number_value = float(value)
        if gate not in demo.GATES or block not in ("W", "U", "b") or not abs(number_value) <= 1000:
            raise ValueError(item[:20])
        cells[(gate, block, int(row), int(col))] = number_value
        if len(cells) > MAX_CELL_EDITS:
            raise ValueError("too many")
    return cells


def boolean(raw: str) -> bool:
    if raw not in ("0", "1"):
        raise ValueError(raw)
    return raw == "1"


COMPRESS_ABOVE = 600  # characters of a percent-encoded value; longer text values travel compressed
MAX_UNPACKED_TEXT = 20_000 * 4  # bytes a compressed value may unpack to: the longest text, in UTF-8


def pack(text_value: str) -> str:
    return base64.urlsafe_b64encode(zlib.compress(text_value.encode("utf-8"), 9)).decode("ascii").rstrip("=")


def unpack(raw: str) -> str:
    """The text of a packed value; ValueError for junk or for a value that unpacks too far."""
    try:
        packed = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
        inflater = zlib.decompressobj()
        data = inflater.decompress(packed, MAX_UNPACKED_TEXT)
        if inflater.unconsumed_tail or not inflater.eof:
            raise ValueError("too long or cut")
        return data.decode("utf-8")
    except (ValueError, zlib.error, UnicodeDecodeError, TypeError):
        raise ValueError(raw[:20]) from None


@dataclass(frozen=True)
class Param:
    key: str
    default: Any
    parse: Callable[[str], Any]
    page: str | None = None  # written to the URL only on this page (None: on every page)
    longest_shown: int | None = None  # a text the pages use only this far: the link holds no more
    packable: bool = False  # a text that may travel compressed, as `<key>z`

    def encode(self, value: Any) -> str:
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, dict):
            return encode_cell_edits(value)
        return str(value)[: self.longest_shown] if self.longest_shown else str(value)


PARAMS: tuple[Param, ...] = (
    Param("lang", "en", choice(*LANGUAGES)),
    Param("input", "text", choice("text", "series")),
    Param("text", CLASSIC_SENTENCE, text(20_000), longest_shown=inputs.MAX_TEXT_CHARACTERS, packable=True),
    Param("vocab", CLASSIC_VOCABULARY, text(inputs.MAX_VOCABULARY), packable=True),
    Param("series", "sine", choice(*SERIES_KINDS)),
    Param("length", 40, integer(2, inputs.MAX_SERIES_LENGTH)),
    Param("hidden", 8, integer(1, demo.MAX_HIDDEN_SIZE)),
    Param("seed", 0, integer(0, 2**31 - 1)),
    Param("init", "glorot_uniform", choice(*INITIALIZERS)),
    Param("ract", "sigmoid", choice(*RECURRENT_ACTIVATIONS)),
    Param("act", "tanh", choice(*ACTIVATIONS)),
    Param("ufb", True, boolean),
    Param("preset", "random", choice("random", "trained", "session")),
    Param("layout", "tutorial", choice(*LAYOUTS)),
    Param("t", 0, integer(0, inputs.MAX_SERIES_LENGTH), page="stepper"),
    Param("speed", 1000, member(*SPEEDS_MS), page="stepper"),  # ms per step of ▶ Play
    Param("cell_preset", "default", choice(*CELL_PRESETS), page="cell"),
    *(Param(f"cell_{key}", value, number(*CELL_RANGES[key]), page="cell") for key, value in CELL_DEFAULTS.items()),
    *(Param(f"clamp_{gate}", False, boolean, page="cell") for gate in "fio"),
    *(Param(f"clamp_{gate}_value", 1.0, number(0.0, 1.0), page="cell") for gate in "fio"),
    Param("cell_kind", "lstm", choice("lstm", "gru"), page="cell"),
    *(Param(f"gru_{key}", value, number(*GRU_RANGES[key]), page="cell") for key, value in GRU_DEFAULTS.items()),
    Param("cell_peephole", False, boolean, page="cell"),
    Param("cell_coupled", False, boolean, page="cell"),
    Param("cell_source", "sliders", choice("sliders", "model"), page="cell"),
    Param("cell_unit", 0, integer(0, demo.MAX_HIDDEN_SIZE - 1), page="cell"),  # the page keeps it below H
    Param("cell_step", 0, integer(0, inputs.MAX_SERIES_LENGTH - 1), page="cell"),  # and below T
    # the weights lab: each gate's W and U scaled, b shifted (sliders), and the entries typed in
    *(
        Param(f"edit_{gate}_{part}", default, number(low, high), page="weights")
        for gate in demo.GATES
        for part, (low, high, default) in demo.EDIT_RANGES.items()
    ),
    Param("cells", {}, cell_edits, page="weights"),
    Param("lesson", 1, integer(1, len(LESSON_STEPS)), page="lesson"),  # the lesson's step, 1 … 13
    # the gradient flow page
    Param("flow_length", 50, integer(5, 200), page="gradients"),
    Param("flow_scale", 1.0, number(0.1, 3.0), page="gradients"),
    Param("flow_forget_bias", 1.0, number(-3.0, 6.0), page="gradients"),
    Param("flow_update_bias", 0.0, number(-3.0, 6.0), page="gradients"),
    Param("flow_seed", 0, integer(0, 2**31 - 1), page="gradients"),
    Param("flow_clipping", True, boolean, page="gradients"),
    Param("flow_clip", 1.0, member(0.1, 0.5, 1.0, 2.0, 5.0, 10.0), page="gradients"),
    Param("flow_product_steps", 20, integer(1, 100), page="gradients"),
    # the Train page
    Param("train_task", "next_character", choice(*TASKS), page="train"),
    Param("train_text", CLASSIC_SENTENCE, text(100_000), page="train", longest_shown=MAX_TRAIN_TEXT, packable=True),
    Param("train_distance", 10, integer(1, 100), page="train"),
    Param("train_kind", "lstm", choice(*KINDS), page="train"),
    Param("train_hidden", 16, integer(1, 64), page="train"),
    Param("train_layers", 1, integer(1, 3), page="train"),
    Param("train_optimizer", "adam", choice("adam", "sgd"), page="train"),
    Param("train_lr", 0.02, member(*LEARNING_RATES), page="train"),
    Param("train_epochs", 60, integer(1, 300), page="train"),
    Param("train_batch", 32, member(*BATCH_SIZES), page="train"),
    Param("train_clip", 5.0, member(*CLIP_NORMS), page="train"),
    Param("train_seed", 0, integer(0, 2**31 - 1), page="train"),
)
BY_KEY = {param.key: param for param in PARAMS}
PACKED_KEYS = {f"{param.key}z": param for param in PARAMS if param.packable}
_REJECTED = "_url_rejected"


def restore() -> None:
    """On a session's first run, take every parameter from the URL (or its default)."""
    if st.session_state.get("_url_restored"):
        return
    rejected = []
    for param in PARAMS:
        raw = st.query_params.get(param.key)
        packed = st.query_params.get(f"{param.key}z") if param.packable else None
        value = param.default
        if raw is not None or packed is not None:
            try:
                value = param.parse(unpack(packed) if packed is not None else raw)
            except (ValueError, TypeError, OverflowError):
                rejected.append(param.key)
        st.session_state.setdefault(param.key, value)
    unknown = sorted(set(st.query_params) - set(BY_KEY) - set(PACKED_KEYS))
    st.session_state[_REJECTED] = rejected + unknown
    st.session_state["_url_restored"] = True


def current(key: str, state: Mapping[str, Any] | None = None) -> Any:
    """The session's value of a registered parameter, for its widget's own default argument
    (read from `state`, a copy of session state, when the caller made one: see `write`).

    A widget keyed to session state still needs that value as its default: a browser that mounts
    the widget only after a later run's message arrived (a click during the first run, under
    load) starts it from the default it is sent, and sends that back with the next rerun; with no
    default a text input came back empty and the student's sentence was gone. Streamlit uses the
    session state's value whenever there is one, so the default only decides that fallback.
    """
    return (st.session_state if state is None else state).get(key, BY_KEY[key].default)


def index_of(key: str, options) -> int:
    """`current(key)`'s place in a radio's or selectbox's options (0 if it is not among them)."""
    options = list(options)
    value = current(key)
    return options.index(value) if value in options else 0


def rejected() -> list[str]:
    """The URL parameters of the first run that were junk and replaced by defaults (once)."""
    return st.session_state.pop(_REJECTED, [])


def write(page: str, state: Mapping[str, Any] | None = None) -> None:
    """Put the current values of this page's parameters into the URL, defaults left out.

    It runs on every slider move, so the state is read as one copy (`state`, if the caller made
    one this run): each lookup through st.session_state takes its lock and checks the key, and the
    cell page's fifty-six lookups cost ten times one copy of the whole state.
    """
    state = st.session_state.to_dict() if state is None else state
    wanted = {}
    for param in PARAMS:
        if param.page not in (None, page):
            continue
        value = state.get(param.key, param.default)
        if value != param.default:
            encoded = param.encode(value)
            if param.packable and len(urllib.parse.quote(encoded)) > COMPRESS_ABOVE:
                wanted[f"{param.key}z"] = pack(encoded)
            else:
                wanted[param.key] = encoded
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)
