"""bench/ runs as modules from the checkout (`python -m bench.latency`): it reaches lstm_core, ui
and its own helpers by import, never through sys.path, and never imports the tests (the browser
tests import bench.app_driver instead, so a benchmark's "drawn" is the tests' "drawn")."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
APP = BENCH.parent / "app.py"
SCRIPTS = sorted(p.stem for p in BENCH.glob("*.py") if "__main__" in p.read_text())


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    return names | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}


@pytest.mark.parametrize("path", sorted(BENCH.glob("*.py")), ids=lambda p: p.name)
def test_a_bench_module_neither_edits_sys_path_nor_imports_the_tests(path):
    tree = ast.parse(path.read_text())
    assert not [
        n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "path" and ast.unparse(n) == "sys.path"
    ]
    assert not [name for name in imported_modules(path) if name == "tests" or name.startswith("tests.")]


def test_every_benchmark_with_a_main_is_found():
    assert {"bench_lstm", "bench_training", "latency", "long_memory", "server_load"} <= set(SCRIPTS)


@pytest.mark.slow
@pytest.mark.parametrize("name", SCRIPTS)
def test_a_benchmark_runs_as_a_module_and_explains_itself(name):
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{name}", "--help"], cwd=BENCH.parent, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage:")


@pytest.mark.parametrize("peer_name", ["TutorialLSTM", "BatchedLSTM"])
def test_the_numpy_peers_compute_what_lstm_core_computes(peer_name):
    """bench_lstm's ratios compare like with like: each peer's forward and backward are lstm_core's."""
    import numpy as np

    from bench import peers
    from lstm_core import LSTM

    layer = LSTM.init(5, 7, seed=0)
    rng = np.random.default_rng(1)
    x, g = rng.normal(size=(6, 3, 5)), rng.normal(size=(6, 3, 7))
    trace = layer.forward(x)
    grads = layer.backward(trace, g)
    # The peers hold one bias per gate: its gradient is db (lstm_core's b_hh gets the same again).
    gradient = grads.params.with_parameters(b_hh=np.zeros_like(grads.params.b_hh))
    peer = getattr(peers, peer_name)(layer)
    h, cache = peer.forward(x)
    np.testing.assert_allclose(h, trace.h, atol=1e-12)
    if peer_name == "BatchedLSTM":
        dx, d_wlstm = peer.backward(g, cache)
        np.testing.assert_allclose(dx, grads.dx, atol=1e-12)
        np.testing.assert_allclose(d_wlstm, peers.BatchedLSTM(gradient).WLSTM, atol=1e-12)
    else:
        per_sequence = peer.backward(g, cache)
        expected = gradient.to_gates(column_biases=True)
        for name, value in expected.items():
            np.testing.assert_allclose(sum(p[name] for p in per_sequence), value, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("size", [0, 1, 2], ids=["T=5", "T=50", "T=2000"])
def test_the_floor_at_a_size_draws_the_stepper_s_own_figures(size):
    """bench/latency.py compares the stepper's first chart with bench/bare_app.py showing the same
    two figures on a bare page: they must be the figures the stepper sends for that link."""
    import json
    from urllib.parse import parse_qsl

    from streamlit.testing.v1 import AppTest

    from bench.latency import SIZES
    from ui.stepper_figure import HEATMAPS_META, PANELS_META

    query = dict(parse_qsl(list(SIZES.values())[size][0]))
    specs = []
    for script, extra, page in [(BENCH / "bare_app.py", {"figures": "stepper"}, None), (APP, {}, "stepper")]:
        at = AppTest.from_file(str(script), default_timeout=120)
        at.query_params.update({**query, **extra})
        at.run()
        if page:
            at.switch_page(str(APP.parent / "pages" / f"{page}.py")).run()
        assert not at.exception, at.exception
        specs.append([json.loads(chart.proto.spec) for chart in at.get("plotly_chart")][:2])
    floor, stepper = specs
    assert [figure["layout"]["meta"]["name"] for figure in floor] == [HEATMAPS_META, PANELS_META]
    assert floor == stepper
