"""The Train page's "what did it learn" for next-character prediction: text the model writes at
the chosen epoch, with a temperature, and the training text coloured by one hidden unit, with
the units sorted so the interpretable ones come first (lstm_core/sampling.py)."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import streamlit as st

from lstm_core import Model, Vocabulary
from lstm_core.sampling import MAX_SAMPLE, sample_text, unit_scores
from lstm_core.text import normalize
from ui.language import tr
from ui.text_colouring import coloured_text
from ui.training import NEXT_CHARACTER_WINDOW

TEMPERATURES = (0.1, 0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 5.0)
SORTS = ("character", "position", "saturation")


def _quantities(trace) -> list[str]:
    """The per-unit states the model's trace holds, as (T, H): C, h and o for an LSTM, h otherwise."""
    return [
        name
        for name in ("c", "h", "o")
        if getattr(trace, name, None) is not None and np.ndim(getattr(trace, name)) == 2
    ]


def written_and_units(model: Model, text: str, tokens: Sequence[str], epoch: int) -> None:
    t = tr()
    vocabulary = Vocabulary(tuple(tokens))
    text = normalize(text)

    st.subheader(t("sample_title"))
    st.caption(t("sample_caption", epoch=epoch))
    temperature_column, length_column, start_column, seed_column = st.columns([2.2, 1.6, 1, 1])
    temperature = temperature_column.select_slider(
        t("sample_temperature"), TEMPERATURES, value=1.0, key="sample_temperature", help=t("sample_temperature_help")
    )
    length = length_column.slider(t("sample_length"), 10, 500, 120, step=10, key="sample_length")
    start = start_column.text_input(t("sample_start"), text[:1], max_chars=NEXT_CHARACTER_WINDOW, key="sample_start")
    seed = seed_column.number_input(t("seed"), 0, 2**31 - 1, 0, key="sample_seed")
    try:
        written = sample_text(model, vocabulary, start, min(int(length), MAX_SAMPLE), temperature, int(seed))
    except ValueError:
        st.warning(t("sample_start_unknown", characters="".join(tokens)[:60]))
    else:
        st.html(f'<div class="lstm-sample">{_escape(start)}<b>{_escape(written)}</b></div>')

    st.subheader(t("units_title"))
    st.caption(t("units_caption"))
    trace = model.recurrent.forward(vocabulary.one_hot(text))
    names = _quantities(trace)
    quantity_column, sort_column, unit_column = st.columns([1.2, 1.6, 2])
    quantity = quantity_column.selectbox(
        t("units_quantity"),
        names,
        names.index("c") if "c" in names else names.index("h"),
        format_func=lambda name: t(f"q_{name}"),
        key="units_quantity",
    )
    sort = sort_column.selectbox(
        t("units_sort"), SORTS, format_func=lambda k: t(f"units_sort_{k}"), key="units_sort", help=t("units_sort_help")
    )
    values = getattr(trace, quantity)
    scores = unit_scores(values, text, vocabulary)[sort]
    order = [int(k) for k in np.argsort(-scores, kind="stable")]
    unit = unit_column.selectbox(
        t("units_unit"),
        order,
        format_func=lambda k: t("units_unit_label", unit=k, score=scores[k]),
        key=f"units_unit_{quantity}_{sort}",
    )
    label = t("units_label", quantity=t(f"q_{quantity}"), unit=unit)
    st.html(coloured_text(list(text), values[:, unit], quantity, label))
    st.caption(t("units_legend", quantity=t(f"q_{quantity}"), unit=unit))


def _escape(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")
