"""A click sent as component state is acted on once: its id is remembered, a new id acts again."""

import pytest
import streamlit as st

from ui.clicks import new_click


@pytest.fixture(autouse=True)
def fresh_session():
    st.session_state.clear()
    yield
    st.session_state.clear()


def test_a_click_acts_once_and_the_next_click_on_the_same_cell_acts_again():
    first = {"column": 2, "row": 3, "id": "1-0.5"}
    assert new_click(first, "seen") == first
    assert new_click(dict(first), "seen") is None  # the state kept the last click: a rerun is not a click
    again = {**first, "id": "2-0.7"}
    assert new_click(again, "seen") == again


def test_clicks_of_two_components_are_remembered_apart():
    click = {"step": 1, "unit": 0, "id": "same"}
    assert new_click(click, "stepper_seen") == click
    assert new_click(click, "chain_seen") == click


@pytest.mark.parametrize("value", [None, [2, 3], {"column": 2}, {"id": 7}, {"id": ""}, {"id": "x" * 65}])
def test_anything_without_a_short_string_id_is_not_a_click(value):
    assert new_click(value, "seen") is None
    assert "seen" not in st.session_state
