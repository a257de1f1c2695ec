"""The sidebar's input section: a sentence (with its vocabulary) or a numeric series, typed,
generated or read from an uploaded CSV file, shown as read. A bad input is said in the page's
language, and a bad file never costs the series already in use."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from ui import inputs, series_file, url_state
from ui.i18n import Translator
from ui.session import cached_series_input, cached_text_input, trained_model
from ui.url_state import SERIES_KINDS


def text_input_key(text: str, vocabulary: str, strict: bool = False) -> str:
    """The key a typed input's shared results (base model, forward pass) are kept under."""
    return f"text|{text}|{vocabulary}|{strict}"


def input_settings(t: Translator) -> tuple[inputs.PreparedInput | None, str]:
    kind = st.radio(
        t("input_kind"),
        ("text", "series"),
        url_state.index_of("input", ("text", "series")),
        format_func=lambda k: t(f"input_{k}"),
        key="input",
        horizontal=True,
    )
    if kind == "text":
        text = st.text_input(
            t("text"),
            url_state.current("text"),
            key="text",
            help=t("text_help", limit=inputs.MAX_TEXT_CHARACTERS),
            max_chars=20000,
        )
        vocabulary = st.text_input(
            t("vocabulary"),
            url_state.current("vocab"),
            key="vocab",
            help=t("vocabulary_help"),
            max_chars=inputs.MAX_VOCABULARY,
        )
        trained = trained_model()
        if st.session_state.get("preset") == "session" and trained and trained.vocabulary:
            vocabulary = "".join(trained.vocabulary)
            st.caption(t("trained_vocabulary", vocabulary=vocabulary[:60]))
            strict = True
        else:
            strict = False
        try:
            return cached_text_input(text, vocabulary, strict), text_input_key(text, vocabulary, strict)
        except ValueError as error:
            st.error(t.error(error))
            return None, ""
    source = st.selectbox(
        t("series_source"),
        SERIES_KINDS,
        url_state.index_of("series", SERIES_KINDS),
        format_func=lambda k: t(f"series_{k}"),
        key="series",
    )
    try:
        values = _series_values(t, source)
        if values is None:
            return None, ""
        prepared = cached_series_input(values)
    except ValueError as error:
        st.error(t.error(error))
        previous = st.session_state.get("_last_csv_series") if source == "csv" else None
        if previous is None:
            return None, ""
        st.caption(t("csv_previous_kept"))  # a bad file never costs the series already in use
        return previous
    key = "series|" + inputs.fingerprint_array(values)
    if source == "csv":
        st.session_state["_last_csv_series"] = (prepared, key)
    return prepared, key


def _series_values(t: Translator, source: str) -> np.ndarray | None:
    if source in ("sine", "step", "noise"):
        length = st.slider(t("series_length"), 2, inputs.MAX_SERIES_LENGTH, url_state.current("length"), key="length")
        return inputs.generate_series(source, length, seed=int(st.session_state.get("seed", 0)))
    if source == "typed":
        typed = st.text_area(
            t("series_typed"), value="0, 0.5, 1, 0.5, 0, -0.5, -1, -0.5, 0", key="typed", max_chars=200000
        )
        return inputs.parse_numbers(typed)
    upload = st.file_uploader(t("series_csv"), type=["csv", "txt"], key="csv", help=t("series_csv_help"))
    if upload is None:
        st.info(t("series_csv_waiting"))
        return None
    return _csv_column(t, upload)


def _csv_column(t: Translator, upload) -> np.ndarray:
    """The chosen column of an uploaded file, parsed once per file, with what was read shown
    (rows, separator, decimal mark, header, the first values) and what was left out said."""
    parsed = st.session_state.get("_csv_table")
    if parsed is None or parsed[0] != upload.file_id:
        st.session_state.pop("csv_column", None)  # the new file's columns
        try:
            parsed = (upload.file_id, series_file.read_series_file(upload.getvalue()))
        except ValueError as error:
            parsed = (upload.file_id, error)
        st.session_state["_csv_table"] = parsed
    table = parsed[1]
    if isinstance(table, ValueError):
        raise table
    names = [name or t("csv_column_number", number=k + 1) for k, name in enumerate(table.columns)]
    column = (
        st.selectbox(t("series_column"), range(len(names)), format_func=names.__getitem__, key="csv_column")
        if len(names) > 1
        else 0
    )
    values, dropped = series_file.column_values(table, column)
    st.caption(
        t(
            "csv_read",
            rows=table.total_rows,
            columns=len(names),
            separator=t(f"csv_separator_{SEPARATOR_NAMES[table.separator]}"),
            decimal=table.decimal,
            header=t("csv_header_yes" if table.header else "csv_header_no"),
        )
    )
    read = ((line, series_file.to_number(cell, table.decimal)) for line, cell in zip(table.lines, table.cells[column]))
    shown = [(line, number) for line, number in read if number is not None and np.isfinite(number)][:5]
    st.dataframe(
        pd.DataFrame({t("csv_line"): [line for line, _ in shown], names[column]: [v for _, v in shown]}),
        hide_index=True,
        key="csv_preview",
        height=35 * (len(shown) + 1) + 3,
    )
    for reason in ("empty", "not_numbers", "not_finite"):
        lines_left_out = getattr(dropped, reason)
        if lines_left_out:
            st.warning(
                t(
                    f"csv_dropped_{reason}",
                    count=len(lines_left_out),
                    lines=", ".join(map(str, lines_left_out[:8])) + (" …" if len(lines_left_out) > 8 else ""),
                )
            )
    return values


SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar", " ": "space", "": "none"}
