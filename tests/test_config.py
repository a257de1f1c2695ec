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


def test_every_option_is_one_streamlit_knows():
    from streamlit import config

    for section, options in CONFIG.items():
        for name in options:
            assert f"{section}.{name}" in config._config_options_template, f"{section}.{name} is not a Streamlit option"
