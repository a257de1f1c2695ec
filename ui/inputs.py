"""What the model reads: a sentence as one-hot rows over a vocabulary, or a numeric series as a
column, each with its next-token targets and a label per timestep. No Streamlit here.

Bad input is an InputRefused naming the problem; what is only cut (a sentence past
MAX_TEXT_CHARACTERS, a series past MAX_SERIES_LENGTH) is said as a notice instead.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

import numpy as np

import lstm_core
from lstm_core import Vocabulary
from lstm_core.series import noise, series_input, sine, step
from ui.input_refusal import InputRefused

MAX_TEXT_CHARACTERS = 500  # a heatmap column per character stays legible up to here
MAX_VOCABULARY = 200
MAX_SERIES_LENGTH = 2000


@dataclass(frozen=True)
class PreparedInput:
    """What the model reads and what it should predict, with a label for each timestep."""

    kind: str  # "text" or "series"
    x: np.ndarray  # (T, I)
    tokens: tuple[str, ...]  # a label per timestep: the character, or the value
    targets: np.ndarray  # next token id (T,) for text; next value (T, 1) for series
    has_target: np.ndarray  # (T,) bool: the last step has no next token to predict
    vocabulary: Vocabulary | None
    notices: tuple[str, ...] = ()  # keys of i18n notices: what was cut or changed

    @property
    def length(self) -> int:
        return self.x.shape[0]


def _visible(character: str) -> bool:
    """Not white space and not an invisible format mark (Unicode Cf: U+200B, U+FEFF, ...)."""
    return not character.isspace() and unicodedata.category(character) != "Cf"


def prepare_text(text: str, vocabulary_text: str = "", strict: bool = False) -> PreparedInput:
    """One-hot rows of `text` over the vocabulary: the characters of `vocabulary_text` first
    (the classic example lists 10), then any new characters of the text in order of appearance.
    Cuts at MAX_TEXT_CHARACTERS and says so. ValueError for an empty or blank text, and with
    `strict` (a trained model's fixed vocabulary) for characters the vocabulary lacks.
    """
    notices = []
    text = lstm_core.text.normalize(text)
    if not any(_visible(ch) for ch in text):  # blank, or only zero-width marks like U+200B
        raise InputRefused("empty_text")
    if len(text) > MAX_TEXT_CHARACTERS:
        text = text[:MAX_TEXT_CHARACTERS]
        notices.append("text_cut")
    listed = lstm_core.text.normalize(vocabulary_text or "")
    if strict and (missing := "".join(sorted({ch for ch in text if ch not in listed}))):
        raise InputRefused("not_in_trained_vocabulary", missing[:20])
    characters = tuple(dict.fromkeys(listed + text))
    if len(characters) > MAX_VOCABULARY:
        raise InputRefused("vocabulary_too_large")
    if any(ch not in listed for ch in text) and listed:
        notices.append("vocabulary_extended")
    vocabulary = Vocabulary(characters)
    ids = vocabulary.encode(text)
    has_target = np.ones(len(ids), dtype=bool)
    has_target[-1] = False
    targets = np.append(ids[1:], ids[-1])  # the last step's target is a placeholder
    return PreparedInput("text", vocabulary.one_hot(text), tuple(text), targets, has_target, vocabulary, tuple(notices))


def generate_series(kind: str, length: int, seed: int = 0) -> np.ndarray:
    """A generated signal: "sine" (period 20), "step" (at the middle) or "noise"."""
    generators = {
        "sine": lambda: sine(length, period=20.0),
        "step": lambda: step(length),
        "noise": lambda: noise(length, scale=0.5, seed=seed),
    }
    if kind not in generators:
        raise ValueError(f"Unknown series kind {kind!r}.")
    return generators[kind]()


def parse_numbers(typed: str) -> np.ndarray:
    """Numbers separated by commas, spaces, semicolons or new lines; ValueError naming a bad one."""
    parts = [part for part in typed.replace(",", " ").replace(";", " ").split() if part]
    values = []
    for part in parts:
        try:
            values.append(float(part))
        except ValueError:
            raise InputRefused("not_a_number", part[:20]) from None
    return np.array(values, dtype=np.float64)


def prepare_series(values: np.ndarray) -> PreparedInput:
    """A (T, 1) input whose target at each step is the next value; cut at MAX_SERIES_LENGTH."""
    notices = []
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    if values.size > MAX_SERIES_LENGTH:
        values = values[:MAX_SERIES_LENGTH]
        notices.append("series_cut")
    if values.size == 0:
        raise InputRefused("empty_series")
    if not np.isfinite(values).all():
        raise InputRefused("series_not_finite")
    if np.abs(values).max() > 1e6:
        raise InputRefused("series_too_large")
    x = series_input(values)
    has_target = np.ones(values.size, dtype=bool)
    has_target[-1] = False
    targets = np.append(values[1:], values[-1])[:, None]
    tokens = tuple(f"{v:.3g}" for v in values)
    return PreparedInput("series", x, tokens, targets, has_target, None, tuple(notices))


def fingerprint_array(values: np.ndarray) -> str:
    return hashlib.sha1(np.ascontiguousarray(values, dtype=np.float64).tobytes()).hexdigest()[:16]
