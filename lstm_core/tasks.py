"""Training tasks from the tutorials, as time-major datasets: inputs (T, N, I), targets (T, N)
class ids (−1 where a step is not scored) or (T, N, 1) values.

- next character of a text (the classic 公主很漂亮), in overlapping windows;
- continuing a sine wave (regression);
- long memory: remember the first symbol through N distractor steps (only the last step is
  scored), the task where a vanilla RNN fails as N grows and an LSTM does not;
- bracket counting: after each bracket, say how deeply nested the sequence is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .text import Vocabulary, one_hot
from .validation import check_positive_int, check_seed


@dataclass(frozen=True)
class Dataset:
    name: str
    inputs: np.ndarray  # (T, N, I)
    targets: np.ndarray  # (T, N) int, −1 = not scored; or (T, N, 1) float
    classes: tuple[str, ...]  # output labels (empty for regression)
    input_labels: tuple[str, ...]  # what each input position means

    @property
    def is_classification(self) -> bool:
        return bool(self.classes)


def next_character_windows(size: int, window: int) -> tuple[int, int]:
    """(window length, number of windows) `next_character` cuts from `size` tokens: windows of
    `window` tokens starting one token apart, or all but the last token when the text is shorter."""
    length = max(1, min(window, size - 1))
    return length, max(0, size - length)


def next_character(text: str, vocabulary: Vocabulary | None = None, window: int = 32) -> Dataset:
    """Every window of `window` characters (step 1): each character predicts the next."""
    vocabulary = vocabulary or Vocabulary.from_text(text)
    ids = vocabulary.encode(text)
    if ids.size < 2:
        raise ValueError("Next-character prediction needs a text of at least two characters.")
    length, count = next_character_windows(ids.size, check_positive_int("window", window))
    starts = np.arange(0, count)
    inputs = np.stack([ids[s : s + length] for s in starts], axis=1)  # (T, N)
    targets = np.stack([ids[s + 1 : s + length + 1] for s in starts], axis=1)
    return Dataset("next_character", one_hot(inputs, vocabulary.size), targets, vocabulary.tokens, vocabulary.tokens)


def sine_continuation(sequences: int = 32, length: int = 40, period: float = 20.0, seed: int = 0) -> Dataset:
    """Windows of sin(2πt/period) with random phases; each value predicts the next."""
    rng = np.random.default_rng(check_seed(seed))
    phases = rng.uniform(0, 2 * np.pi, size=check_positive_int("sequences", sequences))
    t = np.arange(check_positive_int("length", length) + 1)[:, None]
    values = np.sin(2 * np.pi * t / period + phases[None, :])
    return Dataset("sine", values[:-1, :, None], values[1:, :, None], (), ("x",))


def long_memory(distance: int, sequences: int = 64, symbols: int = 2, distractors: int = 6, seed: int = 0) -> Dataset:
    """Step 0 shows one of `symbols` cue symbols, then `distance` random distractor symbols;
    at the last step the model must name the cue. Only that step is scored."""
    distance = check_positive_int("distance", distance)
    rng = np.random.default_rng(check_seed(seed))
    sequences = check_positive_int("sequences", sequences)
    cue = rng.integers(0, symbols, size=sequences)
    noise = rng.integers(symbols, symbols + distractors, size=(distance, sequences))
    ids = np.concatenate([cue[None, :], noise], axis=0)  # (distance + 1, N)
    targets = np.full(ids.shape, -1, dtype=np.int64)
    targets[-1] = cue
    labels = tuple("ABCDEFGH"[:symbols]) + tuple("·~#*+-"[:distractors])
    return Dataset("long_memory", one_hot(ids, symbols + distractors), targets, labels[:symbols], labels)


def bracket_depth(sequences: int = 64, length: int = 20, max_depth: int = 4, seed: int = 0) -> Dataset:
    """Random balanced-as-you-go bracket strings; the target after each bracket is the current
    nesting depth (0…max_depth): counting, the skill bracket matching needs."""
    rng = np.random.default_rng(check_seed(seed))
    sequences, length = check_positive_int("sequences", sequences), check_positive_int("length", length)
    ids = np.zeros((length, sequences), dtype=np.int64)
    depth = np.zeros((length, sequences), dtype=np.int64)
    current = np.zeros(sequences, dtype=np.int64)
    for t in range(length):
        opening = (current == 0) | ((current < max_depth) & (rng.random(sequences) < 0.5))
        current = current + np.where(opening, 1, -1)
        ids[t] = np.where(opening, 0, 1)
        depth[t] = current
    classes = tuple(str(d) for d in range(max_depth + 1))
    return Dataset("brackets", one_hot(ids, 2), depth, classes, ("(", ")"))
