"""The shared caches hold each result once, within their byte budgets, and survive a cache clear;
a link can start at most TRAINED_PRESET_BUDGET of training."""

import re
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import streamlit as st

from ui import inputs
from ui import model as demo
from ui.shared_cache import CACHE_MEGABYTES, CACHES, HEAVY_AT_ONCE, SharedCache, size_in_bytes


def test_entries_past_the_byte_budget_are_evicted_least_recently_used_first():
    cache = SharedCache("test", max_megabytes=1)
    for key in range(5):
        cache.get(key, lambda: np.zeros(2**15))  # 256 KB each: four fit in 1 MB
    assert len(cache) == 4 and cache.bytes_used <= cache.max_bytes
    assert cache.get(1, lambda: pytest.fail("1 was evicted")) is not None
    cache.get(5, lambda: np.zeros(2**15))  # evicts 2, the least recently used
    calls = []
    cache.get(2, lambda: calls.append(1) or np.zeros(1))
    assert calls == [1]


def test_a_value_larger_than_the_budget_is_returned_but_not_kept():
    cache = SharedCache("test", max_megabytes=1)
    assert cache.get("big", lambda: np.zeros(2**18)).size == 2**18
    assert len(cache) == 0 and cache.bytes_used == 0


def test_sessions_asking_together_compute_once_and_share_one_read_only_copy():
    cache = SharedCache("test", max_megabytes=8)
    calls = []

    def compute():
        calls.append(1)
        time.sleep(0.2)
        return {"trace": np.ones((100, 8))}

    results = [None] * 8
    threads = [threading.Thread(target=lambda k=k: results.__setitem__(k, cache.get("key", compute))) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1] and all(result is results[0] for result in results)
    with pytest.raises(ValueError, match="read-only"):
        results[0]["trace"][0, 0] = 5.0  # no session can change what another one sees


def test_heavy_computations_run_at_most_two_at_once():
    cache = SharedCache("test", max_megabytes=8)
    running, most = [0], [0]
    lock = threading.Lock()

    def compute():
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.1)
        with lock:
            running[0] -= 1
        return np.zeros(1)

    threads = [threading.Thread(target=cache.get, args=(k, compute, True)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == HEAVY_AT_ONCE and len(cache) == 8


def test_streamlit_s_clear_cache_does_not_empty_the_shared_caches():
    cache = SharedCache("test", max_megabytes=1)
    cache.get("preset", lambda: np.ones(3))
    st.cache_data.clear()
    st.cache_resource.clear()
    assert len(cache) == 1


def test_the_budgets_add_up_to_the_stated_total():
    assert sum(cache.max_bytes for cache in CACHES) == CACHE_MEGABYTES * 2**20
    assert size_in_bytes(demo.run_model(*_model_and_input(2000, 256))) > 25 * 2**20  # why bytes, not entries


def _model_and_input(T, H):
    prepared = inputs.prepare_series(np.sin(np.arange(T) / 3.0))
    return demo.build_model(demo.ModelSpec(hidden_size=H), prepared), prepared


@pytest.mark.parametrize(
    "T,H,kind", [(40, 8, "series"), (2000, 256, "series"), (2000, 64, "series"), (500, 256, "text")]
)
def test_the_trained_preset_never_asks_for_more_than_the_budget(T, H, kind):
    prepared = (
        inputs.prepare_series(np.sin(np.arange(T) / 3.0))
        if kind == "series"
        else inputs.prepare_text("".join(chr(0x4E00 + k % 190) for k in range(T)))
    )
    steps, epochs = demo.preset_training_plan(H, prepared)
    work = epochs * steps * 4 * H * (prepared.x.shape[1] + H)
    assert work <= demo.TRAINED_PRESET_BUDGET or steps == demo.MIN_PRESET_STEPS
    if T == 40:  # a classroom-size input is trained exactly as before
        assert (steps, epochs) == (T - 1, demo.TRAINED_PRESET_EPOCHS)


def test_a_refused_computation_leaves_nothing_behind():
    cache = SharedCache("test", max_megabytes=1)

    def refuse():
        raise ValueError("text: empty")

    for k in range(50):  # a student typing one bad input after another
        with pytest.raises(ValueError, match="empty"):
            cache.get(("bad", k), refuse)
    assert len(cache) == 0 and not cache._computing


def test_no_page_keeps_results_in_streamlit_s_own_caches():
    """Streamlit's caches count entries, copy per session and empty on any browser's clear_cache:
    every shared result goes through a SharedCache (the README's serving guide sizes by it)."""
    root = Path(__file__).resolve().parents[2]
    sources = [root / "app.py", *sorted((root / "pages").glob("*.py")), *sorted((root / "ui").glob("*.py"))]
    users = [
        p.name
        for p in sources
        for line in p.read_text().splitlines()
        if re.search(r"@?st\.cache_(data|resource)\b", line.split("#")[0]) and "`" not in line
    ]
    assert users == []


def test_a_figure_s_lists_are_sized_and_frozen_whole_and_arrays_inside_lists_still_count():
    from ui.shared_cache import freeze

    array = np.zeros(1000)
    spec = {"x": [0.5] * 10_000, "labels": ["t: 公"] * 100, "z": [array, [1, 2.0, None]], "n": (np.float64(1.0), True)}
    assert size_in_bytes(spec["x"]) == 80_000
    assert size_in_bytes(spec["labels"]) == 400
    assert size_in_bytes(spec["z"]) == array.nbytes + 24
    freeze(spec)
    assert not array.flags.writeable  # an array inside a mixed list is still made read-only
