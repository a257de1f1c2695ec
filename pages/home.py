"""Landing page: what the app is, in three sentences, and the cell already computed."""

import streamlit as st

from ui import cell_values, labels
from ui.cell_diagram import cell_diagram
from ui.language import tr
from ui.session import required_demo, run
from ui.shell import ensure_shell
from ui.static_files import STATIC

ensure_shell()

t = tr()
st.title(t("app_title"))
st.markdown(t("home_intro"))

demo = required_demo(t)

result = run(demo.current, demo)
last = demo.prepared.length - 1
token = demo.prepared.tokens[last]
st.html(STATIC / "home.css")  # the links under the picture on a 1024 px projector
left, right = st.container(key="home_layout").columns([5, 2], vertical_alignment="top")
with left:
    st.subheader(t("home_cell_title", token=token, t=last))
    values = cell_values.cell_values_from_run(result, last, 0, token)
    layer = demo.current.recurrent
    activations = (layer.recurrent_activation.name, layer.activation.name)
    # a picture (nothing to hover): SVG from the server, so a first visit does not wait for Plotly
    st.markdown(
        cell_diagram(
            values,
            labels.diagram_labels(t),
            activations=activations,
            title=t("home_cell_title", token=token, t=last),
            height=460,
        ),
        unsafe_allow_html=True,
    )
    st.caption(t("home_cell_caption", hidden=demo.current.recurrent.hidden_size))
    st.markdown(t("home_name"))
with right:
    st.subheader(t("home_next"))
    st.page_link("pages/lesson.py", label=t("page_lesson"), icon=":material/route:")
    st.markdown(t("home_lesson_link"))
    st.page_link("pages/cell.py", label=t("page_cell"), icon=":material/biotech:")
    st.markdown(t("home_cell_link"))
    st.page_link("pages/stepper.py", label=t("page_stepper"), icon=":material/slow_motion_video:")
    st.markdown(t("home_stepper_link"))
    st.page_link("pages/weights.py", label=t("page_weights"), icon=":material/tune:")
    st.markdown(t("home_weights_link"))
