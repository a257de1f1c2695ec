"""The one private Streamlit detail the app relies on (ui/shell.py) is still there and still read."""

import inspect

from streamlit.commands import navigation
from streamlit.runtime import pages_manager
from streamlit.runtime.scriptrunner import script_runner


def test_streamlit_still_decides_the_legacy_pages_folder_by_the_flag_ui_shell_clears():
    assert "uses_pages_directory" in vars(pages_manager.PagesManager)
    assert "PagesManager.uses_pages_directory" in inspect.getsource(script_runner)  # where a deep link is routed
    assert "PagesManager.uses_pages_directory = False" in inspect.getsource(navigation)  # what st.navigation does
