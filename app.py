"""LSTM Gate Lab: entry point. Draws the shared sidebar, builds the demo, runs the chosen page."""

import logging
from pathlib import Path

import streamlit as st

from ui import url_state
from ui.gc_freeze import freeze_imported_objects
from ui.language import tr
from ui.shell import mark_shell_ran
from ui.sidebar import sidebar
from ui.static_files import STATIC
from ui.switch_interval import share_the_interpreter_finely
from ui.tcp_nodelay import send_without_delay

freeze_imported_objects()
share_the_interpreter_finely()
send_without_delay()

st.set_page_config(
    page_title="LSTM Gate Lab", page_icon=str(Path(__file__).parent / "assets" / "favicon.png"), layout="wide"
)
st.html(STATIC / "app.css")
url_state.restore()
t = tr()
page = st.navigation(
    [
        st.Page("pages/home.py", title=t("page_home"), icon=":material/home:", default=True),
        st.Page("pages/lesson.py", title=t("page_lesson"), icon=":material/route:", url_path="lesson"),
        st.Page("pages/cell.py", title=t("page_cell"), icon=":material/biotech:", url_path="cell"),
        st.Page("pages/stepper.py", title=t("page_stepper"), icon=":material/slow_motion_video:", url_path="stepper"),
        st.Page("pages/weights.py", title=t("page_weights"), icon=":material/tune:", url_path="weights"),
        st.Page("pages/train.py", title=t("page_train"), icon=":material/school:", url_path="train"),
        st.Page("pages/gradients.py", title=t("page_gradients"), icon=":material/trending_down:", url_path="gradients"),
        st.Page("pages/models.py", title=t("page_models"), icon=":material/upload_file:", url_path="models"),
        st.Page("pages/export.py", title=t("page_export"), icon=":material/download:", url_path="export"),
        st.Page("pages/code.py", title=t("page_code"), icon=":material/code:", url_path="code"),
    ]
)
st.session_state["_demo"] = sidebar(page.url_path)
if rejected := url_state.rejected():
    st.warning(t("url_rejected", keys=", ".join(rejected)))
mark_shell_ran()
try:
    page.run()  # st.rerun and st.stop raise BaseExceptions, which pass through
except Exception:  # a bug must not put a traceback on a classroom projector
    logging.getLogger("lstm_gate_lab").exception("page failed")
    st.error(t("unexpected_error"))
url_state.write(page.url_path)
