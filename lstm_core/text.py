"""Characters to numbers: a vocabulary, token ids and one-hot vectors.

The tutorials' example: with a 10-character vocabulary, the sentence 公主很漂亮 becomes a (5, 10)
one-hot matrix, one row per timestep, and the model learns to predict each next character.
Tokens are Unicode code points after NFC normalization (so "é" typed either way is one token),
exactly as a character-level RNN such as min-char-rnn reads text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .validation import check_allocation, check_positive_int

CLASSIC_SENTENCE = "公主很漂亮"
CLASSIC_VOCABULARY = "公主很漂亮王子真帅气"


def normalize(text: str) -> str:
    if not isinstance(text, str):
        raise ValueError(f"Text must be a string, got {type(text).__name__}.")
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class Vocabulary:
    """An ordered set of characters; a character's id is its position."""

    tokens: tuple[str, ...]

    def __post_init__(self) -> None:
        if isinstance(self.tokens, (str, list)):
            object.__setattr__(self, "tokens", tuple(self.tokens))
        if not isinstance(self.tokens, tuple) or not all(isinstance(token, str) for token in self.tokens):
            raise ValueError("A vocabulary is a sequence of characters (strings), e.g. Vocabulary(tuple('abc')).")
        if not self.tokens:
            raise ValueError("A vocabulary needs at least one character.")
        if len(set(self.tokens)) != len(self.tokens):
            raise ValueError("A vocabulary lists each character once.")

    @classmethod
    def from_text(cls, text: str) -> Vocabulary:
        """The distinct characters of `text`, in order of first appearance."""
        text = normalize(text)
        if not text:
            raise ValueError("The text is empty: type at least one character.")
        return cls(tuple(dict.fromkeys(text)))

    @classmethod
    def from_tokens(cls, tokens: Iterable[str]) -> Vocabulary:
        return cls(tuple(normalize(token) for token in tokens))

    @property
    def size(self) -> int:
        return len(self.tokens)

    def __len__(self) -> int:
        return len(self.tokens)

    def encode(self, text: str) -> np.ndarray:
        """Token ids (T,); ValueError naming the characters the vocabulary lacks."""
        text = normalize(text)
        if not text:
            raise ValueError("The text is empty: type at least one character.")
        index = {token: k for k, token in enumerate(self.tokens)}
        unknown = sorted({ch for ch in text if ch not in index})
        if unknown:
            raise ValueError(
                f"Character(s) not in the vocabulary: {''.join(unknown)!r}. "
                f"The vocabulary has {self.size}: {''.join(self.tokens)!r}."
            )
        return np.fromiter((index[ch] for ch in text), dtype=np.int64, count=len(text))

    def decode(self, ids: Sequence[int]) -> str:
        """The characters of token ids; ValueError for an id outside 0…size−1."""
        array = np.asarray(ids)
        if array.ndim != 1 or (array.size and array.dtype.kind not in "iu"):
            raise ValueError(
                f"decode takes a list of whole-number token ids, got {array.dtype} of shape {array.shape}."
            )
        if array.size and (array.min() < 0 or array.max() >= self.size):
            raise ValueError(f"Token ids must lie in 0…{self.size - 1}; got {int(array.min())}…{int(array.max())}.")
        return "".join(self.tokens[k] for k in array.tolist())

    def one_hot(self, text: str) -> np.ndarray:
        """The (T, V) one-hot matrix of `text`: row t has a single 1 at the id of character t."""
        return one_hot(self.encode(text), self.size)


def one_hot(ids: np.ndarray, size: int) -> np.ndarray:
    """(…, size) float64 one-hot vectors for integer ids of any shape."""
    ids, size = np.asarray(ids), check_positive_int("size", size)
    if ids.size and ids.dtype.kind not in "iu":
        raise ValueError(f"Token ids must be whole numbers, got {ids.dtype} values.")
    check_allocation("the one-hot matrix", ids.size, size)
    if ids.size and (ids.min() < 0 or ids.max() >= size):
        raise ValueError(f"Token ids must lie in 0…{size - 1}.")
    encoded = np.zeros(ids.shape + (size,))
    np.put_along_axis(encoded, ids[..., None], 1.0, axis=-1)
    return encoded


def next_character_pairs(text: str, vocabulary: Vocabulary) -> tuple[np.ndarray, np.ndarray]:
    """Inputs (T-1, V) one-hot and targets (T-1,) ids: each character predicts the next."""
    ids = vocabulary.encode(text)
    if ids.size < 2:
        raise ValueError("Next-character prediction needs a text of at least two characters.")
    return one_hot(ids[:-1], vocabulary.size), ids[1:]
