"""A click in a component, sent as the component's state with an id of its own, read once.

Streamlit's trigger values are the natural fit for a click, but a trigger that arrives while a
rerun is already queued (a page switched to is still mounting its elements) can be coalesced
away, and the click is lost. A state value is never dropped that way: the latest one always
reaches the next run. The id tells a new click from the last one, which the state keeps, and
the server remembers the last id it acted on.
"""

from __future__ import annotations

import streamlit as st

ID_LENGTH = 64  # longer ids are not the browser's: nothing to remember


def new_click(value: object, seen_key: str) -> dict | None:
    """`value` when it is a click not acted on yet (a dict with a string "id"), else None; the
    id is remembered under `seen_key` in the session, so the same click never acts twice."""
    if not isinstance(value, dict):
        return None
    click_id = value.get("id")
    if not isinstance(click_id, str) or not 0 < len(click_id) <= ID_LENGTH:
        return None
    if st.session_state.get(seen_key) == click_id:
        return None
    st.session_state[seen_key] = click_id
    return value
