"""The server settings a classroom relies on (.streamlit/config.toml), read as Streamlit reads them."""

import tomllib
from pathlib import Path

CONFIG = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text())


def test_the_server_is_hardened_for_students():
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert CONFIG["browser"]["gatherUsageStats"] is False
    assert 0 < CONFIG["server"]["maxUploadSize"] <= 50  # MB
    assert CONFIG["client"]["toolbarMode"] == "viewer"  # no developer menu
    assert CONFIG["client"]["showErrorDetails"] == "none"  # no tracebacks on the projector


def test_no_full_garbage_collection_after_every_rerun():
    """With it on, 30 sessions moving sliders got 10.6 reruns/s instead of 52 (bench/server_load.py)."""
    assert CONFIG["runner"]["postScriptGC"] is False


def test_no_source_watcher_walks_every_module_on_every_run():
    """Each session's watcher realpath()ed every loaded module after each run: 30 students opening
    the stepper at once cost 4.9 s of server CPU with it, 1.3 s without (bench/server_load.py)."""
    assert CONFIG["server"]["fileWatcherType"] == "none"


def test_the_app_hands_the_interpreter_over_every_millisecond():
    """A slider's short rerun waits at most 1 ms at each turn behind a long one (ui/switch_interval.py)."""
    import sys

    from streamlit.testing.v1 import AppTest

    from ui.switch_interval import SWITCH_INTERVAL

    previous = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.005)
        AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=60).run()
        assert sys.getswitchinterval() == SWITCH_INTERVAL
    finally:
        sys.setswitchinterval(previous)


def test_every_option_is_one_streamlit_knows():
    from streamlit import config

    for section, options in CONFIG.items():
        for name in options:
            assert f"{section}.{name}" in config._config_options_template, f"{section}.{name} is not a Streamlit option"
