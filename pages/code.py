"""Code: the current model in PyTorch, Keras and plain NumPy, generated from its real sizes and
activations and the sidebar's input, with the weights file each snippet loads (the same file and
code the Export page offers). Run at home, each prints the same h_t and predictions as the
Sequence stepper (tests execute all three).
"""

import streamlit as st

from ui.code_comments import in_language
from ui.code_view import FRAMEWORKS, WEIGHTS_FILES, shared_snippet, shared_weights_file, sizes
from ui.language import tr
from ui.model import fingerprint
from ui.session import required_demo
from ui.shell import ensure_shell

ensure_shell()

t = tr()
st.title(t("page_code"))
demo = required_demo(t)

prepared, model = demo.prepared, demo.current
shape = sizes(model, prepared)
st.caption(t("code_intro", T=shape.T, I=shape.I, H=shape.H, gate=shape.gate, cell=shape.cell))
if demo.is_edited:
    st.info(t("using_edited_weights"))
key = (fingerprint(model), demo.input_key)


tabs = st.tabs([t(f"code_tab_{framework}") for framework in FRAMEWORKS])
for tab, framework in zip(tabs, FRAMEWORKS):
    with tab:
        st.markdown(t(f"code_about_{framework}"))
        if framework == "pytorch" and not shape.standard:
            st.caption(t("code_pytorch_loop", gate=shape.gate, cell=shape.cell))
        step_one, step_two = st.columns([1.3, 2], vertical_alignment="center")  # the file name whole at 1024 px
        step_one.download_button(
            WEIGHTS_FILES[framework],
            lambda framework=framework: shared_weights_file(key, model, framework),
            WEIGHTS_FILES[framework],
            "application/octet-stream",
            key=f"code_weights_{framework}",
            icon=":material/download:",
            on_click="ignore",
        )
        step_two.caption(t("code_steps", file=WEIGHTS_FILES[framework], install=t(f"code_install_{framework}")))
        st.code(in_language(shared_snippet(key, model, prepared, framework), t.language), language="python")
