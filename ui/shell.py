"""Make sure every page runs inside app.py's shell (sidebar, language, shared demo).

Streamlit keeps a process-wide flag, `PagesManager.uses_pages_directory`, that is True while an
app has a `pages/` folder and no session has yet called `st.navigation`. While it is True, a
deep link such as `/stepper` opened first on a freshly started server runs `pages/stepper.py`
on its own, without app.py. `st.navigation` clears the flag; a page that finds app.py did not
run clears it the same way and asks for a rerun, which then goes through app.py to the same URL.

There is no public way to say "this pages/ folder is not the legacy multipage layout" (Streamlit
1.67 decides it in `PagesManager.__init__` from the folder's existence), and the project keeps
its page scripts in pages/. So the private flag is touched here and only here;
tests/ui/test_shell.py fails the day Streamlit renames or stops reading it, and
tests/browser/test_app_browser.py opens a deep link on a fresh server.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

_MARK = "_shell_ran"


def mark_shell_ran() -> None:
    """Called by app.py before it runs the page."""
    st.session_state[_MARK] = True


def ensure_shell() -> None:
    """Called first by every page: rerun through app.py if it did not run this time."""
    if st.session_state.pop(_MARK, False):
        return
    PagesManager.uses_pages_directory = False
    st.rerun()
