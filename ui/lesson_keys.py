"""← → and Page Up/Down move between the lesson's steps (ui/static/lesson_keys.js): a presenter
remote sends Page Up/Down, so a teacher walks a class through the lesson from the back of the room.

The browser counts the keys pressed in its tab and sends the count with the latest moves as the
component's state; the session remembers the count it has acted on, so every press is read once,
also two that arrive in one run, and a rerun without a press reads none.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import streamlit as st

from ui import static_files

RECENT = 50  # the moves lesson_keys.js keeps: more presses than this between two runs are not a remote
SEEN_KEY = "lesson_keys_seen"

_lesson_keys = st.components.v2.component(
    "lstm_gate_lab.lesson_keys", html='<span class="lstm-lesson-keys"></span>', js=static_files.read("lesson_keys.js")
)


def key_moves() -> list[int]:
    """The moves (−1 or +1 each) pressed since the last run, oldest first."""
    result = _lesson_keys(key="lesson_keys", on_moves_change=lambda: None)
    return unseen_moves(result.get("moves"), st.session_state)


def unseen_moves(value: object, state: MutableMapping[str, Any]) -> list[int]:
    """The moves in `value` ({tab, count, recent}) that `state` has not acted on, and remember
    them as seen. A new tab (a reload) starts its count at 0; anything malformed is no move."""
    if not isinstance(value, dict):
        return []
    tab, count, recent = value.get("tab"), value.get("count"), value.get("recent")
    if not (isinstance(tab, str) and 0 < len(tab) <= 64 and type(count) is int and count >= 0):
        return []
    if not (
        isinstance(recent, list) and len(recent) <= RECENT and all(type(m) is int and m in (-1, 1) for m in recent)
    ):
        return []
    seen_tab, seen_count = state.get(SEEN_KEY, (None, 0))
    new = count - seen_count if tab == seen_tab else count
    state[SEEN_KEY] = (tab, count)
    return recent[-new:] if new > 0 else []
