"""The language a session reads the app in: the sidebar's switch and the translator for it."""

from __future__ import annotations

import streamlit as st

from ui import url_state
from ui.i18n import LANGUAGES, Translator


def tr() -> Translator:
    """The translator for the language chosen in the sidebar."""
    language = st.session_state.get("lang", "en")
    return Translator(language if language in LANGUAGES else "en")


def language_switch() -> None:
    st.segmented_control(
        "Language / 语言",
        options=list(LANGUAGES),
        format_func=LANGUAGES.get,
        default=url_state.current("lang"),
        key="lang",
        required=True,
    )
