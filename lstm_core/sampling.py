"""What a next-character model writes (Karpathy's "Unreasonable Effectiveness of RNNs", live), and
which hidden units mean something (Karpathy, Johnson & Fei-Fei 2015, "Visualizing and
Understanding Recurrent Networks").

`sample_text` feeds the model its own output one character at a time: the last `window`
characters go in from a zero state, exactly as the training windows did, the softmax at the last
step is sharpened or flattened by the temperature, p_k ∝ p_k^(1/τ), and a character is drawn.
τ → 0 always takes the most likely character; τ = 1 samples the model's own distribution; large
τ approaches uniform noise.
"""

from __future__ import annotations

import numpy as np

from .text import Vocabulary
from .training import Model
from .validation import check_positive_int, check_seed

MAX_SAMPLE = 2000  # characters one call may write
MIN_TEMPERATURE, MAX_TEMPERATURE = 0.01, 10.0


def with_temperature(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """p_k^(1/τ), normalised (computed in log space, so a small τ does not underflow to 0/0)."""
    if not MIN_TEMPERATURE <= float(temperature) <= MAX_TEMPERATURE:
        raise ValueError(f"temperature must lie in [{MIN_TEMPERATURE}, {MAX_TEMPERATURE}], got {temperature!r}.")
    logits = np.log(np.clip(np.asarray(probabilities, dtype=np.float64), 1e-300, None)) / float(temperature)
    logits -= logits.max()
    weights = np.exp(logits)
    return weights / weights.sum()


def sample_text(
    model: Model,
    vocabulary: Vocabulary,
    start: str,
    length: int,
    temperature: float = 1.0,
    seed: int = 0,
    window: int = 32,
) -> str:
    """`length` characters written after `start` (which must use the vocabulary's characters)."""
    length, window = check_positive_int("length", length), check_positive_int("window", window)
    if length > MAX_SAMPLE:
        raise ValueError(f"length must be at most {MAX_SAMPLE} characters, got {length}.")
    if model.recurrent.input_size != vocabulary.size or model.head.output_size != vocabulary.size:
        raise ValueError(
            f"The model reads {model.recurrent.input_size} and predicts {model.head.output_size} symbols, "
            f"the vocabulary has {vocabulary.size}."
        )
    ids = list(vocabulary.encode(start))  # ValueError for an empty start or unknown characters
    rng = np.random.default_rng(check_seed(seed))
    eye = np.eye(vocabulary.size)
    for _ in range(length):
        context = eye[ids[-window:]]  # (T, V): the last window, from a zero state
        _, probabilities = model.forward(context)
        p = with_temperature(probabilities[-1], temperature)
        ids.append(int(rng.choice(vocabulary.size, p=p)))
    return "".join(vocabulary.tokens[k] for k in ids[len(ids) - length :])


def unit_scores(values: np.ndarray, text: str, vocabulary: Vocabulary) -> dict[str, np.ndarray]:
    """For each unit of `values` (T, H), one state of a model run over `text`, three ways of
    finding a unit worth looking at, each per unit in [0, 1]:
    "saturation": the share of steps where |value| > 0.9 (a gate or tanh near its limit: a switch);
    "position": |correlation| with the position in the text (a counter);
    "character": the largest |correlation| with "the character at t is k", over the characters
    (a detector of one character, a quote or a space)."""
    values = np.asarray(values, dtype=np.float64)
    ids = vocabulary.encode(text)
    if values.ndim != 2 or values.shape[0] != ids.size:
        raise ValueError(f"values must be (T, H) with T = {ids.size} (the text's length), got {values.shape}.")

    def correlation(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """|corr(a[:, j], b[:, k])| for every column pair, 0 where either column is constant."""
        a = a - a.mean(0)
        b = b - b.mean(0)
        norms = np.outer(np.linalg.norm(a, axis=0), np.linalg.norm(b, axis=0))
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.nan_to_num(np.abs(a.T @ b) / norms)

    position = np.arange(ids.size, dtype=np.float64)[:, None]
    characters = np.eye(vocabulary.size)[ids]
    return {
        "saturation": (np.abs(values) > 0.9).mean(0),
        "position": correlation(values, position)[:, 0],
        "character": correlation(values, characters).max(1) if ids.size > 1 else np.zeros(values.shape[1]),
    }
