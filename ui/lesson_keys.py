"""← → and Page Up/Down move between the lesson's steps (ui/static/lesson_keys.js): a presenter
remote sends Page Up/Down, so a teacher walks a class through the lesson from the back of the room."""

from __future__ import annotations

import streamlit as st

from ui import static_files

_lesson_keys = st.components.v2.component(
    "lstm_gate_lab.lesson_keys", html='<span class="lstm-lesson-keys"></span>', js=static_files.read("lesson_keys.js")
)


def key_move() -> int:
    """−1, +1 when a key asked to move this run, else 0."""
    result = _lesson_keys(key="lesson_keys", on_move_change=lambda: None)
    move = result.get("move")
    return int(move) if move in (-1, 1) else 0
